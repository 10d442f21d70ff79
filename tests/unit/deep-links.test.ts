/**
 * gloss:// deep links in the desktop host (electron/main/deep-links.ts), against fakes of Electron's app and window
 * (no binary here), and the real entry point (electron/main/index.ts) loaded over a fake 'electron' module: the scheme
 * is registered before 'ready', and a second launch carrying a link focuses the window and routes its renderer.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { deepLink } from '../../electron/notebook/export/deep-link';
import { deepLinkInArgv, registerDeepLinks, type DeepLinkApp, type DeepLinkWindow } from '../../electron/main/deep-links';

type Listener = (...args: unknown[]) => void;

function fakeApp() {
  const listeners = new Map<string, Listener[]>();
  const registered: unknown[][] = [];
  const app = {
    setAsDefaultProtocolClient: (...args: unknown[]) => {
      registered.push(args);
      return true;
    },
    on: (event: string, listener: Listener) => {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
      return app;
    },
  };
  const emit = (event: string, ...args: unknown[]) => (listeners.get(event) ?? []).forEach((l) => l(...args));
  return { app: app as unknown as DeepLinkApp, registered, emit, listeners };
}

function fakeWindow({ minimized = false, loading = false } = {}) {
  const calls: string[] = [];
  const scripts: string[] = [];
  let onLoad: (() => void) | undefined;
  const win: DeepLinkWindow = {
    isDestroyed: () => false,
    isMinimized: () => minimized,
    restore: () => void calls.push('restore'),
    show: () => void calls.push('show'),
    focus: () => void calls.push('focus'),
    webContents: {
      isLoading: () => loading,
      once: (_event, listener) => {
        onLoad = listener;
      },
      executeJavaScript: async (code: string) => {
        scripts.push(code);
        return undefined;
      },
    },
  };
  return { win, calls, scripts, finishLoad: () => onLoad?.() };
}

/** What a routed renderer ends up with: run the script against a fake `window.location`. */
function hashAfter(script: string): string {
  const window = { location: { hash: '' } };
  new Function('window', script)(window);
  return window.location.hash;
}

const LINK = deepLink('art-1_x', 'hl_2-y');
const ROUTE = '#/article/art-1_x/highlight/hl_2-y';

describe('gloss:// deep links in the desktop app', () => {
  it('registers the gloss scheme (packaged: the app itself; unpackaged: electron with the app path)', () => {
    const packaged = fakeApp();
    registerDeepLinks(packaged.app, { getWindow: () => null, argv: ['/Applications/Gloss'] });
    expect(packaged.registered).toEqual([['gloss']]);
    const dev = fakeApp();
    registerDeepLinks(dev.app, { getWindow: () => null, argv: ['/usr/bin/electron', 'out/main/index.js'], defaultApp: true, execPath: '/usr/bin/electron' });
    expect(dev.registered[0][0]).toBe('gloss');
    expect(dev.registered[0][1]).toBe('/usr/bin/electron');
    expect(String((dev.registered[0][2] as string[])[0])).toMatch(/out\/main\/index\.js$/);
  });

  it('second-instance with a link (Windows, Linux): restores, shows and focuses the window, routes it to the highlight', () => {
    const { app, emit } = fakeApp();
    const w = fakeWindow({ minimized: true });
    registerDeepLinks(app, { getWindow: () => w.win, argv: ['gloss'] });
    emit('second-instance', {}, ['/opt/Gloss/gloss', '--some-flag', LINK]);
    expect(w.calls).toEqual(['restore', 'show', 'focus']);
    expect(w.scripts).toHaveLength(1);
    expect(hashAfter(w.scripts[0])).toBe(ROUTE);
  });

  it('open-url (macOS): prevents the default, routes; waits for a page still loading', () => {
    const { app, emit } = fakeApp();
    const w = fakeWindow({ loading: true });
    registerDeepLinks(app, { getWindow: () => w.win, argv: [] });
    const preventDefault = vi.fn();
    emit('open-url', { preventDefault }, LINK);
    expect(preventDefault).toHaveBeenCalled();
    expect(w.scripts).toEqual([]);
    w.finishLoad();
    expect(hashAfter(w.scripts[0])).toBe(ROUTE);
  });

  it('a link that launched the app, or came with no window, is the first window`s route', () => {
    const { app, emit } = fakeApp();
    let win: DeepLinkWindow | null = null;
    const openWindow = vi.fn();
    const links = registerDeepLinks(app, { getWindow: () => win, argv: ['/opt/Gloss/gloss', LINK], openWindow });
    expect(links.takePendingHash()).toBe(ROUTE);
    expect(links.takePendingHash()).toBe(''); // taken once
    emit('open-url', { preventDefault() {} }, deepLink('other'));
    expect(openWindow).toHaveBeenCalledTimes(1);
    expect(links.takePendingHash()).toBe('#/article/other');
    win = fakeWindow().win;
  });

  it('ignores what is not a gloss link to a place: other schemes, other actions, injection attempts', () => {
    const { app, emit } = fakeApp();
    const w = fakeWindow();
    registerDeepLinks(app, { getWindow: () => w.win, argv: [] });
    for (const url of ['https://evil.example/open/x', 'gloss://delete/x', 'gloss://open/', 'gloss://open/a/b', 'file:///etc/passwd']) {
      emit('open-url', { preventDefault() {} }, url);
    }
    emit('second-instance', {}, ['gloss', 'gloss://open/x";alert(1);"']);
    expect(w.scripts).toEqual([]); // ids are letters, digits, _ and -: a quote-laden one is no link of ours
    expect(deepLinkInArgv(['--flag', 'GLOSS://open/abc?highlight=h'])).toEqual({ articleId: 'abc', highlightId: 'h' });
  });
});

describe('the desktop entry point wires deep links before ready', () => {
  afterEach(() => {
    vi.doUnmock('electron');
    vi.resetModules();
  });

  it('registers the scheme and the open-url and second-instance handlers at load, and a second launch routes the window', async () => {
    const { app: fake, registered, listeners, emit } = fakeApp();
    const electronApp = Object.assign(fake, {
      isPackaged: true,
      requestSingleInstanceLock: () => false, // as the second instance would: start() stops there
      quit: vi.fn(),
      exit: vi.fn(),
      whenReady: () => new Promise(() => undefined),
      getPath: () => '/tmp',
    });
    vi.doMock('electron', () => ({
      app: electronApp,
      BrowserWindow: { getAllWindows: () => [] },
      dialog: {},
      ipcMain: { handle: vi.fn(), on: vi.fn() },
      protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
      screen: {},
      session: {},
      shell: {},
      Menu: { buildFromTemplate: vi.fn(), setApplicationMenu: vi.fn() },
    }));
    await import('../../electron/main/index');
    expect(registered).toEqual([['gloss']]);
    expect(listeners.has('open-url')).toBe(true);
    expect(listeners.get('second-instance')).toHaveLength(1); // one handler: focus and route, not two competing
    expect(electronApp.quit).toHaveBeenCalled(); // the lock was not ours
    // No window yet: the link waits (and does not throw).
    expect(() => emit('second-instance', {}, ['gloss', LINK])).not.toThrow();
  });
});
