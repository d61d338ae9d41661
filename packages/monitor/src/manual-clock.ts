import type { WatchClock } from './watch-clock.js';

export interface ManualClock extends WatchClock {
  /**
   * Moves time forward to `now + milliseconds`, firing each due timer in order and awaiting
   * `settle` (e.g. the watcher's `idle`) after each, so every poll it starts has finished.
   */
  advance(milliseconds: number, settle: () => Promise<void>): Promise<void>;
  pendingTimers(): number;
}

/**
 * Simulated time for tests and benchmarks: nothing happens until `advance`; `random` is fixed
 * (no jitter unless given).
 */
export function createManualClock(start = Date.parse('2026-12-01T00:00:00Z'), random = () => 0.5): ManualClock {
  let now = start;
  let sequence = 0;
  const timers = new Map<number, { at: number; callback: () => void }>();
  return {
    now: () => now,
    random,
    setTimer(callback, milliseconds) {
      const id = sequence++;
      timers.set(id, { at: now + Math.max(0, milliseconds), callback });
      return () => timers.delete(id);
    },
    async advance(milliseconds, settle) {
      const target = now + milliseconds;
      await settle();
      for (;;) {
        let next: [number, { at: number; callback: () => void }] | undefined;
        for (const entry of timers)
          if (entry[1].at <= target && (next === undefined || entry[1].at < next[1].at)) next = entry;
        if (next === undefined) break;
        timers.delete(next[0]);
        now = Math.max(now, next[1].at);
        next[1].callback();
        await settle();
      }
      now = target;
    },
    pendingTimers: () => timers.size,
  };
}
