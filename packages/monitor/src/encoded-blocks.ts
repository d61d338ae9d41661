import { constants, crc32, deflateRawSync } from 'node:zlib';

/**
 * A piece of a served document, encoded once and kept until its text changes: its UTF-8 bytes,
 * their CRC-32, and (made on first use) the same bytes as raw deflate ended by a sync flush.
 * Such pieces, compressed each on its own, concatenate into one valid deflate stream (as pigz
 * builds its output), so a gzip response is the cached pieces in a row plus a header and a
 * trailer: a scrape compresses only what changed since the last one.
 */
export interface EncodedBlock {
  /** The length of `bytes`, known without joining a joined block's pieces. */
  readonly length: number;
  readonly bytes: Buffer;
  readonly crc: number;
  deflated(): Buffer;
}

export function encodeBlock(text: string | Buffer): EncodedBlock {
  const bytes = typeof text === 'string' ? ownBuffer(text) : text;
  let deflated: Buffer | undefined;
  return {
    length: bytes.length,
    bytes,
    crc: crc32(bytes),
    deflated() {
      deflated ??= deflateBlock(bytes);
      return deflated;
    },
  };
}

/**
 * Raw deflate ended by a sync flush, in memory of its own size. Level 1: the exposition repeats
 * itself line after line, so the fastest level already makes it about a tenth of its size. A
 * 4 KB window and a small hash (`memLevel` 4) instead of zlib's 32 KB and 8: a block is a few KB,
 * so it compresses as well, and setting up zlib's state, most of the cost of a block this small,
 * takes about a third of the time. The deflate stream a gzip response joins them into is read
 * with any window up to 32 KB.
 */
export function deflateBlock(bytes: Buffer): Buffer {
  // zlib returns a slice of its 16 KB output buffer: kept as it is, each ~300-byte piece would
  // hold all 16 KB.
  return exactCopy(deflateRawSync(bytes, deflateOptions));
}

const deflateOptions = { level: 1, windowBits: 12, memLevel: 4, finishFlush: constants.Z_SYNC_FLUSH };

/**
 * The text's UTF-8 bytes in memory of their own. `Buffer.from` puts a short text in a slice of a
 * shared 8 KB pool, which stays whole as long as any of its slices does: blocks replaced at
 * random would keep most of the pools alive.
 */
function ownBuffer(text: string): Buffer {
  const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
  bytes.write(text);
  return bytes;
}

function exactCopy(slice: Buffer): Buffer {
  const copy = Buffer.allocUnsafeSlow(slice.length);
  slice.copy(copy);
  return copy;
}

export function byteLength(blocks: readonly EncodedBlock[]): number {
  let size = 0;
  for (const block of blocks) size += block.length;
  return size;
}

/** The uncompressed document: the blocks' bytes, in order, never copied into one buffer. */
export function plainChunks(blocks: readonly EncodedBlock[]): Buffer[] {
  return blocks.map((block) => block.bytes);
}

const gzipHeader = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
/** A final, empty block with fixed Huffman codes: ends the deflate stream. */
const finalBlock = Buffer.from([0x03, 0x00]);

/** The document as one gzip member (RFC 1952), from each block's cached deflate bytes. */
export function gzipChunks(blocks: readonly EncodedBlock[]): Buffer[] {
  const chunks: Buffer[] = [gzipHeader];
  let crc = 0;
  let size = 0;
  for (const block of blocks) {
    if (block.length === 0) continue;
    chunks.push(block.deflated());
    crc = crc32Combine(crc, block.crc, block.length);
    size += block.length;
  }
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(size % 2 ** 32, 4);
  chunks.push(finalBlock, trailer);
  return chunks;
}

// CRC-32 of two pieces joined, from each one's CRC and the second one's length: zlib's
// crc32_combine (multiplication modulo the CRC polynomial), which Node does not expose.
const polynomial = 0xedb88320;

function multiplyModulo(a: number, b: number): number {
  let m = 0x80000000;
  let product = 0;
  for (;;) {
    if (a & m) {
      product ^= b;
      if ((a & (m - 1)) === 0) break;
    }
    m >>>= 1;
    b = b & 1 ? (b >>> 1) ^ polynomial : b >>> 1;
  }
  return product >>> 0;
}

/** x^(2^k) modulo the polynomial, k = 0..31. */
const powersOfTwo: number[] = [];
{
  let power = 0x40000000;
  powersOfTwo.push(power);
  for (let k = 1; k < 32; k++) powersOfTwo.push((power = multiplyModulo(power, power)));
}

/** x^(n * 2^k) modulo the polynomial. */
function powerOfX(n: number, k: number): number {
  let product = 0x80000000;
  while (n > 0) {
    if (n % 2 === 1) product = multiplyModulo(powersOfTwo[k & 31]!, product);
    n = Math.floor(n / 2);
    k++;
  }
  return product;
}

export function crc32Combine(first: number, second: number, secondLength: number): number {
  return (multiplyModulo(powerOfX(secondLength, 3), first) ^ second) >>> 0;
}
