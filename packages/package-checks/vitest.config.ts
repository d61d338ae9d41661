import { availableParallelism } from 'node:os';

import { defineConfig } from 'vitest/config';

import { FailureRecord } from '../../scripts/test-failure-record.js';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    globalSetup: ['src/global-setup.ts'],
    // Each file spends its time in child processes (npm install, node, tsc, Chromium, Deno): one file
    // per core, so that they never starve each other or turbo's other task.
    maxWorkers: Math.max(1, availableParallelism()),
    // Files reuse their worker and its modules (the Prism and aicredits imports), as in
    // vitest.shared.ts; each file's own state (temp projects, servers, children) ends in afterAll.
    isolate: false,
    // Guards against a hung child, far above what any case needs on a loaded machine.
    testTimeout: 240_000,
    hookTimeout: 300_000,
    teardownTimeout: 30_000,
    reporters: ['default', new FailureRecord()],
  },
});
