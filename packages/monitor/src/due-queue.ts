/** An entry of a `DueQueue`: what is due, and when. */
export interface DueEntry<T> {
  readonly at: number;
  readonly value: T;
}

/**
 * A binary min-heap of entries by time: the scheduler's "which account is due next" in
 * O(log n) a poll. Scanning every account at every poll made a round of 10,000 cost 10^8 steps.
 * Entries are never removed from the middle; the caller skips those it no longer wants when they
 * come to the top.
 */
export class DueQueue<T> {
  readonly #heap: DueEntry<T>[] = [];

  get size(): number {
    return this.#heap.length;
  }

  push(at: number, value: T): DueEntry<T> {
    const entry = { at, value };
    const heap = this.#heap;
    let index = heap.push(entry) - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (heap[parent]!.at <= at) break;
      heap[index] = heap[parent]!;
      index = parent;
    }
    heap[index] = entry;
    return entry;
  }

  peek(): DueEntry<T> | undefined {
    return this.#heap[0];
  }

  pop(): DueEntry<T> | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && heap[right]!.at < heap[left]!.at ? right : left;
      if (heap[child]!.at >= last.at) break;
      heap[index] = heap[child]!;
      index = child;
    }
    heap[index] = last;
    return top;
  }

  clear(): void {
    this.#heap.length = 0;
  }
}
