import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    globalSetup: ['src/global-setup.ts'],
    // Most of the time goes to child processes (npm install, node, tsc), not to the worker, so
    // more files at once than there are cores still shortens the run.
    maxWorkers: 3,
    testTimeout: 60_000,
    hookTimeout: 300_000,
    teardownTimeout: 30_000,
  },
});
