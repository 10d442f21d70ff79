/**
 * The Electron host's wiring, run against a fake 'electron' module (no binary here): IPC goes through one checked
 * channel into the real notebook, the window is sandboxed, and navigation, new windows and permissions are refused.
 */
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { IpcMainInvokeEvent } from 'electron';
import { IPC_HOST_CHANNEL, IPC_INVOKE_CHANNEL, type ApiReply } from '../../electron/contract';
import { Notebook } from '../../electron/notebook/notebook';
import { bindIpc, makeSenderCheck } from '../../electron/main/ipc';
import { bindHostIpc, type HostDialogs } from '../../electron/main/host';
import { PickedFolders } from '../../electron/main/picked-folders';
import { denyAllPermissions, hardenContents, isExternalLinkAllowed, RENDERER_CSP } from '../../electron/main/security';
import { mainWindowOptions, rendererUrl } from '../../electron/main/window';
import { APP_PAGE_URL, APP_SCHEME, appSchemeHandler, registerAppScheme, serveAppScheme } from '../../electron/main/app-protocol';
import { menuTemplate } from '../../electron/main/menu';

vi.mock('electron', () => ({ Menu: { buildFromTemplate: vi.fn(), setApplicationMenu: vi.fn() }, shell: { openPath: vi.fn() } }));

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<ApiReply<unknown>>;

function fakeIpcMain() {
  const handlers = new Map<string, Handler>();
  return {
    handlers,
    handle: (channel: string, handler: Handler) => void handlers.set(channel, handler),
    removeHandler: (channel: string) => void handlers.delete(channel),
  };
}

const PAGE = 'gloss-app://renderer/index.html';
const fromPage = (url = PAGE, parent: unknown = null) => ({ senderFrame: { url, parent } }) as unknown as IpcMainInvokeEvent;

describe('IPC binding', () => {
  let dir: string;
  let notebook: Notebook;
  let ipc: ReturnType<typeof fakeIpcMain>;
  let picked: PickedFolders;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'gloss-ipc-'));
    notebook = await Notebook.open(dir, { seedArticlePath: path.resolve(__dirname, '../../resources/sample-article.txt') });
    ipc = fakeIpcMain();
    picked = new PickedFolders();
    bindIpc(ipc, notebook, makeSenderCheck(() => PAGE), picked);
  });
  afterEach(async () => {
    await notebook.close();
    await rm(dir, { recursive: true, force: true });
  });

  const invoke = (event: IpcMainInvokeEvent, method: unknown, args: unknown) => ipc.handlers.get(IPC_INVOKE_CHANNEL)!(event, method, args);

  it('serves contract methods from our page to the real notebook', async () => {
    const reply = await invoke(fromPage(), 'listArticles', []);
    expect(reply.ok).toBe(true);
    const [article] = (reply as { value: { id: string; title: string }[] }).value;
    expect(article.title).toMatch(/^Iran will never forget/);
    const added = await invoke(fromPage(), 'addHighlight', [article.id, { start: 0, end: 4 }]);
    expect(added).toMatchObject({ ok: true, value: { quote: 'Iran' } });
    expect((await notebook.getArticle(article.id)).highlights).toHaveLength(1);
  });

  it('refuses other senders: another page, a subframe, a missing frame', async () => {
    for (const event of [fromPage('https://evil.example/'), fromPage(PAGE, {}), { senderFrame: null } as unknown as IpcMainInvokeEvent]) {
      expect(await invoke(event, 'listArticles', [])).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
  });

  it('exportToFolder writes only to a folder this window picked in the native dialog', async () => {
    const chosen = await mkdtemp(path.join(os.tmpdir(), 'gloss-ipc-chosen-'));
    const other = await mkdtemp(path.join(os.tmpdir(), 'gloss-ipc-other-'));
    try {
      // The real host channel, with the fake dialog answering `chosen`.
      const dialog = { showOpenDialog: vi.fn().mockResolvedValue({ canceled: false, filePaths: [chosen] }), showSaveDialog: vi.fn() };
      bindHostIpc(ipc, dialog as unknown as HostDialogs, () => null, makeSenderCheck(() => PAGE), picked);
      const window1 = { id: 1 };
      const window2 = { id: 2 };
      const from = (sender: object) => ({ ...fromPage(), sender }) as unknown as IpcMainInvokeEvent;
      // Before any dialog, and for a path the page makes up, the call is refused and nothing is written.
      expect(await invoke(from(window1), 'exportToFolder', [chosen])).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/only to a folder chosen in the folder dialog/) } });
      expect(await ipc.handlers.get(IPC_HOST_CHANNEL)!(from(window1), 'chooseFolder', [])).toEqual({ ok: true, value: { path: chosen } });
      const exported = await invoke(from(window1), 'exportToFolder', [chosen]);
      expect(exported).toMatchObject({ ok: true, value: { written: [expect.stringMatching(/\.md$/)] } });
      const refused = await invoke(from(window1), 'exportToFolder', [other]);
      expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringContaining(other) } });
      expect(await invoke(from(window1), 'exportToFolder', [path.join(chosen, 'sub')])).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      // Another window has not picked anything.
      expect(await invoke(from(window2), 'exportToFolder', [chosen])).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(await readdir(other)).toEqual([]);
    } finally {
      await rm(chosen, { recursive: true, force: true });
      await rm(other, { recursive: true, force: true });
    }
  });

  it('refuses unknown methods and bad arguments with coded errors', async () => {
    expect(await invoke(fromPage(), 'constructor', [])).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await invoke(fromPage(), 42, [])).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await invoke(fromPage(), 'getArticle', [{}])).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});

