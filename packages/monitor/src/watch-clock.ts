/** Time for the scheduler; tests inject a manual one so a simulated day runs in moments. */
export interface WatchClock {
  now(): number;
  /** Calls `callback` after `milliseconds`; returns a function that cancels it. */
  setTimer(callback: () => void, milliseconds: number): () => void;
  /** In [0, 1), for jitter. */
  random(): number;
}

// setTimeout holds at most 2^31-1 ms; longer waits are chained.
const maxTimer = 2_147_483_647;

export const systemWatchClock: WatchClock = {
  now: () => Date.now(),
  random: () => Math.random(),
  setTimer(callback, milliseconds) {
    let handle: ReturnType<typeof setTimeout>;
    const due = Date.now() + milliseconds;
    const arm = () => {
      const wait = Math.max(0, due - Date.now());
      handle = setTimeout(wait > maxTimer ? arm : callback, Math.min(wait, maxTimer));
    };
    arm();
    return () => clearTimeout(handle);
  },
};
