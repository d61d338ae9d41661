import { getEventListeners } from 'node:events';

import { createClient } from '@libsql/client';
import { createAccounts } from 'aicredits';
import { afterEach, describe, expect, it } from 'vitest';

import { createStore } from './create-store.js';
import { createWatcher, type WatcherOptions } from './create-watcher.js';
import { createManualClock } from './manual-clock.js';
import { createNotifier } from './notifiers.js';
import type { Store } from './store.js';
import { type Receiver, startReceiver } from './testing/receiver.js';
import { scriptedApiKey, type ScriptedImaginePro, startScriptedImaginePro } from './testing/scripted-provider.js';
import { useTemporaryDirectory } from './testing/temporary-directory.js';
import { parseWatchConfig, type WatchConfig } from './watch-config.js';

const minute = 60_000;
const hour = 60 * minute;
const directories = useTemporaryDirectory();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(watchDocument: Record<string, unknown> = {}) {
  const provider: ScriptedImaginePro = await startScriptedImaginePro();
  cleanups.push(() => provider.close());
  const receiver: Receiver = await startReceiver();
  cleanups.push(() => receiver.close());
  const directory = await directories.create();
  const storeUrl = directory.fileUrl('history.db');
  const watch: WatchConfig = parseWatchConfig(
    {
      watch: { jitter: '0s', store: storeUrl, notify: [{ type: 'webhook', urlEnv: 'HOOK_URL' }], ...watchDocument },
      accounts: [{}],
    },
    { file: 'test.json', cwd: directory.path, environment: { HOOK_URL: `${receiver.url}/hook` }, accountCount: 1 },
  );
  const errors: string[] = [];
  const open = async (
    extra: Partial<WatcherOptions> = {},
    busyTimeoutMs?: number,
    wrapStore = (store: Store) => store,
  ) => {
    const clock = extra.clock ?? createManualClock();
    const store: Store = wrapStore(await createStore({ url: storeUrl, busyTimeoutMs }));
    const watcher = createWatcher({
      accounts: provider.config(),
      watch,
      store,
      clock,
      notifiers: watch.notify.map((config) => createNotifier(config, { now: clock.now })),
      onError: (error) => errors.push(error.message),
      ...extra,
    });
    cleanups.push(async () => {
      await watcher.stop({ graceMs: 0 });
      await store.close();
    });
    return { watcher, store, clock: clock as ReturnType<typeof createManualClock> };
  };
  const notifications = () =>
    receiver.received.map((request) => JSON.parse(request.body) as { title: string; lines: string[] });
  return { provider, receiver, open, errors, notifications, storeUrl, watch };
}

