import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const binPath = fileURLToPath(new URL('../../bin/aicredits-mock.js', import.meta.url));
const builtEntry = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

export interface BinProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly exit: Promise<[code: number | null, signal: NodeJS.Signals | null]>;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first `count` stdout lines; rejects with the bin's stderr if it exits first. */
  lines(count: number): Promise<string[]>;
  /** Resolves once stderr matches (the bin's own event, not a timer); rejects if it exits first. */
  stderrMatching(pattern: RegExp): Promise<void>;
  /** Stops it with SIGTERM, as a user would, and resolves with how it exited. */
  stop(): Promise<[code: number | null, signal: NodeJS.Signals | null]>;
  /** For `finally`: SIGKILL if it still runs, so a failed test leaves no process behind. */
  kill(): Promise<void>;
}

/** The built bin, as an installed copy runs it. */
export function startBin(args: readonly string[]): BinProcess {
  if (!existsSync(builtEntry)) throw new Error(`${builtEntry} is missing: run \`npx tsup\` before the tests`);
  const child = spawn(process.execPath, [binPath, ...args], { stdio: 'pipe' });
  const exit = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  let stdout = '';
  let stderr = '';
  const received: string[] = [];
  const waiting: Array<() => void> = [];
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    waiting.splice(0).forEach((wake) => wake());
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    stdout += `${line}\n`;
    received.push(line);
    waiting.splice(0).forEach((wake) => wake());
  });
  const exited = exit.then(([code]) => {
    throw new Error(`aicredits-mock exited with ${code}: ${stderr}`);
  });
  exited.catch(() => {});
  return {
    child,
    exit,
    stdout: () => stdout,
    stderr: () => stderr,
    async lines(count) {
      while (received.length < count) await Promise.race([new Promise<void>((wake) => waiting.push(wake)), exited]);
      return received.slice(0, count);
    },
    async stderrMatching(pattern) {
      while (!pattern.test(stderr)) await Promise.race([new Promise<void>((wake) => waiting.push(wake)), exited]);
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exit;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exit;
      }
    },
  };
}
