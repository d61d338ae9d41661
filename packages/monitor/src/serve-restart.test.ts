// `aicredits serve` restarted over the history it wrote: the last readings and alert states are
// served at once, before any new check. Two serve instances, one after the other, over one real
// SQLite file.
import type { MockServers } from '@aicredits/mock';
import { type AccountsConfig, type BalancesOptions, createAccounts } from 'aicredits';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createServe } from './create-serve.js';
import { createStore } from './create-store.js';
import { createManualClock } from './manual-clock.js';
import { reading } from './testing/readings.js';
import { mockRemaining, startMockServers, startServeOverMocks } from './testing/serve-fixture.js';
import { useTemporaryDirectory } from './testing/temporary-directory.js';
import { parseWatchConfig } from './watch-config.js';

const directories = useTemporaryDirectory();
let servers: MockServers;

beforeAll(async () => {
  servers = await startMockServers();
});
afterAll(async () => {
  await servers?.close();
});

interface BalancesDocument {
  ok: boolean;
  fetchedAt: string | null;
  results: {
    provider: string;
    ok: boolean;
    checkedAt: string;
    balance: { remaining: number } | null;
    alerts: { kind: string; since: string }[];
  }[];
}

function remainingOf(metrics: string, provider: string): number | undefined {
  const line = metrics
    .split('\n')
    .find((candidate) => candidate.startsWith(`aicredits_balance_remaining{provider="${provider}",`));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('aicredits serve after a restart', () => {
  it('serves the stored readings and alert states at once, ready, before the first new check', async () => {
    const directory = await directories.create();
    const storeUrl = directory.fileUrl('history.db');

    const first = await startServeOverMocks(servers, storeUrl);
    let before: BalancesDocument;
    try {
      await first.poll();
      before = (await (await fetch(`${first.serve.server.url}api/balances`)).json()) as BalancesDocument;
    } finally {
      await first.close();
    }
    expect(before.results).toHaveLength(4);

    let providerCalls = 0;
    const counting = (config: AccountsConfig) => {
      const inner = createAccounts(config);
      return { balances: (options?: BalancesOptions) => (providerCalls++, inner.balances(options)) };
    };
    const second = await startServeOverMocks(servers, storeUrl, { createAccounts: counting });
    try {
      await second.serve.idle();
      const url = second.serve.server.url;
      const metrics = await (await fetch(`${url}metrics`)).text();
      for (const [provider, remaining] of Object.entries(mockRemaining)) {
        expect(remainingOf(metrics, provider), provider).toBe(remaining);
      }
      expect(metrics).toMatch(
        /^aicredits_alert_active\{provider="crowdcomputed",account="default",unit="points",alert="low"\} 1$/m,
      );
      expect(metrics).toMatch(/^aicredits_last_check_success\{provider="imaginepro",.*\} 1$/m);

      const after = (await (await fetch(`${url}api/balances`)).json()) as BalancesDocument;
      // The same readings (times, amounts) and alerts (since when) as before the restart.
      const pick = (document: BalancesDocument) =>
        document.results.map(({ provider, ok, checkedAt, balance, alerts }) => ({
          provider,
          ok,
          checkedAt,
          remaining: balance?.remaining,
          alerts,
        }));
      expect(pick(after)).toEqual(pick(before));
      expect(after.fetchedAt).toBe(before.fetchedAt);

      const ready = await fetch(`${url}readyz`);
      expect(await ready.text()).toBe('ready\n');
      expect(ready.status).toBe(200);
      // Nothing of that came from a provider: the new process has not polled yet.
      expect(providerCalls).toBe(0);

      // The next round replaces them as usual.
      await second.poll();
      expect(providerCalls).toBe(4);
    } finally {
      await second.close();
    }
  });

  it('restores the readings of accounts found under a configured label (label/…), not of another label that starts the same', async () => {
    const directory = await directories.create();
    const at = new Date('2026-11-30T23:00:00Z');
    const serve = await startServeOverMocks(
      servers,
      directory.fileUrl('history.db'),
      {},
      {
        labels: { pixverse: 'team', iqqz: 'a/b' },
        seed: (store) =>
          store.append([
            reading({ provider: 'pixverse', account: 'team/alice@example.com', at, remaining: 11 }),
            reading({ provider: 'pixverse', account: 'teammate', at, remaining: 22 }),
            reading({ provider: 'iqqz', account: 'a/b/c', at, remaining: 33 }),
            reading({ provider: 'iqqz', account: 'a', at, remaining: 44 }),
          ]),
      },
    );
    try {
      await serve.serve.idle();
      const url = serve.serve.server.url;
      expect(await (await fetch(`${url}readyz`)).text()).toBe(
        'not ready: first round: 0 of 4 accounts checked, 2 more with a reading restored from the history\n',
      );
      const document = (await (await fetch(`${url}api/balances`)).json()) as BalancesDocument;
      expect(document.results.map((result) => [result.provider, result.balance?.remaining])).toEqual([
        ['iqqz', 33],
        ['pixverse', 11],
      ]);
    } finally {
      await serve.close();
    }
  });

  it('is not ready while an account has neither a stored reading nor a check of this process', async () => {
    const directory = await directories.create();
    const storeUrl = directory.fileUrl('history.db');
    const first = await startServeOverMocks(servers, storeUrl, {}, { labels: { iqqz: 'before' } });
    try {
      await first.poll();
    } finally {
      await first.close();
    }
    // iqqz is configured under a new label now: nothing stored for it, and the old label is not shown.
    const second = await startServeOverMocks(servers, storeUrl, {}, { labels: { iqqz: 'after' } });
    try {
      await second.serve.idle();
      const url = second.serve.server.url;
      const ready = await fetch(`${url}readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.text()).toBe(
        'not ready: first round: 0 of 4 accounts checked, 3 more with a reading restored from the history\n',
      );
      const document = (await (await fetch(`${url}api/balances`)).json()) as BalancesDocument;
      expect(document.results.map((result) => result.provider)).toEqual(['crowdcomputed', 'imaginepro', 'pixverse']);
      await second.poll();
      expect((await fetch(`${url}readyz`)).status).toBe(200);
    } finally {
      await second.close();
    }
  });

  it('is ready only once every restored account is served, when a restart posts them to the HTTP thread in several batches', async () => {
    // More accounts than one message to the HTTP thread holds (500): a /readyz answer of 200 used to
    // come with the first batch, and a scrape right after it missed the others.
    const count = 1_200;
    const directory = await directories.create();
    const storeUrl = directory.fileUrl('history.db');
    const store = await createStore({ url: storeUrl });
    const at = new Date('2026-11-30T23:00:00Z');
    await store.append(
      Array.from({ length: count }, (_, index) =>
        reading({ provider: 'imaginepro', account: `account-${index}`, at, remaining: 1000 + index }),
      ),
    );
    const accounts: AccountsConfig = {
      accounts: Array.from({ length: count }, (_, index) => ({
        provider: 'imaginepro' as const,
        label: `account-${index}`,
        apiKey: `restart-key-${index}`,
        baseURL: servers.urls.imaginepro,
      })),
    };
    const watch = parseWatchConfig(
      { watch: { interval: '5m', jitter: '0s', store: storeUrl } },
      { file: 'test', cwd: directory.path, environment: {}, accountCount: count },
    );
    // A manual clock that is never advanced: nothing is polled, everything served is restored.
    const serve = await createServe({ accounts, watch, store, clock: createManualClock(), version: '0.0.0-test' });
    try {
      const url = serve.server.url;
      const notReady = new Set<string>();
      // Each answer is the server's own readiness event: asked again until it says ready.
      for (;;) {
        const ready = await fetch(`${url}readyz`);
        const text = await ready.text();
        if (ready.status === 200) break;
        expect(ready.status, text).toBe(503);
        notReady.add(text);
      }
      const metrics = await (await fetch(`${url}metrics`)).text();
      const served = metrics.split('\n').filter((line) => line.startsWith('aicredits_balance_remaining{'));
      expect(served).toHaveLength(count);
      expect(served).toContain(
        `aicredits_balance_remaining{provider="imaginepro",account="account-${count - 1}",unit="points"} ${1000 + count - 1}`,
      );
      const balances = (await (await fetch(`${url}api/balances`)).json()) as BalancesDocument;
      expect(balances.results).toHaveLength(count);
      for (const text of notReady)
        expect(text).toMatch(/^not ready: (starting|publishing: \d+ accounts not served yet)\n$/);
    } finally {
      await serve.close();
      await store.close();
    }
  });
});
