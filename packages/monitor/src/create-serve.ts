import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

import { type AccountConfig, type Accounts, type AccountsConfig, createAccounts } from 'aicredits';

import type { AccountView } from './account-families.js';
import type { AlertState } from './alert-state.js';
import { historyDocument } from './api-documents.js';
import { createWatcher, type Watcher, type WatcherOptions } from './create-watcher.js';
import { parseDuration } from './duration.js';
import { type Forecast, forecastAccount } from './forecast.js';
import type { CheckObservation } from './prometheus-metrics.js';
import { accountKey, errorKindOf, type Reading } from './reading.js';
import type { FromServeWorker, ServeWorkerSettings, ToServeWorker } from './serve-http-worker.js';
import { type HistoryQuery, parseSince, type ServeServer } from './serve-server.js';
import type { Store } from './store.js';
import { systemWatchClock } from './watch-clock.js';

export interface ServeOptions extends Omit<WatcherOptions, 'store' | 'createAccounts'> {
  store: Store;
  /** Default `127.0.0.1`. */
  host?: string | undefined;
  /** Default 0: any free port. */
  port?: number | undefined;
  /** Required on every path but `/healthz` when set. */
  token?: string | undefined;
  /** Reported by `aicredits_build_info`. */
  version: string;
  /** The dashboard's auto-refresh; default 30 s. */
  refreshSeconds?: number | undefined;
  /** Most readings `/api/history` returns (the newest); default 5,000. */
  historyLimit?: number | undefined;
  /** Replaces the facade per account (benchmarks); gets one account's config. */
  createAccounts?: ((config: AccountsConfig) => Accounts) | undefined;
  /** Node's process metrics in /metrics; default true. */
  processMetrics?: boolean | undefined;
}

export interface Serve {
  readonly server: ServeServer;
  readonly watcher: Watcher;
  /** Resolves once every account has been checked once (the first round). */
  firstRound(): Promise<void>;
  /** Resolves when no poll, write or forecast is in progress and the HTTP thread has all of it (for tests). */
  idle(): Promise<void>;
  /** Stops polling (finishing in-flight checks, writing readings), then the HTTP server. */
  close(): Promise<void>;
}

interface AccountState {
  provider: string;
  account: string;
  min: number | undefined;
  latest: Reading | undefined;
  lastSuccess: Reading | undefined;
  used: number | undefined;
  forecast: Forecast | undefined;
  /** When `forecast` was computed (clock ms). */
  forecastAt: number | undefined;
}

/**
 * `aicredits serve`: the watcher of `aicredits watch` (same schedule, store and alert state) plus an
 * HTTP server with Prometheus metrics, a JSON API and the dashboard. Everything served comes from
 * memory and the store; a request never reaches a provider.
 *
 * The HTTP server runs on a worker thread of its own: this thread posts the new state of each
 * account that changed (a reading, a forecast, an alert) to it, together at most once every
 * `postEveryMs`, and it keeps the documents rendered, so a scrape neither waits for nor slows down
 * the watcher. A scrape therefore reads the latest readings as of at most about a second ago (the
 * batch, plus the HTTP thread's time to encode it). At start, the newest stored reading and the
 * alert state of every configured account are posted before the first poll: after a restart the
 * last known balances are served at once.
 */
