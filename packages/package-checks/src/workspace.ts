import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { builtInProviders } from 'aicredits';

export const packageChecksDirectory = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const repositoryRoot = path.resolve(packageChecksDirectory, '../..');
export const packagesDirectory = path.join(repositoryRoot, 'packages');
export const fixturesDirectory = path.join(packageChecksDirectory, 'fixtures');

export interface PackageJson {
  name: string;
  version: string;
  private?: boolean;
  license?: string;
  type?: string;
  sideEffects?: boolean | string[];
  main?: string;
  module?: string;
  types?: string;
  bin?: Record<string, string>;
  files?: string[];
  engines?: Record<string, string>;
  keywords?: string[];
  repository?: { type?: string; url?: string; directory?: string } | string;
  publishConfig?: Record<string, unknown>;
  exports?: Record<string, unknown>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  [key: string]: unknown;
}

export interface WorkspacePackage {
  /** Folder name under packages/, e.g. `core`. */
  folder: string;
  directory: string;
  manifest: PackageJson;
}

export function readJson<T = unknown>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** Every workspace package, read from disk on each call (others may edit them while tests run). */
export function workspacePackages(): WorkspacePackage[] {
  return readdirSync(packagesDirectory, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.join(packagesDirectory, entry.name, 'package.json'))
    .filter((file) => {
      try {
        readFileSync(file);
        return true;
      } catch {
        return false;
      }
    })
    .map((file) => ({
      folder: path.basename(path.dirname(file)),
      directory: path.dirname(file),
      manifest: readJson<PackageJson>(file),
    }))
    .sort((a, b) => a.manifest.name.localeCompare(b.manifest.name));
}

/** The packages that reach npm: every workspace package that is not `"private": true`. */
export function publishedPackages(): WorkspacePackage[] {
  return workspacePackages().filter((entry) => entry.manifest.private !== true);
}

/** npm settings a developer or CI may give through the environment, which children should keep. */
const keptNpmSettings =
  /^npm_config_(registry|@[^:]+:registry|cache|proxy|https?_proxy|noproxy|no_proxy|cafile|ca|strict_ssl|userconfig|globalconfig|fetch_retries|fetch_retry_[a-z]+|fetch_timeout|prefer_offline|offline|allow_scripts)$/i;

/** Each built-in provider's API key variable (a real key in the developer's shell stays out of children). */
const providerKeyVariables = new Set<string>(
  builtInProviders.map((module) => module.definition.apiKeyEnvironmentVariable),
);

/**
 * The environment for npm, node and tsc children: ours minus what would leak the monorepo into
 * them. `npm test` exports npm_config_local_prefix (the repository root!), npm_config_prefix,
 * npm_package_* and more, which a child npm would take as its own settings and install into the
 * wrong place; vitest marks the process as a test run; an AICREDITS_DEBUG or a real provider key
 * in the developer's shell must not change the output.
 */
export function childEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) && !keptNpmSettings.test(key)) continue;
    if (/^(INIT_CWD|NODE_OPTIONS|NODE_ENV|TEST|VITEST.*|FORCE_COLOR|AICREDITS_.*)$/.test(key)) continue;
    if (providerKeyVariables.has(key)) continue;
    environment[key] = value;
  }
  return {
    ...environment,
    NO_COLOR: '1',
    NO_UPDATE_NOTIFIER: '1',
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    npm_config_loglevel: 'warn',
    // npx runs only what is installed in the project, never a download from the registry.
    npm_config_yes: 'false',
    ...extra,
  };
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Kill the process (and fail) after this many milliseconds. */
  timeout?: number;
  input?: string;
}

const running = new Set<ChildProcess>();

/** Runs a command to its end and collects its output; never throws for a non-zero exit. */
export function run(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? childEnvironment(),
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      // Its own process group, so a timeout can stop npm and everything npm started.
      detached: process.platform !== 'win32',
    });
    running.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    if (child.stdin !== null) {
      // A child that exits without reading its input closes the pipe: that is not a failure.
      child.stdin.on('error', () => {});
      child.stdin.end(options.input);
    }
    const timer =
      options.timeout === undefined
        ? undefined
        : setTimeout(() => {
            stderr += `\n[package-checks] killed after ${options.timeout} ms`;
            killTree(child);
          }, options.timeout);
    child.once('error', (error) => {
      if (timer) clearTimeout(timer);
      running.delete(child);
      reject(error);
    });
    child.once('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      running.delete(child);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

function killTree(child: ChildProcess): void {
  if (child.exitCode !== null || child.pid === undefined) return;
  try {
    if (process.platform === 'win32') child.kill('SIGKILL');
    else process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** Stops every child this module started that is still running (for afterAll). */
export function killRunningChildren(): void {
  for (const child of running) killTree(child);
  running.clear();
}

export const npmCommand = process.platform === 'win32' ? 'npm.cmd' : 'npm';
export const npxCommand = process.platform === 'win32' ? 'npx.cmd' : 'npx';

/** Formats a failed command for an assertion message. */
export function describeRun(label: string, result: RunResult): string {
  return `${label} exited with ${result.code ?? result.signal}\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`;
}

/** Fixed-width text table for the reports the checks print. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        /^[\d,.%+-]+$/.test(cell) ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

export interface BackgroundProcess {
  /** Resolves with the first stdout line (e.g. the URLs a server prints once it listens). */
  firstLine: Promise<string>;
  /** SIGTERM to the whole process group, then SIGKILL if it has not exited after `grace` ms. */
  stop(grace?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): { stdout: string; stderr: string };
}

/** Starts a long-running command (a server) in its own process group. */
export function startBackground(command: string, args: readonly string[], options: RunOptions): BackgroundProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? childEnvironment(),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: process.platform !== 'win32',
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('close', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
  });
  const firstLine = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no output after ${options.timeout ?? 30_000} ms\n${stderr}`)),
      options.timeout ?? 30_000,
    );
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const newline = stdout.indexOf('\n');
      if (newline >= 0) {
        clearTimeout(timer);
        resolve(stdout.slice(0, newline));
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(
        new Error(
          `exited (${code ?? signal}) before printing a line\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`,
        ),
      );
    });
  });
  firstLine.catch(() => undefined);
  return {
    firstLine,
    output: () => ({ stdout, stderr }),
    async stop(grace = 5_000) {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        try {
          if (process.platform === 'win32') child.kill('SIGTERM');
          else process.kill(-child.pid, 'SIGTERM');
        } catch {
          // Already gone.
        }
        const timer = setTimeout(() => killTree(child), grace);
        const result = await exited;
        clearTimeout(timer);
        return result;
      }
      return exited;
    },
  };
}
