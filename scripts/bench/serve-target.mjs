// The `aicredits serve` a benchmark measures, in its own process: createServe from the built
// @aicredits/monitor with N accounts, a real SQLite history in a temporary directory, and a facade
// stub that answers at once (so the numbers are serve's, not a provider's), polling every minute
// so that readings keep changing while the parent scrapes. Sends `{ url }` when listening.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

import { createServe, createStore, parseWatchConfig } from '@aicredits/monitor';

import { serveSubjectId } from './lib/subject.mjs';

const { values } = parseArgs({ options: { accounts: { type: 'string' } } });
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
  { watch: { interval: '1m', jitter: '10s', store: storeUrl } },
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
});
process.once('disconnect', () => void stop());
