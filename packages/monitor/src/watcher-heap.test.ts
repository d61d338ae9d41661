import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { afterEach, describe, expect, it } from 'vitest';

import { createStore } from './create-store.js';
import { createWatcher, type Watcher } from './create-watcher.js';
import { createManualClock } from './manual-clock.js';
import { useTemporaryDirectory } from './testing/temporary-directory.js';
import { parseWatchConfig } from './watch-config.js';

// What a watched account keeps alive decides the monitor's RSS at 10,000 accounts: V8 lets the old
// generation grow to several times what is live at its first full collection. A facade (and its
// provider registry) kept per account was ~600 B of heap each; a poll makes its facade instead.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const directories = useTemporaryDirectory();
const stores: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

function heapUsed(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe('watcher heap', () => {
  it('keeps under 300 bytes of heap per watched account beyond its config (no facade per account)', async () => {
    const count = 2_000;
    const directory = await directories.create();
    const watch = parseWatchConfig(
      { watch: { store: directory.fileUrl('history.db') } },
      { file: 'test.json', cwd: directory.path, environment: {}, accountCount: count },
    );
    const store = await createStore({ url: watch.storeUrl });
    stores.push(store);
    const accounts = {
      accounts: Array.from({ length: count }, (_, index) => ({
        provider: 'imaginepro' as const,
        label: `account-${index}`,
        apiKey: `key-of-account-${index}`,
        // Never asked: the watchers are made, not started.
        baseURL: 'http://127.0.0.1:9',
        min: 10,
      })),
    };
    const make = () => createWatcher({ accounts, watch, store, clock: createManualClock() });
    // Once first, so that compiled code and the shared registry are not counted.
    make();
    const before = heapUsed();
    const watchers: Watcher[] = [make(), make(), make()];
    const perAccount = (heapUsed() - before) / (watchers.length * count);
    expect(perAccount).toBeLessThan(300);
  });
});
