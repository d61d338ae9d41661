import { defineConfig, mergeConfig } from 'vitest/config';

import shared from '../../vitest.shared.js';

// Every test file runs twice, once per way a request leaves the client without a `fetch` of the
// user's: the Node transport (the default on Node) and Node's global `fetch` (`fetch:
// globalThis.fetch`, the path every other runtime takes). The loopback tests are the parity
// proof: both transports must give the same answers, errors and guarantees against the same
// servers. `createTestClient` (src/testing/test-provider.ts) reads which one from the environment.
export default mergeConfig(
  shared,
  defineConfig({
    test: {
      projects: [
        { extends: true, test: { name: 'node-transport', env: { AICREDITS_TEST_TRANSPORT: 'node' } } },
        { extends: true, test: { name: 'fetch', env: { AICREDITS_TEST_TRANSPORT: 'fetch' } } },
      ],
    },
  }),
);
