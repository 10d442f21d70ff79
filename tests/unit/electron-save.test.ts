/**
 * The desktop host's Save… and folder picker (HostBridge), with a fake dialog (no Electron binary here) and real files:
 * the content lands where the "user" chose, a cancel writes nothing, a path from the page cannot pick the folder, and
 * untrusted senders are refused like API calls.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { IpcMainInvokeEvent } from 'electron';
import { IPC_HOST_CHANNEL, type ApiReply } from '../../electron/contract';
import { bindHostIpc, type BackupFiles, type HostDialogs } from '../../electron/main/host';
import { makeSenderCheck } from '../../electron/main/ipc';
import { PickedFolders } from '../../electron/main/picked-folders';
import { Notebook } from '../../electron/notebook/notebook';

vi.mock('electron', () => ({}));

const PAGE = 'file:///app/out/renderer/index.html';
const fromPage = (url = PAGE) => ({ senderFrame: { url, parent: null } }) as unknown as IpcMainInvokeEvent;
type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<ApiReply<unknown>>;
type FakeDialog = { showSaveDialog: ReturnType<typeof vi.fn>; showOpenDialog: ReturnType<typeof vi.fn> };

/** The real host channel bound to a fake ipcMain and `dialog`: its one handler, as a window's call reaches it. */
function hostChannel(dialog: FakeDialog, backups?: BackupFiles): Handler {
  const handlers = new Map<string, Handler>();
  bindHostIpc(
    { handle: (channel: string, h: Handler) => void handlers.set(channel, h), removeHandler: (c: string) => void handlers.delete(c) } as never,
    dialog as unknown as HostDialogs,
    () => null,
    makeSenderCheck(() => PAGE),
    new PickedFolders(),
    backups,
  );
  return handlers.get(IPC_HOST_CHANNEL)!;
}

describe('host capabilities: Save… and Choose folder', () => {
  let dir: string;
  let handler: Handler;
  let dialog: FakeDialog;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'gloss-save-'));
    dialog = { showSaveDialog: vi.fn(), showOpenDialog: vi.fn() };
    handler = hostChannel(dialog);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const call = (capability: string, args: unknown[], event = fromPage()) => handler(event, capability, args);

  it('writes the content where the user chose, with a Markdown filter and only the suggested base name', async () => {
    const target = path.join(dir, 'chosen.md');
    dialog.showSaveDialog.mockResolvedValue({ canceled: false, filePath: target });
    const content = '---\ntitle: "x"\n---\n\n> quote 👩🏽‍💻\n';
    expect(await call('saveTextFile', ['../../etc/My notes.md', content])).toEqual({ ok: true, value: { path: target } });
    expect(await readFile(target, 'utf8')).toBe(content);
    const [options] = dialog.showSaveDialog.mock.calls[0];
    expect(options.defaultPath).toBe('My notes.md');
    expect(options.filters[0]).toEqual({ name: 'Markdown', extensions: ['md'] });
    expect(await readdir(dir)).toEqual(['chosen.md']); // no temp file left behind
  });

  it('writes nothing when the user cancels, and refuses bad arguments', async () => {
    dialog.showSaveDialog.mockResolvedValue({ canceled: true, filePath: '' });
    expect(await call('saveTextFile', ['a.json', '{}'])).toEqual({ ok: true, value: { path: null } });
    expect(await readdir(dir)).toEqual([]);
    expect(await call('saveTextFile', ['', 'x'])).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await call('saveTextFile', ['a.md', 42])).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(dialog.showSaveDialog).toHaveBeenCalledTimes(1);
  });

  it('reports a failed write with the path, instead of claiming success', async () => {
    dialog.showSaveDialog.mockResolvedValue({ canceled: false, filePath: path.join(dir, 'missing-folder', 'x.md') });
    const reply = await call('saveTextFile', ['x.md', 'x']);
    expect(reply).toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringContaining('missing-folder') } });
  });

  it('saves bytes (an annotated PDF) exactly, with a PDF filter; refuses what is not base64 and writes nothing', async () => {
    const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from([0, 255, 128, 13, 10, 0xe2, 0x82])]);
    const target = path.join(dir, 'paper (annotated).pdf');
    dialog.showSaveDialog.mockResolvedValue({ canceled: false, filePath: target });
    expect(await call('saveBinaryFile', ['../x/paper (annotated).pdf', bytes.toString('base64')])).toEqual({ ok: true, value: { path: target } });
    expect((await readFile(target)).equals(bytes)).toBe(true);
    const [options] = dialog.showSaveDialog.mock.calls[0];
    expect(options.defaultPath).toBe('paper (annotated).pdf');
    expect(options.filters[0]).toEqual({ name: 'PDF', extensions: ['pdf'] });
    expect(await readdir(dir)).toEqual(['paper (annotated).pdf']);

    for (const bad of ['not base64!', 'abc', 42, null]) {
      expect(await call('saveBinaryFile', ['b.pdf', bad])).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringContaining('base64') } });
    }
    expect(await call('saveBinaryFile', ['', 'AAAA'])).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(dialog.showSaveDialog).toHaveBeenCalledTimes(1);

    dialog.showSaveDialog.mockResolvedValue({ canceled: true, filePath: '' });
    expect(await call('saveBinaryFile', ['c.pdf', 'AAAA'])).toEqual({ ok: true, value: { path: null } });
    expect(await readdir(dir)).toEqual(['paper (annotated).pdf']);
  });

  it('returns the chosen folder, or null on cancel', async () => {
    dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: [dir] }).mockResolvedValueOnce({ canceled: true, filePaths: [] });
    expect(await call('chooseFolder', [])).toEqual({ ok: true, value: { path: dir } });
    expect(await call('chooseFolder', [])).toEqual({ ok: true, value: { path: null } });
    expect(dialog.showOpenDialog.mock.calls[0][0].properties).toContain('openDirectory');
  });

  it('refuses other senders and unknown capabilities without showing a dialog', async () => {
    expect(await call('saveTextFile', ['a.md', 'x'], fromPage('https://evil.example/'))).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await call('writeAnywhere', ['/etc/passwd', 'x'])).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(dialog.showSaveDialog).not.toHaveBeenCalled();
  });
});

