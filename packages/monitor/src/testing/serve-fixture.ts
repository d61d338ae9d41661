import { type MockServers, startMockServers } from '@aicredits/mock';
import type { AccountsConfig } from 'aicredits';

import { createServe, type Serve, type ServeOptions } from '../create-serve.js';
import { createStore } from '../create-store.js';
import { createManualClock, type ManualClock } from '../manual-clock.js';
import type { Store } from '../store.js';
import { parseWatchConfig } from '../watch-config.js';

/** The balances the embedded mock servers answer with (their specs' examples). */
export const mockRemaining = { crowdcomputed: 0, imaginepro: 2600, iqqz: 2.5, pixverse: 5650 } as const;

export interface ServeFixture {
  serve: Serve;
  store: Store;
  clock: ManualClock;
  /** Runs the watcher's due polls at the current simulated time and waits for their writes. */
  poll(afterMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * `createServe` over the mock servers (one account per provider, `min` 100), a real SQLite file in
 * `directory` and a manual clock: nothing polls until `poll()`.
 */
export async function startServeOverMocks(
  servers: MockServers,
  storeUrl: string,
  overrides: Partial<ServeOptions> = {},
  setup: {
    /** Account labels by provider (default `default`). */
    labels?: Partial<Record<keyof typeof mockRemaining, string>>;
    /** Runs on the store before serve starts, e.g. to write older readings. */
    seed?: (store: Store) => Promise<void>;
  } = {},
): Promise<ServeFixture> {
  const clock = createManualClock();
  const store = await createStore({ url: storeUrl });
  await setup.seed?.(store);
  const accounts: AccountsConfig = {
    min: 100,
    accounts: (Object.keys(mockRemaining) as (keyof typeof mockRemaining)[]).map((provider) => ({
      provider,
      label: setup.labels?.[provider],
      apiKey: `serve-test-key-${provider}`,
      baseURL: servers.urls[provider],
    })),
  };
  const watch = parseWatchConfig(
    { watch: { interval: '5m', jitter: '0s', store: storeUrl } },
    { file: 'test', cwd: process.cwd(), environment: {}, accountCount: accounts.accounts.length },
  );
  const serve = await createServe({ accounts, watch, store, clock, version: '0.0.0-test', ...overrides });
  return {
    serve,
    store,
    clock,
    poll: (afterMs = 0) => clock.advance(afterMs, () => serve.idle()),
    async close() {
      await serve.close();
      await store.close();
    },
  };
}

export { startMockServers };
