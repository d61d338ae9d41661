#!/usr/bin/env node
import { interruption, main } from '../dist/cli/main.js';

// The first Ctrl-C or SIGTERM stops the requests, and what has arrived is printed (exit 130 or 143);
// a second one exits at once, whatever is still running.
const controller = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (controller.signal.aborted) {
      // Re-raised with the default action, which the shell reports as 130 or 143: process.exit()
      // would wait for a blocked file read (a hung mount, a FIFO) to finish.
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
      return;
    }
    process.stderr.write(`\naicredits: ${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping (again to quit at once)\n`);
    controller.abort(interruption(signal));
  });
}

// `aicredits | head -1`: once the reader has gone there is nothing left to say, and no stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
}

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