describe('host capabilities: the whole-notebook backup saved and restored through native dialogs', () => {
  let dir: string;
  let notebook: Notebook;
  let handler: Handler;
  let dialog: FakeDialog;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'gloss-save-backup-'));
    notebook = await Notebook.open(path.join(dir, 'notebook'));
    const a = await notebook.importArticle({ format: 'text', title: 'Kept', content: 'A passage worth keeping.' });
    await notebook.addHighlight(a.id, { start: 2, end: 9, note: 'why' });
    dialog = { showSaveDialog: vi.fn(), showOpenDialog: vi.fn() };
    handler = hostChannel(dialog, notebook);
  });
  afterEach(async () => {
    await notebook.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('saves the backup where the user chose, and restores a file the user picks (the page names no path)', async () => {
    const target = path.join(dir, 'my backup.json');
    dialog.showSaveDialog.mockResolvedValue({ canceled: false, filePath: target });
    expect(await handler(fromPage(), 'saveBackupFile', ['../x/gloss-backup.json'])).toEqual({ ok: true, value: { path: target, articles: 1 } });
    expect(dialog.showSaveDialog.mock.calls[0][0]).toMatchObject({ defaultPath: 'gloss-backup.json', filters: [{ name: 'JSON', extensions: ['json'] }, expect.anything()] });
    const backup = await notebook.backupNotebook();
    expect(JSON.parse(await readFile(target, 'utf8'))).toEqual(backup);

    const [article] = await notebook.listArticles();
    await notebook.deleteArticle(article.id);
    dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: [target] }).mockResolvedValueOnce({ canceled: true, filePaths: [] });
    const restored = await handler(fromPage(), 'restoreBackupFile', ['merge']);
    expect(restored).toMatchObject({ ok: true, value: { path: target, result: { articles: 1, highlights: 1, skipped: 0 } } });
    expect(dialog.showOpenDialog.mock.calls[0][0].properties).toEqual(['openFile']);
    expect(await notebook.backupNotebook()).toEqual(backup);
    expect(await handler(fromPage(), 'restoreBackupFile', ['merge'])).toEqual({ ok: true, value: { path: null } });
  });

  it('says why a restore was refused, refuses a bad mode and other senders without a dialog', async () => {
    const bad = path.join(dir, 'bad.json');
    await writeFile(bad, '{"format":"gloss-notebook-backup","version":1,');
    dialog.showOpenDialog.mockResolvedValue({ canceled: false, filePaths: [bad] });
    expect(await handler(fromPage(), 'restoreBackupFile', ['replace'])).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringMatching(/^Backup is not valid JSON/) } });
    expect(await handler(fromPage(), 'restoreBackupFile', ['everything'])).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringContaining('mode') } });
    expect(await handler(fromPage('https://evil.example/'), 'saveBackupFile', ['a.json'])).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(dialog.showOpenDialog).toHaveBeenCalledTimes(1);
    expect(dialog.showSaveDialog).not.toHaveBeenCalled();
    expect((await notebook.listArticles()).map((a) => a.title)).toEqual(['Kept']);
  });
});
