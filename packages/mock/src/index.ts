export { mockProviderIds, type MockProviderId } from './mock-provider-id.js';
export type { MockLogger } from './mock-logger.js';
export { MockOptionsError } from './mock-options-error.js';
export type { MockDrain } from './credit-drain.js';
export { mockFaults, type MockDelay, type MockFault, type MockResponseStep, type MockScenario } from './mock-scenario.js';
export { adminPrefix, type MockClock, type MockProviderState } from './provider-server.js';
export type { MockJournalAnswer, MockJournalEntry } from './request-journal.js';
export { startMockServers, type MockServers, type StartMockServersOptions } from './start-mock-servers.js';
