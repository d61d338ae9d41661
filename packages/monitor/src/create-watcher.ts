import { type AccountConfig, type Accounts, type AccountsConfig, createAccounts, redactSecrets } from 'aicredits';

import { type AlertEvent, type AlertState, emptyAlertState, nextAlertState } from './alert-state.js';
import { type DueEntry, DueQueue } from './due-queue.js';
import { type Forecast, forecastAccount, minimumSegmentMs } from './forecast.js';
import { buildNotification, maxEvents } from './notification.js';
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
  /** Replaces the facade, e.g. for benchmarks: called for each poll with the one account's config. */
  createAccounts?: ((config: AccountsConfig) => Accounts) | undefined;
}

export interface Watcher {
  /**
   * Starts polling on the schedule. The first round starts at once, spread over the jitter, and is
   * one round like `runOnce`'s: its transitions make one message per notifier once every account
   * has been checked; later checks form a round per timer.
   */
  start(): void;
  /**
   * One round: a check of every account (but one the schedule is checking already), then writes,
   * alerts and deliveries; the round's transitions make one message per notifier. Resolves with
   * the readings.
   */
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
  /** Its place in the config: the order of a batch's polls. */
  index: number;
  account: AccountConfig;
  settings: AccountWatchSettings;
  /** Its last reading found free of `secrets`, so an unchanged next one is not searched again. */
  clean: Reading | undefined;
  nextDueAt: number;
  /** Its entry in the schedule's queue; an entry that is not a unit's own any more is skipped. */
  scheduled: DueEntry<Unit> | undefined;
  /** Queued or being polled: never two polls of one account at once. */
  busy: boolean;
  failures: number;
  /** The round the unit's next scheduled poll belongs to, counted in its `open` (the first round). */
  round: Round | undefined;
}

/**
 * Polls started together (a `runOnce`, or the accounts one timer found due): their readings are
 * evaluated together once all are done and written, so one round's transitions make one message.
 */
interface Round {
  /** Polls of the round not finished yet; at 0 the round is closed. */
  open: number;
  closed: boolean;
  readings: { reading: Reading; rules: AccountWatchSettings['alerts'] }[];
  /** How many readings had been queued for writing when the round closed. */
  queuedUpTo: number;
}

