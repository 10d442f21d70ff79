/**
 * `gloss://open/<articleId>?highlight=<id>` links (written into every Markdown export, notebook/export/deep-link.ts)
 * open the desktop app at the highlight. The app registers itself for the scheme; the OS hands a clicked link over
 * as a command-line argument (Windows, Linux: a second launch, which the single-instance lock turns into a
 * `second-instance` event in the running app) or as an `open-url` event (macOS, also before the app is ready). Either
 * way the window is shown and focused and its renderer sent to the route `#/article/<id>/highlight/<hid>`, which opens
 * the article scrolled to the highlight with its card focused. A link that is not ours, or is malformed, does nothing.
 */
import path from 'node:path';
import { DEEP_LINK_SCHEME, parseDeepLink, routeHash, type DeepLinkTarget } from '../notebook/export/deep-link';

/** What of Electron's `app` this needs (a fake in tests). */
export interface DeepLinkApp {
  setAsDefaultProtocolClient(protocol: string, path?: string, args?: string[]): boolean;
  on(event: 'open-url', listener: (event: { preventDefault(): void }, url: string) => void): unknown;
  on(event: 'second-instance', listener: (event: unknown, argv: string[]) => void): unknown;
}

/** What of a BrowserWindow this needs. */
export interface DeepLinkWindow {
  isDestroyed(): boolean;
  isMinimized(): boolean;
  restore(): void;
  show(): void;
  focus(): void;
  webContents: {
    isLoading(): boolean;
    once(event: 'did-finish-load', listener: () => void): unknown;
    executeJavaScript(code: string): Promise<unknown>;
  };
}

/** The first `gloss://` link among command-line arguments, if any (Windows and Linux pass a clicked link there). */
export function deepLinkInArgv(argv: readonly string[]): DeepLinkTarget | undefined {
  for (const arg of argv) {
    if (!arg.toLowerCase().startsWith(`${DEEP_LINK_SCHEME}:`)) continue;
    const target = parseDeepLink(arg);
    if (target) return target;
  }
  return undefined;
}

export interface DeepLinkOptions {
  getWindow: () => DeepLinkWindow | null;
  /** This process's command line: a link that launched the app is in it. */
  argv: readonly string[];
  /** Running unpackaged (`electron .`): the OS must start Electron with the app's path for the link to reach us. */
  defaultApp?: boolean;
  execPath?: string;
  /** Makes the main window when there is none (macOS keeps running windowless); it should call takePendingHash. */
  openWindow?: () => void;
}

export interface DeepLinks {
  /** For a new main window's URL: the route of a link that arrived before it existed ('' when none). Loading the
   * page at its route, rather than routing after load, leaves no race with the restore of the last reading place. */
  takePendingHash(): string;
  /** Opens a target now (or once a window exists). */
  open(target: DeepLinkTarget): void;
}

/** Registers the scheme and the handlers. Call before `app.whenReady()` (macOS sends `open-url` early). */
export function registerDeepLinks(app: DeepLinkApp, options: DeepLinkOptions): DeepLinks {
  // Reviewed (Electronegativity's PROTOCOL_HANDLER_JS_CHECK): a gloss:// link only ever routes the window to an
  // article and highlight, parsed strictly by parseDeepLink (ids of the notebook's own form, nothing else read).
  if (options.defaultApp && options.argv.length >= 2) {
    app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME, options.execPath, [path.resolve(options.argv[1])]); // eng-disable PROTOCOL_HANDLER_JS_CHECK
  } else {
    app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME); // eng-disable PROTOCOL_HANDLER_JS_CHECK
  }
  let pending: DeepLinkTarget | undefined = deepLinkInArgv(options.argv);

  const navigate = (win: DeepLinkWindow, target: DeepLinkTarget): void => {
    // The hash is built by routeHash (percent-encoded ids) and passed as a JSON string literal: no way to inject code.
    const go = () => void win.webContents.executeJavaScript(`window.location.hash = ${JSON.stringify(routeHash(target))};`).catch(() => undefined);
    if (win.webContents.isLoading()) win.webContents.once('did-finish-load', go);
    else go();
  };

  const open = (target: DeepLinkTarget): void => {
    const win = options.getWindow();
    if (!win || win.isDestroyed()) {
      pending = target;
      options.openWindow?.();
      return;
    }
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
    navigate(win, target);
  };

  app.on('open-url', (event, url) => {
    event.preventDefault();
    // Only our own scheme: parseDeepLink also reads browser mode's http form, which no OS hands to this app.
    const target = url.toLowerCase().startsWith(`${DEEP_LINK_SCHEME}:`) ? parseDeepLink(url) : undefined;
    if (target) open(target);
  });
  app.on('second-instance', (_event, argv) => {
    const target = deepLinkInArgv(argv);
    if (target) return open(target);
    // A plain second launch: bring the running window forward.
    const win = options.getWindow();
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });

  return {
    open,
    takePendingHash() {
      const hash = pending ? routeHash(pending) : '';
      pending = undefined;
      return hash;
    },
  };
}