describe('window and security', () => {
  it('creates sandboxed, isolated windows without Node, with spell checking off unless chosen', () => {
    const prefs = mainWindowOptions('/p/preload.js').webPreferences!;
    expect(prefs).toEqual({
      preload: '/p/preload.js',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      disableBlinkFeatures: 'Auxclick',
      spellcheck: false,
    });
    expect(mainWindowOptions('/p/preload.js', { spellcheck: true }).webPreferences!.spellcheck).toBe(true);
  });

  it('loads the built renderer over the gloss-app scheme (never file://) unless a dev server is given', () => {
    expect(rendererUrl(undefined)).toBe('gloss-app://renderer/index.html');
    expect(APP_PAGE_URL).toBe(PAGE);
    expect(rendererUrl('http://localhost:5173/')).toBe('http://localhost:5173/');
  });

  it('refuses navigation away, denies new windows and opens only http(s) links externally', () => {
    const listeners = new Map<string, (event: { preventDefault: () => void }, url: string) => void>();
    let openHandler: ((details: { url: string }) => { action: string }) | undefined;
    const contents = {
      on: (name: string, fn: (event: { preventDefault: () => void }, url: string) => void) => listeners.set(name, fn),
      setWindowOpenHandler: (fn: typeof openHandler) => (openHandler = fn),
    };
    const shell = { openExternal: vi.fn(async () => undefined) };
    hardenContents(contents as never, shell, (url) => url === PAGE);

    const nav = { preventDefault: vi.fn() };
    listeners.get('will-navigate')!(nav, 'https://evil.example/');
    expect(nav.preventDefault).toHaveBeenCalled();
    const own = { preventDefault: vi.fn() };
    listeners.get('will-navigate')!(own, PAGE);
    expect(own.preventDefault).not.toHaveBeenCalled();
    const redirect = { preventDefault: vi.fn() };
    listeners.get('will-redirect')!(redirect, 'https://evil.example/');
    expect(redirect.preventDefault).toHaveBeenCalled();

    expect(openHandler!({ url: 'https://example.com/a' })).toEqual({ action: 'deny' });
    expect(shell.openExternal).toHaveBeenCalledWith('https://example.com/a');
    expect(openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(openHandler!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(shell.openExternal).toHaveBeenCalledTimes(1);
    expect(isExternalLinkAllowed('mailto:a@b.c')).toBe(false);
  });

  it('denies every permission request and check', () => {
    let request: ((c: unknown, p: string, cb: (ok: boolean) => void) => void) | undefined;
    let check: (() => boolean) | undefined;
    denyAllPermissions({
      setPermissionRequestHandler: (fn: typeof request) => (request = fn),
      setPermissionCheckHandler: (fn: typeof check) => (check = fn),
    } as never);
    const answers: boolean[] = [];
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read']) request!(null, p, (ok) => answers.push(ok));
    expect(answers).toEqual([false, false, false, false]);
    expect(check!()).toBe(false);
  });

  it('has the menus users expect, with the macOS app menu only on macOS', () => {
    const ctx = { dataDir: '/d', getWindow: () => null, openWindow: () => undefined };
    const labels = (platform: NodeJS.Platform) => menuTemplate(ctx, platform).map((m) => m.label ?? m.role);
    expect(labels('linux')).toEqual(['&File', '&Edit', '&View', '&Help']);
    expect(labels('darwin')).toEqual(['appMenu', '&File', '&Edit', '&View', '&Help']);
  });
});

describe('the gloss-app scheme', () => {
  let dir: string;
  let root: string;
  let handler: (request: Request) => Promise<Response>;
  const get = (url: string, method = 'GET') => handler(new Request(url, { method }));

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'gloss-scheme-'));
    root = path.join(dir, 'renderer');
    await mkdir(path.join(root, 'assets'), { recursive: true });
    await writeFile(path.join(root, 'index.html'), '<!doctype html><title>Gloss</title>');
    await writeFile(path.join(root, 'assets', 'index-abc.js'), 'console.log(1)');
    await writeFile(path.join(root, 'assets', 'index-abc.css'), 'body{}');
    await writeFile(path.join(root, 'assets', 'pdf.worker.mjs'), 'export {}');
    await writeFile(path.join(root, 'assets', 'openjpeg.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d]));
    await writeFile(path.join(root, 'icon.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    await writeFile(path.join(dir, 'secret.txt'), 'do not serve me');
    await symlink(path.join(dir, 'secret.txt'), path.join(root, 'link-out.txt'));
    await symlink(dir, path.join(root, 'dir-out'));
    await symlink(path.join(root, 'index.html'), path.join(root, 'link-in.html'));
    handler = appSchemeHandler(root);
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('is registered as privileged (standard, secure, fetch) before ready, and handled under its own name, not gloss://', () => {
    const registered: unknown[] = [];
    registerAppScheme({ registerSchemesAsPrivileged: (schemes) => registered.push(...schemes) });
    expect(registered).toEqual([{ scheme: 'gloss-app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    const handled: string[] = [];
    serveAppScheme({ handle: (scheme: string) => void handled.push(scheme) } as never, root);
    expect(handled).toEqual([APP_SCHEME]);
    expect(APP_SCHEME).not.toBe('gloss');
  });

  it('serves the built files with their MIME types, the CSP and nosniff', async () => {
    const cases: [string, string, string][] = [
      ['gloss-app://renderer/index.html', 'text/html; charset=utf-8', '<!doctype html><title>Gloss</title>'],
      ['gloss-app://renderer/', 'text/html; charset=utf-8', '<!doctype html><title>Gloss</title>'],
      ['gloss-app://renderer/assets/index-abc.js', 'text/javascript; charset=utf-8', 'console.log(1)'],
      ['gloss-app://renderer/assets/index-abc.css', 'text/css; charset=utf-8', 'body{}'],
      ['gloss-app://renderer/assets/pdf.worker.mjs', 'text/javascript; charset=utf-8', 'export {}'],
      ['gloss-app://renderer/assets/openjpeg.wasm', 'application/wasm', '\0asm'],
      ['gloss-app://renderer/index.html?v=1#x', 'text/html; charset=utf-8', '<!doctype html><title>Gloss</title>'],
      ['gloss-app://renderer/link-in.html', 'text/html; charset=utf-8', '<!doctype html><title>Gloss</title>'],
    ];
    for (const [url, type, body] of cases) {
      const response = await get(url);
      expect(response.status, url).toBe(200);
      expect(response.headers.get('content-type'), url).toBe(type);
      expect(response.headers.get('content-security-policy'), url).toBe(RENDERER_CSP);
      expect(response.headers.get('x-content-type-options'), url).toBe('nosniff');
      expect(await response.text(), url).toBe(body);
    }
    expect((await get('gloss-app://renderer/icon.png')).headers.get('content-type')).toBe('image/png');
    expect(RENDERER_CSP).toMatch(/default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self';/);
    expect(RENDERER_CSP).toMatch(/frame-ancestors 'none'/);
    const head = await get('gloss-app://renderer/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('refuses traversal (.., %2e%2e, encoded slashes, backslashes), absolute paths, NUL, other hosts and symlinks out; 404 for missing', async () => {
    const refused = [
      'gloss-app://renderer/../secret.txt',
      'gloss-app://renderer/%2e%2e/secret.txt',
      'gloss-app://renderer/%2E%2E/secret.txt',
      'gloss-app://renderer/..%2fsecret.txt',
      'gloss-app://renderer/%2e%2e%2fsecret.txt',
      'gloss-app://renderer/assets/..%2f..%2fsecret.txt',
      'gloss-app://renderer/..%5csecret.txt',
      'gloss-app://renderer/assets%5c..%5c..%5csecret.txt',
      `gloss-app://renderer/${encodeURIComponent(path.join(dir, 'secret.txt'))}`,
      `gloss-app://renderer/${path.join(dir, 'secret.txt')}`,
      'gloss-app://renderer//etc/passwd',
      'gloss-app://renderer/C:/Windows/win.ini',
      'gloss-app://renderer/index.html%00.png',
      'gloss-app://renderer/link-out.txt',
      'gloss-app://renderer/dir-out/secret.txt',
      'gloss-app://renderer/assets',
      'gloss-app://renderer/%E0%A4%A',
      'gloss-app://elsewhere/index.html',
      'gloss-app://renderer/missing.js',
    ];
    for (const url of refused) {
      const response = await get(url);
      expect(response.status, url).toBe(404);
      expect(response.headers.get('content-security-policy'), url).toBe(RENDERER_CSP);
      expect(await response.text(), url).not.toContain('do not serve me');
    }
    expect((await get('gloss-app://renderer/index.html', 'POST')).status).toBe(405);
  });
});
