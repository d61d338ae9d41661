import { describe, expect, it } from 'vitest';

import { limitConcurrency } from './limit-concurrency.js';

/** A promise with its resolve/reject exposed, so a test decides when each task finishes. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every queued microtask and one macrotask run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('limitConcurrency', () => {
  it('never runs more than N tasks at once and returns every result in order', async () => {
    const limit = limitConcurrency(3);
    let running = 0;
    let maxRunning = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        limit(async () => {
          running++;
          maxRunning = Math.max(maxRunning, running);
          // Finish in a scrambled order.
          await new Promise((resolve) => setTimeout(resolve, (index * 7) % 5));
          running--;
          return index * 10;
        }),
      ),
    );
    expect(maxRunning).toBe(3);
    expect(results).toEqual(Array.from({ length: 20 }, (_, index) => index * 10));
  });

  it('starts a waiting task only when a slot frees up, in arrival order', async () => {
    const limit = limitConcurrency(2);
    const gates = [deferred(), deferred(), deferred(), deferred()];
    const started: number[] = [];
    const done = gates.map((gate, index) =>
      limit(async () => {
        started.push(index);
        await gate.promise;
        return index;
      }),
    );
    await settle();
    expect(started).toEqual([0, 1]);
    gates[1]!.resolve();
    await settle();
    expect(started).toEqual([0, 1, 2]);
    gates[0]!.resolve();
    await settle();
    expect(started).toEqual([0, 1, 2, 3]);
    gates[2]!.resolve();
    gates[3]!.resolve();
    expect(await Promise.all(done)).toEqual([0, 1, 2, 3]);
  });

  it('a rejected or throwing task does not leak its slot', async () => {
    const limit = limitConcurrency(1);
    await expect(limit(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(
      limit(() => {
        throw new Error('sync boom');
      }),
    ).rejects.toThrow('sync boom');
    // With a leaked slot, this would wait forever.
    await expect(limit(async () => 'still runs')).resolves.toBe('still runs');

    const limitTwo = limitConcurrency(2);
    let running = 0;
    let maxRunning = 0;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, (_, index) =>
        limitTwo(async () => {
          running++;
          maxRunning = Math.max(maxRunning, running);
          await settle();
          running--;
          if (index % 2 === 0) throw new Error(`task ${index}`);
          return index;
        }),
      ),
    );
    expect(maxRunning).toBe(2);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(
      Array.from({ length: 10 }, (_, index) => (index % 2 === 0 ? 'rejected' : 'fulfilled')),
    );
    // All slots are free again: two tasks start at once.
    const gate = deferred();
    let startedNow = 0;
    const pair = [limitTwo(() => (startedNow++, gate.promise)), limitTwo(() => (startedNow++, gate.promise))];
    await settle();
    expect(startedNow).toBe(2);
    gate.resolve();
    await Promise.all(pair);
  });

  it('accepts tasks added while others run (discovery queuing its follow-ups)', async () => {
    const limit = limitConcurrency(1);
    const order: string[] = [];
    const outer = limit(async () => {
      order.push('discover');
      return ['a', 'b'];
    }).then((found) =>
      Promise.all(
        found.map((name) =>
          limit(async () => {
            order.push(name);
            return name.toUpperCase();
          }),
        ),
      ),
    );
    expect(await outer).toEqual(['A', 'B']);
    expect(order).toEqual(['discover', 'a', 'b']);
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses concurrency %d', (value) => {
    expect(() => limitConcurrency(value)).toThrow(RangeError);
  });
});
