/**
 * Runs the built `bin/aicredits.js` as a child process, the way a user's shell does. Test-only.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const binPath = fileURLToPath(new URL('../../bin/aicredits.js', import.meta.url));

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  child: ChildProcess;
  /** Resolves once `stderr` has matched `pattern`: a readiness event, not a sleep. */
  stderrMatches(pattern: RegExp): Promise<void>;
  /** The run, once the child has exited (killed after `timeoutMs`). */
  finished: Promise<CliRun>;
}

/**
 * The child gets only `environment` (plus PATH), so nothing from the test runner's environment
 * (NO_COLOR, AICREDITS_DEBUG, real API keys) changes its behaviour. Killed after `timeoutMs`.
 */
export function startCli(
  args: readonly string[],
  options: { environment?: Record<string, string>; cwd?: string; timeoutMs?: number } = {},
): RunningCli {
  const child = spawn(process.execPath, [binPath, ...args], {
    cwd: options.cwd ?? process.cwd(),
    env: { PATH: process.env['PATH'] ?? '', ...options.environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters = new Set<{ pattern: RegExp; resolve: () => void }>();
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    for (const waiter of waiters) {
      if (waiter.pattern.test(stderr)) {
        waiters.delete(waiter);
        waiter.resolve();
      }
    }
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 50_000);
  const finished = new Promise<CliRun>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  }).finally(() => {
    clearTimeout(timer);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const stderrMatches = (pattern: RegExp) =>
    pattern.test(stderr)
      ? Promise.resolve()
      : Promise.race([
          new Promise<void>((resolve) => waiters.add({ pattern, resolve })),
          finished.then((run) => {
            throw new Error(`the CLI exited (${run.code}) before stderr matched ${pattern}: ${run.stderr}`);
          }),
        ]);
  return { child, stderrMatches, finished };
}

export async function runCli(
  args: readonly string[],
  options: { environment?: Record<string, string>; cwd?: string; timeoutMs?: number } = {},
): Promise<CliRun> {
  return startCli(args, options).finished;
}
