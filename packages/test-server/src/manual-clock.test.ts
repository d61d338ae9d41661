import { describe, expect, it } from 'vitest';

import { manualClock } from './manual-clock.js';

describe('manualClock', () => {
  it('fires a timer only when time is advanced to it, earliest first', () => {
    const { clock, advance, armed, timers } = manualClock();
    const fired: string[] = [];
    clock.startTimer(200, () => fired.push('200'));
    clock.startTimer(100, () => fired.push('100'));
    expect(armed()).toBe(2);
    advance(99);
    expect(fired).toEqual([]);
    advance(150);
    expect(fired).toEqual(['100', '200']);
    expect(armed()).toBe(0);
    expect(timers).toEqual([200, 100]);
  });

  it('never fires a cancelled timer', () => {
    const { clock, advance, armed } = manualClock();
    let fired = false;
    const cancel = clock.startTimer(10, () => (fired = true));
    cancel();
    advance(1_000);
    expect(fired).toBe(false);
    expect(armed()).toBe(0);
  });

  it('resolves whenArmed once enough timers are armed, and moves now() with advance', async () => {
    const { clock, advance, whenArmed } = manualClock();
    const ready = whenArmed(2);
    let resolved = false;
    void ready.then(() => (resolved = true));
    clock.startTimer(5, () => undefined);
    await Promise.resolve();
    expect(resolved).toBe(false);
    clock.startTimer(5, () => undefined);
    await ready;
    const before = clock.now();
    advance(60_000);
    expect(clock.now() - before).toBeGreaterThanOrEqual(60_000);
  });

  it('records sleeps and returns at once, rejecting through an aborted signal', async () => {
    const { clock, waits } = manualClock();
    await clock.sleep(500, new AbortController().signal);
    await expect(clock.sleep(10, AbortSignal.abort(new Error('stop')))).rejects.toThrow('stop');
    expect(waits).toEqual([500, 10]);
  });
});
