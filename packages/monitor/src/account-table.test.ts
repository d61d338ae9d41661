import { gunzipSync } from 'node:zlib';

import { describe, expect, it } from 'vitest';

import { createAccountTable } from './account-table.js';
import { gzipChunks } from './encoded-blocks.js';

const texts = (account: string, value: number) => [
  `a{account="${account}"} ${value}\n`,
  `b{account="${account}"} ${value}\n`,
];

function filled(accounts: number) {
  const table = createAccountTable({ columns: 2, blockSize: 4 });
  for (let index = 0; index < accounts; index++) {
    table.set(
      'p',
      `account-${String(index).padStart(3, '0')}`,
      texts(`account-${String(index).padStart(3, '0')}`, index),
    );
  }
  return table;
}

const expected = (column: 0 | 1, accounts: number, changed: Record<number, number> = {}) =>
  Array.from(
    { length: accounts },
    (_, index) => texts(`account-${String(index).padStart(3, '0')}`, changed[index] ?? index)[column],
  ).join('');

describe('createAccountTable', () => {
  it('serves each column as one block made of blocks of accounts, in account order', () => {
    const table = createAccountTable({ columns: 2, blockSize: 4 });
    for (const index of [9, 3, 0, 7, 1, 2, 8, 4, 6, 5]) {
      table.set(
        'p',
        `account-${String(index).padStart(3, '0')}`,
        texts(`account-${String(index).padStart(3, '0')}`, index),
      );
    }
    const column = table.column(1);
    expect(column.parts.map((part) => part.length)).toEqual(
      [4, 4, 2].map((count) => count * 'b{account="account-000"} 0\n'.length),
    );
    expect(column.bytes.toString()).toBe(expected(1, 10));
    expect(gunzipSync(Buffer.concat(gzipChunks([column]))).toString()).toBe(expected(1, 10));
    // Nothing changed: the same block, joined once.
    expect(table.column(1)).toBe(column);
  });

  it('rebuilds in slices that stop at the deadline, one block at least, until none is left', () => {
    const table = filled(10);
    expect(table.stale).toBe(true);
    // A deadline already passed: one block per call; 3 blocks in each of 2 columns.
    let calls = 1;
    while (!table.rebuild(Number.NEGATIVE_INFINITY)) calls++;
    expect(calls).toBe(6);
    expect(table.stale).toBe(false);
    const before = [table.column(0), table.column(1)];

    // Account 5 changes in column 0 only, account 9 in both: blocks 1 and 2 of column 0, block 2 of column 1.
    table.set('p', 'account-005', [texts('account-005', 50)[0]!, texts('account-005', 5)[1]!]);
    table.set('p', 'account-009', texts('account-009', 90));
    expect(table.rebuild(Number.NEGATIVE_INFINITY)).toBe(false);
    expect(table.rebuild(Number.NEGATIVE_INFINITY)).toBe(false);
    expect(table.rebuild(Number.NEGATIVE_INFINITY)).toBe(true);
    expect(table.rebuild()).toBe(true);

    const after = [table.column(0), table.column(1)];
    expect(after[0]!.parts.map((part, index) => part === before[0]!.parts[index])).toEqual([true, false, false]);
    expect(after[1]!.parts.map((part, index) => part === before[1]!.parts[index])).toEqual([true, true, false]);
    expect(after[0]!.bytes.toString()).toBe(expected(0, 10, { 5: 50, 9: 90 }));
    expect(gunzipSync(Buffer.concat(gzipChunks(after))).toString()).toBe(
      expected(0, 10, { 5: 50, 9: 90 }) + expected(1, 10, { 9: 90 }),
    );
  });

  it('answers a request between slices with every change, building what the slices have not reached', () => {
    const table = filled(10);
    table.rebuild();
    table.set('p', 'account-001', texts('account-001', 10));
    table.set('p', 'account-008', texts('account-008', 80));
    expect(table.rebuild(Number.NEGATIVE_INFINITY)).toBe(false);
    expect(table.column(0).bytes.toString()).toBe(expected(0, 10, { 1: 10, 8: 80 }));
    expect(table.column(1).bytes.toString()).toBe(expected(1, 10, { 1: 10, 8: 80 }));
    // What the request built is not built again.
    expect(table.rebuild(Number.NEGATIVE_INFINITY)).toBe(true);
  });

  it('sorts accounts that arrive later into place and rebuilds every block after them', () => {
    const table = filled(10);
    table.rebuild();
    table.set('a', 'first', ['a{account="first"} 1\n', 'b{account="first"} 1\n']);
    expect(table.stale).toBe(true);
    let calls = 1;
    while (!table.rebuild(Number.NEGATIVE_INFINITY)) calls++;
    expect(calls).toBe(6);
    expect(table.column(0).bytes.toString()).toBe(`a{account="first"} 1\n${expected(0, 10)}`);
  });
});
