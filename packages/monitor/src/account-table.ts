import { crc32 } from 'node:zlib';

import { deflateBlock, type EncodedBlock } from './encoded-blocks.js';

/**
 * Every account's rendered texts (one per column: a metric family's lines, a JSON result), in
 * provider and label order, grouped into blocks of accounts that are encoded and deflated once and
 * kept until one of their accounts' texts changes. Each column is served as one chunk: its blocks'
 * bytes joined once per rebuild, so at 10,000 accounts a request writes cached bytes instead of
 * formatting 150,000 lines, and copies nothing.
 *
 * A request is answered from the last complete rebuild (the published snapshot), never by
 * building what changed since: `set` only marks blocks, `rebuild` (between requests, in slices)
 * builds them and then swaps every column at once. What is served is therefore as old as the
 * last rebuild: the caller decides how often to rebuild (the HTTP thread: each batch of updates,
 * which the watcher's thread sends at most once a second).
 *
 * Texts are kept as bytes (one buffer per account), not as strings: 10,000 accounts' texts are
 * ~18 MB, which as strings in the JavaScript heap every major garbage collection would trace.
 */
export interface AccountTable {
  /** Accounts in the published snapshot. */
  readonly size: number;
  /** Sets an account's texts; marks the blocks whose text changed. Served after the next complete rebuild. */
  set(provider: string, account: string, texts: readonly string[]): void;
  /**
   * One column of the published snapshot, in account order, as one block. Before the first
   * rebuild has completed, builds everything now (start-up only).
   */
  column(index: number): EncodedBlock;
  /**
   * Builds (and deflates) the changed blocks, then joins each changed column and publishes them
   * all together; stops once `performance.now()` passes `until` (default: never) after at least
   * one step, so a request waiting meanwhile is not held up. Returns whether all of it is done
   * (published, nothing left).
   */
  rebuild(until?: number): boolean;
  /** Whether something set is not published yet. */
  readonly stale: boolean;
}

export interface AccountTableOptions {
  columns: number;
  /** Between two accounts' texts in a column: `,` for a JSON array; nothing for exposition lines. */
  separators?: readonly string[] | undefined;
  /**
   * Accounts per block; default 32 (a block of metric lines is then ~3 KB). Smaller blocks mean less
   * to encode and deflate again per changed account; larger ones, better compression.
   */
  blockSize?: number | undefined;
}

interface Row {
  provider: string;
  account: string;
  /** Every column's text, UTF-8, one after the other. */
  bytes: Buffer;
  /** Where each column's text ends in `bytes` (starts where the previous one ends). */
  ends: number[];
  /** Its place in the order (valid while `sorted`). */
  index: number;
}

interface Built {
  bytes: Buffer;
  deflated: Buffer;
}

interface Published {
  block: EncodedBlock;
  /** Per block, where its bytes (and its deflated bytes) start in the column's; one more at the end. */
  starts: number[];
  deflatedStarts: number[];
}

const empty = Buffer.alloc(0);

