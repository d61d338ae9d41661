import { availableParallelism } from 'node:os';

import { defineConfig } from 'vitest/config';

// Tests here talk to real servers and processes on a 2-core CI machine where turbo runs other
// packages' tasks at the same time. No verdict depends on speed: time-dependent cases run on injected
// clocks or wait for readiness events, and these limits only guard against a real hang, so they are
// far above what the slowest case needs on a loaded machine.
export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // One worker per core at most, and turbo runs one task per core (scripts/test.mjs).
    maxWorkers: Math.max(1, availableParallelism() - 1),
  },
});
