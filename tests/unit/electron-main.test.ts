/**
 * The Electron host's wiring, run against a fake 'electron' module (no binary here): IPC goes through one checked
 * channel into the real notebook, the window is sandboxed, and navigation, new windows and permissions are refused.
 */
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { IpcMainInvokeEvent } from 'electron';
import { IPC_HOST_CHANNEL, IPC_IMPORT_FILE_CHANNEL, IPC_INVOKE_CHANNEL, LIMITS, type ApiReply, type ImportedArticleSummary } from '../../electron/contract';
import { GlossError, notFound } from '../../electron/notebook/errors';
import type { ImportFileRequest } from '../../electron/notebook/file-transfer';
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

  it('importFile: bytes from our page reach the notebook as bytes; other senders, non-bytes, bad requests and oversize files do not', async () => {
    const received: { bytes: Uint8Array; request: ImportFileRequest }[] = [];
    notebook.importFile = async (bytes, request) => {
      if (request.password === 'wrong') throw new GlossError('password_required', 'The password is wrong.');
      received.push({ bytes, request });
      return { id: 'pdf_1', title: 'Paper', importedHighlights: 1 } as unknown as ImportedArticleSummary;
    };
    const importFile = (event: IpcMainInvokeEvent, bytes: unknown, request: unknown) => ipc.handlers.get(IPC_IMPORT_FILE_CHANNEL)!(event, bytes, request);
    const bytes = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0xff, 0x00]);
    expect(await importFile(fromPage(), bytes, { format: 'pdf', fileName: 'paper.pdf' })).toEqual({ ok: true, value: { id: 'pdf_1', title: 'Paper', importedHighlights: 1 } });
    expect(received).toHaveLength(1);
    expect([...received[0].bytes]).toEqual([...bytes]);
    expect(received[0].request).toEqual({ format: 'pdf', fileName: 'paper.pdf' });

    const refusals: [IpcMainInvokeEvent, unknown, unknown, string, RegExp][] = [
      [fromPage('https://evil.example/'), bytes, { format: 'pdf' }, 'forbidden', /may not call/],
      [fromPage(PAGE, {}), bytes, { format: 'pdf' }, 'forbidden', /may not call/],
      [fromPage(), 'JVBERi0=', { format: 'pdf' }, 'invalid_input', /bytes/],
      [fromPage(), [1, 2, 3], { format: 'pdf' }, 'invalid_input', /bytes/],
      [fromPage(), bytes, { format: 'pdf', content: 'text' }, 'invalid_input', /content/],
      [fromPage(), bytes, { format: 'pdf', url: 'https://example.com/a.pdf' }, 'invalid_input', /url/],
      [fromPage(), bytes, null, 'invalid_input', /import request/],
      // Zero-filled: the pages are never touched, so this costs no real memory.
      [fromPage(), new Uint8Array(LIMITS.maxPdfBytes + 1), { format: 'pdf' }, 'too_large', /256 MiB/],
      [fromPage(), bytes, { format: 'pdf', password: 'wrong' }, 'password_required', /wrong/],
    ];
    for (const [event, body, request, code, message] of refusals) {
      const reply = await importFile(event, body, request);
      expect(reply, `${code} ${String(message)}`).toMatchObject({ ok: false, error: { code, message: expect.stringMatching(message) } });
    }
    expect(received).toHaveLength(1);
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
    expect(registered).toEqual([{ scheme: 'gloss-app', privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } }]);
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

describe('the gloss-app scheme serves a PDF article\'s file', () => {
  let dir: string;
  let stored: string;
  const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(3000, 7), Buffer.from('%%EOF\n')]);
  let notebookOpen = true;
  const files = () => (notebookOpen ? { articleFile: async (id: string) => {
    if (id !== 'paper_1') throw notFound(`The article "${id}" has no stored file.`);
    return { path: stored, bytes: PDF.length };
  } } : null);
  let handler: (request: Request) => Promise<Response>;
  const get = (url: string, headers: Record<string, string> = {}, method = 'GET') => handler(new Request(url, { method, headers }));

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'gloss-scheme-files-'));
    await mkdir(path.join(dir, 'renderer', 'files'), { recursive: true });
    await writeFile(path.join(dir, 'renderer', 'index.html'), '<!doctype html>');
    await writeFile(path.join(dir, 'renderer', 'files', 'paper_2.pdf'), 'a built file, not an article');
    stored = path.join(dir, 'stored.pdf');
    await writeFile(stored, PDF);
    notebookOpen = true;
    handler = appSchemeHandler(path.join(dir, 'renderer'), files);
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('whole, as application/pdf with the CSP, nosniff, no-store and Accept-Ranges', async () => {
    const response = await get('gloss-app://renderer/files/paper_1.pdf');
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(PDF)).toBe(true);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'content-type': 'application/pdf',
      'accept-ranges': 'bytes',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'content-length': String(PDF.length),
      'content-security-policy': RENDERER_CSP,
    });
    const head = await get('gloss-app://renderer/files/paper_1.pdf', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('by byte range: 206 with exactly those bytes, 416 past the end', async () => {
    for (const [range, start, end] of [['bytes=0-99', 0, 99], ['bytes=3000-', 3000, PDF.length - 1], ['bytes=-6', PDF.length - 6, PDF.length - 1]] as const) {
      const response = await get('gloss-app://renderer/files/paper_1.pdf', { Range: range });
      expect(response.status, range).toBe(206);
      expect(response.headers.get('content-range'), range).toBe(`bytes ${start}-${end}/${PDF.length}`);
      expect(Buffer.from(await response.arrayBuffer()).equals(PDF.subarray(start, end + 1)), range).toBe(true);
    }
    const past = await get('gloss-app://renderer/files/paper_1.pdf', { Range: `bytes=${PDF.length}-` });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${PDF.length}`);
  });

  it('404 for an article without a file, a name that is not an id, another host, or before the notebook is open', async () => {
    for (const url of [
      'gloss-app://renderer/files/other.pdf',
      'gloss-app://renderer/files/paper_2.pdf', // a file of that name in the renderer folder is not served from /files/
      'gloss-app://renderer/files/..%2Fstored.pdf',
      'gloss-app://renderer/files/paper_1',
      'gloss-app://renderer/files/a.b.pdf',
      'gloss-app://elsewhere/files/paper_1.pdf',
    ]) {
      const response = await get(url);
      expect(response.status, url).toBe(404);
      expect(await response.text(), url).not.toMatch(/PDF-1\.7|a built file/);
    }
    notebookOpen = false;
    expect((await get('gloss-app://renderer/files/paper_1.pdf')).status).toBe(404);
  });
});
