import type { MockServers } from '@aicredits/mock';
import { type AccountsConfig, type BalancesOptions, createAccounts } from 'aicredits';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { mockRemaining, type ServeFixture, startMockServers, startServeOverMocks } from './testing/serve-fixture.js';
import { useTemporaryDirectory } from './testing/temporary-directory.js';

const directories = useTemporaryDirectory();
let servers: MockServers;

beforeAll(async () => {
  servers = await startMockServers();
});
afterAll(async () => {
  await servers?.close();
});

async function withServe(
  run: (fixture: ServeFixture, url: string) => Promise<void>,
  overrides: Parameters<typeof startServeOverMocks>[2] = {},
) {
  const directory = await directories.create();
  const fixture = await startServeOverMocks(servers, directory.fileUrl('history.db'), overrides);
  try {
    await run(fixture, fixture.serve.server.url);
  } finally {
    await fixture.close();
  }
}

function sample(metrics: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of metrics.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const body = line.slice(name.length + 1, line.lastIndexOf('}'));
    if (Object.entries(labels).every(([key, value]) => body.includes(`${key}="${value}"`))) {
      return Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return undefined;
}

describe('aicredits serve over the mock servers', () => {
  it('binds 127.0.0.1 and is not ready before the first round, ready after it', async () => {
    await withServe(async ({ poll }, url) => {
      expect(new URL(url).hostname).toBe('127.0.0.1');
      expect((await fetch(`${url}healthz`)).status).toBe(200);
      const before = await fetch(`${url}readyz`);
      expect(before.status).toBe(503);
      expect(await before.text()).toMatch(/first round: 0 of 4/);
      await poll();
      const after = await fetch(`${url}readyz`);
      expect(await after.text()).toBe('ready\n');
      expect(after.status).toBe(200);
    });
  });

  it('serves every account in /metrics from the latest readings; a scrape sends no request to a provider', async () => {
    let providerCalls = 0;
    const counting = (config: AccountsConfig) => {
      const inner = createAccounts(config);
      return { balances: (options?: BalancesOptions) => (providerCalls++, inner.balances(options)) };
    };
    await withServe(
      async ({ poll }, url) => {
        await poll();
        const response = await fetch(`${url}metrics`);
        expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
        const metrics = await response.text();
        for (const [provider, remaining] of Object.entries(mockRemaining)) {
          expect(sample(metrics, 'aicredits_balance_remaining', { provider }), provider).toBe(remaining);
          expect(sample(metrics, 'aicredits_balance_min', { provider }), provider).toBe(100);
          expect(sample(metrics, 'aicredits_last_check_success', { provider }), provider).toBe(1);
          expect(sample(metrics, 'aicredits_alert_active', { provider, alert: 'failing' }), provider).toBeUndefined();
          expect(sample(metrics, 'aicredits_checks_total', { provider, result: 'success' }), provider).toBe(1);
          expect(sample(metrics, 'aicredits_check_duration_seconds_count', { provider }), provider).toBe(1);
        }
        // CrowdComputed's mock has 0 left, below min 100: the monitor's low alert is active.
        expect(sample(metrics, 'aicredits_alert_active', { provider: 'crowdcomputed', alert: 'low' })).toBe(1);
        expect(sample(metrics, 'aicredits_alert_active', { provider: 'imaginepro', alert: 'low' })).toBeUndefined();
        expect(metrics).toMatch(
          /^aicredits_part_remaining\{provider="crowdcomputed",account="default",unit="points",part="\w+"\} \d+/m,
        );
        expect(metrics).toMatch(/^aicredits_accounts 4$/m);
        expect(metrics).not.toContain('serve-test-key');

        expect(providerCalls).toBe(4);
        for (let index = 0; index < 3; index++) await (await fetch(`${url}metrics`)).text();
        await (await fetch(`${url}api/balances`)).text();
        expect(providerCalls).toBe(4);
        expect(
          sample(await (await fetch(`${url}metrics`)).text(), 'aicredits_checks_total', {
            provider: 'iqqz',
            result: 'success',
          }),
        ).toBe(1);
      },
      { createAccounts: counting },
    );
  });

  it('answers /api/balances with the balances --json shape plus forecasts and alerts', async () => {
    await withServe(async ({ poll }, url) => {
      await poll();
      const response = await fetch(`${url}api/balances`);
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      const document = (await response.json()) as {
        ok: boolean;
        refreshSeconds: number;
        results: {
          ok: boolean;
          provider: string;
          account: string;
          low: boolean;
          balance: { remaining: number };
          alerts: { kind: string }[];
          forecast: unknown;
          error: unknown;
        }[];
      };
      expect(document.ok).toBe(false);
      expect(document.refreshSeconds).toBe(30);
      const byProvider = Object.fromEntries(document.results.map((result) => [result.provider, result]));
      for (const [provider, remaining] of Object.entries(mockRemaining)) {
        expect(byProvider[provider]!.ok).toBe(true);
        expect(byProvider[provider]!.balance.remaining).toBe(remaining);
        expect(byProvider[provider]!.error).toBeNull();
        expect('forecast' in byProvider[provider]!).toBe(true);
      }
      expect(byProvider['crowdcomputed']!.low).toBe(true);
      expect(byProvider['crowdcomputed']!.alerts.map((alert) => alert.kind)).toContain('low');
      expect(JSON.stringify(document)).not.toContain('serve-test-key');
    });
  });

  it('serves new readings within a second of them: one batch to the HTTP thread at most every second, scrapes in between read the last one', async () => {
    // The mock servers' real answers, with a balance the test sets.
    let remaining = 1000;
    const adjustable = (config: AccountsConfig) => {
      const inner = createAccounts(config);
      return {
        balances: async (options?: BalancesOptions) =>
          (await inner.balances(options)).map((result) =>
            result.ok ? { ...result, balance: { ...result.balance, remaining } } : result,
          ),
      };
    };
    await withServe(
      async ({ serve, clock, poll }, url) => {
        const served = async () => {
          const metrics = await (await fetch(`${url}metrics`)).text();
          const balances = (await (await fetch(`${url}api/balances`)).json()) as {
            results: { provider: string; balance: { remaining: number } }[];
          };
          const json = balances.results.find((result) => result.provider === 'imaginepro')!.balance.remaining;
          return { metrics: sample(metrics, 'aicredits_balance_remaining', { provider: 'imaginepro' }), json };
        };
        await poll();
        expect(await served()).toEqual({ metrics: 1000, json: 1000 });

        // A check within the second after the last batch: in the next batch, a second after that one.
        remaining = 900;
        await clock.advance(200, () => serve.watcher.idle());
        await serve.watcher.runOnce();
        await serve.watcher.idle();
        expect(await served()).toEqual({ metrics: 1000, json: 1000 });
        await clock.advance(799, () => serve.watcher.idle());
        expect(await served()).toEqual({ metrics: 1000, json: 1000 });
        await clock.advance(1, () => serve.watcher.idle());
        // The batch is posted; once the HTTP thread has encoded it, it is what a scrape reads.
        await serve.idle();
        expect(await served()).toEqual({ metrics: 900, json: 900 });
      },
      { createAccounts: adjustable },
    );
  });

  it('gzips /metrics and /api/balances from cached blocks when asked, the same documents as uncompressed', async () => {
    await withServe(async ({ poll }, url) => {
      await poll();
      const { get } = await import('node:http');
      const { gunzipSync } = await import('node:zlib');
      const raw = (path: string, encoding: string) =>
        new Promise<{ encoding: string | undefined; body: Buffer }>((resolve, reject) => {
          get(`${url}${path}`, { headers: { 'accept-encoding': encoding } }, (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () =>
              resolve({ encoding: response.headers['content-encoding'], body: Buffer.concat(chunks) }),
            );
          }).on('error', reject);
        });
      // The process metrics (prom-client's part) change between two scrapes; the accounts' part does not.
      const accountsPart = (text: string) => text.slice(text.indexOf('# HELP aicredits_balance_remaining'));
      for (const path of ['metrics', 'api/balances']) {
        const plain = await raw(path, 'identity');
        const zipped = await raw(path, 'deflate, gzip;q=0.5');
        expect(plain.encoding, path).toBeUndefined();
        expect(zipped.encoding, path).toBe('gzip');
        const unzipped = gunzipSync(zipped.body).toString();
        if (path === 'metrics') expect(accountsPart(unzipped)).toBe(accountsPart(plain.body.toString()));
        else expect(unzipped).toBe(plain.body.toString());
        expect(zipped.body.length, path).toBeLessThan(plain.body.length);
        expect((await raw(path, 'gzip;q=0')).encoding, path).toBeUndefined();
      }
    });
  });

  it('answers /api/history with the stored readings of one account, and 400/404 for bad queries', async () => {
    await withServe(async ({ poll }, url) => {
      await poll();
      await poll(5 * 60_000);
      await poll(5 * 60_000);
      const response = await fetch(`${url}api/history?provider=imaginepro&account=default&since=1d`);
      expect(response.status).toBe(200);
      const history = (await response.json()) as { readings: { at: string; remaining: number; ok: boolean }[] };
      expect(history.readings.map((reading) => reading.remaining)).toEqual([2600, 2600, 2600]);
      expect(history.readings.map((reading) => Date.parse(reading.at))).toEqual(
        [0, 5, 10].map((minutes) => Date.parse('2026-12-01T00:00:00Z') + minutes * 60_000),
      );
      const iso = await fetch(`${url}api/history?provider=imaginepro&account=default&since=2026-12-01T00:04:00Z`);
      expect(((await iso.json()) as { readings: unknown[] }).readings).toHaveLength(2);
      expect((await fetch(`${url}api/history`)).status).toBe(400);
      expect((await fetch(`${url}api/history?account=default&since=yesterday`)).status).toBe(400);
      expect((await fetch(`${url}api/history?account=nobody`)).status).toBe(404);
    });
  });

  it('needs the bearer token (or Basic with it) on everything but /healthz when one is set', async () => {
    await withServe(
      async ({ poll }, url) => {
        await poll();
        expect((await fetch(`${url}healthz`)).status).toBe(200);
        for (const path of ['metrics', 'api/balances', 'readyz', '', 'assets/dashboard.js']) {
          const denied = await fetch(`${url}${path}`);
          expect(denied.status, path).toBe(401);
          expect(denied.headers.get('www-authenticate'), path).toMatch(/Bearer realm="aicredits"/);
          expect((await fetch(`${url}${path}`, { headers: { authorization: 'Bearer wrong' } })).status, path).toBe(401);
          const bearer = await fetch(`${url}${path}`, { headers: { authorization: 'Bearer s3cret-token' } });
          expect(bearer.status, path).toBe(200);
        }
        const basic = Buffer.from('anyone:s3cret-token').toString('base64');
        expect((await fetch(`${url}metrics`, { headers: { authorization: `Basic ${basic}` } })).status).toBe(200);
      },
      { token: 's3cret-token' },
    );
  });

  it('serves the dashboard with a strict Content-Security-Policy, and refuses other methods and foreign Host names', async () => {
    await withServe(async (_fixture, url) => {
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(page.headers.get('content-security-policy')).not.toContain('unsafe-inline');
      const html = await page.text();
      expect(html).toContain('assets/uPlot.iife.min.js');
      expect(html).not.toMatch(/https?:\/\//);
      const chart = await fetch(`${url}assets/uPlot.iife.min.js`);
      expect(chart.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(await chart.text()).toContain('uPlot');
      expect((await fetch(`${url}metrics`, { method: 'POST' })).status).toBe(405);
      expect((await fetch(`${url}nothing-here`)).status).toBe(404);
      const { request } = await import('node:http');
      const status = await new Promise<number | undefined>((resolve, reject) => {
        request(`${url}api/balances`, { headers: { host: 'attacker.example:80' } }, (response) => {
          response.resume();
          resolve(response.statusCode);
        })
          .on('error', reject)
          .end();
      });
      expect(status).toBe(421);
    });
  });
});
