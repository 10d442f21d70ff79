/**
 * Preload (sandboxed, CommonJS): exposes the contract as named functions on `window.gloss`. The renderer never sees
 * ipcRenderer itself, so a compromised page can only call the API methods, each validated again in main.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  API_METHODS,
  IPC_COMMAND_CHANNEL,
  IPC_EVENT_CHANNEL,
  IPC_HOST_CHANNEL,
  IPC_IMPORT_FILE_CHANNEL,
  IPC_INVOKE_CHANNEL,
  type GlossBridge,
  type ImportRequest,
  type MenuCommand,
  type NotebookEvent,
  type RestoreMode,
} from '../contract';

function buildBridge(): GlossBridge {
  const methods = Object.fromEntries(
    API_METHODS.map((method) => [method, (...args: unknown[]) => ipcRenderer.invoke(IPC_INVOKE_CHANNEL, method, args)]),
  );
  return {
    ...methods,
    onEvent(listener: (event: NotebookEvent) => void) {
      const wrapped = (_event: IpcRendererEvent, payload: NotebookEvent): void => listener(payload);
      ipcRenderer.on(IPC_EVENT_CHANNEL, wrapped);
      return () => {
        ipcRenderer.removeListener(IPC_EVENT_CHANNEL, wrapped);
      };
    },
    onCommand(listener: (command: MenuCommand) => void) {
      const wrapped = (_event: IpcRendererEvent, command: MenuCommand): void => listener(command);
      ipcRenderer.on(IPC_COMMAND_CHANNEL, wrapped);
      return () => {
        ipcRenderer.removeListener(IPC_COMMAND_CHANNEL, wrapped);
      };
    },
    // The bytes cross as a Uint8Array (structured clone copies them as bytes: no base64, no string of the file).
    importFile: (bytes: Uint8Array, request: Omit<ImportRequest, 'content' | 'contentBase64' | 'url'>) =>
      ipcRenderer.invoke(IPC_IMPORT_FILE_CHANNEL, bytes, request),
    platform: process.platform,
    // Native dialogs (Save…, choose a folder, a backup to save or restore): main shows them and uses only what the user chose.
    host: {
      saveTextFile: (suggestedName: string, content: string) => ipcRenderer.invoke(IPC_HOST_CHANNEL, 'saveTextFile', [suggestedName, content]),
      saveBinaryFile: (suggestedName: string, contentBase64: string) => ipcRenderer.invoke(IPC_HOST_CHANNEL, 'saveBinaryFile', [suggestedName, contentBase64]),
      chooseFolder: () => ipcRenderer.invoke(IPC_HOST_CHANNEL, 'chooseFolder', []),
      saveBackupFile: (suggestedName: string) => ipcRenderer.invoke(IPC_HOST_CHANNEL, 'saveBackupFile', [suggestedName]),
      restoreBackupFile: (mode: RestoreMode) => ipcRenderer.invoke(IPC_HOST_CHANNEL, 'restoreBackupFile', [mode]),
    },
  } as GlossBridge;
}

contextBridge.exposeInMainWorld('gloss', buildBridge());
