/**
 * The desktop window's page comes from `gloss-app://renderer/`, a privileged custom scheme served from the built
 * renderer folder, not from file:// (Electron's security checklist, item 18: a file:// page may read any file the user
 * can, and its origin is shared by every file). `gloss-app` is the app shell only; the `gloss://` name is left for
 * deep links (another scheme, opened by the OS, never a page origin).
 *
 * The handler serves files under one folder and nothing else: `..` (literal or %-encoded), backslashes, NUL, absolute
 * paths and symlinks that lead out are 404, as is anything missing. Each reply carries the app's CSP.
 */
import { realpath, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { CustomScheme, Protocol } from 'electron';
import { RENDERER_CSP } from './security';

export const APP_SCHEME = 'gloss-app';
export const APP_HOST = 'renderer';
/** The window's page. A standard scheme needs a host: `renderer` names the one folder served. */
export const APP_PAGE_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * standard: relative URLs, an origin of its own, localStorage; secure: counts as a secure context like https;
 * supportFetchAPI: the page's fetch() (pdf.js's worker, WASM and font data) may load from it. No CORS bypass, no
 * service workers, no CSP bypass.
 */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
};

/** Must run before the app is ready (Electron refuses later). */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
}

/** Binds the handler once the app is ready. */
export function serveAppScheme(protocol: Pick<Protocol, 'handle'>, rendererDir: string): void {
  protocol.handle(APP_SCHEME, appSchemeHandler(rendererDir));
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

export function appSchemeHandler(rendererDir: string): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return reply(405, 'Only GET here.');
    const file = await resolveAppFile(rendererDir, request.url);
    if (file === null) return reply(404, 'Not found.');
    const headers = { ...COMMON_HEADERS, 'Content-Type': mimeTypeOf(file) };
    if (request.method === 'HEAD') return new Response(null, { status: 200, headers });
    return new Response(await readFile(file), { status: 200, headers });
  };
}
