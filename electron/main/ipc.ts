import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { IPC_IMPORT_FILE_CHANNEL, IPC_INVOKE_CHANNEL, LIMITS, type ApiReply, type GlossApi } from '../contract';
import { callApi, internalError } from '../notebook/dispatch';
import { importFileReply, type NotebookFiles } from '../notebook/file-transfer';
import type { PickedFolders } from './picked-folders';

/**
 * Binds the whole API to one ipcMain.handle channel. Every call is checked twice before it reaches the notebook: the
 * sender must be one of our own windows showing our own page, and the arguments must pass the contract's schemas
 * (callApi). Anything else gets a reply envelope with an error, never an exception with a stack. `exportToFolder` is
 * the one call that names a place on disk to write: it must name a folder this window's user picked in the native
 * dialog (picked-folders.ts). A second channel takes a file as bytes (the bridge's importFile: a PDF up to
 * LIMITS.maxPdfBytes, never base64), checked the same way.
 */
export function bindIpc(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  api: GlossApi & Pick<NotebookFiles, 'importFile'>,
  isTrustedSender: (event: IpcMainInvokeEvent) => boolean,
  pickedFolders: PickedFolders,
): () => void {
  ipcMain.handle(IPC_INVOKE_CHANNEL, async (event, method: unknown, args: unknown): Promise<ApiReply<unknown>> => {
    if (!isTrustedSender(event)) {
      return { ok: false, error: { code: 'forbidden', message: 'This window may not call the Gloss API.' } };
    }
    if (typeof method !== 'string') {
      return { ok: false, error: { code: 'invalid_input', message: 'The method name must be a string.' } };
    }
    if (method === 'exportToFolder') {
      const dir = Array.isArray(args) ? (args[0] as unknown) : undefined;
      if (!pickedFolders.allows(event, dir)) {
        const named = typeof dir === 'string' ? ` "${dir.slice(0, 300)}"` : '';
        return {
          ok: false,
          error: {
            code: 'forbidden',
            message: `The window may export only to a folder chosen in the folder dialog, and${named} was not chosen there. Use "Choose folder and export…".`,
          },
        };
      }
    }
    try {
      return await callApi(api, method, args);
    } catch (error) {
      return internalError(`ipc ${method.slice(0, 100)}`, error); // callApi catches everything; this is the backstop
    }
  });
  ipcMain.handle(IPC_IMPORT_FILE_CHANNEL, async (event, bytes: unknown, request: unknown): Promise<ApiReply<unknown>> => {
    if (!isTrustedSender(event)) {
      return { ok: false, error: { code: 'forbidden', message: 'This window may not call the Gloss API.' } };
    }
    return importFileReply(api, bytes, request, LIMITS.maxPdfBytes);
  });
  return () => {
    ipcMain.removeHandler(IPC_INVOKE_CHANNEL);
    ipcMain.removeHandler(IPC_IMPORT_FILE_CHANNEL);
  };
}

/** A sender is trusted when its frame is the top frame and shows the renderer we loaded (file or dev-server URL). */
export function makeSenderCheck(rendererUrl: () => string): (event: IpcMainInvokeEvent) => boolean {
  return (event) => {
    const frame = event.senderFrame;
    if (!frame || frame.parent !== null) return false;
    return sameDocument(frame.url, rendererUrl());
  };
}

function sameDocument(actual: string, expected: string): boolean {
  try {
    const a = new URL(actual);
    const e = new URL(expected);
    return a.protocol === e.protocol && a.host === e.host && a.pathname === e.pathname;
  } catch {
    return false;
  }
}