export async function createServe(options: ServeOptions): Promise<Serve> {
  const { store } = options;
  const states = new Map<string, AccountState>();
  const configured = options.accounts.accounts;
  const clock = options.clock ?? systemWatchClock;

  // What the HTTP thread has not been told yet, posted together: the first change after a quiet
  // spell at once, then at most once every postEveryMs, so that at 300 readings a second the HTTP
  // thread encodes each changed block once a second instead of once per reading.
  const changed = new Set<AccountState>();
  /** Accounts the HTTP thread has never been sent: while there are any, serve is not ready. */
  const unposted = new Set<AccountState>();
  let checks: CheckObservation[] = [];
  let cancelFlush: (() => void) | undefined;
  let flushedAt = Number.NEGATIVE_INFINITY;
  let sequence = 0;
  let applied = 0;
  let appliedWaiters: { sequence: number; resolve: () => void }[] = [];
  let worker: Worker | undefined;

  const alerts = new Map<string, AlertState>();
  // Which configured accounts have something to show: checked by this process, or restored from the history.
  const shown = configured.map(() => ({ checked: false, restored: false }));
  let unitsShown = 0;
  let unitsChecked = 0;
  let storeWritable = true;
  let storeProblem = '';
  let started = false;

  const stateOf = (reading: { provider: string; account: string; min: number | undefined }): AccountState => {
    const key = accountKey(reading);
    let state = states.get(key);
    if (state === undefined) {
      state = blankState(reading.provider, reading.account, reading.min);
      states.set(key, state);
      unposted.add(state);
    }
    return state;
  };
  const touch = (state: AccountState) => {
    changed.add(state);
    queueFlush();
  };

  function notReadyReason(): string | undefined {
    if (unitsShown < shown.length) {
      const restored = unitsShown - unitsChecked;
      return (
        `first round: ${unitsChecked} of ${shown.length} accounts checked` +
        (restored > 0 ? `, ${restored} more with a reading restored from the history` : '')
      );
    }
    if (!storeWritable) return storeProblem;
    return undefined;
  }
  const markShown = (unit: number, how: 'checked' | 'restored') => {
    const account = shown[unit]!;
    if (account[how]) return;
    if (!account.checked && !account.restored) unitsShown++;
    if (how === 'checked') unitsChecked++;
    account[how] = true;
  };

  function queueFlush() {
    if (!started || cancelFlush !== undefined) return;
    cancelFlush = clock.setTimer(flush, Math.max(0, flushedAt + postEveryMs - clock.now()));
  }
  function flush() {
    cancelFlush?.();
    cancelFlush = undefined;
    flushedAt = clock.now();
    const views: AccountView[] = [];
    for (const state of changed) {
      changed.delete(state);
      views.push(viewOf(state));
      unposted.delete(state);
      if (views.length === viewsPerMessage) break;
    }
    const posted = checks;
    checks = [];
    // Not ready while an account with a reading has never been posted (the rest of a large first
    // batch): the HTTP thread has nothing of it to serve yet.
    const notReady =
      notReadyReason() ?? (unposted.size > 0 ? `publishing: ${unposted.size} accounts not served yet` : undefined);
    post({ type: 'update', sequence: ++sequence, now: clock.now(), views, checks: posted, notReady });
    // The rest of a large batch (after a restart, every account's forecast) on the next turns of
    // the loop: the HTTP thread reads a message whole before it can answer the next request.
    if (changed.size > 0) cancelFlush = immediateCanceller(setImmediate(flush));
  }
  function post(message: ToServeWorker) {
    worker?.postMessage(message);
  }
  /** Posts what is waiting now, and resolves once the HTTP thread serves everything posted. */
  function synced(): Promise<void> {
    while (cancelFlush !== undefined || changed.size > 0 || checks.length > 0) flush();
    return served(sequence);
  }
  /** Resolves once the HTTP thread serves every update up to `upTo`. */
  function served(upTo: number): Promise<void> {
    if (applied >= upTo || worker === undefined) return Promise.resolve();
    return new Promise((resolve) => appliedWaiters.push({ sequence: upTo, resolve }));
  }

  function viewOf(state: AccountState): AccountView {
    return {
      provider: state.provider,
      account: state.account,
      min: state.min,
      latest: state.latest,
      lastSuccess: state.lastSuccess,
      used: state.used,
      forecast: state.forecast,
      alerts: alerts.get(accountKey(state)),
    };
  }

  // Alert states as the watcher commits them (it changes them only once stored).
  const observedStore = new Proxy(store, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (property === 'append' && typeof value === 'function') {
        return async (readings: readonly Reading[]) => {
          try {
            await target.append(readings);
            storeWritable = true;
          } catch (error) {
            storeWritable = false;
            storeProblem = `the history store ${target.location} cannot be written`;
            throw error;
          } finally {
            queueFlush();
          }
        };
      }
      if (property === 'commitAlerts' && typeof value === 'function') {
        return async (commit: Parameters<Store['commitAlerts']>[0]) => {
          await target.commitAlerts(commit);
          for (const { key, state } of commit.states) {
            alerts.set(key, state as AlertState);
            const account = states.get(key);
            if (account !== undefined) touch(account);
          }
        };
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });

  const unitOf = new Map<AccountConfig, number>(configured.map((account, index) => [account, index]));
  let resolveFirstRound: () => void = () => {};
  const firstRound = new Promise<void>((resolve) => (resolveFirstRound = resolve));
  const checkFirstRound = () => {
    if (unitsChecked === shown.length) resolveFirstRound();
  };
  checkFirstRound();
  const build = options.createAccounts ?? createAccounts;

  const watcher = createWatcher({
    ...options,
    store: observedStore,
    // Each poll's facade (of its one account), timed: the histogram needs durations, and `used` is not in a reading.
    createAccounts(config) {
      const inner = build(config);
      const unit = unitOf.get(config.accounts[0]!);
      return {
        async balances(balanceOptions) {
          const startedAt = performance.now();
          const results = await inner.balances(balanceOptions);
          const durationSeconds = (performance.now() - startedAt) / 1000;
          for (const result of results) {
            checks.push({
              provider: result.provider,
              result: result.ok ? 'success' : errorKindOf(result.error),
              durationSeconds,
            });
            if (result.ok) usedSeen.set(`${result.provider}/${result.account}`, result.balance.used);
          }
          if (unit !== undefined) {
            markShown(unit, 'checked');
            checkFirstRound();
          }
          queueFlush();
          return results;
        },
      };
    },
    onReading(reading) {
      const state = stateOf(reading);
      // A rise (a top-up, a reset) starts a new segment: forecast at once rather than when due.
      const before = state.lastSuccess?.remaining;
      const rose = reading.ok && before !== undefined && reading.remaining !== undefined && reading.remaining > before;
      state.latest = reading;
      if (reading.ok) {
        state.lastSuccess = reading;
        state.used = usedSeen.get(accountKey(reading));
      }
      state.min = reading.min;
      touch(state);
      if (rose || state.forecastAt === undefined || clock.now() - state.forecastAt >= forecastEveryMs) {
        queueForecast(accountKey(reading));
      }
      options.onReading?.(reading);
    },
  });
  const usedSeen = new Map<string, number | undefined>();

  // Forecasts read the accounts' history from the store in the background, a few hundred
  // accounts per query (after a restart every account is due at once: one query each kept this
  // thread busy for seconds at 10,000 accounts), with a pause after each batch so that they take
  // about a fifth of this thread at most (a local SQLite query does not wait on I/O, so a queue of
  // them would otherwise hold off the watcher), at most every forecastEveryMs per account; a
  // scrape only reads the result.
  const forecastQueue = new Set<string>();
  let forecasting: Promise<void> | undefined;
  function queueForecast(key: string) {
    forecastQueue.add(key);
    forecasting ??= (async () => {
      while (forecastQueue.size > 0) {
        const batch: AccountState[] = [];
        for (const key of forecastQueue) {
          forecastQueue.delete(key);
          const state = states.get(key);
          if (state !== undefined) batch.push(state);
          if (batch.length === forecastAccountsAtOnce) break;
        }
        const startedAt = performance.now();
        await refreshForecasts(batch).catch(() => undefined);
        if (forecastQueue.size === 0) break;
        const pauseMs = Math.min(1000, (performance.now() - startedAt) * forecastPauseFactor);
        await new Promise((resolve) => setTimeout(resolve, pauseMs));
      }
    })().finally(() => (forecasting = undefined));
  }
  async function refreshForecasts(batch: readonly AccountState[]) {
    if (batch.length === 0) return;
    const now = clock.now();
    const histories = await store.readingsOf(batch, new Date(now - options.watch.forecastWindowMs));
    for (const state of batch) {
      const history = histories.get(accountKey(state)) ?? [];
      // The watcher may not have written the newest reading yet.
      const latest = state.latest;
      if (latest !== undefined && (history.length === 0 || history.at(-1)!.at < latest.at)) history.push(latest);
      state.forecast = forecastAccount(history, new Date(now));
      state.forecastAt = now;
      touch(state);
    }
  }
  async function ownHistory(state: { provider: string; account: string }, since: Date): Promise<Reading[]> {
    const readings = await store.readings({ accounts: [state.account], provider: state.provider, since });
    return readings.filter((reading) => reading.account === state.account && reading.provider === state.provider);
  }

  async function history(query: HistoryQuery): Promise<{ status: number; document: unknown }> {
    const { account, provider } = query;
    if (account === undefined || account === '') return { status: 400, document: { error: 'account is required' } };
    const since = parseSince(query.since ?? '7d', new Date(clock.now()), parseDuration);
    if (since === undefined) {
      return { status: 400, document: { error: 'since: expected a duration like 7d or an ISO 8601 date' } };
    }
    const state = [...states.values()].find(
      (candidate) => candidate.account === account && (provider === undefined || candidate.provider === provider),
    );
    if (state === undefined) return { status: 404, document: { error: 'no such account' } };
    const document = historyDocument(state, since, await ownHistory(state, since), options.historyLimit ?? 5000);
    return { status: 200, document };
  }

  // After a restart: the newest stored reading of every configured account, its last success and
  // its alert state, before anything is polled; forecasts follow in the background.
  for (const [key, state] of await store.alertStates()) alerts.set(key, state as AlertState);
  const unitsOf = configuredIndex(configured);
  for (const reading of await store.latest()) {
    const units = unitsOf(reading);
    if (units.length === 0) continue;
    for (const unit of units) markShown(unit, 'restored');
    const state = stateOf(reading);
    state.latest = reading;
    state.lastSuccess = reading.ok ? reading : lastSuccessOf(await ownHistory(state, new Date(0)));
  }
  // The first few hundred restored accounts' forecasts (one query) go into the first document, so a
  // restart of a small setup serves them at once; the others follow in the background.
  await refreshForecasts([...states.values()].slice(0, forecastAccountsAtOnce)).catch(() => undefined);

  const settings: ServeWorkerSettings = {
    host: options.host,
    port: options.port,
    token: options.token,
    version: options.version,
    processMetrics: options.processMetrics,
    refreshSeconds: options.refreshSeconds ?? 30,
    systemClock: clock === systemWatchClock,
  };
  const http = new Worker(serveWorkerEntry(), { workerData: settings });
  const exited = new Promise<void>((resolve) => http.once('exit', () => resolve()));
  const server = await new Promise<ServeServer>((resolve, reject) => {
    http.once('error', reject);
    http.on('message', (message: FromServeWorker) => {
      switch (message.type) {
        case 'listening': {
          http.off('error', reject);
          resolve({
            url: message.url,
            port: message.port,
            close: async () => {
              http.postMessage({ type: 'close' } satisfies ToServeWorker);
              await exited;
            },
          });
          break;
        }
        case 'failed':
          reject(Object.assign(new Error(message.message), { code: message.code }));
          break;
        case 'applied': {
          applied = message.sequence;
          const [done, waiting] = partition(appliedWaiters, (waiter) => waiter.sequence <= applied);
          appliedWaiters = waiting;
          for (const waiter of done) waiter.resolve();
          break;
        }
        case 'history':
          void history(message.query)
            .catch(() => ({ status: 500, document: { error: 'the history could not be read' } }))
            .then((reply) => http.postMessage({ type: 'history', id: message.id, ...reply } satisfies ToServeWorker));
          break;
      }
    });
  }).catch(async (error: unknown) => {
    await http.terminate();
    throw error;
  });
  http.on('error', (error) => options.onError?.(new Error(`the HTTP server stopped: ${error.message}`)));
  worker = http;
  started = true;
  for (const state of states.values()) {
    touch(state);
    if (state.forecastAt === undefined) queueForecast(accountKey(state));
  }
  flush();
  // Started once the first update is served (the first few hundred restored accounts, or nothing
  // yet): from then on /readyz answers why it is not ready, never "starting".
  await Promise.race([served(sequence), exited]);
  watcher.start();

  return {
    server,
    watcher,
    firstRound: () => firstRound,
    async idle() {
      do {
        await watcher.idle();
        await forecasting;
        await synced();
      } while (forecasting !== undefined || changed.size > 0);
    },
    async close() {
      await watcher.stop();
      await forecasting;
      await synced();
      started = false;
      await server.close();
    },
  };
}

