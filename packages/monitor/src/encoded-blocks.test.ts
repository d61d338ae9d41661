import { crc32, gunzipSync, inflateRawSync } from 'node:zlib';

import { describe, expect, it } from 'vitest';

import { byteLength, crc32Combine, deflateBlock, encodeBlock, gzipChunks, plainChunks } from './encoded-blocks.js';

const texts = ['aicredits_balance_remaining{provider="iqqz",account="a"} 5\n', '', 'é☃ multi-byte\n'.repeat(500), 'x'];

describe('encoded blocks', () => {
  it('combine CRC-32s as zlib does for the joined bytes', () => {
    const first = Buffer.from('hello, ');
    const second = Buffer.from('world'.repeat(1000));
    expect(crc32Combine(crc32(first), crc32(second), second.length)).toBe(crc32(Buffer.concat([first, second])));
    expect(crc32Combine(0, crc32(second), second.length)).toBe(crc32(second));
    expect(crc32Combine(crc32(first), crc32(Buffer.alloc(0)), 0)).toBe(crc32(first));
  });

  it('gzip separately deflated blocks into one member that gunzip reads back whole', () => {
    const blocks = texts.map(encodeBlock);
    const gzip = Buffer.concat(gzipChunks(blocks));
    expect(gunzipSync(gzip).toString()).toBe(texts.join(''));
    expect(Buffer.concat(plainChunks(blocks)).toString()).toBe(texts.join(''));
    expect(byteLength(blocks)).toBe(Buffer.byteLength(texts.join('')));
    // The same blocks again reuse their deflate bytes.
    expect(gzipChunks(blocks)[1]).toBe(gzipChunks(blocks)[1]);
  });

  it('deflate a block with a small window into bytes that inflate back and join with others', () => {
    const text = 'aicredits_balance_remaining{provider="iqqz",account="a"} 5\n'.repeat(200);
    const deflated = deflateBlock(Buffer.from(text));
    expect(deflated.length).toBeLessThan(text.length / 10);
    expect(inflateRawSync(Buffer.concat([deflated, deflated, Buffer.from([3, 0])])).toString()).toBe(text + text);
  });

  it('keep each deflated block in memory of its own size, not in a slice of a larger buffer', () => {
    const blocks = texts.map(encodeBlock);
    for (const block of blocks) {
      expect(block.deflated().buffer.byteLength).toBe(block.deflated().length);
      expect(block.bytes.buffer.byteLength).toBe(block.bytes.length);
    }
  });

  it('gzip an empty document', () => {
    expect(gunzipSync(Buffer.concat(gzipChunks([]))).length).toBe(0);
  });
});
