import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import { beforeAll, describe, it } from 'vitest';

import { connectionIsRefused, findFreePorts } from './test-support/ports.js';

const binPath = fileURLToPath(new URL('../bin/aicredits-mock.js', import.meta.url));
const builtEntry = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const embeddedSpec = fileURLToPath(new URL('../specs/pixverse.yaml', import.meta.url));

interface RunningBin {
  readonly child: ChildProcessWithoutNullStreams;
  readonly exit: Promise<[code: number | null, signal: NodeJS.Signals | null]>;
  readonly stderr: () => string;
  /** Resolves with the first `count` lines the bin prints on stdout. */
  readonly firstLines: (count: number) => Promise<string[]>;
}

function runBin(args: readonly string[]): RunningBin {
  const child = spawn(process.execPath, [binPath, ...args], { stdio: 'pipe' });
  const exit = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const lines: string[] = [];
  const waiting: Array<() => void> = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    waiting.splice(0).forEach((wake) => wake());
  });
  const firstLines = async (count: number): Promise<string[]> => {
    while (lines.length < count) {
      // Fails fast with the bin's own explanation instead of hanging until the test timeout.
      const exited = exit.then(([code]) => {
        throw new Error(`aicredits-mock exited with ${code} before printing ${count} line(s): ${stderr}`);
      });
      await Promise.race([new Promise<void>((wake) => waiting.push(wake)), exited]);
    }
    return lines.slice(0, count);
  };
  return { child, exit, stderr: () => stderr, firstLines };
}

async function withBin(args: readonly string[], use: (bin: RunningBin) => Promise<void>): Promise<void> {
  const bin = runBin(args);
  try {
    await use(bin);
  } finally {
    if (bin.child.exitCode === null && bin.child.signalCode === null) {
      bin.child.kill('SIGKILL');
      await bin.exit;
    }
  }
}

// One case after another: each Prism-loading case is a Node process that needs a core for a few
// seconds, and several at once beside turbo's other tasks starve each other on a 2-core machine. The
// cases wait for what the bin prints or how it exits, never for a length of time; the limit is only a
// guard against a bin that hangs.
describe('aicredits-mock bin', () => {
  beforeAll(() => {
    // The bin runs the built package with its embedded specs, exactly as an installed copy would.
    for (const required of [builtEntry, embeddedSpec]) {
      if (!existsSync(required)) throw new Error(`${required} is missing: run \`npx tsup\` before the tests`);
    }
  });

  it('prints the URLs as JSON, serves them, and closes them on SIGTERM with exit code 0', async ({ expect }) => {
    await withBin(['--json', '--provider', 'pixverse', '--provider', 'iqqz'], async (bin) => {
      const [json = ''] = await bin.firstLines(1);
      const urls = JSON.parse(json) as Record<string, string>;
      expect(Object.keys(urls)).toEqual(['pixverse', 'iqqz']);

      const response = await fetch(`${urls['pixverse']}/v2/pixverse/features/`, {
        headers: { authorization: 'Bearer test-credential' },
      });
      expect(response.status).toBe(200);
      await response.body?.cancel();

      bin.child.kill('SIGTERM');
      expect(await bin.exit).toEqual([0, null]);
      for (const url of Object.values(urls)) {
        expect(await connectionIsRefused(url)).toBe(true);
      }
    });
  });

  it('prints "<provider> <url>" lines, gives each provider --port plus its position unless --port-<id> names its own, and exits 0 on SIGINT', async ({
    expect,
  }) => {
    // One process for both port rules: a free base port for the positions, and a free port elsewhere
    // for the explicit one.
    const [base = 0, explicit = 0] = await findFreePorts(2);
    await withBin(
      [
        '--port',
        String(base),
        '--provider',
        'iqqz,crowdcomputed',
        '--provider',
        'imaginepro',
        '--port-imaginepro',
        String(explicit),
      ],
      async (bin) => {
        expect(await bin.firstLines(3)).toEqual([
          `crowdcomputed http://127.0.0.1:${base}`,
          `imaginepro http://127.0.0.1:${explicit}`,
          `iqqz http://127.0.0.1:${base + 3}`,
        ]);
        bin.child.kill('SIGINT');
        expect(await bin.exit).toEqual([0, null]);
      },
    );
  });

  it.for([
    [['--frobnicate'], /Unknown option '--frobnicate'/],
    [['--provider', 'midjourney'], /unknown provider "midjourney"/],
    [['--port', 'eighty'], /--port must be a port number/],
  ] as const)('rejects %j with exit code 2', async ([args, message], { expect }) => {
    await withBin(args, async (bin) => {
      expect(await bin.exit).toEqual([2, null]);
      expect(bin.stderr()).toMatch(message);
    });
  });

  it('exits 1 with the reason when a server cannot start', async ({ expect }) => {
    await withBin(['--specs-directory', '/nonexistent-aicredits-specs', '--provider', 'pixverse'], async (bin) => {
      expect(await bin.exit).toEqual([1, null]);
      expect(bin.stderr()).toMatch(/pixverse: spec file .*pixverse\.yaml does not exist/);
    });
  });

  it('prints help and exits 0', async ({ expect }) => {
    await withBin(['--help'], async (bin) => {
      const [firstLine] = await bin.firstLines(1);
      expect(firstLine).toMatch(/^Usage: aicredits-mock/);
      expect(await bin.exit).toEqual([0, null]);
    });
  });
});
