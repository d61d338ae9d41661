import { type Accounts, type AccountsConfig, createAccounts } from 'aicredits';

import type { AccountView } from './account-families.js';
import type { AlertState } from './alert-state.js';
import { balancesDocument, historyDocument } from './api-documents.js';
import { createWatcher, type Watcher, type WatcherOptions } from './create-watcher.js';
import { parseDuration } from './duration.js';
import { type Forecast, forecastAccount } from './forecast.js';
import { createPrometheusMetrics, type PrometheusMetrics } from './prometheus-metrics.js';
import { accountKey, errorKindOf, type Reading } from './reading.js';
import { type ServeServer, type ServeSource, startServeServer } from './serve-server.js';
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
  readonly metrics: PrometheusMetrics;
  /** Resolves once every account has been checked once (the first round). */
  firstRound(): Promise<void>;
  /** Resolves when no poll, write or forecast is in progress (for tests). */
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
  alerts: AlertState | undefined;
  /** Rebuilt when a field above changes, so the metrics' per-view cache knows what to redo. */
  view: AccountView | undefined;
}

/**
 * `aicredits serve`: the watcher of `aicredits watch` (same schedule, store and alert state) plus an
 * HTTP server with Prometheus metrics, a JSON API and the dashboard. Everything served comes from
 * memory and the store; a request never reaches a provider.
 */
export async function createServe(options: ServeOptions): Promise<Serve> {
  const { store } = options;
  const states = new Map<string, AccountState>();
  const configured = options.accounts.accounts;
  const clock = options.clock ?? systemWatchClock;

  // Accounts by provider and label, so every document and the dashboard list them in one order.
  let ordered: AccountState[] = [];
  const stateOf = (reading: Reading): AccountState => {
    const key = accountKey(reading);
    let state = states.get(key);
    if (state === undefined) {
      state = blankState(reading.provider, reading.account, reading.min);
      states.set(key, state);
      ordered = [...states.values()].sort(
        (a, b) => compareText(a.provider, b.provider) || compareText(a.account, b.account),
      );
    }
    return state;
  };

  const metrics = createPrometheusMetrics({
    accounts: views,
    version: options.version,
    processMetrics: options.processMetrics,
  });

  let storeWritable = true;
  let storeProblem = '';
  const observedStore = new Proxy(store, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (property !== 'append' || typeof value !== 'function') {
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return async (readings: readonly Reading[]) => {
        try {
          await target.append(readings);
          storeWritable = true;
        } catch (error) {
          storeWritable = false;
          storeProblem = `the history store ${target.location} cannot be written`;
          throw error;
        }
      };
    },
  });

  const unitsTotal = configured.length;
  let unitsChecked = 0;
  let resolveFirstRound: () => void = () => {};
  const firstRound = new Promise<void>((resolve) => (resolveFirstRound = resolve));
  if (unitsTotal === 0) resolveFirstRound();
  const build = options.createAccounts ?? createAccounts;

  const watcher = createWatcher({
    ...options,
    store: observedStore,
    // Each account's own facade, timed: the histogram needs durations, and `used` is not in a reading.
    createAccounts(config) {
      const inner = build(config);
      let checked = false;
      return {
        async balances(balanceOptions) {
          const started = performance.now();
          const results = await inner.balances(balanceOptions);
          const durationSeconds = (performance.now() - started) / 1000;
          for (const result of results) {
            metrics.observeCheck({
              provider: result.provider,
              result: result.ok ? 'success' : errorKindOf(result.error),
              durationSeconds,
            });
            if (result.ok) usedSeen.set(`${result.provider}/${result.account}`, result.balance.used);
          }
          if (!checked) {
            checked = true;
            if (++unitsChecked === unitsTotal) resolveFirstRound();
          }
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
      state.view = undefined;
      if (rose || state.forecastAt === undefined || clock.now() - state.forecastAt >= forecastEveryMs) {
        queueForecast(accountKey(reading));
      }
      options.onReading?.(reading);
    },
  });
  const usedSeen = new Map<string, number | undefined>();

  // Forecasts read the account's history from the store: in the background, one account at a
  // time with a turn of the event loop between them (a local SQLite query does not wait on I/O,
  // so a queue of them would otherwise hold off every request), at most every forecastEveryMs
  // per account; a scrape only reads the result.
  const forecastQueue = new Set<string>();
  let forecasting: Promise<void> | undefined;
  function queueForecast(key: string) {
    forecastQueue.add(key);
    forecasting ??= (async () => {
      for (const next of forecastQueue) {
        forecastQueue.delete(next);
        await refreshForecast(next).catch(() => undefined);
        await new Promise((resolve) => setImmediate(resolve));
      }
    })().finally(() => (forecasting = undefined));
  }
  async function refreshForecast(key: string) {
    const state = states.get(key);
    if (state === undefined) return;
    const now = clock.now();
    const history = await ownHistory(state, new Date(now - options.watch.forecastWindowMs));
    // The watcher may not have written the newest reading yet.
    const latest = state.latest;
    if (latest !== undefined && (history.length === 0 || history.at(-1)!.at < latest.at)) history.push(latest);
    state.forecast = forecastAccount(history, new Date(now));
    state.forecastAt = now;
    state.view = undefined;
  }
  async function ownHistory(state: { provider: string; account: string }, since: Date): Promise<Reading[]> {
    const readings = await store.readings({ accounts: [state.account], provider: state.provider, since });
    return readings.filter((reading) => reading.account === state.account && reading.provider === state.provider);
  }

  function views(): AccountView[] {
    const alerts = watcher.snapshot().alerts;
    const result: AccountView[] = [];
    for (const state of ordered) {
      const alert = alerts.get(accountKey(state));
      if (alert !== state.alerts) {
        state.alerts = alert;
        state.view = undefined;
      }
      state.view ??= {
        provider: state.provider,
        account: state.account,
        min: state.min,
        latest: state.latest,
        lastSuccess: state.lastSuccess,
        used: state.used,
        forecast: state.forecast,
        alerts: state.alerts,
      };
      result.push(state.view);
    }
    return result;
  }

  const source: ServeSource = {
    balances: () => balancesDocument(views(), new Date(clock.now()), options.refreshSeconds ?? 30),
    async history({ provider, account, since }) {
      const matches = [...states.values()].filter(
        (state) => state.account === account && (provider === undefined || state.provider === provider),
      );
      if (matches.length === 0) return undefined;
      const state = matches[0]!;
      return historyDocument(state, since, await ownHistory(state, since), options.historyLimit ?? 5000);
    },
    async notReadyReason() {
      if (unitsChecked < unitsTotal) return `first round: ${unitsChecked} of ${unitsTotal} accounts checked`;
      if (!storeWritable) return storeProblem;
      return undefined;
    },
  };

  const server = await startServeServer({
    source,
    metrics,
    host: options.host,
    port: options.port,
    token: options.token,
    parseDuration,
    now: () => new Date(clock.now()),
  });
  watcher.start();

  return {
    server,
    watcher,
    metrics,
    firstRound: () => firstRound,
    async idle() {
      do {
        await watcher.idle();
        await forecasting;
      } while (forecasting !== undefined);
    },
    async close() {
      await watcher.stop();
      await forecasting;
      await server.close();
    },
  };
}

/** A forecast changes slowly: recomputed at most this often per account, unless the balance rose. */
const forecastEveryMs = 15 * 60_000;

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

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
    alerts: undefined,
    view: undefined,
  };
}
