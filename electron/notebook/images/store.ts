/**
 * The notebook's images (issue 17): every image an article shows is stored at import, once, under the SHA-256 of its
 * bytes in `images/<sha256>.<ext>` beside the articles, so the article reads offline and nothing remote loads on view.
 * Stored HTML names an image `gloss-image:<sha256>.<ext>` (IMAGE_REF_PREFIX); the reader turns that into its host's
 * address (`/images/<name>` behind the token in browser mode, the gloss-app:// scheme in the desktop app).
 *
 * Two halves, because one parses untrusted bytes and the other writes the notebook:
 * - prepareImage (worker side, pure): sniffs the type from the bytes (PNG, JPEG, GIF, WebP, AVIF, or SVG, which is
 *   sanitized), reads the size from the header, refuses what is none of these or too large, hashes;
 * - writeImage (notebook side): writes it durably unless a file of that name and size is already there.
 * storeImage does both, for callers already in the worker or with trusted bytes.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { GlossError } from '../errors';
import { fsyncDirectory, writeFileDurably } from '../store/durable-file';
import { EXTENSION_OF, looksLikeSvg, sniffRaster, TYPE_OF_EXTENSION, type ImageType } from './sniff';
import { sanitizeSvg, svgSize } from './svg';

import { IMAGE_REF_PREFIX, STORED_IMAGE_NAME } from '../../contract';

export { IMAGE_REF_PREFIX };
export const IMAGES_DIR = 'images';

export const IMAGE_LIMITS = {
  /** Largest single image kept, bytes (a raster photo at full size is rarely more). */
  maxImageBytes: 10 * 1024 * 1024,
  /** Largest SVG kept, bytes (it is parsed and sanitized). */
  maxSvgBytes: 1024 * 1024,
  /** All images of one article together, bytes: past this, the rest are not kept (and counted). */
  maxArticleBytes: 64 * 1024 * 1024,
  /** Images kept for one article. */
  maxImagesPerArticle: 500,
} as const;

/** `<sha256>.<ext>`: the only file names the images folder serves or sweeps. */
export const IMAGE_NAME = STORED_IMAGE_NAME;
/** A stored image's reference anywhere in stored HTML (the sweep and the reader find them with it). */
export const IMAGE_REF = /gloss-image:([0-9a-f]{64}\.(?:png|jpg|gif|webp|avif|svg))/g;

export interface StoredImage {
  sha256: string;
  ext: string;
  type: ImageType;
  /** `<sha256>.<ext>`: the file's name, and what follows IMAGE_REF_PREFIX in stored HTML. */
  name: string;
  width?: number;
  height?: number;
}

export interface PreparedImage extends StoredImage {
  /** The bytes to store: as given for a raster image, the sanitized text for an SVG. */
  bytes: Uint8Array;
}

/** Why an image was not kept: said to the user as a count per reason. */
export type ImageRefusal = 'not-an-image' | 'too-large' | 'unsafe-svg' | 'over-article-limit' | 'unavailable';

export type Prepared = { ok: true; image: PreparedImage } | { ok: false; reason: ImageRefusal; detail: string };

/**
 * Checks and identifies one image's bytes. `declaredType` (a Content-Type, a data: URL's type, a file extension's) is
 * only a hint for the message: the bytes decide. Never throws for bad bytes: the caller counts what was refused.
 */
export function prepareImage(bytes: Uint8Array, declaredType?: string): Prepared {
  const declared = declaredType ? ` (declared ${declaredType.split(';')[0].trim().slice(0, 60)})` : '';
  if (bytes.byteLength > IMAGE_LIMITS.maxImageBytes) {
    return { ok: false, reason: 'too-large', detail: `${bytes.byteLength} bytes, over the ${IMAGE_LIMITS.maxImageBytes}-byte limit for one image` };
  }
  const raster = sniffRaster(bytes);
  if (raster) return { ok: true, image: named(bytes, raster.type, raster.width, raster.height) };
  if (looksLikeSvg(bytes)) {
    if (bytes.byteLength > IMAGE_LIMITS.maxSvgBytes) {
      return { ok: false, reason: 'too-large', detail: `an SVG of ${bytes.byteLength} bytes, over the ${IMAGE_LIMITS.maxSvgBytes}-byte limit` };
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return { ok: false, reason: 'unsafe-svg', detail: 'an SVG that is not UTF-8 text' };
    }
    const safe = sanitizeSvg(text);
    if (!safe) return { ok: false, reason: 'unsafe-svg', detail: 'an SVG with nothing left after sanitizing' };
    const size = svgSize(safe);
    return { ok: true, image: named(new TextEncoder().encode(safe), 'image/svg+xml', size?.width, size?.height) };
  }
  return { ok: false, reason: 'not-an-image', detail: `not a PNG, JPEG, GIF, WebP, AVIF or SVG image${declared}` };
}

