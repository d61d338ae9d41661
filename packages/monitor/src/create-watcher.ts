import { type AccountConfig, type Accounts, type AccountsConfig, createAccounts, redactSecrets } from 'aicredits';

import { type AlertEvent, type AlertState, emptyAlertState, nextAlertState } from './alert-state.js';
import { forecastAccount } from './forecast.js';
import { limitConcurrency } from './limit-concurrency.js';
import { buildNotification } from './notification.js';
import type { Notifier } from './notifiers.js';
import { accountKey, isPermanentFailure, type Reading, readingFromResult, withoutSecrets } from './reading.js';
import type { Store } from './store.js';
import { systemWatchClock, type WatchClock } from './watch-clock.js';
import type { AccountWatchSettings, WatchConfig } from './watch-config.js';

export interface WatcherOptions {
  /** The facade's config: the accounts to watch, concurrency, time budget, client settings. */
  accounts: AccountsConfig;
  watch: WatchConfig;
  store: Store;
  notifiers?: readonly Notifier[] | undefined;
  clock?: WatchClock | undefined;
  /**
   * Strings that must never reach a reading, a notification or an error besides the accounts' own
   * API keys (which are always removed): webhook URLs, secrets, tokens.
   */
  secrets?: readonly string[] | undefined;
  /** Each reading as it is taken. */
  onReading?: ((reading: Reading) => void) | undefined;
  /** Problems that do not stop watching: a store that cannot be written, a notifier that fails. */
  onError?: ((error: Error) => void) | undefined;
  /** Each delivery attempt. */
  onDelivery?: ((delivery: { notifier: string; ok: boolean; attempts: number; error?: string }) => void) | undefined;
  /** Replaces the facade per account, e.g. for benchmarks; gets the one account's config. */
  createAccounts?: ((config: AccountsConfig) => Accounts) | undefined;
}

export interface Watcher {
  /** Starts polling on the schedule; the first round starts at once, spread over the jitter. */
  start(): void;
  /** One check of every account, then writes, alerts and deliveries; resolves with the readings. */
  runOnce(): Promise<Reading[]>;
  /** Resolves when no poll, write or delivery is in progress (for tests and shutdown). */
  idle(): Promise<void>;
  /**
   * Stops scheduling, lets in-flight polls finish for up to `graceMs` (default 10 s), abandons the
   * rest, then writes every reading taken and tries the due notifications once more.
   */
  stop(options?: { graceMs?: number | undefined }): Promise<void>;
  /** Each account's newest reading and alert state, for status pages. */
  snapshot(): { readings: Reading[]; alerts: Map<string, AlertState>; pendingReadings: number };
}

interface Unit {
  account: AccountConfig;
  settings: AccountWatchSettings;
  accounts: Accounts;
  nextDueAt: number;
  inFlight: boolean;
  failures: number;
  controller: AbortController | undefined;
}

/** Readings kept in memory while the store cannot be written; beyond this the oldest are dropped, loudly. */
const maxPendingReadings = 200_000;
/** Polls due within this much of a timer are started together, so a spread-out round costs few wake-ups. */
const coalesceMs = 1000;
const storeRetryMs = 30_000;
const pruneEveryMs = 6 * 3_600_000;
const maxBackoffMs = 3_600_000;
const deliveryTimeoutMs = 15_000;