/** The HTTP thread's file beside this one (`.js`, `.cjs`); from the sources (tests), through a TypeScript loader. */
function serveWorkerEntry(): URL {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return new URL('./testing/serve-worker-from-source.mjs', here);
  return new URL(`./serve-http-worker${path.extname(fileURLToPath(here))}`, here);
}

/**
 * The configured accounts a stored reading is one of: its provider's accounts without a label, and
 * those labelled as its account or as a part of it before a `/` (an account found under a label).
 * Looked up by label, not by scanning every configured account per reading (10,000 × 10,000).
 */
function configuredIndex(configured: readonly AccountConfig[]): (reading: Reading) => number[] {
  const byProvider = new Map<string, { unlabelled: number[]; byLabel: Map<string, number[]> }>();
  configured.forEach((account, index) => {
    let provider = byProvider.get(account.provider);
    if (provider === undefined) byProvider.set(account.provider, (provider = { unlabelled: [], byLabel: new Map() }));
    if (account.label === undefined) provider.unlabelled.push(index);
    else provider.byLabel.set(account.label, [...(provider.byLabel.get(account.label) ?? []), index]);
  });
  return (reading) => {
    const provider = byProvider.get(reading.provider);
    if (provider === undefined) return [];
    const units = [...provider.unlabelled, ...(provider.byLabel.get(reading.account) ?? [])];
    for (let slash = reading.account.indexOf('/'); slash !== -1; slash = reading.account.indexOf('/', slash + 1)) {
      units.push(...(provider.byLabel.get(reading.account.slice(0, slash)) ?? []));
    }
    return units.sort((a, b) => a - b);
  };
}

