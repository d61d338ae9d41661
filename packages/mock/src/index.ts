export type { MockDrain } from './credit-drain.js';
export type { MockLogger } from './mock-logger.js';
export { MockOptionsError } from './mock-options-error.js';
export { type MockProviderId, mockProviderIds } from './mock-provider-id.js';
export {
  type MockDelay,
  type MockFault,
  mockFaults,
  type MockResponseStep,
  type MockScenario,
} from './mock-scenario.js';
export { adminPrefix, type MockClock, type MockProviderState } from './provider-server.js';
export type { MockJournalAnswer, MockJournalEntry } from './request-journal.js';
export { type MockServers, startMockServers, type StartMockServersOptions } from './start-mock-servers.js';
