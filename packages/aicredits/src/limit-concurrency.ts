/**
 * Runs at most `concurrency` tasks at once. Tasks may be added while others run, which lets a
 * discovery request (PixVerse's account list) queue its follow-ups behind the same limit.
 */
export function limitConcurrency(concurrency: number): <T>(task: () => Promise<T>) => Promise<T> {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a whole number of at least 1, got ${concurrency}`);
  }
  let running = 0;
  const waiting: (() => void)[] = [];
  // A finished task hands its slot straight to the next waiter, so a newcomer cannot slip in between.
  const release = () => {
    const resume = waiting.shift();
    if (resume === undefined) running--;
    else resume();
  };
  return async (task) => {
    if (running < concurrency) running++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      release();
    }
  };
}