export function createAccountTable(options: AccountTableOptions): AccountTable {
  const { columns } = options;
  const blockSize = options.blockSize ?? 32;
  const separators = Array.from({ length: columns }, (_, index) => Buffer.from(options.separators?.[index] ?? ''));
  const rows: Row[] = [];
  const byKey = new Map<string, Row>();
  /** `block * columns + column` of the blocks to build. */
  const pending = new Set<number>();
  /** Blocks built since the last publish, by the same key. */
  const built = new Map<number, Built>();
  /** Columns with a block built since the last publish. */
  const changedColumns = new Set<number>();
  /** Each column as last published; `undefined` before the first publish. */
  let published: (Published | undefined)[] = Array.from({ length: columns }, () => undefined);
  /** Columns joined for the publish under way. */
  let joining = new Map<number, Published>();
  let publishedSize = 0;
  let sorted = true;

  // New accounts (the first round brings 10,000 of them) are sorted in once per rebuild, not one by
  // one; every block after them moves, so all are built again.
  function order(): void {
    if (sorted) return;
    rows.sort(compareRows);
    rows.forEach((row, index) => (row.index = index));
    pending.clear();
    built.clear();
    joining = new Map();
    const count = blockCount();
    for (let block = 0; block < count; block++)
      for (let index = 0; index < columns; index++) pending.add(block * columns + index);
    for (let index = 0; index < columns; index++) changedColumns.add(index);
    sorted = true;
  }

  const blockCount = () => Math.ceil(rows.length / blockSize);

  function build(key: number): void {
    const column = key % columns;
    const block = (key - column) / columns;
    const start = block * blockSize;
    const end = Math.min(rows.length, start + blockSize);
    const separator = separators[column]!;
    let size = 0;
    for (let index = start; index < end; index++) {
      const row = rows[index]!;
      size += row.ends[column]! - (column === 0 ? 0 : row.ends[column - 1]!) + (index === 0 ? 0 : separator.length);
    }
    const bytes = size === 0 ? empty : Buffer.allocUnsafeSlow(size);
    let at = 0;
    for (let index = start; index < end; index++) {
      const row = rows[index]!;
      if (index > 0) at += separator.copy(bytes, at);
      at += row.bytes.copy(bytes, at, column === 0 ? 0 : row.ends[column - 1], row.ends[column]);
    }
    built.set(key, { bytes, deflated: size === 0 ? empty : deflateBlock(bytes) });
    pending.delete(key);
    changedColumns.add(column);
  }

  /** The column's blocks in a row, each the one just built or else its bytes in the published column. */
  function join(column: number): Published {
    const count = blockCount();
    const before = published[column];
    const parts: Built[] = [];
    let size = 0;
    let deflatedSize = 0;
    for (let block = 0; block < count; block++) {
      const part = built.get(block * columns + column) ?? slice(before!, block);
      parts.push(part);
      size += part.bytes.length;
      deflatedSize += part.deflated.length;
    }
    const bytes = Buffer.allocUnsafeSlow(size);
    const deflated = Buffer.allocUnsafeSlow(deflatedSize);
    const starts = [0];
    const deflatedStarts = [0];
    for (const part of parts) {
      starts.push(starts.at(-1)! + part.bytes.copy(bytes, starts.at(-1)));
      deflatedStarts.push(deflatedStarts.at(-1)! + part.deflated.copy(deflated, deflatedStarts.at(-1)));
    }
    const block: EncodedBlock = { length: size, bytes, crc: crc32(bytes), deflated: () => deflated };
    return { block, starts, deflatedStarts };
  }

  function column(index: number): EncodedBlock {
    if (published[index] === undefined) rebuild();
    return published[index]!.block;
  }

  function rebuild(until = Number.POSITIVE_INFINITY): boolean {
    order();
    for (const key of pending) {
      build(key);
      if (performance.now() > until && (pending.size > 0 || changedColumns.size > 0)) return false;
    }
    for (let index = 0; index < columns; index++) {
      if (joining.has(index) || (published[index] !== undefined && !changedColumns.has(index))) continue;
      joining.set(index, join(index));
      if (performance.now() > until && index < columns - 1) return false;
    }
    // Every column at once: a request sees one snapshot, not families of different ages.
    const next = [...published];
    for (const [index, joined] of joining) next[index] = joined;
    published = next;
    publishedSize = rows.length;
    joining = new Map();
    built.clear();
    changedColumns.clear();
    return true;
  }

  return {
    get size() {
      return publishedSize;
    },
    get stale() {
      return !sorted || pending.size > 0 || changedColumns.size > 0;
    },
    set(provider, account, texts) {
      const key = `${provider}/${account}`;
      const { bytes, ends } = encodeRow(texts);
      const row = byKey.get(key);
      if (row === undefined) {
        const added = { provider, account, bytes, ends, index: -1 };
        byKey.set(key, added);
        rows.push(added);
        sorted = false;
        return;
      }
      if (sorted) {
        const block = Math.floor(row.index / blockSize);
        for (let index = 0; index < columns; index++) {
          const start = index === 0 ? 0 : ends[index - 1]!;
          const before = index === 0 ? 0 : row.ends[index - 1]!;
          if (bytes.compare(row.bytes, before, row.ends[index], start, ends[index]) === 0) continue;
          pending.add(block * columns + index);
          // A column already joined for the publish under way is joined again with this block.
          joining.delete(index);
        }
      }
      row.bytes = bytes;
      row.ends = ends;
    },
    column,
    rebuild,
  };
}

function slice(column: Published, block: number): Built {
  return {
    bytes: column.block.bytes.subarray(column.starts[block], column.starts[block + 1]),
    deflated: column.block.deflated().subarray(column.deflatedStarts[block], column.deflatedStarts[block + 1]),
  };
}

/** The texts' UTF-8 bytes in one buffer of their own (not a slice of Node's shared pool). */
function encodeRow(texts: readonly string[]): { bytes: Buffer; ends: number[] } {
  const ends: number[] = [];
  let size = 0;
  for (const text of texts) ends.push((size += Buffer.byteLength(text)));
  const bytes = Buffer.allocUnsafeSlow(size);
  let at = 0;
  for (const text of texts) at += bytes.write(text, at);
  return { bytes, ends };
}

function compareRows(a: Row, b: Row): number {
  return compareText(a.provider, b.provider) || compareText(a.account, b.account);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
