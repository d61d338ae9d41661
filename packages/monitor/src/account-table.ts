import { encodeBlock, type EncodedBlock, joinBlocks, type JoinedBlock } from './encoded-blocks.js';

/**
 * Every account's rendered texts (one per column: a metric family's lines, a JSON result), in
 * provider and label order, grouped into blocks of accounts whose joined text is encoded (and
 * deflated) once and kept until one of its accounts' texts changes. Serving a column is then
 * writing its cached bytes as one chunk: at 10,000 accounts a scrape writes cached bytes instead
 * of formatting 150,000 lines, and a few dozen chunks instead of thousands of blocks.
 */
export interface AccountTable {
  readonly size: number;
  /** Sets an account's texts; marks only the blocks whose text changed. */
  set(provider: string, account: string, texts: readonly string[]): void;
  /** One column, in account order, as one block made of its blocks, rebuilding those that changed. */
  column(index: number): JoinedBlock;
  /**
   * Rebuilds (and deflates) changed blocks now, between requests, so the next request only
   * writes; stops once `performance.now()` passes `until` (default: never) so that a request
   * waiting meanwhile is not held up. Returns whether none is left.
   */
  rebuild(until?: number): boolean;
  /** Whether a block waits to be rebuilt. */
  readonly stale: boolean;
}

export interface AccountTableOptions {
  columns: number;
  /** Between two accounts' texts in a column: `,` for a JSON array; nothing for exposition lines. */
  separators?: readonly string[] | undefined;
  /**
   * Accounts per block; default 32 (a block of metric lines is then ~3 KB). Smaller blocks mean less
   * to encode and deflate again per changed account; larger ones, fewer chunks per response and
   * better compression.
   */
  blockSize?: number | undefined;
}

interface Row {
  provider: string;
  account: string;
  texts: readonly string[];
  /** Its place in the order (valid while `sorted`). */
  index: number;
}

export function createAccountTable(options: AccountTableOptions): AccountTable {
  const { columns } = options;
  const blockSize = options.blockSize ?? 32;
  const separators = options.separators ?? [];
  const rows: Row[] = [];
  const byKey = new Map<string, Row>();
  /** blocks[column][block]; `undefined`: to rebuild. */
  const blocks: (EncodedBlock | undefined)[][] = Array.from({ length: columns }, () => []);
  /** Each column's blocks joined; `undefined` once one of them changed. */
  const joined: (JoinedBlock | undefined)[] = Array.from({ length: columns }, () => undefined);
  /** `block * columns + column` of the blocks to rebuild (all of them after `order()`). */
  const pending = new Set<number>();
  let sorted = true;

  // New accounts (the first round brings 10,000 of them) are sorted in once per rebuild, not one by one.
  function order(): void {
    if (sorted) return;
    rows.sort(compareRows);
    rows.forEach((row, index) => (row.index = index));
    const count = Math.ceil(rows.length / blockSize);
    pending.clear();
    for (let block = 0; block < count; block++)
      for (let index = 0; index < columns; index++) pending.add(block * columns + index);
    for (const list of blocks) list.length = 0;
    joined.fill(undefined);
    sorted = true;
  }

  function build(column: number, block: number): EncodedBlock {
    const start = block * blockSize;
    const end = Math.min(rows.length, start + blockSize);
    const separator = separators[column] ?? '';
    let text = '';
    for (let index = start; index < end; index++) {
      const cell = rows[index]!.texts[column] ?? '';
      text += index === 0 ? cell : separator + cell;
    }
    const encoded = encodeBlock(text);
    blocks[column]![block] = encoded;
    pending.delete(block * columns + column);
    return encoded;
  }

  function column(index: number): JoinedBlock {
    order();
    let result = joined[index];
    if (result !== undefined) return result;
    const list = blocks[index]!;
    const count = Math.ceil(rows.length / blockSize);
    list.length = count;
    const parts: EncodedBlock[] = [];
    for (let block = 0; block < count; block++) parts.push(list[block] ?? build(index, block));
    result = joinBlocks(parts);
    joined[index] = result;
    return result;
  }

  return {
    get size() {
      return rows.length;
    },
    get stale() {
      return !sorted || pending.size > 0;
    },
    set(provider, account, texts) {
      const key = `${provider}/${account}`;
      const row = byKey.get(key);
      if (row === undefined) {
        const added = { provider, account, texts, index: -1 };
        byKey.set(key, added);
        rows.push(added);
        sorted = false;
        return;
      }
      if (sorted) {
        const block = Math.floor(row.index / blockSize);
        for (let index = 0; index < columns; index++) {
          if (row.texts[index] === texts[index]) continue;
          blocks[index]![block] = undefined;
          joined[index] = undefined;
          pending.add(block * columns + index);
        }
      }
      row.texts = texts;
    },
    column,
    rebuild(until = Number.POSITIVE_INFINITY) {
      order();
      for (const key of pending) {
        const index = key % columns;
        const block = (key - index) / columns;
        build(index, block).deflated();
        if (performance.now() > until) return pending.size === 0;
      }
      return true;
    },
  };
}

function compareRows(a: Row, b: Row): number {
  return compareText(a.provider, b.provider) || compareText(a.account, b.account);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