describe('createWatcher', () => {
  it('polls every 5 minutes for 24 simulated hours, storing each reading, alerting low once and recovered once', async () => {
    const { provider, open, notifications } = await setup();
    const { watcher, store, clock } = await open();
    watcher.start();
    // Spends 5 credits per poll: 1000 → below min 500 after 101 polls (~8.4 h), topped up at 12 h.
    let polls = 0;
    const spend = () => {
      polls = provider.server.requests.length;
      provider.state.credits = polls >= 144 ? 1000 : 1000 - 5 * polls;
    };
    for (let step = 0; step < 24 * 12; step++) {
      spend();
      await clock.advance(5 * minute, () => watcher.idle());
    }
    expect(provider.server.requests.length).toBe(24 * 12 + 1);
    expect(await store.count()).toBe(24 * 12 + 1);
    expect(notifications().map((notification) => notification.title)).toEqual([
      'aicredits: imaginepro/main is low',
      'aicredits: imaginepro/main recovered',
    ]);
    expect(notifications()[0]!.lines[0]).toMatch(
      /imaginepro\/main is low \[STARTER\]: 495 credits left, below the minimum of 500; runs out ~/,
    );
  });

  it("sends the spread-out first round's transitions as one message, as a --once round does; later timers their own", async () => {
    const { provider, open, notifications } = await setup({ jitter: '30s' });
    const labels = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
    const config = provider.config();
    const accounts = { ...config, accounts: labels.map((label) => ({ ...config.accounts[0]!, label })) };
    // The first polls at 5, 10, 15, 20 and 25 s (each its own timer), the next ones 280 to 320 s
    // after each: 15 s apart.
    let draws = 0;
    const random = () => ((draws++ % labels.length) + 1) / (labels.length + 1);
    const { watcher, clock, store } = await open({
      accounts,
      clock: createManualClock(Date.parse('2026-12-01T00:00:00Z'), random),
    });
    provider.state.credits = 400;
    watcher.start();
    await clock.advance(17_500, () => watcher.idle());
    // Three of the five checked: nothing is said before the round is complete.
    expect(await store.count()).toBe(3);
    expect(notifications()).toEqual([]);
    await clock.advance(22_500, () => watcher.idle());
    expect(await store.count()).toBe(5);
    expect(notifications().map((notification) => notification.title)).toEqual(['aicredits: 5 account alerts']);
    expect([...notifications()[0]!.lines].sort()).toEqual(
      labels.map((label) => `imaginepro/${label} is low [STARTER]: 400 credits left, below the minimum of 500`).sort(),
    );

    // After the first round each timer's checks are a round of their own.
    provider.state.credits = 900;
    await clock.advance(6 * minute, () => watcher.idle());
    expect(await store.count()).toBe(10);
    expect(notifications().map((notification) => notification.title)).toEqual([
      'aicredits: 5 account alerts',
      ...labels.map((label) => `aicredits: imaginepro/${label} recovered`),
    ]);
  });

  it("evaluates an account's readings in the order taken while the first round is open", async () => {
    const { provider, open, notifications, watch } = await setup({ interval: '1h', jitter: '30m' });
    const slow = await startScriptedImaginePro();
    cleanups.push(() => slow.close());
    // The first polls: this account's at 3 min, the slow one's at 27 min; then no jitter.
    const draws = [0.1, 0.9];
    const random = () => draws.shift() ?? 0.5;
    const fast = provider.config().accounts[0]!;
    const { watcher, clock } = await open({
      accounts: { ...provider.config(), accounts: [fast, { ...slow.config().accounts[0]!, label: 'slow' }] },
      watch: { ...watch, accounts: [{ ...watch.accounts[0]!, intervalMs: minute }, watch.accounts[0]!] },
      clock: createManualClock(Date.parse('2026-12-01T00:00:00Z'), random),
    });
    provider.state.credits = 400;
    watcher.start();
    await clock.advance(3 * minute, () => watcher.idle());
    // Low at its first check, fine from the next one on, checked each minute before the round closes.
    provider.state.credits = 900;
    await clock.advance(25 * minute, () => watcher.idle());
    expect(provider.server.requests.length).toBe(26);
    expect(notifications().map((notification) => notification.title)).toEqual(['aicredits: 2 account alerts']);
    expect(notifications()[0]!.lines.map((line) => line.replace(/ after .*/, ''))).toEqual([
      'imaginepro/main is low [STARTER]: 400 credits left, below the minimum of 500',
      'imaginepro/main recovered [STARTER]: back to normal',
    ]);
    expect(watcher.snapshot().alerts.get('imaginepro/main')?.active.low).toBeUndefined();
  });

  it('reads the history of a round where hundreds of accounts have news a few hundred accounts at a time', async () => {
    // A depletion rule's forecast decides the alerts: every account's history is read.
    const { provider, open, notifications } = await setup({ alerts: { depletionDays: 2 } });
    const config = provider.config();
    const accounts = {
      ...config,
      accounts: Array.from({ length: 450 }, (_, index) => ({ ...config.accounts[0]!, label: `account-${index}` })),
    };
    const reads: number[] = [];
    const { watcher } = await open({ accounts }, undefined, (store) => ({
      ...store,
      readingsOf: (of, since) => {
        reads.push(of.length);
        return store.readingsOf(of, since);
      },
    }));
    provider.state.credits = 400;
    await watcher.runOnce();
    expect(reads).toEqual([200, 200, 50]);
    expect(notifications().map((notification) => notification.title)).toEqual(['aicredits: 450 account alerts']);
  });

  it('without a depletion rule reads the history only for the events a message holds, and none without a notifier', async () => {
    const { provider, open, notifications, watch } = await setup();
    const config = provider.config();
    const accounts = {
      ...config,
      accounts: Array.from({ length: 450 }, (_, index) => ({ ...config.accounts[0]!, label: `account-${index}` })),
    };
    const reads: string[][] = [];
    const countReads = (store: Store): Store => ({
      ...store,
      readingsOf: (of, since) => {
        reads.push(of.map(({ account }) => account));
        return store.readingsOf(of, since);
      },
    });
    const clock = createManualClock();
    const first = await open({ accounts, clock }, undefined, countReads);
    provider.state.credits = 400;
    await first.watcher.runOnce();
    await first.watcher.stop();
    // The message lists its first 200 events (the title counts all 450): only their forecasts are
    // text anyone reads.
    const sent = () =>
      notifications() as unknown as { title: string; lines: string[]; events: { account: string }[] }[];
    expect(sent().map((notification) => notification.title)).toEqual(['aicredits: 450 account alerts']);
    expect(reads).toHaveLength(1);
    expect(reads[0]).toHaveLength(200);
    expect(new Set(reads[0])).toEqual(new Set(sent()[0]!.events.map((event) => event.account)));

    // Every account recovers, with no notifier to read a message: no history is read.
    provider.state.credits = 1000;
    await clock.advance(10 * minute, () => Promise.resolve());
    const quiet = createWatcher({ accounts, watch, store: countReads(first.store), clock, notifiers: [] });
    await quiet.runOnce();
    await quiet.stop();
    expect(reads).toHaveLength(1);
    const states = [...(await first.store.alertStates()).values()] as { active: object }[];
    expect(states).toHaveLength(450);
    expect(states.filter((state) => Object.keys(state.active).length > 0)).toEqual([]);

    // Low again after ten minutes of spending: the listed events tell the forecast.
    provider.state.credits = 300;
    await clock.advance(10 * minute, () => Promise.resolve());
    const second = await open({ accounts, clock }, undefined, countReads);
    await second.watcher.runOnce();
    expect(reads).toHaveLength(2);
    expect(reads[1]).toHaveLength(200);
    const { lines } = sent().at(-1)!;
    expect(lines).toHaveLength(51);
    for (const line of lines.slice(0, 50)) {
      expect(line).toMatch(/ is low \[STARTER\]: 300 credits left, below the minimum of 500; runs out ~/);
    }
  });

  it('polls with one abort signal that nothing is left listening to once the checks are done', async () => {
    const { provider, open } = await setup();
    const config = provider.config();
    const accounts = {
      ...config,
      accounts: Array.from({ length: 20 }, (_, index) => ({ ...config.accounts[0]!, label: `account-${index}` })),
    };
    const signals = new Set<AbortSignal>();
    const { watcher } = await open({
      accounts,
      createAccounts: (one) => {
        const real = createAccounts(one);
        return {
          balances: (options) => {
            signals.add(options!.signal!);
            return real.balances(options);
          },
        };
      },
    });
    await watcher.runOnce();
    await watcher.runOnce();
    expect(signals.size).toBe(1);
    expect(getEventListeners([...signals][0]!, 'abort')).toEqual([]);
  });

  it('repeats a lasting condition only after watch.alerts.repeat, and a restart does not resend it', async () => {
    const { provider, open, notifications } = await setup({ alerts: { repeat: '6h' } });
    provider.state.credits = 10;
    const first = await open();
    first.watcher.start();
    for (let step = 0; step < 5 * 12; step++) await first.clock.advance(5 * minute, () => first.watcher.idle());
    expect(notifications().map((notification) => notification.title)).toEqual(['aicredits: imaginepro/main is low']);
    await first.watcher.stop();

    const second = await open({ clock: createManualClock(first.clock.now()) });
    second.watcher.start();
    await second.clock.advance(30 * minute, () => second.watcher.idle());
    expect(notifications()).toHaveLength(1);
    await second.clock.advance(31 * minute, () => second.watcher.idle());
    expect(notifications().map((notification) => notification.title)).toEqual([
      'aicredits: imaginepro/main is low',
      'aicredits: imaginepro/main is still low',
    ]);
    expect(notifications()[1]!.lines[0]).toMatch(/\(for 6h/);
  });

  it('a depletion rule alerts once when the forecast says so, without reading the history at every poll', async () => {
    const { provider, open, notifications } = await setup({ alerts: { depletionDays: 2 } });
    let historyReads = 0;
    const { watcher, clock } = await open({}, undefined, (store) => ({
      ...store,
      readingsOf: (...query) => {
        historyReads++;
        return store.readingsOf(...query);
      },
    }));
    // 100 credits a poll, 28,800 a day: 20,000 run out in under a day.
    provider.state.credits = 20_000;
    watcher.start();
    for (let step = 0; step < 4 * 12; step++) {
      await clock.advance(5 * minute, () => watcher.idle());
      provider.state.credits -= 100;
    }
    expect(notifications().map((notification) => notification.title)).toEqual([
      'aicredits: imaginepro/main runs out soon',
    ]);
    expect(notifications()[0]!.lines[0]).toMatch(/runs out soon \[STARTER\]: runs out ~\w{3} \d+ \(\d+\/day\)/);
    // 49 polls in 4 hours: the first, once the rate could be known (10 min), then hourly.
    expect(historyReads).toBeLessThanOrEqual(6);

    // A top-up starts a new segment: read at the next poll, not within the hour.
    provider.state.credits = 50_000;
    await clock.advance(5 * minute, () => watcher.idle());
    expect(notifications().map((notification) => notification.title)).toEqual([
      'aicredits: imaginepro/main runs out soon',
      'aicredits: imaginepro/main no longer runs out soon',
    ]);
  });

  it('alerts transient failures after 3 in a row, backs off, and never leaks the key', async () => {
    const { provider, open, notifications, receiver } = await setup();
    const { watcher, clock, store } = await open();
    provider.state.status = 503;
    watcher.start();
    for (let step = 0; step < 6 * 12; step++) await clock.advance(5 * minute, () => watcher.idle());
    const times = (await store.readings()).map((reading) => reading.at.getTime());
    // Gaps double from the 5-minute interval, up to an hour.
    const gaps = times.slice(1).map((time, index) => (time - times[index]!) / minute);
    expect(gaps).toEqual([5, 10, 20, 40, 60, 60, 60, 60]);
    expect(notifications().map((notification) => notification.title)).toEqual([
      'aicredits: imaginepro/main is failing',
    ]);
    expect(notifications()[0]!.lines[0]).toMatch(/3 failed check\(s\) in a row \(server\)/);
    for (const request of receiver.received) expect(request.body).not.toContain(scriptedApiKey);
    expect(receiver.received[0]!.body).toContain('[REDACTED]');

    provider.state.status = 200;
    await clock.advance(2 * hour, () => watcher.idle());
    expect(
      notifications()
        .map((notification) => notification.title)
        .at(-1),
    ).toBe('aicredits: imaginepro/main answers again');
  });

  it('alerts an authentication failure on the first failed check', async () => {
    const { provider, open, notifications } = await setup();
    provider.state.status = 401;
    const { watcher } = await open();
    const readings = await watcher.runOnce();
    expect(readings.map((reading) => reading.errorKind)).toEqual(['authentication']);
    expect(notifications().map((notification) => notification.title)).toEqual([
      'aicredits: imaginepro/main is failing',
    ]);
    expect(notifications()[0]!.lines[0]).toMatch(/1 failed check\(s\) in a row \(authentication\)/);
  });

  it('waits at least as long as Retry-After asks, without delaying another account', async () => {
    const { provider, open } = await setup();
    const other = await startScriptedImaginePro();
    cleanups.push(() => other.close());
    const config = provider.config();
    const { watcher, clock } = await open({
      accounts: { ...config, accounts: [...config.accounts, { ...other.config().accounts[0]!, label: 'other' }] },
    });
    provider.state.status = 429;
    provider.state.retryAfter = '7200';
    watcher.start();
    for (let step = 0; step < 12 * 3; step++) await clock.advance(5 * minute, () => watcher.idle());
    expect(provider.server.requests).toHaveLength(2); // at 0 and at 2 h
    expect(other.server.requests).toHaveLength(12 * 3 + 1);
  });

  it('never polls one account twice at once: a slow answer holds the next poll back', async () => {
    const { provider, open } = await setup();
    const { watcher, clock } = await open();
    let release!: () => void;
    provider.state.hold = new Promise((resolve) => (release = resolve));
    watcher.start();
    // Settle only on the clock's own work: the poll stays in flight across three intervals.
    await clock.advance(16 * minute, async () => {
      await new Promise((resolve) => setImmediate(resolve));
    });
    // Waits for the request to reach the server however busy the machine is; the limit only guards a hang.
    await expect.poll(() => provider.server.requests.length, { timeout: 100_000 }).toBe(1);
    provider.state.hold = undefined;
    release();
    await watcher.idle();
    await clock.advance(5 * minute, () => watcher.idle());
    expect(provider.server.requests).toHaveLength(2);
  });

  it('keeps an undelivered notification and delivers it after a restart', async () => {
    const { provider, open, receiver, notifications } = await setup();
    receiver.answer(500);
    provider.state.credits = 10;
    const first = await open();
    await first.watcher.runOnce();
    expect(receiver.received).toHaveLength(1);
    expect(await first.store.pendingNotifications()).toBe(1);
    await first.watcher.stop();

    receiver.answer(200);
    const second = await open({ clock: createManualClock(first.clock.now() + hour) });
    second.watcher.start();
    await second.clock.advance(minute, () => second.watcher.idle());
    expect(notifications().map((notification) => notification.title)).toEqual([
      'aicredits: imaginepro/main is low',
      'aicredits: imaginepro/main is low',
    ]);
    expect(await second.store.pendingNotifications()).toBe(0);
  });

  it('retries a failing delivery with backoff while polling goes on', async () => {
    const { provider, open, receiver } = await setup();
    receiver.answer(503, { 'retry-after': '120' });
    provider.state.credits = 10;
    const { watcher, clock, store } = await open();
    watcher.start();
    await clock.advance(119_000, () => watcher.idle());
    expect(receiver.received).toHaveLength(1);
    await clock.advance(1000, () => watcher.idle());
    expect(receiver.received).toHaveLength(2);
    receiver.answer(200);
    await clock.advance(120_000, () => watcher.idle());
    expect(receiver.received).toHaveLength(3);
    expect(await store.pendingNotifications()).toBe(0);
    expect(provider.server.requests.length).toBe(1);
  });

  it("checks the whole accounts config when made: a bad account's setting is a SettingsError naming its place, before any poll", async () => {
    const { provider, storeUrl, watch } = await setup();
    const config = provider.config();
    const accounts = {
      ...config,
      accounts: [0, 1, 2].map((index) => ({
        ...config.accounts[0]!,
        label: `account-${index}`,
        min: index === 2 ? -1 : 10,
      })),
    };
    const store = await createStore({ url: storeUrl });
    try {
      expect(() => createWatcher({ accounts, watch, store, clock: createManualClock() })).toThrow(
        expect.objectContaining({ name: 'SettingsError', setting: 'accounts[2].min' }),
      );
    } finally {
      await store.close();
    }
    expect(provider.server.requests).toHaveLength(0);
  });

  it('keeps readings the store could not take (locked by another process) and writes them once it can', async () => {
    const { open, storeUrl, errors } = await setup();
    const { watcher, clock, store } = await open({}, 10);
    watcher.start();
    await clock.advance(minute, () => watcher.idle());
    expect(await store.count()).toBe(1);
    const other = createClient({ url: storeUrl });
    const lock = await other.transaction('write');
    await lock.execute("INSERT INTO alert_state (account_key, state, updated_at) VALUES ('lock', '{}', 0)");
    try {
      await clock.advance(10 * minute, () => watcher.idle());
      expect(errors.some((message) => /locked by another process/.test(message))).toBe(true);
      expect(watcher.snapshot().pendingReadings).toBe(2);
    } finally {
      await lock.rollback();
      lock.close();
      other.close();
    }
    await clock.advance(minute, () => watcher.idle());
    expect(watcher.snapshot().pendingReadings).toBe(0);
    expect(await store.count()).toBe(3);
  });

  it('deletes readings older than watch.retention as it goes', async () => {
    const { open } = await setup({ retention: '2h', interval: '30m' });
    const { watcher, clock, store } = await open();
    watcher.start();
    for (let step = 0; step < 24; step++) await clock.advance(30 * minute, () => watcher.idle());
    const readings = await store.readings();
    // Pruned every 6 hours: never more than 2 h + 6 h of readings, the newest always kept.
    expect(readings.length).toBeLessThanOrEqual(17);
    expect(readings.at(-1)!.at.getTime()).toBe(clock.now());
    expect(clock.now() - readings[0]!.at.getTime()).toBeLessThanOrEqual(8 * hour);
  });

  it('stops within the grace period, abandoning a hung poll, and keeps the readings already taken', async () => {
    const { provider, open } = await setup();
    const { watcher, clock, store } = await open();
    watcher.start();
    await clock.advance(5 * minute, () => watcher.idle());
    expect(await store.count()).toBe(2);
    provider.state.hold = new Promise(() => undefined);
    await clock.advance(5 * minute, async () => {
      await new Promise((resolve) => setImmediate(resolve));
    });
    // Waits for the request to reach the server however busy the machine is; the limit only guards a hang.
    await expect.poll(() => provider.server.requests.length, { timeout: 100_000 }).toBe(3);
    const stopped = watcher.stop({ graceMs: 2000 });
    await clock.advance(2000, async () => {
      await new Promise((resolve) => setImmediate(resolve));
    });
    await stopped;
    // The abandoned poll is stored as an aborted reading, never dropped.
    const readings = await store.readings();
    expect(readings.map((reading) => reading.errorKind ?? 'ok')).toEqual(['ok', 'ok', 'aborted']);
    // Our own abort is not a failed check of the account.
    expect(await store.alertStates()).toEqual(new Map());
  });
});
