/**
 * What an image's bytes are, by their first bytes (never by a file name or a server's Content-Type), and how large it
 * is, read from its header: enough for the reader to reserve the image's box before it loads (no layout shift).
 *
 * Hand-written rather than a library because each format's signature and size field is a few fixed offsets (the same
 * offsets the `image-size` package reads) and no image library is installed; nothing here decodes pixels.
 */

export type ImageType = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp' | 'image/avif' | 'image/svg+xml';

export const EXTENSION_OF: Readonly<Record<ImageType, string>> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/avif': 'avif',
  'image/svg+xml': 'svg',
};

export const TYPE_OF_EXTENSION: Readonly<Record<string, ImageType>> = Object.fromEntries(
  Object.entries(EXTENSION_OF).map(([type, ext]) => [ext, type as ImageType]),
);

export interface SniffedImage {
  type: ImageType;
  width?: number;
  height?: number;
}

const ascii = (b: Uint8Array, start: number, length: number): string => String.fromCharCode(...b.subarray(start, start + length));
const u16be = (b: Uint8Array, i: number): number => (b[i] << 8) | b[i + 1];
const u16le = (b: Uint8Array, i: number): number => b[i] | (b[i + 1] << 8);
const u24le = (b: Uint8Array, i: number): number => b[i] | (b[i + 1] << 8) | (b[i + 2] << 16);
const u32be = (b: Uint8Array, i: number): number => ((b[i] << 24) >>> 0) + (b[i + 1] << 16) + (b[i + 2] << 8) + b[i + 3];

/** A raster image's type and size, or null when the bytes are none of PNG, JPEG, GIF, WebP, AVIF (SVG: see ./svg.ts). */
export function sniffRaster(b: Uint8Array): SniffedImage | null {
  if (b.length >= 24 && b[0] === 0x89 && ascii(b, 1, 3) === 'PNG' && b[4] === 0x0d && b[5] === 0x0a && b[6] === 0x1a && b[7] === 0x0a) {
    return sized('image/png', ascii(b, 12, 4) === 'IHDR' ? u32be(b, 16) : 0, ascii(b, 12, 4) === 'IHDR' ? u32be(b, 20) : 0);
  }
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return jpeg(b);
  if (b.length >= 10 && (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a')) return sized('image/gif', u16le(b, 6), u16le(b, 8));
  if (b.length >= 16 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return webp(b);
  if (b.length >= 16 && ascii(b, 4, 4) === 'ftyp' && isAvifBrand(b)) return avif(b);
  return null;
}

function sized(type: ImageType, width: number, height: number): SniffedImage {
  // A size of 0 or an absurd one says nothing useful: the reader then lets the browser size the image.
  const ok = (n: number): boolean => Number.isInteger(n) && n > 0 && n <= 100_000;
  return ok(width) && ok(height) ? { type, width, height } : { type };
}

/** JPEG: walk the markers to the first start-of-frame (SOF0..SOF15 but DHT C4, JPG C8, DAC CC), which holds the size. */
function jpeg(b: Uint8Array): SniffedImage {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return { type: 'image/jpeg' };
    const marker = b[i + 1];
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      i += 2; // markers without a length
      continue;
    }
    const length = u16be(b, i + 2);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return sized('image/jpeg', u16be(b, i + 7), u16be(b, i + 5));
    }
    if (length < 2) return { type: 'image/jpeg' };
    i += 2 + length;
  }
  return { type: 'image/jpeg' };
}

function webp(b: Uint8Array): SniffedImage {
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8 ' && b.length >= 30) return sized('image/webp', u16le(b, 26) & 0x3fff, u16le(b, 28) & 0x3fff);
  if (chunk === 'VP8L' && b.length >= 25) {
    const bits = b[21] | (b[22] << 8) | (b[23] << 16) | (b[24] << 24);
    return sized('image/webp', (bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1);
  }
  if (chunk === 'VP8X' && b.length >= 30) return sized('image/webp', u24le(b, 24) + 1, u24le(b, 27) + 1);
  return { type: 'image/webp' };
}

/** AVIF: an ISO-BMFF `ftyp` box whose major or compatible brands include avif/avis. */
function isAvifBrand(b: Uint8Array): boolean {
  const size = Math.min(u32be(b, 0), b.length, 256);
  for (let i = 8; i + 4 <= size; i += 4) {
    if (i === 12) continue; // minor version
    const brand = ascii(b, i, 4);
    if (brand === 'avif' || brand === 'avis') return true;
  }
  return false;
}

/** AVIF's size is in its first `ispe` (image spatial extents) property: version/flags, then width and height. */
function avif(b: Uint8Array): SniffedImage {
  const limit = Math.min(b.length - 15, 64 * 1024); // the box needs 16 bytes from its type
  for (let i = 4; i < limit; i++) {
    if (b[i] === 0x69 && b[i + 1] === 0x73 && b[i + 2] === 0x70 && b[i + 3] === 0x65) return sized('image/avif', u32be(b, i + 8), u32be(b, i + 12));
  }
  return { type: 'image/avif' };
}

/** Whether the bytes look like SVG text: optional BOM, XML declaration, comments and doctype, then `<svg`. */
export function looksLikeSvg(b: Uint8Array): boolean {
  const head = new TextDecoder('utf-8', { fatal: false }).decode(b.subarray(0, 4096)).replace(/^\uFEFF/, '');
  return /^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*|<!DOCTYPE[^>]*>\s*)*<svg[\s>]/i.test(head);
}