function named(bytes: Uint8Array, type: ImageType, width?: number, height?: number): PreparedImage {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const ext = EXTENSION_OF[type];
  return { sha256, ext, type, name: `${sha256}.${ext}`, bytes, ...(width && height ? { width, height } : {}) };
}

export function storedImagePath(notebookDir: string, name: string): string {
  if (!IMAGE_NAME.test(name)) throw new Error(`Not a stored image name: ${JSON.stringify(name)}`); // never a path from outside
  return path.join(notebookDir, IMAGES_DIR, name);
}

/** The MIME type a stored image is served with, from its (checked) name. */
export function storedImageType(name: string): ImageType | undefined {
  const m = IMAGE_NAME.exec(name);
  return m ? TYPE_OF_EXTENSION[m[2]] : undefined;
}

/**
 * Writes a prepared image durably (temp file, fsync, rename). An existing file of the same name and size is the same
 * image (its name is its hash) and is left alone; one whose size differs is a damaged leftover and is replaced.
 */
export async function writeImage(notebookDir: string, image: PreparedImage): Promise<{ created: boolean }> {
  const file = storedImagePath(notebookDir, image.name);
  const existing = await stat(file).catch(() => undefined);
  if (existing?.isFile() && existing.size === image.bytes.byteLength) return { created: false };
  await mkdir(path.join(notebookDir, IMAGES_DIR), { recursive: true });
  await writeFileDurably(file, image.bytes);
  return { created: true };
}

/**
 * prepareImage then writeImage: the seam other importers use (EPUB). It parses an SVG, so call it from the worker or
 * with bytes already checked; on the notebook's thread prefer prepareImage in the worker and writeImage here.
 * Throws a plain Error naming the reason when the bytes are refused.
 */
export async function storeImage(notebookDir: string, bytes: Uint8Array, declaredType?: string): Promise<StoredImage> {
  const prepared = prepareImage(bytes, declaredType);
  if (!prepared.ok) throw new Error(`Image not stored: ${prepared.detail}`);
  await writeImage(notebookDir, prepared.image);
  const { bytes: _bytes, ...stored } = prepared.image;
  return stored;
}

/** The stored image names an HTML string refers to. */
export function imagesReferencedBy(html: string | undefined): string[] {
  if (!html || !html.includes(IMAGE_REF_PREFIX)) return [];
  return [...new Set(Array.from(html.matchAll(IMAGE_REF), (m) => m[1]))];
}

/**
 * Removes stored images no article uses (`inUse` answers for a name) and temp files of killed writes. Run where the PDF
 * sweep runs: at open, and after an article is purged (with the names it used).
 */
export async function sweepUnusedImages(notebookDir: string, inUse: (name: string) => boolean, only?: readonly string[], tempsBefore = Infinity): Promise<number> {
  const folder = path.join(notebookDir, IMAGES_DIR);
  const names = only ?? (await readdir(folder).catch(() => [] as string[]));
  let removed = 0;
  for (const name of names) {
    if (!only && name.startsWith('.') && name.endsWith('.tmp')) {
      // A temp file newer than `tempsBefore` may be an image an import is writing now (the open's sweep runs beside it).
      const young = tempsBefore !== Infinity && ((await stat(path.join(folder, name)).catch(() => null))?.mtimeMs ?? Infinity) >= tempsBefore;
      if (!young) await rm(path.join(folder, name), { force: true });
    }
    else if (IMAGE_NAME.test(name) && !inUse(name)) {
      await rm(path.join(folder, name), { force: true });
      removed++;
    }
  }
  if (removed > 0) await fsyncDirectory(folder).catch(() => undefined);
  return removed;
}

export interface StoredImageFile {
  path: string;
  bytes: number;
  type: ImageType;
}

/** A stored image a host is asked for by name (from outside: checked), or not_found. */
export async function storedImageFile(notebookDir: string, name: string): Promise<StoredImageFile> {
  const type = storedImageType(name);
  if (!type) throw new GlossError('not_found', `No such image: ${JSON.stringify(name.slice(0, 100))}.`);
  const file = storedImagePath(notebookDir, name);
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) throw new GlossError('not_found', `The image ${name} is not in this notebook's images folder.`);
  return { path: file, bytes: info.size, type };
}

/**
 * Headers every served image carries, in both hosts: its type (from its checked name, never sniffed), cached for good
 * (its name is its content), and a CSP that allows nothing, so an SVG opened on its own address is an inert picture,
 * never a document of the app's origin that could run or load anything.
 */
export function imageHeaders(image: Pick<StoredImageFile, 'bytes' | 'type'>): Record<string, string> {
  return {
    'Content-Type': image.type,
    'Content-Length': String(image.bytes),
    'Cache-Control': 'private, max-age=31536000, immutable',
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
  };
}
