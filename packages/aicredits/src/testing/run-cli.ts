/**
 * Runs the built `bin/aicredits.js` as a child process, the way a user's shell does. Test-only.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const binPath = fileURLToPath(new URL('../../bin/aicredits.js', import.meta.url));

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * The child gets only `environment` (plus PATH), so nothing from the test runner's environment
 * (NO_COLOR, AICREDITS_DEBUG, real API keys) changes its behaviour. Killed after `timeoutMs`.
 */
export async function runCli(
  args: readonly string[],
  options: { environment?: Record<string, string>; cwd?: string; timeoutMs?: number } = {},
): Promise<CliRun> {
  const child = spawn(process.execPath, [binPath, ...args], {
    cwd: options.cwd ?? process.cwd(),
    env: { PATH: process.env['PATH'] ?? '', ...options.environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 50_000);
  try {
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (exitCode, exitSignal) => resolve([exitCode, exitSignal]));
    });
    return { code, signal, stdout, stderr };
  } finally {
    clearTimeout(timer);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}
