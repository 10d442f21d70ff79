import { LIMITS } from '../../contract';
import { GlossError } from '../errors';
import { decodeBytes } from './decode';
import { refuse, tooLarge } from './guards';

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_REDIRECTS = 5;

export interface FetchedPage {
  /** The URL after redirects: the article's source and its base URL. */
  url: string;
  kind: 'html' | 'text' | 'markdown';
  contentType: string;
  text: string;
}

export interface FetchOptions {
  fetch?: typeof fetch;
  maxBytes?: number;
  timeoutMs?: number;
  maxRedirects?: number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Fetches a page on the Node side. Redirects are followed by hand so each hop's scheme is checked (an https page must
 * not bounce us to file: or ftp:) and their number is capped; one deadline covers all hops and the body; the body is
 * streamed and abandoned as soon as it passes the size cap, so a huge or endless response costs at most the cap.
 */
export async function fetchPage(rawUrl: string, options: FetchOptions = {}): Promise<FetchedPage> {
  const doFetch = options.fetch ?? globalThis.fetch;
  const maxBytes = options.maxBytes ?? LIMITS.maxImportBytes;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const name = `"${rawUrl}"`;

  let url = checkUrl(rawUrl, name);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const timedOut = (): GlossError => refuse(name, `the server did not answer within ${Math.round(timeoutMs / 100) / 10} s`);
  try {
    for (let hops = 0; ; hops++) {
      let res: Response;
      try {
        res = await doFetch(url.href, {
          redirect: 'manual',
          signal: controller.signal,
          headers: { accept: 'text/html,application/xhtml+xml,text/plain;q=0.9,text/markdown;q=0.9,*/*;q=0.1' },
        });
      } catch (err) {
        if (controller.signal.aborted) throw timedOut();
        throw refuse(name, `it could not be fetched (${describeNetworkError(err)})`);
      }
      if (REDIRECTS.has(res.status)) {
        await res.body?.cancel().catch(() => undefined);
        const location = res.headers.get('location');
        if (!location) throw refuse(name, `the server redirected (${res.status}) without saying where`);
        if (hops + 1 > maxRedirects) throw refuse(name, `it redirects more than ${maxRedirects} times`);
        let next: URL;
        try {
          next = new URL(location, url);
        } catch {
          throw refuse(name, `the server redirected to an invalid address "${location}"`);
        }
        url = checkUrl(next.href, name);
        continue;
      }
      if (!res.ok) {
        await res.body?.cancel().catch(() => undefined);
        throw refuse(name, `the server answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
      }
      const contentType = res.headers.get('content-type') ?? '';
      const declaredLength = Number(res.headers.get('content-length'));
      if (Number.isFinite(declaredLength) && declaredLength > maxBytes) {
        await res.body?.cancel().catch(() => undefined);
        throw tooLarge(name, maxBytes);
      }
      let bytes: Uint8Array;
      try {
        bytes = await readCapped(res, maxBytes, name);
      } catch (err) {
        if (err instanceof GlossError) throw err;
        if (controller.signal.aborted) throw timedOut();
        throw refuse(name, `the download failed (${describeNetworkError(err)})`);
      }
      const kind = kindOf(contentType, bytes, name);
      const text = decodeBytes(bytes, { contentTypeHeader: contentType, html: kind === 'html', name }).text;
      return { url: url.href, kind, contentType, text };
    }
  } finally {
    clearTimeout(timer);
  }
}

function checkUrl(raw: string, name: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw refuse(name, 'it is not a valid web address');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw refuse(name, `only http and https addresses can be fetched, not ${url.protocol.replace(/:$/, '')}:`);
  }
  return url;
}

async function readCapped(res: Response, maxBytes: number, name: string): Promise<Uint8Array> {
  if (!res.body) return new Uint8Array(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(name, maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

/** HTML and XHTML go to Readability, text/plain and Markdown to their importers; no Content-Type means sniff. */
function kindOf(contentType: string, bytes: Uint8Array, name: string): FetchedPage['kind'] {
  const mime = contentType.split(';', 1)[0].trim().toLowerCase();
  if (mime === 'text/html' || mime === 'application/xhtml+xml') return 'html';
  if (mime === 'text/plain') return 'text';
  if (mime === 'text/markdown' || mime === 'text/x-markdown') return 'markdown';
  if (mime === '') {
    const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 512)).toString('latin1');
    return /^\s*(?:\uFEFF|\xEF\xBB\xBF)?\s*<(?:!doctype\s+html|html|head|body)\b/i.test(head) ? 'html' : 'text';
  }
  throw refuse(name, `its content type is ${mime}, not a web page or text`);
}

function describeNetworkError(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
}
