// The `aicredits serve` a benchmark measures, in its own process: createServe from the built
// @aicredits/monitor with N accounts, a real SQLite history in a temporary directory, and a facade
// stub that answers at once (so the numbers are serve's, not a provider's), polling every
// `--interval` (default 1m) with `--jitter` (default 30s). The history starts as a previous run
// left it (each account's reading of a minute ago): serve is ready at once, and its first round
// (every account polled once, spread over the jitter: ~333 polls a second at 10,000 accounts over
// 30 s, ~33 over 5 minutes, the rate of a steady 5-minute interval) runs while the parent scrapes,
// as after a restart. Sends `{ url }` when listening.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

import { createServe, createStore, parseWatchConfig, readingFromResult } from '@aicredits/monitor';

import { serveSubjectId } from './lib/subject.mjs';

const { values } = parseArgs({
  options: { accounts: { type: 'string' }, interval: { type: 'string' }, jitter: { type: 'string' } },
});
const count = Number(values.accounts);
const directory = await mkdtemp(join(tmpdir(), 'aicredits-bench-serve-'));
const storeUrl = pathToFileURL(join(directory, 'history.db')).href;
const store = await createStore({ url: storeUrl });
const accounts = {
  min: 100,
  accounts: Array.from({ length: count }, (_, index) => ({
    provider: serveSubjectId,
    label: `account-${index}`,
    apiKey: 'bench-key',
    baseURL: 'http://127.0.0.1:9',
  })),
};
const watch = parseWatchConfig(
  { watch: { interval: values.interval ?? '1m', jitter: values.jitter ?? '30s', store: storeUrl } },
  { file: 'bench', cwd: process.cwd(), environment: {}, accountCount: count },
);
let calls = 0;
const stub = (config) => ({
  async balances() {
    const account = config.accounts[0];
    const fetchedAt = new Date();
    const remaining = 5000 - (calls++ % 1000);
    return [
      {
        ok: true,
        provider: account.provider,
        account: account.label,
        min: 100,
        low: false,
        balance: {
          provider: account.provider,
          account: account.label,
          plan: 'Pro',
          unit: 'USD',
          remaining,
          limit: 10_000,
          used: 10_000 - remaining,
          unlimited: false,
          parts: [
            { name: 'monthly', remaining: remaining - 1000, limit: 8000, resetsAt: new Date(Date.now() + 86_400_000) },
            { name: 'extra', remaining: 1000 },
          ],
          renewsAt: new Date(Date.now() + 20 * 86_400_000),
          expiresAt: undefined,
          status: 'active',
          notes: [],
          fetchedAt,
          raw: null,
        },
      },
    ];
  },
});
const seededAt = new Date(Date.now() - 60_000);
const seed = [];
for (const account of accounts.accounts) {
  for (const result of await stub({ accounts: [account] }).balances()) seed.push(readingFromResult(result, seededAt));
}
await store.append(seed);
const seeded = calls;
const serve = await createServe({ accounts, watch, store, version: 'bench', createAccounts: stub, port: 0 });
process.send({ url: serve.server.url });
const stop = async () => {
  await serve.close();
  await store.close();
  await rm(directory, { recursive: true, force: true });
  process.exit(0);
};
process.on('message', (message) => {
  if (message?.type === 'stop') void stop();
  // How many checks serve has made: the parent's proof that polling went on while it scraped.
  if (message?.type === 'polls') process.send({ polls: calls - seeded });
});
process.once('disconnect', () => void stop());
