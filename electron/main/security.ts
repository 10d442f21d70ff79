import type { App, Session, Shell, WebContents } from 'electron';

/** http(s) links only: file:, javascript:, custom schemes never reach the OS. */
export function isExternalLinkAllowed(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * The Electron security checklist, applied to every web contents the app ever creates: no navigation away from our
 * page, no new windows (links open in the system browser, http(s) only, after the user clicked them), and every
 * permission (camera, notifications, geolocation...) denied.
 */
export function hardenApp(
  app: Pick<App, 'on' | 'enableSandbox'>,
  shell: Pick<Shell, 'openExternal'>,
  isOwnPage: (url: string) => boolean,
): void {
  // Every renderer sandboxed, whatever options a future window forgets to pass (must run before 'ready').
  app.enableSandbox();
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, shell, isOwnPage));
}

export function hardenContents(
  contents: Pick<WebContents, 'on' | 'setWindowOpenHandler'>,
  shell: Pick<Shell, 'openExternal'>,
  isOwnPage: (url: string) => boolean,
): void {
  contents.on('will-navigate', (event, url) => {
    if (!isOwnPage(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isOwnPage(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // Electronegativity flags every openExternal whose argument is not a literal; this one is checked on the line
    // above (http and https only, never file:, javascript: or custom schemes), so that one check is off for this line.
    if (isExternalLinkAllowed(url)) void shell.openExternal(url); /* eng-disable OPEN_EXTERNAL_JS_CHECK */
    return { action: 'deny' };
  });
}

/**
 * The renderer's Content-Security-Policy as a response header too (renderer/index.html carries the same policy in a
 * <meta> tag; a header also covers the dev server and anything a meta tag cannot, like frame-ancestors). Keep the
 * two in step.
 *
 * Electronegativity's CSP evaluator notes that script-src 'self' "can be problematic if you host JSONP, Angular or
 * user uploaded files". Gloss serves none of these: 'self' is the app's own bundle, and imported articles are
 * sanitized HTML put into the DOM, never served as files. That note is silenced on the line below;
 * scripts/electronegativity.cjs re-evaluates this policy itself and fails on any other finding.
 *
 * For PDFs (pdf.js): its worker is one of our built scripts, loaded from 'self' (same origin, so pdf.js starts it by
 * URL and never wraps it in a blob:); its image decoders (JPEG 2000, JBIG2, colour profiles) are WebAssembly, which
 * needs 'wasm-unsafe-eval' (compiling WASM only: JavaScript eval stays refused); the PDF's bytes and pdf.js's fonts,
 * cmaps and .wasm files are fetched from our own origin (connect-src 'self'). Nothing is loaded from anywhere else.
 */
export const RENDERER_CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: https:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The policy on every response the session sees (the dev server's too); the gloss-app scheme sets it itself. */
export function enforceContentSecurityPolicy(session: Pick<Session, 'webRequest'>): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { // eng-disable CSP_GLOBAL_CHECK
        ...details.responseHeaders,
        'Content-Security-Policy': [RENDERER_CSP],
      },
    });
  });
}

export function denyAllPermissions(session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
