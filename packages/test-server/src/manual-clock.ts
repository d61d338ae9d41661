/**
 * Structurally a `Clock` of `@aicredits/core/provider-utils` (for its `withClock`) whose timers fire only when
 * the test moves time forward, so that a timeout is a step the test takes, never a race between a
 * real deadline and a busy machine.
 */
export interface ManualClock {
  clock: {
    now: () => number;
    random: () => number;
    sleep: (milliseconds: number, signal: AbortSignal) => Promise<void>;
    startTimer: (milliseconds: number, onExpiry: () => void) => () => void;
  };
  /** Every sleep the client asked for (retry waits), in milliseconds, in order; sleeps return at once. */
  waits: number[];
  /** The duration of every timer started so far, in order. */
  timers: number[];
  /** How many timers are armed: started, not fired, not cancelled. */
  armed(): number;
  /** Resolves once at least `count` timers are armed: the readiness event before `advance`. */
  whenArmed(count?: number): Promise<void>;
  /** Moves time forward, firing every armed timer whose time has come, earliest first. */
  advance(milliseconds: number): void;
}

interface ArmedTimer {
  dueAt: number;
  onExpiry: () => void;
}

export function manualClock(): ManualClock {
  const waits: number[] = [];
  const timers: number[] = [];
  const armedTimers = new Set<ArmedTimer>();
  const waiting: Array<{ count: number; wake: () => void }> = [];
  let elapsed = 0;

  const wakeWaiters = () => {
    for (const waiter of waiting.splice(0)) {
      if (armedTimers.size >= waiter.count) waiter.wake();
      else waiting.push(waiter);
    }
  };

  return {
    waits,
    timers,
    clock: {
      // Real time plus what the test advanced, so that HTTP dates (Retry-After) still make sense.
      now: () => Date.now() + elapsed,
      random: () => 0,
      sleep: async (milliseconds, signal) => {
        waits.push(milliseconds);
        if (signal.aborted) throw signal.reason;
      },
      startTimer: (milliseconds, onExpiry) => {
        const timer: ArmedTimer = { dueAt: elapsed + milliseconds, onExpiry };
        timers.push(milliseconds);
        armedTimers.add(timer);
        wakeWaiters();
        return () => {
          armedTimers.delete(timer);
        };
      },
    },
    armed: () => armedTimers.size,
    whenArmed: (count = 1) =>
      new Promise<void>((wake) => {
        waiting.push({ count, wake });
        wakeWaiters();
      }),
    advance: (milliseconds) => {
      elapsed += milliseconds;
      const due = [...armedTimers].filter((timer) => timer.dueAt <= elapsed).sort((a, b) => a.dueAt - b.dueAt);
      for (const timer of due) {
        armedTimers.delete(timer);
        timer.onExpiry();
      }
    },
  };
}
