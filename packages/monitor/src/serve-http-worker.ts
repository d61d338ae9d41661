// The thread that answers `aicredits serve`'s HTTP requests. The watcher's thread (polls, SQLite
// writes, alert evaluation) posts the new state of the accounts that changed here, at most once a
// second; this thread turns it into cached metric lines and JSON, so a scrape never waits for the
// watcher's work, which at 10,000 accounts holds its event loop for tens of milliseconds at a time.
import { parentPort, workerData } from 'node:worker_threads';

import type { AccountView } from './account-families.js';
import { createBalancesDocument } from './api-documents.js';
import { type CheckObservation, createPrometheusMetrics } from './prometheus-metrics.js';
import { accountKey } from './reading.js';
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
      /** Why serve is not ready once this update is served, `undefined` for ready. */
      notReady: string | undefined;
    }
  | { type: 'history'; id: number; status: number; document: unknown }
  | { type: 'close' };

/** To the watcher's thread. */
export type FromServeWorker =
  | { type: 'listening'; url: string; port: number }
  | { type: 'failed'; message: string; code: string | undefined }
  /** Every update up to `sequence` is in the documents served now. */
  | { type: 'applied'; sequence: number }
  | { type: 'history'; id: number; query: HistoryQuery };

const port = parentPort!;
const settings = workerData as ServeWorkerSettings;
const post = (message: FromServeWorker) => port.postMessage(message);

const metrics = createPrometheusMetrics({ version: settings.version, processMetrics: settings.processMetrics });
const balances = createBalancesDocument({ refreshSeconds: settings.refreshSeconds });
// What /readyz answers changes with the documents it vouches for: an update's readiness takes
// effect when its views are published, not when it arrives, so that a ready answer is never
// followed by a scrape without the accounts that made it ready.
let notReady: string | undefined = 'starting';
let notReadyReceived: string | undefined = 'starting';
let watcherNow = Date.now();
const now = () => new Date(settings.systemClock ? Date.now() : watcherNow);

const historyReplies = new Map<number, (reply: { status: number; document: unknown }) => void>();
let nextHistoryId = 0;

// Each batch of updates (the watcher's thread sends at most one a second) is rendered, encoded and
// deflated here, between requests, in slices of at most `sliceMs` with a turn of the event loop
// between them: a request that arrives meanwhile waits for one slice at most, and is answered from
// the snapshot the previous batch published (a request never builds anything; after a restart a
// batch can hold every account, ~0.5 s of work at 10,000). Once every changed block is built,
// every document is published at once and the watcher's thread is told which batch it serves.
const sliceMs = 4;
/** Views received and not rendered yet, by account (a newer one replaces an older one). */
const waiting = new Map<string, AccountView>();
let rebuildSoon: ReturnType<typeof setImmediate> | undefined;
let received = 0;
let served = 0;
function rebuild() {
  rebuildSoon = undefined;
  const until = performance.now() + sliceMs;
  for (const [key, view] of waiting) {
    waiting.delete(key);
    metrics.update([view]);
    balances.update([view], now());
    if (performance.now() > until) break;
  }
  if (waiting.size > 0 || !(metrics.rebuild(until) && balances.rebuild(until))) {
    rebuildSoon = setImmediate(rebuild);
    return;
  }
  notReady = notReadyReceived;
  if (served < received) post({ type: 'applied', sequence: (served = received) });
}
function queueRebuild() {
  rebuildSoon ??= setImmediate(rebuild);
}

let server: ServeServer | undefined;

port.on('message', (message: ToServeWorker) => {
  switch (message.type) {
    case 'update': {
      watcherNow = message.now;
      for (const check of message.checks) metrics.observeCheck(check);
      for (const view of message.views) waiting.set(accountKey(view), view);
      notReadyReceived = message.notReady;
      received = message.sequence;
      queueRebuild();
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
        balances: () => {
          // A forecast's text that changed with the date alone ("ran out") is in the next snapshot.
          for (const view of balances.due(now()))
            if (!waiting.has(accountKey(view))) waiting.set(accountKey(view), view);
          if (waiting.size > 0) queueRebuild();
          return balances.blocks();
        },
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
