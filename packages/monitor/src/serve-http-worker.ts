// The thread that answers `aicredits serve`'s HTTP requests. The watcher's thread (polls, SQLite
// writes, alert evaluation) posts each account's new state here as it changes; this thread turns
// it into cached metric lines and JSON, so a scrape never waits for the watcher's work, which at
// 10,000 accounts holds its event loop for tens of milliseconds at a time.
import { parentPort, workerData } from 'node:worker_threads';

import type { AccountView } from './account-families.js';
import { createBalancesDocument } from './api-documents.js';
import { type CheckObservation, createPrometheusMetrics } from './prometheus-metrics.js';
import { type HistoryQuery, type ServeServer, startServeServer } from './serve-server.js';

/** What the HTTP thread is started with. */
export interface ServeWorkerSettings {
  host: string | undefined;
  port: number | undefined;
  token: string | undefined;
  version: string;
  processMetrics: boolean | undefined;
  refreshSeconds: number;
  /** The watcher runs on the system clock: dates in documents are read here; else they come with updates. */
  systemClock: boolean;
}

/** From the watcher's thread. */
export type ToServeWorker =
  | {
      type: 'update';
      sequence: number;
      /** The watcher's clock. */
      now: number;
      views: AccountView[];
      checks: CheckObservation[];
      notReady: string | undefined;
    }
  | { type: 'history'; id: number; status: number; document: unknown }
  | { type: 'close' };

/** To the watcher's thread. */
export type FromServeWorker =
  | { type: 'listening'; url: string; port: number }
  | { type: 'failed'; message: string; code: string | undefined }
  | { type: 'applied'; sequence: number }
  | { type: 'history'; id: number; query: HistoryQuery };

const port = parentPort!;
const settings = workerData as ServeWorkerSettings;
const post = (message: FromServeWorker) => port.postMessage(message);

const metrics = createPrometheusMetrics({ version: settings.version, processMetrics: settings.processMetrics });
const balances = createBalancesDocument({ refreshSeconds: settings.refreshSeconds });
let notReady: string | undefined = 'starting';
let watcherNow = Date.now();
const now = () => new Date(settings.systemClock ? Date.now() : watcherNow);

const historyReplies = new Map<number, (reply: { status: number; document: unknown }) => void>();
let nextHistoryId = 0;

// Changed blocks are encoded and deflated after a batch of updates, between requests, not by the
// next scrape, in slices of at most `sliceMs` with a turn of the event loop between them: a
// request that arrives meanwhile waits for one slice, not for all of it (after the first round,
// all of it is every block, ~0.5 s at 10,000 accounts). New accounts put every block after them
// in a new place: while they keep arriving (the first round brings them all), that full rebuild
// starts at most once a second.
const sliceMs = 4;
let rebuildSoon: ReturnType<typeof setImmediate> | undefined;
let rebuildLater: ReturnType<typeof setTimeout> | undefined;
function rebuild() {
  if (rebuildSoon !== undefined) clearImmediate(rebuildSoon);
  if (rebuildLater !== undefined) clearTimeout(rebuildLater);
  rebuildSoon = rebuildLater = undefined;
  const until = performance.now() + sliceMs;
  if (!(metrics.rebuild(until) && balances.rebuild(until))) rebuildSoon = setImmediate(rebuild);
}
function queueRebuild(newAccounts: boolean) {
  if (newAccounts) {
    // A rebuild under way would start again from the first block at its next slice.
    if (rebuildSoon !== undefined) clearImmediate(rebuildSoon);
    rebuildSoon = undefined;
    rebuildLater ??= setTimeout(rebuild, 1000);
  } else if (rebuildLater === undefined) rebuildSoon ??= setImmediate(rebuild);
}

let server: ServeServer | undefined;

port.on('message', (message: ToServeWorker) => {
  switch (message.type) {
    case 'update': {
      watcherNow = message.now;
      for (const check of message.checks) metrics.observeCheck(check);
      const accounts = metrics.accountCount;
      metrics.update(message.views);
      balances.update(message.views, now());
      notReady = message.notReady;
      queueRebuild(metrics.accountCount > accounts);
      post({ type: 'applied', sequence: message.sequence });
      break;
    }
    case 'history': {
      historyReplies.get(message.id)?.({ status: message.status, document: message.document });
      historyReplies.delete(message.id);
      break;
    }
    case 'close': {
      void (async () => {
        if (rebuildSoon !== undefined) clearImmediate(rebuildSoon);
        if (rebuildLater !== undefined) clearTimeout(rebuildLater);
        await server?.close();
        port.close();
      })();
      break;
    }
  }
});

// No top-level await: the CommonJS build runs this file too.
void (async () => {
  try {
    server = await startServeServer({
      host: settings.host,
      port: settings.port,
      token: settings.token,
      source: {
        metricsContentType: metrics.registry.contentType,
        metrics: () => metrics.blocks(),
        balances: () => balances.blocks(now()),
        notReadyReason: () => notReady,
        // The history lives in the watcher's store: the one request that goes to its thread.
        history: (query) =>
          new Promise((resolve) => {
            const id = nextHistoryId++;
            historyReplies.set(id, resolve);
            post({ type: 'history', id, query });
          }),
      },
    });
    post({ type: 'listening', url: server.url, port: server.port });
  } catch (error) {
    post({
      type: 'failed',
      message: error instanceof Error ? error.message : String(error),
      code: (error as NodeJS.ErrnoException).code,
    });
    port.close();
  }
})();
