import { generatedMockProviderIds } from './generated/mock-providers.js';

/** A provider the mock serves: one per spec in specs/. */
export type MockProviderId = (typeof generatedMockProviderIds)[number];

// The order is part of the contract: the bin derives each provider's port from a base port by its
// position here, so it comes from each spec's `x-aicredits-mock.port-offset` (generated), never
// from the order of files or of the facade's list, and a test pins it.
export const mockProviderIds: readonly MockProviderId[] = Object.freeze([...generatedMockProviderIds]);

export function isMockProviderId(value: unknown): value is MockProviderId {
  return typeof value === 'string' && (mockProviderIds as readonly string[]).includes(value);
}
