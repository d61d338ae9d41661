import { describe, expect, it } from 'vitest';

import { DueQueue } from './due-queue.js';

describe('DueQueue', () => {
  it('pops entries earliest first, however they were pushed', () => {
    let seed = 7;
    const random = () => (seed = (seed * 16_807) % 2_147_483_647) / 2_147_483_647;
    const queue = new DueQueue<number>();
    const times = Array.from({ length: 2000 }, () => Math.floor(random() * 500));
    times.forEach((at, index) => queue.push(at, index));
    const popped: number[] = [];
    // Interleaved with pushes, as the scheduler does.
    for (let step = 0; step < 1000; step++) popped.push(queue.pop()!.at);
    for (let step = 0; step < 100; step++) {
      times.push(500 + step);
      queue.push(500 + step, step);
    }
    while (queue.size > 0) popped.push(queue.pop()!.at);
    expect(popped).toEqual([...times].sort((a, b) => a - b));
    expect(queue.pop()).toBeUndefined();
    expect(queue.peek()).toBeUndefined();
  });
});
