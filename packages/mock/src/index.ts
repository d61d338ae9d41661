export { mockProviderIds, type MockProviderId } from './mock-provider-id.js';
export type { MockLogger } from './mock-logger.js';
export { startMockServers, type MockServers, type StartMockServersOptions } from './start-mock-servers.js';
