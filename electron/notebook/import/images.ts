/**
 * Which bytes an article's <img> stands for, at import (issue 17 item 2). The sanitizer (./sanitize.ts) hands each
 * image's raw candidates (src, then srcset widest first) to an ImageResolver; this one finds the bytes in what the
 * import brought — a `data:` URL, a file dropped with the page (its `_files` folder), or an image fetched for a URL
 * import — and prepares them (../images: type from the bytes, size from the header, SVG sanitized). It runs in the
 * worker, inside the import job; the notebook then writes the prepared images and the article.
 *
 * What it cannot find it records (`wanted`: remote addresses a URL import then fetches), what it refuses it counts.
 */
import { IMAGE_LIMITS, prepareImage, type ImageRefusal, type PreparedImage } from '../images';

export interface ResolvedImage {
  name: string;
  width?: number;
  height?: number;
}

export interface ImageResolver {
  /** The stored image for an <img> with these candidate addresses (as the page wrote them), or null. */
  resolve(candidates: readonly string[], base: string | undefined): ResolvedImage | null;
}

/** A file given with the page: its path relative to the page's folder ("Page_files/fig1.png") or just its name. */
export interface ImageAttachment {
  name: string;
  bytes: Uint8Array;
}

/** An image fetched for a URL import: the address the page named (absolute) and what came back. */
export interface FetchedImage {
  url: string;
  bytes: Uint8Array;
  contentType?: string;
}

/** What became of an article's images, for the import's reply. */
export interface ImageReport {
  stored: number;
  refused: Partial<Record<ImageRefusal, number>>;
}

/** Images an import kept, and the report. Travels from the worker to the notebook with the article. */
export interface ArticleImages {
  images: PreparedImage[];
  report: ImageReport;
  /** Remote addresses of images not found in what the import brought (a URL import fetches these). */
  wanted: string[];
}

export class ImageCollector implements ImageResolver {
  private readonly byPath = new Map<string, ImageAttachment>();
  private readonly byBaseName = new Map<string, ImageAttachment | null>();
  private readonly fetched = new Map<string, FetchedImage>();
  private readonly cache = new Map<string, ResolvedImage | null>();
  private readonly kept = new Map<string, PreparedImage>();
  private readonly refused: Partial<Record<ImageRefusal, number>> = {};
  private readonly wanted = new Set<string>();
  private totalBytes = 0;

  private readonly onlyFetched: boolean;

  /** `onlyFetched`: a second pass over stored HTML, where data: images were already judged by the first. */
  constructor(sources: { attachments?: readonly ImageAttachment[]; fetched?: readonly FetchedImage[]; onlyFetched?: boolean } = {}) {
    this.onlyFetched = sources.onlyFetched ?? false;
    for (const a of sources.attachments ?? []) {
      const path = normalizePath(a.name);
      this.byPath.set(path, a);
      const base = baseName(path);
      // A name two attachments share identifies neither: only a path match may use them.
      this.byBaseName.set(base, this.byBaseName.has(base) ? null : a);
    }
    for (const f of sources.fetched ?? []) this.fetched.set(f.url, f);
  }

  resolve(candidates: readonly string[], base: string | undefined): ResolvedImage | null {
    const key = candidates.join('\n');
    if (this.cache.has(key)) return this.cache.get(key)!;
    const result = this.resolveUncached(candidates, base);
    this.cache.set(key, result);
    return result;
  }

  result(): ArticleImages {
    return { images: [...this.kept.values()], report: { stored: this.kept.size, refused: { ...this.refused } }, wanted: [...this.wanted] };
  }

  private resolveUncached(candidates: readonly string[], base: string | undefined): ResolvedImage | null {
    let firstRemote: string | undefined;
    for (const raw of candidates) {
      const value = raw.trim();
      if (/^data:/i.test(value)) {
        if (this.onlyFetched) continue;
        const data = decodeDataUrl(value);
        if (data) return this.keep(data.bytes, data.type);
        continue;
      }
      const attachment = this.attachmentFor(value, base);
      if (attachment) return this.keep(attachment.bytes, undefined);
      const url = absolute(value, base);
      if (!url) continue;
      const fetched = this.fetched.get(url);
      if (fetched) return this.keep(fetched.bytes, fetched.contentType);
      firstRemote ??= url;
    }
    if (firstRemote && this.wanted.size < IMAGE_LIMITS.maxImagesPerArticle) this.wanted.add(firstRemote);
    return null;
  }

  private keep(bytes: Uint8Array, declaredType: string | undefined): ResolvedImage | null {
    const prepared = prepareImage(bytes, declaredType);
    if (!prepared.ok) return this.refuse(prepared.reason);
    const image = prepared.image;
    if (!this.kept.has(image.name)) {
      if (this.kept.size >= IMAGE_LIMITS.maxImagesPerArticle || this.totalBytes + image.bytes.byteLength > IMAGE_LIMITS.maxArticleBytes) {
        return this.refuse('over-article-limit');
      }
      this.kept.set(image.name, image);
      this.totalBytes += image.bytes.byteLength;
    }
    return { name: image.name, width: image.width, height: image.height };
  }

  private refuse(reason: ImageRefusal): null {
    this.refused[reason] = (this.refused[reason] ?? 0) + 1;
    return null;
  }

  /** A dropped file the address names: by its path under the page's folder, else by a file name only one file has. */
  private attachmentFor(value: string, base: string | undefined): ImageAttachment | undefined {
    if (this.byPath.size === 0) return undefined;
    let path: string;
    const url = absolute(value, base);
    if (url) path = new URL(url).pathname;
    else if (/^[a-z][a-z0-9+.-]*:/i.test(value) && !/^file:/i.test(value)) return undefined;
    else path = value.replace(/^file:\/\/[^/]*/i, '').split(/[?#]/, 1)[0];
    path = normalizePath(path);
    for (const [known, attachment] of this.byPath) {
      if (path === known || path.endsWith(`/${known}`)) return attachment;
    }
    return this.byBaseName.get(baseName(path)) ?? undefined;
  }
}

function normalizePath(p: string): string {
  let decoded = p;
  try {
    decoded = decodeURIComponent(p);
  } catch {
    /* as written */
  }
  return decoded.replace(/\\/g, '/').replace(/^(?:\.\/)+/, '').replace(/^\/+/, '').normalize('NFC');
}

function baseName(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1).toLowerCase();
}

function absolute(value: string, base: string | undefined): string | undefined {
  try {
    const url = base ? new URL(value, base) : new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** A `data:` URL's bytes and declared type (base64 or percent-encoded), or null when it is malformed. */
export function decodeDataUrl(value: string): { bytes: Uint8Array; type: string } | null {
  const comma = value.indexOf(',');
  if (comma < 0) return null;
  const meta = value.slice(5, comma);
  const body = value.slice(comma + 1);
  const params = meta.split(';').map((s) => s.trim());
  const type = params[0] || 'text/plain';
  // base64 grows 4/3: a data: URL over the one-image limit is refused by size without decoding the rest.
  if (body.length > (IMAGE_LIMITS.maxImageBytes * 4) / 3 + 4) return { bytes: new Uint8Array(IMAGE_LIMITS.maxImageBytes + 1), type };
  try {
    const bytes = params.includes('base64') ? Buffer.from(body.replace(/\s+/g, ''), 'base64') : Buffer.from(decodeURIComponent(body), 'utf8');
    return { bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), type };
  } catch {
    return null;
  }
}
