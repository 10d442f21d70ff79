/**
 * The image store (issue 17 item 2): type from the bytes, size from the header, SVG sanitized, limits, content
 * addressing, and the sweep. Real files in a temp folder.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IMAGE_LIMITS, imagesReferencedBy, prepareImage, storeImage, sweepUnusedImages } from '../../electron/notebook/images';
import { GIF_1X1, makePng } from '../support/make-image';

const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'gloss-images-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A baseline JPEG header down to its SOF0 (the store reads no further). */
function jpegHeader(width: number, height: number): Buffer {
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
  const sof = Buffer.from([0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 255, width >> 8, width & 255, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof, Buffer.from([0xff, 0xd9])]);
}

function webpVp8x(width: number, height: number): Buffer {
  const b = Buffer.alloc(30);
  b.write('RIFF', 0, 'latin1');
  b.writeUInt32LE(22, 4);
  b.write('WEBPVP8X', 8, 'latin1');
  b.writeUInt32LE(10, 16);
  b.writeUIntLE(width - 1, 24, 3);
  b.writeUIntLE(height - 1, 27, 3);
  return b;
}

function avifHeader(width: number, height: number): Buffer {
  const ftyp = Buffer.concat([Buffer.from([0, 0, 0, 0x1c]), Buffer.from('ftypavif\0\0\0\0avifmif1miaf', 'latin1')]);
  const ispe = Buffer.alloc(20);
  ispe.writeUInt32BE(20, 0);
  ispe.write('ispe', 4, 'latin1');
  ispe.writeUInt32BE(width, 12);
  ispe.writeUInt32BE(height, 16);
  return Buffer.concat([ftyp, ispe]);
}

describe('prepareImage', () => {
  it('knows each format by its bytes, whatever it was declared as, and reads its size', () => {
    const cases: Array<[Buffer, string, string, number, number]> = [
      [makePng(31, 17), 'image/png', 'png', 31, 17],
      [GIF_1X1, 'image/gif', 'gif', 1, 1],
      [jpegHeader(640, 480), 'image/jpeg', 'jpg', 640, 480],
      [webpVp8x(1200, 800), 'image/webp', 'webp', 1200, 800],
      [avifHeader(320, 240), 'image/avif', 'avif', 320, 240],
    ];
    for (const [bytes, type, ext, width, height] of cases) {
      const p = prepareImage(bytes, 'image/x-lies');
      expect(p.ok, type).toBe(true);
      if (!p.ok) continue;
      expect(p.image).toMatchObject({ type, ext, width, height });
      expect(p.image.name).toMatch(new RegExp(`^[0-9a-f]{64}\\.${ext}$`));
    }
  });

  it('refuses bytes that are no image, saying what they were declared as', () => {
    const p = prepareImage(Buffer.from('<html><script>alert(1)</script></html>'), 'image/png');
    expect(p).toMatchObject({ ok: false, reason: 'not-an-image' });
    if (!p.ok) expect(p.detail).toContain('declared image/png');
  });

  it('refuses an image over the size limit', () => {
    const big = Buffer.concat([makePng(1, 1), Buffer.alloc(IMAGE_LIMITS.maxImageBytes)]);
    expect(prepareImage(big)).toMatchObject({ ok: false, reason: 'too-large' });
  });

  it('sanitizes SVG: no script, no handlers, no outside references; gradients by #id stay', () => {
    const svg = `<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="40" height="20" onload="alert(1)">
      <script>alert(2)</script><defs><linearGradient id="g"><stop offset="0" stop-color="red"/></linearGradient></defs>
      <rect width="40" height="20" fill="url(#g)"/><rect fill="url(https://evil.example/x)" width="1" height="1"/>
      <image href="https://evil.example/track.png"/><use href="https://evil.example/s.svg#a"/>
      <foreignObject><div xmlns="http://www.w3.org/1999/xhtml">hi</div></foreignObject></svg>`;
    const p = prepareImage(Buffer.from(svg), 'image/svg+xml');
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    const out = Buffer.from(p.image.bytes).toString('utf8');
    expect(p.image).toMatchObject({ type: 'image/svg+xml', ext: 'svg', width: 40, height: 20 });
    expect(out).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(out).toContain('fill="url(#g)"');
    expect(out).not.toMatch(/script|onload|evil\.example|foreignObject|<image|<use/i);
  });

  it('refuses an SVG with a DOCTYPE internal subset (entity expansion) as not an image', () => {
    const bomb = '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><svg xmlns="http://www.w3.org/2000/svg">&b;</svg>';
    expect(prepareImage(Buffer.from(bomb))).toMatchObject({ ok: false });
  });
});

describe('storeImage and the sweep', () => {
  it('stores content-addressed, once, and sweeps what no article uses', async () => {
    const dir = tempDir();
    const a = await storeImage(dir, makePng(3, 3), 'image/png');
    const again = await storeImage(dir, makePng(3, 3));
    const b = await storeImage(dir, GIF_1X1);
    expect(again.name).toBe(a.name);
    expect(readdirSync(path.join(dir, 'images')).sort()).toEqual([a.name, b.name].sort());
    expect(readFileSync(path.join(dir, 'images', a.name))).toEqual(makePng(3, 3));
    writeFileSync(path.join(dir, 'images', '.gloss-abc.tmp'), 'x');
    writeFileSync(path.join(dir, 'images', 'notes.txt'), 'not ours');
    const html = `<p><img src="gloss-image:${a.name}" alt=""></p>`;
    expect(imagesReferencedBy(html)).toEqual([a.name]);
    const used = new Set(imagesReferencedBy(html));
    expect(await sweepUnusedImages(dir, (n) => used.has(n))).toBe(1);
    expect(readdirSync(path.join(dir, 'images')).sort()).toEqual([a.name, 'notes.txt'].sort());
  });

  it('refuses bytes that are not an image, and writes nothing', async () => {
    const dir = tempDir();
    await expect(storeImage(dir, Buffer.from('GIF is not here'), 'image/gif')).rejects.toThrow(/not a PNG, JPEG/);
    mkdirSync(path.join(dir, 'images'), { recursive: true });
    expect(readdirSync(path.join(dir, 'images'))).toEqual([]);
  });
});
