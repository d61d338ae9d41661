/** An option of `startMockServers` that cannot work (unknown scenario, bad delay...): fix the call. */
export class MockOptionsError extends Error {
  override readonly name = 'MockOptionsError';
}
