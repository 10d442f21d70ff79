/**
 * The desktop window's page comes from `gloss-app://renderer/`, a privileged custom scheme served from the built
 * renderer folder, not from file:// (Electron's security checklist, item 18: a file:// page may read any file the user
 * can, and its origin is shared by every file). `gloss-app` is the app shell only; the `gloss://` name is left for
 * deep links (another scheme, opened by the OS, never a page origin).
 *
 * The handler serves files under one folder and nothing else: `..` (literal or %-encoded), backslashes, NUL, absolute
 * paths and symlinks that lead out are 404, as is anything missing. Each reply carries the app's CSP. The one other
 * thing it serves is a PDF article's stored original at `/files/<id>.pdf` (contract.ts articleFilePath), from the
 * notebook, whole or by byte range, as browser mode does (there behind the token; here the scheme is reachable only by
 * the app's own pages).
 */
import { createReadStream } from 'node:fs';
import { open, realpath, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { CustomScheme, Protocol } from 'electron';
import { internalError } from '../notebook/dispatch';
import { GlossError } from '../notebook/errors';
import { fileHeaders, parseArticleFileName, parseRange, type NotebookFiles } from '../notebook/file-transfer';
import { imageHeaders } from '../notebook/images/store';
import type { ImageType } from '../notebook/images/sniff';
import { RENDERER_CSP } from './security';

export const APP_SCHEME = 'gloss-app';
export const APP_HOST = 'renderer';
/** The window's page. A standard scheme needs a host: `renderer` names the one folder served. */
export const APP_PAGE_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * standard: relative URLs, an origin of its own, localStorage; secure: counts as a secure context like https;
 * supportFetchAPI: the page's fetch() (pdf.js's worker, WASM and font data) may load from it; stream: replies may be
 * streamed and read by range (pdf.js reads a large PDF a piece at a time). No CORS bypass, no service workers, no CSP
 * bypass.
 */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true },
};

/** Must run before the app is ready (Electron refuses later). */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
}

/** The notebook's files, once it is open (the scheme is served before the notebook opens: null until then). */
export type FilesSource = () => (Pick<NotebookFiles, 'articleFile'> & Partial<Pick<NotebookFiles, 'imageFile'>>) | null;

/** Binds the handler once the app is ready. */
export function serveAppScheme(protocol: Pick<Protocol, 'handle'>, rendererDir: string, files: FilesSource = () => null): void {
  protocol.handle(APP_SCHEME, appSchemeHandler(rendererDir, files));
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export function mimeTypeOf(file: string): string {
  return MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

const COMMON_HEADERS = {
  'Content-Security-Policy': RENDERER_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-cache',
};

function reply(status: number, message: string): Response {
  return new Response(message, { status, headers: { ...COMMON_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
}

/**
 * The file a request names, or null when it names none we may serve. Pure path arithmetic first (no file system
 * access for a hostile path), then the real path of both the root and the file, so a symlink inside the folder that
 * points outside it is refused too.
 */
export async function resolveAppFile(rendererDir: string, requestUrl: string): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  let relative: string;
  try {
    relative = decodeURIComponent(url.pathname);
  } catch {
    return null; // a malformed %-escape
  }
  if (relative === '/' || relative === '') relative = '/index.html';
  if (relative.includes('\0') || relative.includes('\\')) return null;
  const segments = relative.split('/');
  if (segments.some((s) => s === '..' || s === '.')) return null; // after decoding: %2e%2e is `..` here
  relative = relative.replace(/^\/+/, '');
  if (relative === '' || path.isAbsolute(relative) || /^[a-zA-Z]:/.test(relative)) return null;

  const root = path.resolve(rendererDir);
  const file = path.resolve(root, relative);
  if (!file.startsWith(root + path.sep)) return null;
  try {
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(file)]);
    if (!realFile.startsWith(realRoot + path.sep)) return null;
    if (!(await stat(realFile)).isFile()) return null;
    return realFile;
  } catch {
    return null; // missing
  }
}

export function appSchemeHandler(rendererDir: string, files: FilesSource = () => null): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return reply(405, 'Only GET here.');
    const fileName = articleFileName(request.url);
    if (fileName !== null) return serveArticleFile(request, fileName, files());
    const imageName = underPath(request.url, '/images/');
    if (imageName !== null) return serveImage(request, imageName, files());
    const file = await resolveAppFile(rendererDir, request.url);
    if (file === null) return reply(404, 'Not found.');
    const headers = { ...COMMON_HEADERS, 'Content-Type': mimeTypeOf(file) };
    if (request.method === 'HEAD') return new Response(null, { status: 200, headers });
    return new Response(await readFile(file), { status: 200, headers });
  };
}

