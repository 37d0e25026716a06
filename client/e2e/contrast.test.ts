import { describe, expect, it } from 'bun:test';
import { deflateSync } from 'node:zlib';
import { contrast, decodePng } from './contrast.ts';

function png(width: number, height: number, rows: number[][]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'ascii');
    data.copy(out, 8);
    return out; // CRC is not checked by the decoder
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2; // RGB
  const raw = Buffer.concat(rows.map((r) => Buffer.from([1, ...r]))); // filter 1 (Sub) on every row
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

describe('contrast measurement', () => {
  it('computes WCAG ratios', () => {
    expect(contrast([255, 255, 255], [0, 0, 0])).toBeCloseTo(21, 5);
    expect(contrast([118, 118, 118], [255, 255, 255])).toBeCloseTo(4.54, 1);
  });
  it('decodes filtered PNG rows back to pixels', () => {
    // Sub filter: each byte is stored as the difference from the pixel to its left.
    const decoded = decodePng(png(2, 1, [[10, 20, 30, 5, 5, 5]]));
    expect(decoded.pixels).toEqual([[10, 20, 30], [15, 25, 35]]);
  });
});
