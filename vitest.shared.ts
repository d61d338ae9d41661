import { defineConfig } from 'vitest/config';

// Tests here talk to real servers on a 2-core CI machine where turbo builds other packages at the
// same time: generous limits keep a busy moment from failing a test. No test asserts on speed.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
