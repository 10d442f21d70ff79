import { parseDeepLink, routeHash } from '../notebook/export/deep-link';
import { createHash, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { open, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  BACKUP_ARTICLES_HEADER,
  BACKUP_FILE_PATH,
  HTTP_STATUS,
  IMPORT_FILE_HEADER,
  IMPORT_FILE_PATH,
  LIMITS,
  RESTORE_FILE_PATH,
  type ApiReply,
  type GlossApi,
  type NotebookEvent,
} from '../contract';
import { callApi, internalError, statusOf } from '../notebook/dispatch';
import { GlossError } from '../notebook/errors';
import { imageHeaders } from '../notebook/images/store';
import type { ImageType } from '../notebook/images/sniff';
import {
  fileHeaders,
  importFileReply,
  parseArticleFileName,
  parseRange,
  pdfTooLargeMessage,
  type NotebookFiles,
} from '../notebook/file-transfer';

export interface WebServerOptions {
  /** The notebook: its API, and the files it stores (PDFs served at /files/, raw uploads at IMPORT_FILE_PATH). */
  api: GlossApi & NotebookFiles;
  subscribe: (listener: (event: NotebookEvent) => void) => () => void;
  token: string;
  /** Folder of the built renderer (index.html and assets). */
  rendererDir: string;
  maxBodyBytes?: number;
  /** Largest raw upload at IMPORT_FILE_PATH (LIMITS.maxPdfBytes; smaller in tests). */
  maxPdfBytes?: number;
}

/**
 * Content-Security-Policy for every page: our own scripts only, no plugins, no framing, images only from us. The same
 * policy as the desktop app's (electron/main/security.ts RENDERER_CSP, which says why pdf.js needs each part): pdf.js's
 * worker from 'self', WebAssembly (its image decoders) compiled but never JavaScript eval, its data fetched from 'self'.
 * It is sent on every response, the worker script's too, which is how a worker gets its policy.
 */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  // https: only for article images the user consented to: the reader never sets an img src before that (see
  // renderer/src/reader/remote-content.ts), and media, frames, fonts and fetches stay 'self'.
  "img-src 'self' data: blob: https:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': PAGE_CSP,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/**
 * Browser mode: the notebook's API over HTTP on 127.0.0.1, plus the built renderer. Private by construction: the token
 * in an `Authorization: Bearer` header on every API call, the events stream included (never a cookie: cookies ignore
 * ports, so every other server on 127.0.0.1 would receive it); the Host header must name this loopback port (defeats
 * DNS rebinding), a foreign Origin is refused (CSRF), and every reply carries security headers.
 *
 * The page (the app shell: HTML, scripts, styles, no data) is served without a token. The URL Gloss prints carries the
 * token in its fragment (`/#token=T`), which a browser never sends to a server; the page moves it into sessionStorage
 * and out of the address bar (renderer/src/api/token.ts).
 */
export function createWebServer(options: WebServerOptions): Server {
  const maxBody = options.maxBodyBytes ?? LIMITS.maxBodyBytes;
  const maxPdf = options.maxPdfBytes ?? LIMITS.maxPdfBytes;
  const tokenDigest = digest(options.token);
  // contract.ts imageKeyOf, computed the same way here (synchronously): what an <img> sends instead of the token.
  const imageKeyDigest = digest(createHash('sha256').update(`gloss-image-key:${options.token}`).digest('hex'));
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const reply = internalError(`web ${req.method} ${(req.url ?? '').split('?')[0].slice(0, 200)}`, error);
      if (!res.headersSent) sendJson(res, 500, reply);
      else res.destroy();
    });
  });

  const port = (): number => {
    const address = server.address();
    return typeof address === 'object' && address ? address.port : 0;
  };
  const tokenOk = (candidate: string | undefined): boolean =>
    candidate !== undefined && timingSafeEqual(digest(candidate), tokenDigest);

  // Only the header: the Cookie header is never read (no cookie is set, and a stray one, even a malformed `a=%` another
  // page on 127.0.0.1 left behind, must not matter).
  const requestToken = (req: IncomingMessage): string | undefined => {
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ')) return auth.slice('Bearer '.length).trim();
    return undefined;
  };

  const hostAllowed = (req: IncomingMessage): boolean => {
    const host = req.headers.host;
    return host !== undefined && loopbackAuthorities(port()).includes(host.toLowerCase());
  };

  const originAllowed = (req: IncomingMessage): boolean => {
    // Browsers that send Fetch Metadata say outright when a request comes from another site: refuse it whatever the
    // Origin says (it is absent on some cross-site navigations).
    if (req.headers['sec-fetch-site'] === 'cross-site') return false;
    const origin = req.headers.origin;
    if (origin === undefined) return true; // same-origin GETs and non-browser clients send none
    return loopbackAuthorities(port()).some((a) => origin.toLowerCase() === `http://${a}`);
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    if (!hostAllowed(req)) {
      sendJson(res, 403, fail('forbidden', `Host "${req.headers.host ?? ''}" is not this local server; use http://127.0.0.1:${port()}/.`));
      return;
    }
    if (!originAllowed(req)) {
      sendJson(res, 403, fail('forbidden', `Requests from ${req.headers.origin ? `origin "${req.headers.origin}"` : 'another site'} are refused.`));
      return;
    }
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const pathname = safeDecode(url.pathname);
    if (pathname === null) return void sendJson(res, 400, fail('invalid_input', 'The address has a malformed %-escape.'));
    if (url.pathname.startsWith('/images/')) {
      // A stored image (issue 17): the image key (or the token, for API clients), GET only, then the file.
      const key = url.searchParams.get('key');
      const keyOk = key !== null && timingSafeEqual(digest(key), imageKeyDigest);
      if (!keyOk && !tokenOk(requestToken(req))) {
        return void sendJson(res, 401, fail('unauthorized', 'Missing or wrong image key: images are shown by the page Gloss printed.'));
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return void sendJson(res, 405, fail('invalid_input', 'Use GET for /images/.'));
      return serveImage(req, res, pathname.slice('/images/'.length));
    }
    const isFile = url.pathname.startsWith('/files/');
    if (url.pathname === '/api/events' || url.pathname.startsWith('/api/') || isFile) {
      if (!tokenOk(requestToken(req))) {
        sendJson(res, 401, fail('unauthorized', 'Missing or wrong token: open the URL Gloss printed, or send Authorization: Bearer <token>.'));
        return;
      }
      if (isFile) {
        if (req.method !== 'GET' && req.method !== 'HEAD') return void sendJson(res, 405, fail('invalid_input', 'Use GET for /files/.'));
        return serveArticleFile(req, res, pathname.slice('/files/'.length));
      }
      if (url.pathname === '/api/events') {
        if (req.method !== 'GET') return void sendJson(res, 405, fail('invalid_input', 'Use GET for /api/events.'));
        return streamEvents(req, res);
      }
      if (url.pathname === BACKUP_FILE_PATH) {
        if (req.method !== 'GET') return void sendJson(res, 405, fail('invalid_input', `Use GET for ${BACKUP_FILE_PATH}.`));
        return streamBackup(res);
      }
      if (req.method !== 'POST') return void sendJson(res, 405, fail('invalid_input', 'API methods are called with POST.'));
      if (url.pathname === IMPORT_FILE_PATH) return importFile(req, res);
      if (url.pathname === RESTORE_FILE_PATH) return restoreFile(req, res, url.searchParams.get('mode'));
      if (!jsonContentType(req.headers['content-type'])) {
        return void sendJson(
          res,
          415,
          fail('invalid_input', `Send the arguments as a JSON array with Content-Type: application/json (got "${String(req.headers['content-type']).slice(0, 100)}").`),
        );
      }
      return callMethod(req, res, pathname.slice('/api/'.length));
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return void sendJson(res, 405, fail('invalid_input', 'Only GET here.'));
    const token = url.searchParams.get('token');
    if (token !== null) {
      // An address from an older Gloss (`/?token=T`): checked, then sent once to the fragment form, always at the app's
      // root. Never a Location built from the request's path: `/.//evil.example/?token=T` would become `//evil.example/`,
      // a redirect to another host carrying the token.
      if (!tokenOk(token)) return void sendJson(res, 401, fail('unauthorized', 'That token is not this server\'s: open the URL Gloss printed.'));
      return redirect(res, `/#token=${encodeURIComponent(token)}`);
    }
    if (url.pathname.startsWith('/open/')) {
      // gloss:// links' http fallback (notebook/export/deep-link.ts): `/open/<article>?highlight=<id>` opens the app at
      // that place. No data and no token here: the page, with the token this tab already holds, shows the article.
      const target = parseDeepLink(`http://127.0.0.1${url.pathname}${url.search}`);
      if (!target) return void sendJson(res, 404, fail('not_found', 'Not a place in Gloss: links are /open/<article id>?highlight=<highlight id>.'));
      return redirect(res, `/${routeHash(target)}`);
    }
    return serveStatic(res, pathname);
  }

  async function callMethod(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > maxBody * 4) return void sendJson(res, 413, tooLarge(maxBody), true);
    let body: string;
    try {
      body = await readBody(req, maxBody);
    } catch (error) {
      if (error instanceof BodyTooLarge) return void sendJson(res, 413, tooLarge(maxBody));
      throw error;
    }
    let args: unknown;
    try {
      args = body.trim() === '' ? [] : JSON.parse(body);
    } catch (error) {
      return void sendJson(res, 400, fail('invalid_input', `The body is not JSON: ${(error as Error).message}`));
    }
    const reply = await callApi(options.api, method, args);
    sendJson(res, statusOf(reply), reply);
  }

  /**
   * A raw upload: the file's bytes are the body (kept as Buffers, never a string), the request's other fields ride in
   * the X-Gloss-Import header. Past the limit nothing is kept and nothing stored; the client reads a 413.
   */
  async function importFile(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!binaryContentType(req.headers['content-type'])) {
      return void sendJson(
        res,
        415,
        fail('invalid_input', `Send the file's bytes with Content-Type: application/octet-stream or application/pdf (got "${String(req.headers['content-type']).slice(0, 100)}").`),
      );
    }
    const header = req.headers[IMPORT_FILE_HEADER.toLowerCase()];
    let request: unknown;
    try {
      if (typeof header !== 'string') throw new Error('it is missing');
      request = JSON.parse(decodeURIComponent(header));
    } catch (error) {
      return void sendJson(
        res,
        400,
        fail('invalid_input', `The ${IMPORT_FILE_HEADER} header must be the import request as URI-encoded JSON: ${(error as Error).message}.`),
      );
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > maxPdf) return void sendJson(res, 413, fail('too_large', pdfTooLargeMessage(maxPdf)), true);
    let bytes: Buffer;
    try {
      bytes = await readBytes(req, maxPdf);
    } catch (error) {
      if (error instanceof BodyTooLarge) return void sendJson(res, 413, fail('too_large', pdfTooLargeMessage(maxPdf)), true);
      throw error;
    }
    const reply = await importFileReply(options.api, bytes, request, maxPdf);
    sendJson(res, statusOf(reply), reply);
  }

  /**
   * The whole-notebook backup as a download, streamed article by article (never one string: see BACKUP_FILE_PATH).
   * A failure mid-way cuts the connection, so the client sees a failed download rather than a short file.
   */
  async function streamBackup(res: ServerResponse): Promise<void> {
    res.writeHead(200, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="gloss-backup-${new Date().toISOString().slice(0, 10)}.json"`,
      [BACKUP_ARTICLES_HEADER]: String(options.api.articleCount),
    });
    try {
      await pipeline(Readable.from(options.api.backupJson()), res);
    } catch (error) {
      if (!res.destroyed) console.error('gloss: the backup download failed', error);
      res.destroy();
    }
  }

  /** A backup file's bytes as the body (`?mode=replace|merge`): restored article by article, restoreNotebook's reply. */
  async function restoreFile(req: IncomingMessage, res: ServerResponse, mode: string | null): Promise<void> {
    if (mode !== 'replace' && mode !== 'merge') {
      return void sendJson(res, 400, fail('invalid_input', `Say how to restore with ?mode=replace or ?mode=merge (got "${String(mode).slice(0, 40)}").`), true);
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > LIMITS.maxBackupBytes) {
      return void sendJson(res, 413, fail('too_large', `The backup is over the ${LIMITS.maxBackupBytes / 1024 ** 3} GiB limit; nothing was restored.`), true);
    }
    let reply: ApiReply<unknown>;
    try {
      reply = { ok: true, value: await options.api.restoreFromStream(req, { mode }) };
    } catch (error) {
      reply = error instanceof GlossError ? { ok: false, error: error.toApiError() } : internalError('restore-file', error);
    }
    sendJson(res, statusOf(reply), reply, !req.complete);
  }

  /** `/files/<id>.pdf`: the article's stored original, whole or one byte range, streamed from disk. */
  async function serveArticleFile(req: IncomingMessage, res: ServerResponse, name: string): Promise<void> {
    const id = parseArticleFileName(name);
    if (id === null) return void sendJson(res, 404, fail('not_found', `No such file: /files/${name.slice(0, 200)}`));
    let file: { path: string };
    try {
      file = await options.api.articleFile(id);
    } catch (error) {
      if (error instanceof GlossError) return void sendJson(res, HTTP_STATUS[error.code], { ok: false, error: error.toApiError() });
      throw error;
    }
    // The size from the open file itself, so the range and the bytes streamed agree even if the notebook's count did not.
    const handle = await open(file.path, 'r').catch(() => null);
    if (handle === null) return void sendJson(res, 404, fail('not_found', `The file of article "${id}" is missing from the notebook folder.`));
    try {
      const size = (await handle.stat()).size;
      const range = parseRange(req.headers.range, size);
      if (range === 'unsatisfiable') {
        res.writeHead(416, { 'Content-Range': `bytes */${size}`, 'Accept-Ranges': 'bytes', 'Content-Length': 0 });
        return void res.end();
      }
      res.writeHead(range ? 206 : 200, fileHeaders(size, range));
      if (req.method === 'HEAD' || size === 0) return void res.end();
      const stream = createReadStream('', { fd: handle, autoClose: false, start: range?.start ?? 0, end: range?.end ?? size - 1 });
      await pipeline(stream, res).catch(() => res.destroy()); // the reader went away mid-file: nothing to answer
    } finally {
      await handle.close();
    }
  }

  /** `/images/<sha256>.<ext>`: a stored image, whole (they are small), with imageHeaders (inert, cached for good). */
  async function serveImage(req: IncomingMessage, res: ServerResponse, name: string): Promise<void> {
    let image: { path: string; bytes: number; type: string };
    try {
      image = await options.api.imageFile(name);
    } catch (error) {
      if (error instanceof GlossError) return void sendJson(res, HTTP_STATUS[error.code], { ok: false, error: error.toApiError() });
      throw error;
    }
    const bytes = await readFile(image.path).catch(() => null);
    if (bytes === null) return void sendJson(res, 404, fail('not_found', `The image ${name} is missing from the notebook folder.`));
    res.writeHead(200, imageHeaders({ bytes: bytes.byteLength, type: image.type as ImageType }));
    res.end(req.method === 'HEAD' ? undefined : bytes);
  }

  function streamEvents(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
    res.write(': connected\n\n');
    const unsubscribe = options.subscribe((event) => {
      res.write(`event: change\ndata: ${JSON.stringify(event)}\n\n`);
    });
    // A comment now and then keeps proxies and idle timers from closing the stream.
    const heartbeat = setInterval(() => res.write(': ping\n\n'), 15_000);
    heartbeat.unref();
    req.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
  }

  /** `pathname` is already decoded; anything that resolves outside the renderer folder (../, %2e%2e, \\) is a 404. */
  async function serveStatic(res: ServerResponse, pathname: string): Promise<void> {
    const relative = pathname === '/' ? 'index.html' : pathname.replace(/^[/\\]+/, '');
    const root = path.resolve(options.rendererDir);
    const file = path.resolve(root, relative);
    if (!file.startsWith(root + path.sep) || relative.includes('\0')) {
      return void sendJson(res, 404, fail('not_found', `No such file: ${pathname.slice(0, 200)}`));
    }
    try {
      const info = await stat(file);
      if (!info.isFile()) throw new Error('not a file');
    } catch {
      return void sendJson(res, 404, fail('not_found', `No such file: ${pathname}`));
    }
    // The build's assets are named by their content's hash, and pdf.js's fonts, CMaps and decoders never change within
    // a build: the browser may keep them, and then keeps their compiled code too (V8's code cache), which it never
    // does for a no-store script (bench/RESULTS.md, "PDFs"). index.html stays no-store: it names the current assets.
    const immutable = /^[/\\]*(assets|pdfjs)[/\\]/.test(pathname);
    res.writeHead(200, {
      'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream',
      ...(immutable && { 'Cache-Control': 'private, max-age=31536000, immutable' }),
    });
    res.end(await readFile(file));
  }

  return server;
}

/**
 * Every redirect the server makes goes through here: to a path on this origin, which starts with exactly one `/` (a
 * second one, or a backslash that browsers read as one, would name another host) and holds no control characters.
 * Anything else goes to `/`.
 */
export function sameOriginLocation(target: string): string {
  const control = [...target].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f); // browsers drop tabs and newlines
  const ok = target.startsWith('/') && !target.startsWith('//') && !target.includes('\\') && !control;
  return ok ? target : '/';
}

function redirect(res: ServerResponse, target: string): void {
  res.writeHead(303, { Location: sameOriginLocation(target), 'Content-Length': 0 });
  res.end();
}

function safeDecode(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

/**
 * API bodies are JSON. application/json is what clients send; text/plain is what fetch() gives a string body by
 * default, and none at all is fine for curl. Form encodings (what a hostile page can POST without a preflight) and
 * anything else are refused before the body is read.
 */
function jsonContentType(header: string | undefined): boolean {
  if (header === undefined) return true;
  const type = header.split(';')[0].trim().toLowerCase();
  return type === 'application/json' || type === 'text/plain' || type === '';
}

/** A raw upload is the file's bytes: never a form encoding (what a hostile page can POST without a preflight). */
function binaryContentType(header: string | undefined): boolean {
  const type = (header ?? '').split(';')[0].trim().toLowerCase();
  return type === 'application/octet-stream' || type === 'application/pdf';
}

function loopbackAuthorities(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function fail(code: 'invalid_input' | 'unauthorized' | 'forbidden' | 'not_found' | 'too_large', message: string): ApiReply<never> {
  return { ok: false, error: { code, message } };
}

function tooLarge(limit: number): ApiReply<never> {
  return fail('too_large', `The request body is over the ${Math.round(limit / 1024 / 1024)} MiB limit.`);
}

function sendJson(res: ServerResponse, status: number, body: unknown, close = false): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(payload),
    ...(close && { Connection: 'close' }),
  });
  res.end(payload);
}

class BodyTooLarge extends Error {}

/** A JSON body as text, up to `limit` bytes (see drainBody). */
function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return drainBody(req, limit, limit * 4, false).then((bytes) => bytes.toString('utf8'));
}

/**
 * A raw upload's bytes, up to `limit`. Past it nothing more is kept and the caller answers 413 at once (with
 * Connection: close); the rest of what is already in flight is discarded, and a sender that keeps going past a small
 * margin is cut off, so a 256 MiB limit never means reading another 256 MiB.
 */
function readBytes(req: IncomingMessage, limit: number): Promise<Buffer> {
  return drainBody(req, limit, limit + 4 * 1024 * 1024, true);
}

/**
 * Reads the body up to `limit` bytes into Buffers. Past the limit it stops keeping bytes but still drains the request
 * (up to `drainCeiling`), so the client can read the 413 instead of seeing its upload cut off mid-write; `rejectEarly`
 * answers as soon as the limit is passed instead of at the end of the upload.
 */
function drainBody(req: IncomingMessage, limit: number, drainCeiling: number, rejectEarly: boolean): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else {
        chunks = [];
        if (rejectEarly) reject(new BodyTooLarge());
        if (size > drainCeiling) req.destroy();
      }
    });
    req.on('end', () => (size > limit ? reject(new BodyTooLarge()) : resolve(Buffer.concat(chunks, size))));
    req.on('close', () => {
      if (size > limit) reject(new BodyTooLarge());
    });
    req.on('error', reject);
  });
}
