import { crc32, gunzipSync } from 'node:zlib';

import { describe, expect, it } from 'vitest';

import { createAccountTable } from './account-table.js';
import { gzipChunks } from './encoded-blocks.js';

const name = (index: number) => `account-${String(index).padStart(3, '0')}`;
const texts = (account: string, value: number) => [
  `a{account="${account}"} ${value}\n`,
  `b{account="${account}"} ${value}\n`,
];

function filled(accounts: number) {
  const table = createAccountTable({ columns: 2, blockSize: 4 });
  for (let index = 0; index < accounts; index++) table.set('p', name(index), texts(name(index), index));
  return table;
}

const expected = (column: 0 | 1, accounts: number, changed: Record<number, number> = {}) =>
  Array.from({ length: accounts }, (_, index) => texts(name(index), changed[index] ?? index)[column]).join('');

const gunzip = (table: ReturnType<typeof createAccountTable>, column: number) =>
  gunzipSync(Buffer.concat(gzipChunks([table.column(column)]))).toString();

describe('createAccountTable', () => {
  it('serves each column as one block in account order, with its CRC-32 and deflate stream', () => {
    const table = createAccountTable({ columns: 2, blockSize: 4 });
    for (const index of [9, 3, 0, 7, 1, 2, 8, 4, 6, 5]) table.set('p', name(index), texts(name(index), index));
    const column = table.column(1);
    expect(column.bytes.toString()).toBe(expected(1, 10));
    expect(column.length).toBe(column.bytes.length);
    expect(column.crc).toBe(crc32(column.bytes));
    expect(gunzip(table, 1)).toBe(expected(1, 10));
    expect(table.size).toBe(10);
    // Nothing changed: the same block, joined once.
    expect(table.column(1)).toBe(column);
  });

  it('serves the last published snapshot until a rebuild has built every change, then all columns at once', () => {
    const table = filled(10);
    table.rebuild();
    const before = [table.column(0), table.column(1)];

    // Account 5 changes in column 0 only, account 9 in both.
    table.set('p', 'account-005', [texts('account-005', 50)[0]!, texts('account-005', 5)[1]!]);
    table.set('p', 'account-009', texts('account-009', 90));
    expect(table.stale).toBe(true);
    // A request meanwhile gets the snapshot as it was, built or not, and builds nothing.
    expect(table.column(0)).toBe(before[0]);
    expect(table.column(1)).toBe(before[1]);
    // A deadline already passed: one step per call (three blocks to build, two columns to join).
    let calls = 1;
    while (!table.rebuild(Number.NEGATIVE_INFINITY)) {
      calls++;
      expect(table.column(0)).toBe(before[0]);
      expect(table.column(1)).toBe(before[1]);
    }
    expect(calls).toBeGreaterThanOrEqual(3);
    expect(table.stale).toBe(false);
    expect(table.column(0).bytes.toString()).toBe(expected(0, 10, { 5: 50, 9: 90 }));
    expect(table.column(1).bytes.toString()).toBe(expected(1, 10, { 9: 90 }));
    expect(gunzip(table, 0)).toBe(expected(0, 10, { 5: 50, 9: 90 }));
    expect(gunzip(table, 1)).toBe(expected(1, 10, { 9: 90 }));
    expect(table.column(0).crc).toBe(crc32(table.column(0).bytes));
  });

  it('publishes a change made between the slices of a rebuild with that rebuild, in a column already joined too', () => {
    const table = filled(10);
    table.rebuild();
    const before = table.column(0);
    table.set('p', 'account-001', texts('account-001', 10));
    // One step per call: build its two blocks, then join column 0, then stop before column 1.
    for (let step = 0; step < 3; step++) expect(table.rebuild(Number.NEGATIVE_INFINITY)).toBe(false);
    expect(table.column(0)).toBe(before);
    table.set('p', 'account-008', texts('account-008', 80));
    expect(table.rebuild()).toBe(true);
    expect(table.column(0).bytes.toString()).toBe(expected(0, 10, { 1: 10, 8: 80 }));
    expect(table.column(1).bytes.toString()).toBe(expected(1, 10, { 1: 10, 8: 80 }));
    expect(gunzip(table, 0)).toBe(expected(0, 10, { 1: 10, 8: 80 }));
    expect(table.stale).toBe(false);
  });

  it('marks nothing when an account is set to the texts it has', () => {
    const table = filled(10);
    table.rebuild();
    const before = table.column(0);
    table.set('p', 'account-003', texts('account-003', 3));
    expect(table.stale).toBe(false);
    expect(table.rebuild()).toBe(true);
    expect(table.column(0)).toBe(before);
  });

  it('builds everything for a request before the first rebuild (start-up), and serves nothing when empty', () => {
    expect(createAccountTable({ columns: 1 }).column(0).length).toBe(0);
    const table = filled(6);
    expect(table.size).toBe(0);
    expect(table.column(0).bytes.toString()).toBe(expected(0, 6));
    expect(table.size).toBe(6);
    expect(table.stale).toBe(false);
  });

  it('sorts accounts that arrive later into place; the snapshot keeps the old order until published', () => {
    const table = filled(10);
    table.rebuild();
    table.set('a', 'first', ['a{account="first"} 1\n', 'b{account="first"} 1\n']);
    expect(table.stale).toBe(true);
    expect(table.column(0).bytes.toString()).toBe(expected(0, 10));
    expect(table.size).toBe(10);
    while (!table.rebuild(Number.NEGATIVE_INFINITY));
    expect(table.column(0).bytes.toString()).toBe(`a{account="first"} 1\n${expected(0, 10)}`);
    expect(gunzip(table, 1)).toBe(`b{account="first"} 1\n${expected(1, 10)}`);
    expect(table.size).toBe(11);
  });

  it('puts separators between accounts across blocks, and keeps multi-byte text whole', () => {
    const table = createAccountTable({ columns: 1, separators: [','], blockSize: 2 });
    for (const [index, text] of ['{"a":"é"}', '{"b":"☃"}', '{"c":1}', '{"d":2}', '{"e":3}'].entries()) {
      table.set('p', name(index), [text]);
    }
    expect(JSON.parse(`[${table.column(0).bytes.toString()}]`)).toEqual([
      { a: 'é' },
      { b: '☃' },
      { c: 1 },
      { d: 2 },
      { e: 3 },
    ]);
    table.set('p', name(1), ['{"b":"☃☃"}']);
    table.rebuild();
    expect(gunzip(table, 0)).toBe('{"a":"é"},{"b":"☃☃"},{"c":1},{"d":2},{"e":3}');
  });
});
