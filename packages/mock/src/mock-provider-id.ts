import { type MockProviderId, mockProviderIds } from './generated/mock-providers.js';

// Both come from each spec's `x-aicredits-mock` block (generated): the order is part of the
// contract, since the bin derives each provider's port from a base port by its position, so it
// is each spec's `port-offset`, never the order of files or of the facade's list; a test pins it.
export { type MockProviderId, mockProviderIds };

export function isMockProviderId(value: unknown): value is MockProviderId {
  return typeof value === 'string' && (mockProviderIds as readonly string[]).includes(value);
}
