export type MockProviderId = 'crowdcomputed' | 'pixverse' | 'imaginepro' | 'iqqz';

// The order is part of the contract: the bin derives each provider's port from a base port
// by its position here, so reordering would silently move everyone's mock to another port.
export const mockProviderIds: readonly MockProviderId[] = Object.freeze([
  'crowdcomputed',
  'pixverse',
  'imaginepro',
  'iqqz',
]);

export function isMockProviderId(value: unknown): value is MockProviderId {
  return typeof value === 'string' && (mockProviderIds as readonly string[]).includes(value);
}
