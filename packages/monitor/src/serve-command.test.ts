import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';

import type { MockServers } from '@aicredits/mock';
import { main } from 'aicredits/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startMockServers } from './testing/serve-fixture.js';
import { useTemporaryDirectory } from './testing/temporary-directory.js';

const directories = useTemporaryDirectory();
let servers: MockServers;
beforeAll(async () => {
  servers = await startMockServers();
});
afterAll(async () => {
  await servers?.close();
});

function output() {
  let text = '';
  const waiters: (() => void)[] = [];
  return {
    stream: {
      write: (chunk: string) => {
        text += chunk;
        for (const wake of waiters.splice(0)) wake();
      },
    },
    text: () => text,
    /** Resolves when the output matches: the command's own readiness event, not a timer. */
    async match(pattern: RegExp): Promise<RegExpMatchArray> {
      for (;;) {
        const found = text.match(pattern);
        if (found !== null) return found;
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
  };
}

/** Paces a poll of the server's own readiness answer; always true. */
const pause = () => new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 50));

async function project() {
  const directory = await directories.create();
  const config = {
    min: 100,
    accounts: [
      { provider: 'imaginepro', label: 'main', apiKeyEnv: 'TEST_IMAGINEPRO_KEY', baseURL: servers.urls.imaginepro },
      { provider: 'iqqz', label: 'gateway', apiKeyEnv: 'TEST_IQQZ_KEY', baseURL: servers.urls.iqqz },
    ],
    watch: { store: 'state/history.db', jitter: '0s' },
  };
  const configPath = directory.join('aicredits.config.json');
  await writeFile(configPath, JSON.stringify(config));
  return { directory, configPath };
}

function start(argv: string[], cwd: string, environment: Record<string, string> = {}) {
  const stdout = output();
  const stderr = output();
  const controller = new AbortController();
  const exit = main({
    argv,
    environment: { TEST_IMAGINEPRO_KEY: 'serve-cli-key-1', TEST_IQQZ_KEY: 'serve-cli-key-2', ...environment },
    cwd,
    stdout: stdout.stream,
    stderr: stderr.stream,
    signal: controller.signal,
  });
  return { stdout, stderr, exit, stop: () => controller.abort() };
}

describe('aicredits serve', () => {
  it('prints the dashboard and metrics URLs, gets ready after the first round, serves, and exits 0 on stop', async () => {
    const { directory } = await project();
    const run = start(['serve', '--port', '0'], directory.path, { AICREDITS_SERVE_TOKEN: 'cli-token' });
    try {
      const [, url] = await run.stdout.match(/Dashboard: (http:\/\/127\.0\.0\.1:\d+\/)\n/);
      expect(run.stdout.text()).toContain(`Metrics:   ${url}metrics\n`);
      expect(run.stderr.text()).toContain('bearer token from AICREDITS_SERVE_TOKEN');
      const headers = { authorization: 'Bearer cli-token' };
      expect((await fetch(`${url}metrics`)).status).toBe(401);
      // Ready once both accounts were checked: each /readyz answer is the server's own.
      let ready: Response;
      do ready = await fetch(`${url!}readyz`, { headers });
      while (ready.status === 503 && (await ready.text()).startsWith('not ready: first round') && (await pause()));
      expect(ready.status).toBe(200);
      const metrics = await (await fetch(`${url}metrics`, { headers })).text();
      expect(metrics).toMatch(
        /^aicredits_balance_remaining\{provider="imaginepro",account="main",unit="credits"\} 2600$/m,
      );
      expect(metrics).toMatch(/^aicredits_balance_remaining\{provider="iqqz",account="gateway",unit="USD"\} 2.5$/m);
      expect(metrics).not.toMatch(/serve-cli-key|cli-token/);
    } finally {
      run.stop();
    }
    expect(await run.exit).toBe(0);
    expect(run.stderr.text()).toContain('aicredits serve: stopping...');
  });

  it('exits 2 before any request on a bad --port, and on a port that is taken', async () => {
    const { directory } = await project();
    const bad = start(['serve', '--port', 'eighty'], directory.path);
    expect(await bad.exit).toBe(2);
    expect(bad.stderr.text()).toMatch(/--port: expected a port number/);

    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const port = (taken.address() as { port: number }).port;
      const busy = start(['serve', '--port', String(port)], directory.path);
      expect(await busy.exit).toBe(2);
      expect(busy.stderr.text()).toContain(`cannot listen on 127.0.0.1:${port} (EADDRINUSE)`);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('warns when listening beyond loopback without a token', async () => {
    const { directory } = await project();
    const run = start(['serve', '--port', '0', '--host', '0.0.0.0'], directory.path);
    try {
      await run.stdout.match(/Dashboard: /);
      expect(run.stderr.text()).toMatch(/warning: listening on 0\.0\.0\.0 without a token/);
    } finally {
      run.stop();
    }
    expect(await run.exit).toBe(0);
  });
});
