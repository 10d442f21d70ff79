import { lookup as dnsLookup } from 'node:dns/promises';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { LIMITS } from '../../contract';
import { GlossError } from '../errors';
import { isAllowedAddress, parseAddress, showAddress, type ParsedAddress } from './address-policy';
import { decodeBytes } from './decode';
import { BAD_PORTS, describeBadPort, describeNetworkFailure, describePrivateAddress, describeStatus } from './fetch-errors';
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

/** A PDF fetched by URL (application/pdf, or bytes that start with %PDF-): its bytes go to the PDF import. */
export interface FetchedPdf {
  url: string;
  kind: 'pdf';
  contentType: string;
  bytes: Uint8Array;
}

/** A host name's addresses, as `dns.lookup(name, { all: true })` gives them. */
export type HostResolver = (hostname: string) => Promise<ReadonlyArray<{ address: string; family: number }>>;

export interface FetchOptions {
  maxBytes?: number;
  timeoutMs?: number;
  maxRedirects?: number;
  /**
   * Resolves host names; defaults to the system resolver (dns.lookup). A seam for tests: whatever it returns is checked
   * like any answer, and the connection goes to exactly that address.
   */
  lookup?: HostResolver;
  /**
   * Non-public ranges (CIDR) that may be fetched anyway. FOR TESTS ONLY: the e2e suite imports from a 127.0.0.1 test
   * server (the web host's `--allow-loopback-import` gives LOOPBACK_RANGES). Empty in every real host.
   */
  allowPrivateRanges?: readonly string[];
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const ACCEPT = 'text/html,application/xhtml+xml,text/plain;q=0.9,text/markdown;q=0.9,*/*;q=0.1';

/**
 * Fetches a page on the Node side, refusing anything but the public internet (SSRF: see address-policy.ts).
 *
 * Each hop, redirects included (they are followed by hand): the scheme must be http(s) and the port not another
 * protocol's; the host is resolved once and every address it has must be public; the socket then connects to that very
 * address (a `lookup` that hands back the checked answer), so a name cannot resolve to a public address for the check
 * and a private one for the connection (DNS rebinding). IP literals are checked as they are. One deadline covers all
 * hops and the body; the body is streamed (and decompressed) under the size cap and abandoned as soon as it passes it.
 */
export function fetchPage(rawUrl: string, options: FetchOptions = {}): Promise<FetchedPage> {
  return fetchBody(rawUrl, options, undefined) as Promise<FetchedPage>;
}

/**
 * fetchPage, and a PDF too: a body whose Content-Type is application/pdf, or whose type says nothing a page would
 * say (none, octet-stream) and whose first bytes are a PDF's, may be up to `maxPdfBytes` and comes back as its bytes.
 * Everything else keeps the page cap (`options.maxBytes`). The same address checks apply to every hop.
 */
export function fetchDocument(rawUrl: string, options: FetchOptions, maxPdfBytes: number): Promise<FetchedPage | FetchedPdf> {
  return fetchBody(rawUrl, options, maxPdfBytes) as Promise<FetchedPage | FetchedPdf>;
}

/** Any body's bytes (an image for a URL import), under the same address rules as a page: issue 17. */
export interface FetchedBytes {
  url: string;
  contentType: string;
  bytes: Uint8Array;
}

const IMAGE_ACCEPT = 'image/avif,image/webp,image/png,image/jpeg,image/gif,image/svg+xml;q=0.8,*/*;q=0.1';

/** The bytes at `rawUrl`, up to `options.maxBytes`, whatever they are (the caller sniffs them): every hop checked. */
export function fetchBytes(rawUrl: string, options: FetchOptions): Promise<FetchedBytes> {
  return fetchBody(rawUrl, options, undefined, true) as Promise<FetchedBytes>;
}

async function fetchBody(rawUrl: string, options: FetchOptions, pdfCap: number | undefined, raw = false): Promise<FetchedPage | FetchedPdf | FetchedBytes> {
  const maxBytes = options.maxBytes ?? LIMITS.maxImportBytes;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const name = `"${rawUrl}"`;

  let url = checkUrl(rawUrl, name);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const seconds = Math.round(timeoutMs / 100) / 10;
  const timedOut = (): GlossError => refuse(name, `The site did not answer within ${seconds} s. Try again later.`);
  const deadline = new Promise<never>((_, reject) => controller.signal.addEventListener('abort', () => reject(timedOut()), { once: true }));
  deadline.catch(() => undefined);
  try {
    for (let hops = 0; ; hops++) {
      const addresses = await Promise.race([checkedAddresses(url, options, name), deadline]);
      let res: IncomingMessage;
      try {
        res = await Promise.race([request(url, addresses, controller.signal, raw ? IMAGE_ACCEPT : ACCEPT), deadline]);
      } catch (err) {
        if (err instanceof GlossError) throw err;
        if (controller.signal.aborted) throw timedOut();
        throw refuse(name, describeNetworkFailure(err));
      }
      const status = res.statusCode ?? 0;
      if (REDIRECTS.has(status)) {
        res.destroy();
        const location = res.headers.location;
        if (!location) throw refuse(name, `The site redirected (${status}) without saying where to. Check the address.`);
        if (hops + 1 > maxRedirects) {
          throw refuse(name, `The site redirects more than ${maxRedirects} times (it may be going round in a loop). Try the address in a browser.`);
        }
        let next: URL;
        try {
          next = new URL(location, url);
        } catch {
          throw refuse(name, `The site redirected to an invalid address "${location}".`);
        }
        url = checkUrl(next.href, name);
        continue;
      }
      if (status < 200 || status > 299) {
        res.destroy();
        throw refuse(name, describeStatus(status, res.statusMessage ?? ''));
      }
      const contentType = headerValue(res.headers['content-type']);
      const declaredLength = Number(res.headers['content-length']);
      const encoding = headerValue(res.headers['content-encoding']).trim().toLowerCase();
      // A page keeps the page cap. A PDF (by its type) gets the PDF cap; so may a body whose type says nothing a page
      // would say (none, octet-stream...), but only once its first bytes show it is a PDF.
      const capFor = (head: Uint8Array): number => {
        if (pdfCap === undefined) return maxBytes;
        if (isPdfType(contentType)) return pdfCap;
        return !isPageType(contentType) && startsLikePdf(head) ? pdfCap : maxBytes;
      };
      const largestCap = pdfCap !== undefined && !isPageType(contentType) ? Math.max(maxBytes, pdfCap) : maxBytes;
      if (!encoding && Number.isFinite(declaredLength) && declaredLength > largestCap) {
        res.destroy();
        throw tooLarge(name, largestCap);
      }
      let bytes: Uint8Array;
      try {
        bytes = await Promise.race([readCapped(decoded(res, encoding, name), capFor, maxBytes, name), deadline]);
      } catch (err) {
        res.destroy();
        if (err instanceof GlossError) throw err;
        if (controller.signal.aborted) throw timedOut();
        throw refuse(name, `The download stopped before the page was complete. ${describeNetworkFailure(err)}`);
      }
      if (raw) return { url: url.href, contentType, bytes };
      if (pdfCap !== undefined && (isPdfType(contentType) || startsLikePdf(bytes))) {
        return { url: url.href, kind: 'pdf', contentType, bytes };
      }
      const kind = kindOf(contentType, bytes, name);
      const text = decodeBytes(bytes, { contentTypeHeader: contentType, html: kind === 'html', name }).text;
      return { url: url.href, kind, contentType, text };
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
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
  if (url.username || url.password) {
    throw refuse(name, 'The address has a user name or password in it, which Gloss does not send. Remove it and try again.');
  }
  const port = url.port === '' ? undefined : Number(url.port);
  if (port !== undefined && BAD_PORTS.has(port)) throw refuse(name, describeBadPort(port));
  return url;
}

/**
 * The addresses `url`'s host stands for, each one checked: an IP literal as it is (the URL parser has already turned
 * 2130706433, 0x7f000001 and 127.1 into 127.0.0.1), a name through the resolver. One address that is not public
 * refuses the whole host: a name that answers with both kinds would otherwise let the connection pick the wrong one.
 */
async function checkedAddresses(url: URL, options: FetchOptions, name: string): Promise<ParsedAddress[]> {
  const literal = parseAddress(url.hostname);
  let addresses: ParsedAddress[];
  if (literal) {
    addresses = [literal];
  } else {
    let answers: ReadonlyArray<{ address: string }>;
    try {
      answers = await (options.lookup ?? systemLookup)(url.hostname);
    } catch (err) {
      throw refuse(name, describeNetworkFailure(err));
    }
    addresses = answers.map((a) => parseAddress(a.address)).filter((a): a is ParsedAddress => a !== null);
    if (addresses.length === 0) throw refuse(name, describeNetworkFailure({ code: 'ENOTFOUND' }));
  }
  const refused = addresses.find((a) => !isAllowedAddress(a, options.allowPrivateRanges));
  if (refused) throw refuse(name, describePrivateAddress(showAddress(refused)));
  return addresses;
}

const systemLookup: HostResolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/**
 * One GET to `url`, its socket connected to one of `addresses` (already checked). No agent: no pooled socket is ever
 * reused for another host's check, and nothing is kept open after the import.
 */
function request(url: URL, addresses: ParsedAddress[], signal: AbortSignal, accept: string): Promise<IncomingMessage> {
  const pinned = addresses.map((a) => ({ address: a.toString(), family: a.kind() === 'ipv6' ? 6 : 4 }));
  // net.connect calls this instead of the resolver (for names only; an IP literal connects as it is, already checked).
  const lookup: LookupFunction = (_hostname, opts, callback) => {
    if (opts.all) (callback as unknown as (e: null, all: typeof pinned) => void)(null, pinned);
    else callback(null, pinned[0].address, pinned[0].family);
  };
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = transport.request(url, {
      method: 'GET',
      agent: false,
      lookup,
      signal,
      headers: { accept, 'accept-encoding': 'gzip, deflate, br', 'user-agent': 'Gloss (a local research notebook)' },
    });
    req.once('response', resolve);
    req.once('error', reject);
    req.end();
  });
}

function headerValue(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join(', ') : (value ?? '');
}

/** The body, decompressed as the server says it is; the size cap applies to what comes out (a zip bomb stops there). */
function decoded(res: IncomingMessage, encoding: string, name: string): Readable {
  if (encoding === '' || encoding === 'identity') return res;
  const inflate =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? zlib.createGunzip()
      : encoding === 'deflate'
        ? zlib.createInflate()
        : encoding === 'br'
          ? zlib.createBrotliDecompress()
          : null;
  if (!inflate) {
    res.destroy();
    throw refuse(name, `The site sent the page in a compression Gloss cannot read (${encoding}).`);
  }
  res.on('error', (err) => inflate.destroy(err));
  return res.pipe(inflate);
}

/**
 * The body under a cap. The cap may depend on what the body is (a PDF may be larger than a page): `capFor` is asked
 * once the first HEAD_BYTES have arrived (or the smallest cap is passed sooner); until then the smallest cap holds.
 */
async function readCapped(body: Readable, capFor: (head: Uint8Array) => number, smallestCap: number, name: string): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  let cap: number | undefined;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      total += chunk.byteLength;
      chunks.push(chunk);
      if (cap === undefined && (total >= HEAD_BYTES || total > smallestCap)) cap = capFor(Buffer.concat(chunks, total));
      if (total > (cap ?? smallestCap)) throw tooLarge(name, cap ?? smallestCap);
    }
  } finally {
    body.destroy();
  }
  return Buffer.concat(chunks, total);
}

/** How much of a body is looked at to see whether it is a PDF (`%PDF-` within the first 1024 bytes, as readers do). */
const HEAD_BYTES = 1024;

function mimeOf(contentType: string): string {
  return contentType.split(';', 1)[0].trim().toLowerCase();
}

function isPdfType(contentType: string): boolean {
  const mime = mimeOf(contentType);
  return mime === 'application/pdf' || mime === 'application/x-pdf';
}

/** Types fetchPage reads as a page (their cap stays the page cap, even if the bytes happen to be a PDF). */
function isPageType(contentType: string): boolean {
  return ['text/html', 'application/xhtml+xml', 'text/plain', 'text/markdown', 'text/x-markdown'].includes(mimeOf(contentType));
}

function startsLikePdf(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, HEAD_BYTES)).toString('latin1').includes('%PDF-');
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
  throw refuse(name, `It is not a web page or text: the site says it is ${mime}. Gloss imports web pages, plain text, Markdown and PDFs.`);
}
