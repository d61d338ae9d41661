// The entry point of each benchmark child process: runs the benchmark, sends its result to the
// parent over IPC (or prints it when run by hand), and stops whatever it started, also on failure.
import { installCleanup, stopAll } from './processes.mjs';

export function log(...parts) {
  process.stderr.write(`  ${parts.join(' ')}\n`);
}

export async function benchmarkMain(run) {
  installCleanup();
  const smoke = process.argv.includes('--smoke');
  let outcome;
  try {
    outcome = { type: 'result', result: await run({ smoke, log }) };
  } catch (error) {
    console.error(error);
    outcome = { type: 'error', message: error instanceof Error ? error.message : String(error) };
  } finally {
    await stopAll();
  }
  if (process.send !== undefined) {
    await new Promise((resolve) => process.send(outcome, () => resolve()));
  } else {
    console.log(JSON.stringify(outcome, null, 2));
  }
  process.exit(outcome.type === 'result' ? 0 : 1);
}

/** Resolves after `ms`; for pacing, never for correctness. */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
