import { availableParallelism } from 'node:os';

import { defineConfig } from 'vitest/config';

import { FailureRecord } from './scripts/test-failure-record.js';

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
    // A package's test files run one after another in the same worker, reusing its imported
    // modules, instead of a fresh process and module graph per file: about a quarter less CPU. No
    // test relies on a fresh module: each file stops its servers, restores the environment variables
    // and spies it changes (afterEach/afterAll), and the checks of what a process loads (mock's
    // deferred faker) run in a child process of their own.
    isolate: false,
    // The failure record is what `npm test` prints at its end (scripts/test-failure-record.ts).
    reporters: ['default', new FailureRecord()],
  },
});
