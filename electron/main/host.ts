/**
 * Host capabilities outside the notebook contract (contract.ts HostBridge): native Save (text, or bytes such as an
 * annotated PDF) and folder dialogs, and the whole-notebook backup saved to and restored from a file the user picks
 * (streamed by the notebook: a 10,000-article backup is never one string crossing IPC). The page never names a path
 * to write or read: main shows the dialog and uses only what the user chose, writing atomically. A folder chosen here
 * is remembered for the window (PickedFolders): exportToFolder over IPC accepts no other.
 */
import path from 'node:path';
import type { BrowserWindow, Dialog, IpcMain, IpcMainInvokeEvent } from 'electron';
import { IPC_HOST_CHANNEL, LIMITS, type ApiReply, type HostCapability, type RestoreResult } from '../contract';
import { internalError } from '../notebook/dispatch';
import { GlossError } from '../notebook/errors';
import type { NotebookFiles } from '../notebook/file-transfer';
import { writeFileAtomic } from '../notebook/export';
import type { PickedFolders } from './picked-folders';

export type HostDialogs = Pick<Dialog, 'showSaveDialog' | 'showOpenDialog'>;
type Reply = ApiReply<{ path: string | null }>;

const refuse = (message: string): Reply => ({ ok: false, error: { code: 'invalid_input', message } });

/** Filters for the save dialog from the suggested name's extension: Markdown, JSON (backups, annotations) or any. */
function filtersFor(name: string): { name: string; extensions: string[] }[] {
  const ext = path.extname(name).toLowerCase();
  if (ext === '.md') return [{ name: 'Markdown', extensions: ['md'] }, { name: 'All files', extensions: ['*'] }];
  if (ext === '.json' || ext === '.jsonld') return [{ name: 'JSON', extensions: [ext.slice(1)] }, { name: 'All files', extensions: ['*'] }];
  if (ext === '.pdf') return [{ name: 'PDF', extensions: ['pdf'] }, { name: 'All files', extensions: ['*'] }];
  if (ext === '.bib') return [{ name: 'BibTeX', extensions: ['bib'] }, { name: 'All files', extensions: ['*'] }];
  return [{ name: 'All files', extensions: ['*'] }];
}

function badName(capability: HostCapability, suggestedName: unknown): Reply | undefined {
  if (typeof suggestedName !== 'string' || suggestedName.length === 0 || suggestedName.length > 255) {
    return refuse(`${capability}: the suggested name must be a string of 1-255 characters.`);
  }
  return undefined;
}

export async function saveTextFile(dialog: HostDialogs, win: BrowserWindow | null, suggestedName: unknown, content: unknown): Promise<Reply> {
  const problem = badName('saveTextFile', suggestedName);
  if (problem) return problem;
  if (typeof content !== 'string') return refuse('saveTextFile: the content must be a string.');
  if (Buffer.byteLength(content, 'utf8') > LIMITS.maxBodyBytes) return refuse(`saveTextFile: the content is over ${LIMITS.maxBodyBytes} bytes.`);
  return saveWithDialog(dialog, win, suggestedName as string, content);
}

/** An annotated copy is its original plus the annotations: up to twice the largest PDF Gloss imports. */
export const MAX_BINARY_SAVE_BYTES = 2 * LIMITS.maxPdfBytes;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Save… for bytes (sent as base64: IPC and the contract carry strings); refused whole if they are not base64. */
export async function saveBinaryFile(dialog: HostDialogs, win: BrowserWindow | null, suggestedName: unknown, contentBase64: unknown): Promise<Reply> {
  const problem = badName('saveBinaryFile', suggestedName);
  if (problem) return problem;
  if (typeof contentBase64 !== 'string' || contentBase64.length % 4 !== 0 || !BASE64.test(contentBase64)) {
    return refuse('saveBinaryFile: the content must be a base64 string.');
  }
  if ((contentBase64.length / 4) * 3 > MAX_BINARY_SAVE_BYTES + 2) return refuse(`saveBinaryFile: the content is over ${MAX_BINARY_SAVE_BYTES} bytes.`);
  return saveWithDialog(dialog, win, suggestedName as string, Buffer.from(contentBase64, 'base64'));
}

/** The save dialog for `suggestedName`; the path the user chose, or null when cancelled. */
async function choosePathToSave(dialog: HostDialogs, win: BrowserWindow | null, suggestedName: string): Promise<string | null> {
  // Only a name is suggested: a path from the page must not pick the folder.
  const name = path.basename(suggestedName.replace(/\\/g, '/'));
  const options = { defaultPath: name, filters: filtersFor(name) };
  const choice = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
  return choice.canceled || !choice.filePath ? null : choice.filePath;
}

