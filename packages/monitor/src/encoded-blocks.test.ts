import { crc32, gunzipSync } from 'node:zlib';

import { describe, expect, it } from 'vitest';

import { byteLength, crc32Combine, encodeBlock, gzipChunks, plainChunks } from './encoded-blocks.js';

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

  it('gzip an empty document', () => {
    expect(gunzipSync(Buffer.concat(gzipChunks([]))).length).toBe(0);
  });
});