function lastSuccessOf(readings: readonly Reading[]): Reading | undefined {
  for (let index = readings.length - 1; index >= 0; index--) if (readings[index]!.ok) return readings[index];
  return undefined;
}

function partition<T>(items: readonly T[], test: (item: T) => boolean): [T[], T[]] {
  const yes: T[] = [];
  const no: T[] = [];
  for (const item of items) (test(item) ? yes : no).push(item);
  return [yes, no];
}

/** A forecast changes slowly: recomputed at most this often per account, unless the balance rose. */
const forecastEveryMs = 15 * 60_000;
/** Accounts whose history one forecast query reads at most (as the watcher's depletion rules do). */
const forecastAccountsAtOnce = 200;
/** After a batch of forecasts, a pause this many times as long as the batch took: a fifth of the thread at most. */
const forecastPauseFactor = 4;
/** The HTTP thread gets the accounts' new states at most this often (the documents' staleness). */
export const postEveryMs = 1000;
/** Views per message to the HTTP thread at most (~1.5 KB each). */
const viewsPerMessage = 500;

const immediateCanceller = (immediate: ReturnType<typeof setImmediate>) => () => clearImmediate(immediate);

function blankState(provider: string, account: string, min: number | undefined): AccountState {
  return {
    provider,
    account,
    min,
    latest: undefined,
    lastSuccess: undefined,
    used: undefined,
    forecast: undefined,
    forecastAt: undefined,
  };
}
