#!/usr/bin/env node
import { main } from '../dist/cli/main.js';

const controller = new AbortController();
process.once('SIGINT', () => controller.abort());

main({
  argv: process.argv.slice(2),
  environment: process.env,
  cwd: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
  signal: controller.signal,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(`aicredits: unexpected error: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 70;
  },
);