export function createWatcher(options: WatcherOptions): Watcher {
  const clock = options.clock ?? systemWatchClock;
  const { store, watch } = options;
  const notifiers = new Map((options.notifiers ?? []).map((notifier) => [notifier.name, notifier]));
  // Only the few secrets every message must lose (webhook URLs, tokens): each account's key is
  // removed from its own readings as they are taken, so no step scans every text for 10,000 keys.
  const secrets = options.secrets ?? [];
  const report = (error: unknown) =>
    options.onError?.(new Error(redactSecrets(error instanceof Error ? error.message : String(error), secrets)));
  const build = options.createAccounts ?? createAccounts;
  const limit = limitConcurrency(options.accounts.concurrency ?? 8);
  const units: Unit[] = options.accounts.accounts.map((account, index) => ({
    account,
    settings: watch.accounts[index] ?? { intervalMs: watch.intervalMs, alerts: watch.alerts },
    // One facade per account: each polls on its own schedule; the shared limiter caps them all.
    accounts: build({ ...options.accounts, accounts: [account], concurrency: options.accounts.concurrency }),
    nextDueAt: 0,
    inFlight: false,
    failures: 0,
    controller: undefined,
  }));
  const rulesFor = new Map<string, AccountWatchSettings['alerts']>();

  let running = false;
  let stopping = false;
  let cancelTimer: (() => void) | undefined;
  let timerAt = Number.POSITIVE_INFINITY;
  let cancelStoreRetry: (() => void) | undefined;
  let cancelDeliveryTimer: (() => void) | undefined;
  let deliveryTimerAt = Number.POSITIVE_INFINITY;
  let alertStates: Map<string, AlertState> | undefined;
  let lastPruneAt = Number.NEGATIVE_INFINITY;
  const latest = new Map<string, Reading>();
  let pending: Reading[] = [];
  const inFlight = new Set<Promise<unknown>>();
  let idleWaiters: (() => void)[] = [];

  const busy = () => inFlight.size > 0 || requestFlush.running() || requestDelivery.running();
  const checkIdle = () => {
    if (busy()) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  };
  const track = <T>(promise: Promise<T>): Promise<T> => {
    inFlight.add(promise);
    void promise
      .finally(() => {
        inFlight.delete(promise);
        queueMicrotask(checkIdle);
      })
      .catch(() => undefined);
    return promise;
  };

  const jitter = () => (clock.random() * 2 - 1) * watch.jitterMs;

  async function poll(unit: Unit): Promise<Reading[]> {
    unit.inFlight = true;
    const controller = new AbortController();
    unit.controller = controller;
    try {
      const results = await limit(() =>
        controller.signal.aborted ? Promise.resolve([]) : unit.accounts.balances({ signal: controller.signal }),
      );
      const at = new Date(clock.now());
      const own = [unit.account.apiKey, ...secrets];
      const readings = results.map((result) => withoutSecrets(readingFromResult(result, at), own));
      for (const reading of readings) {
        rulesFor.set(accountKey(reading), unit.settings.alerts);
        latest.set(accountKey(reading), reading);
        options.onReading?.(reading);
      }
      const failed = readings.filter((reading) => !reading.ok);
      unit.failures = failed.length === 0 ? 0 : unit.failures + 1;
      const retryAfterMs = Math.max(0, ...failed.map((reading) => reading.retryAfterMs ?? 0));
      // Failures poll less often (doubling, up to an hour) and never sooner than Retry-After; a
      // permanent failure (a revoked key) waits as long as the longest backoff.
      const backoff =
        unit.failures === 0
          ? unit.settings.intervalMs
          : failed.some((reading) => isPermanentFailure(reading.errorKind))
            ? Math.max(unit.settings.intervalMs, maxBackoffMs)
            : Math.min(
                unit.settings.intervalMs * 2 ** (unit.failures - 1),
                Math.max(unit.settings.intervalMs, maxBackoffMs),
              );
      unit.nextDueAt = at.getTime() + Math.max(backoff + jitter(), retryAfterMs, coalesceMs);
      enqueue(readings);
      return readings;
    } finally {
      unit.inFlight = false;
      unit.controller = undefined;
    }
  }

  function enqueue(readings: readonly Reading[]) {
    if (readings.length === 0) return;
    pending.push(...readings);
    if (pending.length > maxPendingReadings) {
      const dropped = pending.length - maxPendingReadings;
      pending = pending.slice(dropped);
      report(
        new Error(
          `history store ${store.location}: ${dropped} reading(s) dropped: the store has not been writable for too long`,
        ),
      );
    }
    requestFlush();
  }

  // Serial: while a write runs, newer readings wait and go together in the next one.
  const requestFlush = serialRunner(() => flushOnce(), () => pending.length > 0, checkIdle);

  async function flushOnce(): Promise<void> {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    try {
      await store.append(batch);
    } catch (error) {
      // Never lose readings silently: keep them for the next attempt and say so.
      pending = [...batch, ...pending];
      report(error);
      if (cancelStoreRetry === undefined && !stopping) {
        cancelStoreRetry = clock.setTimer(() => {
          cancelStoreRetry = undefined;
          void requestFlush();
        }, storeRetryMs);
      }
      return;
    }
    await evaluateAlerts(batch);
    const now = clock.now();
    if (now - lastPruneAt >= pruneEveryMs) {
      lastPruneAt = now;
      try {
        await store.prune(new Date(now - watch.retentionMs));
      } catch (error) {
        report(error);
      }
    }
  }

  async function loadAlertStates(): Promise<Map<string, AlertState>> {
    if (alertStates === undefined) {
      const stored = await store.alertStates();
      alertStates = new Map([...stored].map(([key, state]) => [key, state as AlertState]));
    }
    return alertStates;
  }

  async function evaluateAlerts(readings: readonly Reading[]): Promise<void> {
    try {
      const states = await loadAlertStates();
      const changed: { key: string; state: AlertState }[] = [];
      const events: AlertEvent[] = [];
      for (const reading of readings) {
        const key = accountKey(reading);
        const rules = rulesFor.get(key) ?? watch.alerts;
        const before = states.get(key) ?? emptyAlertState;
        let outcome = nextAlertState(before, reading, rules, undefined);
        // The forecast reads the history: only for accounts that alert on it or have news to tell.
        if (reading.ok && (rules.depletionDays !== undefined || outcome.events.length > 0)) {
          const history = await store.readings({
            accounts: [reading.account],
            provider: reading.provider,
            since: new Date(reading.at.getTime() - watch.forecastWindowMs),
          });
          const own = history.filter((candidate) => candidate.account === reading.account);
          outcome = nextAlertState(before, reading, rules, forecastAccount(own, reading.at));
        }
        if (JSON.stringify(outcome.state) !== JSON.stringify(before)) changed.push({ key, state: outcome.state });
        events.push(...outcome.events);
      }
      if (changed.length === 0 && events.length === 0) return;
      const notification = events.length === 0 ? undefined : buildNotification(events, secrets);
      await store.commitAlerts({
        states: changed,
        notifications:
          notification === undefined
            ? []
            : [...notifiers.keys()].map((notifier) => ({ notifier, payload: notification })),
        at: new Date(clock.now()),
      });
      // Only once written: a state not stored is evaluated again with the next reading, so a
      // notification is neither lost nor sent twice.
      for (const { key, state } of changed) states.set(key, state);
      if (notification !== undefined && notifiers.size > 0) void requestDelivery();
    } catch (error) {
      report(error);
    }
  }

  const requestDelivery = serialRunner(() => deliverDue(), () => true, checkIdle);

  async function deliverDue(): Promise<void> {
    try {
      for (;;) {
        const due = await store.dueNotifications(new Date(clock.now()), 50);
        if (due.length === 0) break;
        for (const entry of due) {
          const notifier = notifiers.get(entry.notifier);
          if (notifier === undefined) {
            // Its notifier was removed from the config: nobody is left to deliver it to.
            await store.markDelivered(entry.id);
            report(
              new Error(
                `notification ${entry.id} dropped: no notifier named ${entry.notifier} in watch.notify any more`,
              ),
            );
            continue;
          }
          try {
            await notifier.send(
              entry.payload as ReturnType<typeof buildNotification>,
              AbortSignal.timeout(deliveryTimeoutMs),
            );
            await store.markDelivered(entry.id);
            options.onDelivery?.({ notifier: entry.notifier, ok: true, attempts: entry.attempts + 1 });
          } catch (error) {
            const message = redactSecrets(error instanceof Error ? error.message : String(error), secrets);
            const retryAfterMs = (error as { retryAfterMs?: number }).retryAfterMs ?? 0;
            const delay = Math.max(Math.min(30_000 * 2 ** entry.attempts, maxBackoffMs), retryAfterMs);
            await store.markFailed(entry.id, new Date(clock.now() + delay), message);
            options.onDelivery?.({ notifier: entry.notifier, ok: false, attempts: entry.attempts + 1, error: message });
            report(new Error(`${message}; retrying in ${Math.round(delay / 1000)}s`));
          }
        }
      }
      const next = await store.nextNotificationAt();
      if (next !== undefined && !stopping) armDeliveryTimer(next.getTime());
    } catch (error) {
      report(error);
    }
  }

  function armDeliveryTimer(at: number) {
    if (at >= deliveryTimerAt) return;
    cancelDeliveryTimer?.();
    deliveryTimerAt = at;
    cancelDeliveryTimer = clock.setTimer(
      () => {
        cancelDeliveryTimer = undefined;
        deliveryTimerAt = Number.POSITIVE_INFINITY;
        void requestDelivery();
      },
      Math.max(0, at - clock.now()),
    );
  }

  function arm() {
    if (!running || stopping) return;
    let next = Number.POSITIVE_INFINITY;
    for (const unit of units) if (!unit.inFlight && unit.nextDueAt < next) next = unit.nextDueAt;
    if (next === Number.POSITIVE_INFINITY || next >= timerAt) return;
    cancelTimer?.();
    timerAt = next;
    cancelTimer = clock.setTimer(fire, Math.max(0, next - clock.now()));
  }

  function fire() {
    cancelTimer = undefined;
    timerAt = Number.POSITIVE_INFINITY;
    if (!running || stopping) return;
    const horizon = clock.now() + coalesceMs;
    for (const unit of units) {
      if (unit.inFlight || unit.nextDueAt > horizon) continue;
      track(poll(unit)).catch(report).finally(arm);
    }
    arm();
  }

  return {
    start() {
      if (running) return;
      running = true;
      const now = clock.now();
      // The first round at once, spread over the jitter so a thousand accounts do not start together.
      for (const unit of units) unit.nextDueAt = now + clock.random() * watch.jitterMs;
      void track(requestDelivery());
      arm();
    },
    async runOnce() {
      const rounds = await Promise.all(
        units.map((unit) => track(poll(unit)).catch((error: unknown) => (report(error), []))),
      );
      await this.idle();
      return rounds.flat();
    },
    idle() {
      if (!busy()) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
    async stop({ graceMs = 10_000 } = {}) {
      if (stopping) return this.idle();
      stopping = true;
      running = false;
      cancelTimer?.();
      cancelStoreRetry?.();
      cancelDeliveryTimer?.();
      const polls = [...inFlight];
      if (polls.length > 0) {
        let cancelGrace: (() => void) | undefined;
        const grace = new Promise<void>((resolve) => {
          cancelGrace = clock.setTimer(resolve, graceMs);
        });
        await Promise.race([Promise.allSettled(polls), grace]);
        cancelGrace?.();
        for (const unit of units) unit.controller?.abort();
        await Promise.allSettled(inFlight);
      }
      // A final write; readings it cannot store are reported, never dropped in silence.
      await requestFlush();
      if (pending.length > 0) {
        await requestFlush();
        if (pending.length > 0) {
          report(
            new Error(`history store ${store.location}: ${pending.length} reading(s) could not be written before exit`),
          );
        }
      }
      if (notifiers.size > 0) await requestDelivery();
      await this.idle();
      for (const notifier of notifiers.values()) notifier.close?.();
    },
    snapshot() {
      return { readings: [...latest.values()], alerts: new Map(alertStates ?? []), pendingReadings: pending.length };
    },
  };
}

/**
 * Runs `task` one at a time: a request while it runs makes it run once more afterwards (while
 * `more` says there is work), so bursts of requests cost one or two runs, never overlapping ones.
 */
function serialRunner(task: () => Promise<void>, more: () => boolean, onIdle: () => void) {
  let current: Promise<void> | undefined;
  let again = false;
  const request = (): Promise<void> => {
    if (current !== undefined) {
      again = true;
      return current;
    }
    current = (async () => {
      do {
        again = false;
        await task();
      } while (again && more());
    })().finally(() => {
      current = undefined;
      queueMicrotask(onIdle);
    });
    return current;
  };
  return Object.assign(request, { running: () => current !== undefined });
}
