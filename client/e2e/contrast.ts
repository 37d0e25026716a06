// Measures text contrast against what is really rendered behind the text: translucent glass,
// blur and the illustrated backdrop, which static checkers cannot resolve. The text is made
// transparent, its box is captured, and the WCAG ratio is taken against the background pixels.
import { inflateSync } from 'node:zlib';
import type { Locator } from 'playwright-core';

type Rgb = [number, number, number];

/** Decodes an 8-bit RGB/RGBA, non-interlaced PNG (what Chromium screenshots are). */
export function decodePng(png: Buffer): { width: number; height: number; pixels: Rgb[] } {
  let pos = 8;
  let width = 0, height = 0, channels = 4;
  const idat: Buffer[] = [];
  while (pos < png.length) {
    const len = png.readUInt32BE(pos);
    const type = png.toString('ascii', pos + 4, pos + 8);
    const data = png.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 8 || data[12] !== 0) throw new Error('unsupported PNG (bit depth or interlace)');
      channels = data[9] === 6 ? 4 : data[9] === 2 ? 3 : 0;
      if (!channels) throw new Error(`unsupported PNG colour type ${data[9]}`);
    } else if (type === 'IDAT') idat.push(data);
    pos += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)] as number;
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x] as number;
      const a = x >= channels ? (out[y * stride + x - channels] as number) : 0;
      const b = y > 0 ? (out[(y - 1) * stride + x] as number) : 0;
      const c = x >= channels && y > 0 ? (out[(y - 1) * stride + x - channels] as number) : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const pred = [0, a, b, (a + b) >> 1, paeth][filter] ?? 0;
      out[y * stride + x] = (v + pred) & 0xff;
    }
  }
  const pixels: Rgb[] = [];
  for (let i = 0; i < out.length; i += channels) pixels.push([out[i] as number, out[i + 1] as number, out[i + 2] as number]);
  return { width, height, pixels };
}

export function luminance([r, g, b]: Rgb): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

export function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** The contrast that 98% of the background behind the element's text reaches or beats. */
export async function textContrast(el: Locator): Promise<{ ratio: number; color: string }> {
  const color = await el.evaluate((node) => getComputedStyle(node).color);
  const m = /rgba?\((\d+), (\d+), (\d+)/.exec(color);
  if (!m) throw new Error(`cannot read text colour ${color}`);
  const text: Rgb = [Number(m[1]), Number(m[2]), Number(m[3])];
  await el.evaluate((node) => node.setAttribute('data-measuring', ''));
  await el.page().addStyleTag({ content: '[data-measuring], [data-measuring] * { color: transparent !important; text-shadow: none !important; }' });
  const shot = await el.screenshot({ animations: 'disabled' });
  await el.evaluate((node) => node.removeAttribute('data-measuring'));
  const ratios = decodePng(shot).pixels.map((p) => contrast(text, p)).sort((a, b) => a - b);
  return { ratio: ratios[Math.floor(ratios.length * 0.02)] ?? 0, color };
}