const couldNotSave = (file: string, error: unknown) => ({ ok: false as const, error: { code: 'internal' as const, message: `Could not save ${file}: ${(error as Error).message}` } });

async function saveWithDialog(dialog: HostDialogs, win: BrowserWindow | null, suggestedName: string, content: string | Uint8Array): Promise<Reply> {
  const file = await choosePathToSave(dialog, win, suggestedName);
  if (file === null) return { ok: true, value: { path: null } };
  try {
    await writeFileAtomic(file, content);
  } catch (error) {
    return couldNotSave(file, error);
  }
  return { ok: true, value: { path: file } };
}

/** Shows the folder dialog and remembers the choice for this window: the only folders its exportToFolder may use. */
export async function chooseFolder(dialog: HostDialogs, win: BrowserWindow | null, picked: PickedFolders, event: IpcMainInvokeEvent): Promise<Reply> {
  const options = { properties: ['openDirectory', 'createDirectory'] as ('openDirectory' | 'createDirectory')[] };
  const choice = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  if (choice.canceled || choice.filePaths.length === 0) return { ok: true, value: { path: null } };
  picked.remember(event, choice.filePaths[0]);
  return { ok: true, value: { path: choice.filePaths[0] } };
}

/** What the backup dialogs need of the notebook: a backup written to a file, a restore read from one (both streamed). */
export type BackupFiles = Pick<NotebookFiles, 'writeBackupTo' | 'restoreFromFile'>;

/** Save… for the whole-notebook backup: the dialog, then the notebook writes it there article by article. */
export async function saveBackupFile(dialog: HostDialogs, win: BrowserWindow | null, backups: BackupFiles, suggestedName: unknown): Promise<ApiReply<{ path: string | null; articles: number }>> {
  const problem = badName('saveBackupFile', suggestedName);
  if (problem) return problem as ApiReply<never>;
  const file = await choosePathToSave(dialog, win, suggestedName as string);
  if (file === null) return { ok: true, value: { path: null, articles: 0 } };
  try {
    const written = await backups.writeBackupTo(file);
    return { ok: true, value: { path: written.path, articles: written.articles } };
  } catch (error) {
    return couldNotSave(file, error);
  }
}

/** Open… for a backup, then the restore reads that file: the page never names a file to read. */
export async function restoreBackupFile(dialog: HostDialogs, win: BrowserWindow | null, backups: BackupFiles, mode: unknown): Promise<ApiReply<{ path: string | null; result?: RestoreResult }>> {
  if (mode !== 'replace' && mode !== 'merge') return refuse('restoreBackupFile: the mode must be "replace" or "merge".') as ApiReply<never>;
  const options = { properties: ['openFile'] as 'openFile'[], filters: [{ name: 'Gloss backup', extensions: ['json'] }, { name: 'All files', extensions: ['*'] }] };
  const choice = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  if (choice.canceled || choice.filePaths.length === 0) return { ok: true, value: { path: null } };
  const file = choice.filePaths[0];
  try {
    return { ok: true, value: { path: file, result: await backups.restoreFromFile(file, { mode }) } };
  } catch (error) {
    if (error instanceof GlossError) return { ok: false, error: error.toApiError() };
    return internalError('restoreBackupFile', error) as ApiReply<never>;
  }
}

/** Binds the host capabilities to one channel, with the same sender check as the API. */
export function bindHostIpc(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  dialog: HostDialogs,
  getWindow: () => BrowserWindow | null,
  isTrustedSender: (event: IpcMainInvokeEvent) => boolean,
  picked: PickedFolders,
  backups?: BackupFiles,
): () => void {
  ipcMain.handle(IPC_HOST_CHANNEL, async (event, capability: unknown, args: unknown): Promise<ApiReply<unknown>> => {
    if (!isTrustedSender(event)) return { ok: false, error: { code: 'forbidden', message: 'This window may not use host capabilities.' } };
    const list = Array.isArray(args) ? args : [];
    switch (capability as HostCapability) {
      case 'saveTextFile':
        return saveTextFile(dialog, getWindow(), list[0], list[1]);
      case 'saveBinaryFile':
        return saveBinaryFile(dialog, getWindow(), list[0], list[1]);
      case 'chooseFolder':
        return chooseFolder(dialog, getWindow(), picked, event);
      case 'saveBackupFile':
        if (!backups) break;
        return saveBackupFile(dialog, getWindow(), backups, list[0]);
      case 'restoreBackupFile':
        if (!backups) break;
        return restoreBackupFile(dialog, getWindow(), backups, list[0]);
    }
    return { ok: false, error: { code: 'not_found', message: `Unknown host capability "${String(capability).slice(0, 100)}".` } };
  });
  return () => ipcMain.removeHandler(IPC_HOST_CHANNEL);
}