/** Readings kept in memory while the store cannot be written; beyond this the oldest are dropped, loudly. */
const maxPendingReadings = 200_000;
/** Polls due within this much of a timer are started together, so a spread-out round costs few wake-ups. */
const coalesceMs = 1000;
const storeRetryMs = 30_000;
/** Readings written together at most while a round is still running (one transaction each). */
const flushEvery = 500;
/** Accounts whose history one forecast read holds at most. */
const forecastAccountsAtOnce = 200;
/** How long a depletion rule's forecast is used before the history is read again. */
const forecastRefreshMs = 3_600_000;
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
  const concurrency = options.accounts.concurrency ?? 8;
  // The facade's checks, once for the whole config: a bad setting throws here, naming the account
  // by its place, before any poll.
  createAccounts(options.accounts);
  const defaultSettings: AccountWatchSettings = { intervalMs: watch.intervalMs, alerts: watch.alerts };
  const units: Unit[] = options.accounts.accounts.map((account, index) => ({
    index,
    account,
    settings: watch.accounts[index] ?? defaultSettings,
    clean: undefined,
    nextDueAt: 0,
    scheduled: undefined,
    busy: false,
    failures: 0,
    round: undefined,
  }));

  const schedule = new DueQueue<Unit>();
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
  const forecasts = new Map<string, { forecast: Forecast | undefined; at: number; remaining: number | undefined }>();
  let pending: Reading[] = [];
  // Counts of readings ever queued for writing and ever written (or dropped): a closed round is
  // evaluated once everything queued before it closed is written.
  let queuedCount = 0;
  let writtenCount = 0;
  // Rounds in the order they started, evaluated in that order (an account's readings in the order
  // taken) as soon as each is closed and written: a round that closes early waits for the ones
  // started before it, such as the spread-out first round.
  let rounds: Round[] = [];
  // Polls wait here as a unit and its round, not as a started promise each: at 10,000 accounts a
  // promise chain per waiting poll lived long enough to be promoted and tripled the heap.
  const waiting: { unit: Unit; round: Round }[] = [];
  let waitingHead = 0;
  let active = 0;
  let abandoned = false;
  // One signal for every poll, aborted when `stop`'s grace period ends: a controller per poll cost
  // ~20 us in Node 20. The facade forwards it with a listener it removes when the check is done
  // (no AbortSignal.any, which would keep every derived signal alive), so nothing piles up on it.
  const abandon = new AbortController();
  const inFlight = new Set<Promise<unknown>>();
  let idleWaiters: (() => void)[] = [];

  const busy = () =>
    inFlight.size > 0 || waitingHead < waiting.length || requestFlush.running() || requestDelivery.running();
  const checkIdle = () => {
    if (busy()) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  };
  // One reaction per tracked promise: `.finally().catch()` cost four promises and two closures a poll.
  const track = <T>(promise: Promise<T>): Promise<T> => {
    inFlight.add(promise);
    const settled = () => {
      inFlight.delete(promise);
      queueMicrotask(checkIdle);
    };
    promise.then(settled, settled);
    return promise;
  };

  const jitter = () => (clock.random() * 2 - 1) * watch.jitterMs;

  function newRound(open: number): Round {
    const round: Round = { open, closed: false, readings: [], queuedUpTo: 0 };
    rounds.push(round);
    return round;
  }

  /** One poll of the round done or dropped. */
  function leave(round: Round) {
    if (--round.open === 0) closeRound(round);
  }

  /**
   * Queues the units' polls: those whose scheduled poll belongs to a round already (the first)
   * in it, the others together as a new round, which is returned.
   */
  function startRound(due: readonly Unit[]): Round {
    const round = newRound(0);
    for (const unit of due) {
      unit.busy = true;
      const own = unit.round ?? round;
      if (own === round) round.open++;
      unit.round = undefined;
      waiting.push({ unit, round: own });
    }
    if (round.open === 0) closeRound(round);
    pump();
    return round;
  }

  /** Drops the units' places in rounds their scheduled polls had not started for yet. */
  function leaveScheduledRounds(dropped: readonly Unit[]) {
    for (const unit of dropped) {
      const { round } = unit;
      unit.round = undefined;
      if (round !== undefined) leave(round);
    }
  }

  function pump() {
    while (active < concurrency && waitingHead < waiting.length) {
      const { unit, round } = waiting[waitingHead]!;
      waiting[waitingHead++] = undefined as never;
      if (waitingHead > 1024 && waitingHead * 2 > waiting.length) {
        waiting.splice(0, waitingHead);
        waitingHead = 0;
      }
      active++;
      void track(runPoll(unit, round));
    }
  }

  // The bookkeeping is part of the tracked work: `idle` must not resolve between the poll's end
  // and its round's close.
  async function runPoll(unit: Unit, round: Round): Promise<void> {
    try {
      await poll(unit, round);
    } catch (error) {
      report(error);
    } finally {
      active--;
      unit.busy = false;
      scheduleNext(unit);
      leave(round);
      pump();
      // Readings are written once the polls started together are done, even while their round
      // (the spread-out first one) waits for others.
      if (active === 0 && pending.length > 0 && cancelStoreRetry === undefined) void requestFlush();
      arm();
    }
  }

  function closeRound(round: Round) {
    round.closed = true;
    round.queuedUpTo = queuedCount;
    void requestFlush();
  }

  async function poll(unit: Unit, round: Round): Promise<void> {
    if (abandoned) return;
    // Each account polls on its own schedule, through a facade of its own made for the poll: kept
    // per account, 10,000 facades were ~6 MB live, and V8 lets the old generation grow to about
    // four times what is live at its first full collection (during startup), which made the first
    // round's peak RSS ~20 MB higher. Making one costs a few closures; the shared queue caps them all.
    const facade = build({ ...options.accounts, accounts: [unit.account] });
    const results = await facade.balances({ signal: abandon.signal });
    const at = new Date(clock.now());
    // The account's key and the watcher's secrets: what its readings must lose.
    const { apiKey } = unit.account;
    const readingSecrets = apiKey === undefined ? secrets : [apiKey, ...secrets];
    const readings = results.map((result) => {
      const taken = readingFromResult(result, at);
      const reading = withoutSecrets(taken, readingSecrets, unit.clean);
      if (reading === taken) unit.clean = reading;
      return reading;
    });
    let failures = 0;
    let retryAfterMs = 0;
    let permanent = false;
    for (const reading of readings) {
      latest.set(accountKey(reading), reading);
      // A poll abandoned by `stop` says nothing about the account: kept in the history, not alerted on.
      if (reading.errorKind !== 'aborted') round.readings.push({ reading, rules: unit.settings.alerts });
      options.onReading?.(reading);
      if (reading.ok) continue;
      failures++;
      retryAfterMs = Math.max(retryAfterMs, reading.retryAfterMs ?? 0);
      permanent ||= isPermanentFailure(reading.errorKind);
    }
    unit.failures = failures === 0 ? 0 : unit.failures + 1;
    const { intervalMs } = unit.settings;
    // Failures poll less often (doubling, up to an hour) and never sooner than Retry-After; a
    // permanent failure (a revoked key) waits as long as the longest backoff.
    const backoff =
      unit.failures === 0
        ? intervalMs
        : permanent
          ? Math.max(intervalMs, maxBackoffMs)
          : Math.min(intervalMs * 2 ** (unit.failures - 1), Math.max(intervalMs, maxBackoffMs));
    unit.nextDueAt = at.getTime() + Math.max(backoff + jitter(), retryAfterMs, coalesceMs);
    enqueue(readings);
  }

  function enqueue(readings: readonly Reading[]) {
    if (readings.length === 0) return;
    for (const reading of readings) pending.push(reading);
    queuedCount += readings.length;
    if (pending.length > maxPendingReadings) {
      const dropped = pending.length - maxPendingReadings;
      pending = pending.slice(dropped);
      writtenCount += dropped;
      report(
        new Error(
          `history store ${store.location}: ${dropped} reading(s) dropped: the store has not been writable for too long`,
        ),
      );
    }
    // A local libSQL write runs synchronously, so readings never pile up behind one by themselves:
    // they are written when no poll is left running, or every `flushEvery` readings in a long round.
    if (pending.length >= flushEvery && cancelStoreRetry === undefined) void requestFlush();
  }

  // Serial: while a write runs, newer readings wait and go together in the next one.
  const requestFlush = serialRunner(
    () => flushOnce(),
    () => pending.length > 0 || isReady(rounds[0]),
    checkIdle,
  );
  const isReady = (round: Round | undefined) => round !== undefined && round.closed && round.queuedUpTo <= writtenCount;

  async function flushOnce(): Promise<void> {
    if (pending.length > 0) {
      const batch = pending;
      pending = [];
      try {
        await store.append(batch);
        writtenCount += batch.length;
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
    }
    // Alerts read the history (forecasts), so a round is evaluated only once all of it is written.
    let readyCount = 0;
    while (isReady(rounds[readyCount])) readyCount++;
    if (readyCount === 0) return;
    const ready = rounds.slice(0, readyCount);
    rounds = rounds.slice(readyCount);
    await evaluateAlerts(ready.flatMap((round) => round.readings));
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

  async function evaluateAlerts(readings: Round['readings']): Promise<void> {
    try {
      const states = await loadAlertStates();
      // In order, each reading from the state the one before it left (an account may have several
      // readings in one evaluation, e.g. after the store was locked for a while).
      const evaluate = (forecastOf: (index: number) => Forecast | undefined) => {
        const after = new Map<string, AlertState>();
        const outcomes = readings.map(({ reading, rules }, index) => {
          const key = accountKey(reading);
          const outcome = nextAlertState(after.get(key) ?? states.get(key), reading, rules, forecastOf(index));
          after.set(key, outcome.state);
          return outcome;
        });
        return { after, outcomes };
      };
      // A depletion rule needs a forecast with every reading, but reading a week of history per
      // account per poll would cost far more than the poll: its forecast is kept and read again
      // hourly, after a rise (a top-up starts a new segment), or when the account has news.
      const cachedForecast = (index: number) => {
        const { reading, rules } = readings[index]!;
        return reading.ok && rules.depletionDays !== undefined
          ? forecasts.get(accountKey(reading))?.forecast
          : undefined;
      };
      const stale = (reading: Reading) => {
        const cached = forecasts.get(accountKey(reading));
        return (
          cached === undefined ||
          // Until there is a rate, again once the segment may be long enough for one.
          reading.at.getTime() - cached.at >=
            (cached.forecast?.burnPerDay === undefined ? minimumSegmentMs : forecastRefreshMs) ||
          (reading.remaining !== undefined && cached.remaining !== undefined && reading.remaining > cached.remaining)
        );
      };
      let evaluation = evaluate(cachedForecast);
      // The forecast reads the history, so it is read only where it matters, all of a step's
      // accounts in one read rather than a statement per account. A depletion rule's forecast
      // decides which events there are: it is read when stale or when the account has news.
      // Without a depletion rule the forecast is only the text of an event, and a message holds
      // the first `maxEvents` events: a first round where 10,000 accounts have news reads 200
      // accounts' history, not 10,000 (which held every forecast until the round was evaluated),
      // and none when no notifier is configured to read the text.
      const computed = new Map<number, Forecast | undefined>();
      const decisive: number[] = [];
      for (const [index, { reading, rules }] of readings.entries()) {
        if (
          reading.ok &&
          rules.depletionDays !== undefined &&
          (evaluation.outcomes[index]!.events.length > 0 || stale(reading))
        ) {
          decisive.push(index);
        }
      }
      if (decisive.length > 0) {
        await computeForecasts(readings, decisive, computed);
        evaluation = evaluate(forecastOf(computed, cachedForecast));
      }
      const described = notifiers.size === 0 ? [] : describedReadings(readings, evaluation.outcomes, computed);
      if (described.length > 0) {
        await computeForecasts(readings, described, computed);
        evaluation = evaluate(forecastOf(computed, cachedForecast));
      }
      const changed: { key: string; state: AlertState }[] = [];
      for (const [key, state] of evaluation.after) {
        if (!sameAlertState(state, states.get(key) ?? emptyAlertState)) changed.push({ key, state });
      }
      const events: AlertEvent[] = evaluation.outcomes.flatMap((outcome) => outcome.events);
      if (changed.length === 0 && events.length === 0) return;
      // Without a notifier nobody reads the message: at 10,000 accounts a first round's text is large.
      const notification = events.length === 0 || notifiers.size === 0 ? undefined : buildNotification(events, secrets);
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

  /**
   * The forecasts of `indices`' readings, a few hundred accounts' history at a time: a round where
   * thousands of accounts need one (every plan expiring at once with a depletion rule, a first
   * round) must not hold all their weeks in memory.
   */
  async function computeForecasts(
    readings: Round['readings'],
    indices: readonly number[],
    computed: Map<number, Forecast | undefined>,
  ): Promise<void> {
    for (let start = 0; start < indices.length; start += forecastAccountsAtOnce) {
      const chunk = indices.slice(start, start + forecastAccountsAtOnce);
      let oldest = Number.POSITIVE_INFINITY;
      for (const index of chunk) oldest = Math.min(oldest, readings[index]!.reading.at.getTime());
      const histories = await store.readingsOf(
        chunk.map((index) => readings[index]!.reading),
        new Date(oldest - watch.forecastWindowMs),
      );
      for (const index of chunk) {
        const { reading, rules } = readings[index]!;
        const since = reading.at.getTime() - watch.forecastWindowMs;
        const own = (histories.get(accountKey(reading)) ?? []).filter(
          (candidate) => candidate.at.getTime() >= since && candidate.at <= reading.at,
        );
        const forecast = forecastAccount(own, reading.at);
        if (rules.depletionDays !== undefined) {
          forecasts.set(accountKey(reading), { forecast, at: reading.at.getTime(), remaining: reading.remaining });
        }
        computed.set(index, forecast);
      }
    }
  }

  const requestDelivery = serialRunner(
    () => deliverDue(),
    () => true,
    checkIdle,
  );

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

  function scheduleNext(unit: Unit) {
    if (running && !stopping) unit.scheduled = schedule.push(unit.nextDueAt, unit);
  }

  /** The schedule's earliest entry still wanted: its unit's own, and the unit not being polled. */
  function nextDue(): DueEntry<Unit> | undefined {
    for (;;) {
      const entry = schedule.peek();
      if (entry === undefined || (entry.value.scheduled === entry && !entry.value.busy)) return entry;
      schedule.pop();
    }
  }

  function arm() {
    if (!running || stopping) return;
    const next = nextDue()?.at;
    if (next === undefined || next >= timerAt) return;
    cancelTimer?.();
    timerAt = next;
    cancelTimer = clock.setTimer(fire, Math.max(0, next - clock.now()));
  }

  function fire() {
    cancelTimer = undefined;
    timerAt = Number.POSITIVE_INFINITY;
    if (!running || stopping) return;
    const horizon = clock.now() + coalesceMs;
    const due: Unit[] = [];
    for (let entry = nextDue(); entry !== undefined && entry.at <= horizon; entry = nextDue()) {
      schedule.pop();
      entry.value.scheduled = undefined;
      due.push(entry.value);
    }
    startRound(due.sort((a, b) => a.index - b.index));
    arm();
  }

  return {
    start() {
      if (running) return;
      running = true;
      const now = clock.now();
      // The first round at once, spread over the jitter so a thousand accounts do not start together.
      const idle = units.filter((unit) => !unit.busy);
      const first = newRound(idle.length);
      for (const unit of idle) {
        unit.nextDueAt = now + clock.random() * watch.jitterMs;
        unit.round = first;
        scheduleNext(unit);
      }
      if (idle.length === 0) closeRound(first);
      void track(requestDelivery());
      arm();
    },
    async runOnce() {
      // An account the schedule is polling already is not polled twice; one it was about to poll
      // in its first round is polled in this one instead.
      const due = units.filter((unit) => !unit.busy);
      leaveScheduledRounds(due);
      const round = startRound(due);
      await this.idle();
      return round.readings.map(({ reading }) => reading);
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
      schedule.clear();
      cancelStoreRetry?.();
      cancelDeliveryTimer?.();
      // Polls not started yet are dropped; their rounds close without them.
      for (const { unit, round } of waiting.splice(waitingHead)) {
        unit.busy = false;
        leave(round);
      }
      leaveScheduledRounds(units);
      waiting.length = 0;
      waitingHead = 0;
      const polls = [...inFlight];
      if (polls.length > 0) {
        let cancelGrace: (() => void) | undefined;
        const grace = new Promise<void>((resolve) => {
          cancelGrace = clock.setTimer(resolve, graceMs);
        });
        await Promise.race([Promise.allSettled(polls), grace]);
        cancelGrace?.();
        abandoned = true;
        abandon.abort();
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

const forecastOf =
  (computed: ReadonlyMap<number, Forecast | undefined>, cached: (index: number) => Forecast | undefined) =>
  (index: number) => (computed.has(index) ? computed.get(index) : cached(index));

/**
 * The readings whose events a notification lists (its first `maxEvents`) and whose forecast, only
 * the events' text there, is not known yet.
 */
function describedReadings(
  readings: readonly { reading: Reading }[],
  outcomes: readonly { events: readonly AlertEvent[] }[],
  computed: ReadonlyMap<number, Forecast | undefined>,
): number[] {
  const indices: number[] = [];
  let listed = 0;
  for (let index = 0; index < outcomes.length && listed < maxEvents; index++) {
    const { length } = outcomes[index]!.events;
    if (length === 0) continue;
    listed += length;
    if (readings[index]!.reading.ok && !computed.has(index)) indices.push(index);
  }
  return indices;
}

/** Alert states are small plain data: compared field by field, not through JSON for every reading. */
function sameAlertState(a: AlertState, b: AlertState): boolean {
  if (a.failures !== b.failures) return false;
  const kinds = Object.keys(a.active) as (keyof AlertState['active'])[];
  if (kinds.length !== Object.keys(b.active).length) return false;
  for (const kind of kinds) {
    const x = a.active[kind]!;
    const y = b.active[kind];
    if (y === undefined || x.since !== y.since || x.notifiedAt !== y.notifiedAt || x.detail !== y.detail) return false;
  }
  return true;
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