/** What follows `prefix` in a gloss-app://renderer address (%-decoded), or null when the address is not under it. */
function underPath(requestUrl: string, prefix: string): string | null {
  try {
    const url = new URL(requestUrl);
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || !url.pathname.startsWith(prefix)) return null;
    return decodeURIComponent(url.pathname.slice(prefix.length));
  } catch {
    return null;
  }
}

/** A stored image (issue 17), whole, with imageHeaders: its checked type, cached for good, inert if opened alone. */
async function serveImage(request: Request, name: string, files: Partial<Pick<NotebookFiles, 'imageFile'>> | null): Promise<Response> {
  if (!files?.imageFile) return reply(404, 'Not found.');
  let image: { path: string; bytes: number; type: string };
  try {
    image = await files.imageFile(name);
  } catch (error) {
    if (error instanceof GlossError) return reply(error.code === 'not_found' ? 404 : 400, error.message);
    const logged = internalError('gloss-app /images/', error);
    return reply(500, logged.ok ? '' : logged.error.message);
  }
  const bytes = await readFile(image.path).catch(() => null);
  if (bytes === null) return reply(404, `The image ${name} is missing from the notebook folder.`);
  const headers = imageHeaders({ bytes: bytes.byteLength, type: image.type as ImageType });
  return new Response(request.method === 'HEAD' ? null : bytes, { status: 200, headers });
}

/** The `<id>.pdf` of a `gloss-app://renderer/files/<id>.pdf` address, or null when the address is not under /files/. */
function articleFileName(requestUrl: string): string | null {
  try {
    const url = new URL(requestUrl);
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || !url.pathname.startsWith('/files/')) return null;
    return url.pathname.slice('/files/'.length);
  } catch {
    return null;
  }
}

/** A PDF article's stored original, whole or one byte range, streamed from disk (never read whole into memory). */
async function serveArticleFile(request: Request, name: string, files: Pick<NotebookFiles, 'articleFile'> | null): Promise<Response> {
  const id = parseArticleFileName(name);
  if (id === null || files === null) return reply(404, 'Not found.');
  let stored: { path: string };
  try {
    stored = await files.articleFile(id);
  } catch (error) {
    if (error instanceof GlossError) return reply(error.code === 'not_found' ? 404 : 400, error.message);
    const logged = internalError(`gloss-app /files/${id}.pdf`, error); // logged with an id; the page gets only the id
    return reply(500, logged.ok ? '' : logged.error.message);
  }
  const handle = await open(stored.path, 'r').catch(() => null);
  if (handle === null) return reply(404, `The file of article "${id}" is missing from the notebook folder.`);
  let handedOver = false;
  try {
    const size = (await handle.stat()).size;
    const range = parseRange(request.headers.get('range'), size);
    if (range === 'unsatisfiable') {
      return new Response(null, { status: 416, headers: { ...COMMON_HEADERS, 'Content-Range': `bytes */${size}`, 'Accept-Ranges': 'bytes' } });
    }
    const headers = { ...COMMON_HEADERS, ...fileHeaders(size, range) };
    const status = range ? 206 : 200;
    if (request.method === 'HEAD' || size === 0) return new Response(null, { status, headers });
    // The stream owns the handle from here and closes it when done or cancelled.
    const stream = createReadStream('', { fd: handle, start: range?.start ?? 0, end: range?.end ?? size - 1 });
    handedOver = true;
    return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, { status, headers });
  } finally {
    if (!handedOver) await handle.close();
  }
}
