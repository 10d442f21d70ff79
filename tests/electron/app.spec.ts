/**
 * The desktop app itself, driven by Playwright's _electron. These need the Electron binary, which cannot be
 * downloaded on an offline machine: there each test is skipped with the reason printed. Where the binary exists
 * (a developer's machine after `npm ci` with network), they run.
 */
import { _electron as electron, test, expect, type ElectronApplication } from '@playwright/test';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { findElectronBinary } = require('../../scripts/electron-binary.cjs') as {
  findElectronBinary: () => { path?: string; missing?: string };
};

const root = path.resolve(__dirname, '../..');
const binary = findElectronBinary();
if (!binary.path) console.log(`[electron tests] skipped: ${binary.missing}`);

test.describe('desktop app', () => {
  test.skip(!binary.path, `no Electron binary: ${binary.missing}`);

  let app: ElectronApplication;
  let dataDir: string;

  test.beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'gloss-electron-'));
    app = await electron.launch({ executablePath: binary.path, args: [root, '--data-dir', dataDir] });
  });

  test.afterEach(async () => {
    await app?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('the window is sandboxed and isolated, and shows the sample article', async () => {
    const page = await app.firstWindow();
    // getLastWebPreferences is Electron's own (untyped) accessor for what the window really runs with.
    const prefs = await app.evaluate(({ BrowserWindow }) =>
      (BrowserWindow.getAllWindows()[0].webContents as unknown as { getLastWebPreferences(): Record<string, unknown> }).getLastWebPreferences(),
    );
    expect(prefs).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, spellcheck: false });
    await expect(page.getByRole('link', { name: /Iran will never forget/ })).toBeVisible();
    // Served over the app's own scheme (electron/main/app-protocol.ts), never file://, with the CSP as a header.
    expect(page.url()).toMatch(/^gloss-app:\/\/renderer\/index\.html(#.*)?$/);
    const shell = await page.evaluate(async () => {
      const response = await fetch('/index.html');
      return { status: response.status, type: response.headers.get('content-type'), csp: response.headers.get('content-security-policy') };
    });
    expect(shell).toMatchObject({ status: 200, type: 'text/html; charset=utf-8', csp: expect.stringContaining("default-src 'self'") });
    expect(await page.evaluate(async () => (await fetch('/..%2f..%2fpackage.json')).status)).toBe(404);
    expect(await app.evaluate(({ session }) => session.defaultSession.isSpellCheckerEnabled())).toBe(false);
    expect(await page.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
    expect(await page.evaluate(() => typeof window.gloss?.listArticles)).toBe('function');
  });

  test('navigation and new windows are refused', async () => {
    const page = await app.firstWindow();
    await expect(page.getByRole('link', { name: /Iran will never forget/ })).toBeVisible();
    const before = page.url();
    await page.evaluate(() => {
      window.location.href = 'https://example.com/';
    });
    await page.waitForTimeout(300); // no event fires for a navigation that never happens
    expect(page.url()).toBe(before);
    await page.evaluate(() => window.open('https://example.com/'));
    expect(app.windows()).toHaveLength(1);
  });

  test('a highlight made in the window is in the notebook', async () => {
    const page = await app.firstWindow();
    const [sample] = await page.evaluate(async () => (await window.gloss!.listArticles()) as unknown as { ok: true; value: { id: string }[] }).then((r) => r.value);
    const reply = await page.evaluate(async (id) => window.gloss!.addHighlight(id, { start: 0, end: 4 }), sample.id);
    expect(reply.ok).toBe(true);
  });

  test('Save backup… and Choose backup and restore… go through the native dialogs, streamed by main', async () => {
    const page = await app.firstWindow();
    const backupFile = path.join(dataDir, '..', `${path.basename(dataDir)}-backup.json`);
    // The native dialogs answer as a user choosing that file would (main's dialog module, replaced in main).
    await app.evaluate(({ dialog }, file) => {
      dialog.showSaveDialog = (async () => ({ canceled: false, filePath: file })) as typeof dialog.showSaveDialog;
      dialog.showOpenDialog = (async () => ({ canceled: false, filePaths: [file] })) as typeof dialog.showOpenDialog;
    }, backupFile);
    try {
      await page.locator('body').press('Control+e');
      const exportDialog = page.getByRole('dialog', { name: 'Export' });
      await exportDialog.getByText('Backup and W3C annotations').click();
      await exportDialog.getByRole('button', { name: 'Save backup…' }).click();
      await expect(exportDialog.getByRole('status')).toContainText(`Backup of 1 articles saved to ${backupFile}`);
      const backup = JSON.parse(await readFile(backupFile, 'utf8'));
      const [sample] = backup.articles as { id: string }[];
      await page.evaluate(async (id) => window.gloss!.deleteArticle(id), sample.id);
      await exportDialog.getByRole('button', { name: 'Choose backup and restore…' }).click();
      await expect(exportDialog.getByRole('status')).toContainText('Restored (merge): 1 articles');
      const listed = await page.evaluate(async () => (await window.gloss!.listArticles()) as unknown as { ok: true; value: { id: string }[] });
      expect(listed.value.map((a) => a.id)).toEqual([sample.id]);
    } finally {
      await rm(backupFile, { force: true });
    }
  });

  test('a PDF goes in as bytes over IPC and comes back on gloss-app:// by byte range, from the page\'s own origin', async () => {
    const page = await app.firstWindow();
    await expect(page.getByRole('link', { name: /Iran will never forget/ })).toBeVisible();
    const bytes = [...(await readFile(path.resolve(root, process.env.GLOSS_FIXTURES ?? '../shared/fixtures', 'pdf', 'tracemonkey.pdf')))];
    const result = await page.evaluate(async (data) => {
      const reply = await window.gloss!.importFile(new Uint8Array(data), { format: 'pdf', fileName: 'tracemonkey.pdf' });
      if (!reply.ok) return { error: reply.error };
      const url = `/files/${reply.value.id}.pdf`;
      const part = await fetch(url, { headers: { Range: 'bytes=0-99' } });
      const first = [...new Uint8Array(await part.arrayBuffer())];
      const whole = await fetch(url);
      return {
        // pdf.js starts its worker by URL only when the page's origin is a real one (else it wraps it in a blob:).
        origin: new URL(location.href).origin,
        status: part.status,
        range: part.headers.get('content-range'),
        first,
        wholeStatus: whole.status,
        wholeBytes: (await whole.arrayBuffer()).byteLength,
      };
    }, bytes);
    expect(result).toMatchObject({ origin: 'gloss-app://renderer', status: 206, range: `bytes 0-99/${bytes.length}`, wholeStatus: 200, wholeBytes: bytes.length });
    expect((result as { first: number[] }).first).toEqual(bytes.slice(0, 100));
  });
});
