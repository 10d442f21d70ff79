/**
 * Getting text (and an annotated PDF's bytes) out of the app: Save… (the native dialog under Electron, a download in a
 * browser tab), the clipboard, and a file's text in. Only the contract's types are imported: the host capability arrives on `window.gloss.host`.
 */
import type { ApiReply, HostBridge, RestoreMode, RestoreResult } from '../../../electron/contract';

function hostBridge(): HostBridge | undefined {
  return window.gloss?.host;
}

export const hasNativeDialogs = (): boolean => hostBridge() !== undefined;

function unwrap<T>(reply: ApiReply<T>): T {
  if (reply.ok) return reply.value;
  throw new Error(reply.error.message);
}

/** A file name any OS accepts: forbidden characters become '-', at most 100 characters, never empty. */
export function safeDownloadName(stem: string, extension: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what we remove
  const clean = stem.normalize('NFC').replace(/[<>:"/\\|?*\x00-\x1f\x7f]+/g, '-').replace(/\s+/g, ' ').trim().replace(/^\.+|\.+$/g, '');
  return `${[...(clean || 'gloss-export')].slice(0, 100).join('')}.${extension}`;
}

/**
 * Saves `content` under `name`. Resolves to where it went (a path under Electron, the file name for a download), or
 * null when the user cancelled the native dialog.
 */
export async function saveText(name: string, content: string, mimeType: string): Promise<string | null> {
  const host = hostBridge();
  if (host) return unwrap(await host.saveTextFile(name, content)).path;
  downloadBlob(name, new Blob([content], { type: `${mimeType};charset=utf-8` }));
  return name;
}

/** Saves bytes given as base64 (an annotated PDF, as the API returns it) under `name`; like saveText otherwise. */
export async function saveBinary(name: string, contentBase64: string, mimeType: string): Promise<string | null> {
  const host = hostBridge();
  if (host) return unwrap(await host.saveBinaryFile(name, contentBase64)).path;
  // Decoded by hand: fetch() of a data: URL would be refused by the CSP (connect-src 'self').
  const binary = atob(contentBase64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  downloadBlob(name, new Blob([bytes], { type: mimeType }));
  return name;
}

/** The desktop app's Save… for the whole-notebook backup: main writes it article by article where the user chose. */
export async function saveBackupWithDialog(suggestedName: string): Promise<{ path: string | null; articles: number }> {
  const host = hostBridge();
  if (!host) throw new Error('Saving a backup through a dialog needs the desktop app.');
  return unwrap(await host.saveBackupFile(suggestedName));
}

/** The desktop app's Open… for a backup, restored by main from that file; `path` is null when cancelled. */
export async function restoreWithDialog(mode: RestoreMode): Promise<{ path: string | null; result?: RestoreResult }> {
  const host = hostBridge();
  if (!host) throw new Error('Choosing a backup through a dialog needs the desktop app.');
  return unwrap(await host.restoreBackupFile(mode));
}

/** A Blob offered as a download in a browser tab (text, an annotated PDF, a streamed backup). */
export function downloadBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = name;
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    // The click has started the download; revoking on the next task keeps the URL alive long enough.
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
}

/** The native folder picker (Electron only); null when cancelled. */
export async function chooseFolder(): Promise<string | null> {
  const host = hostBridge();
  if (!host) throw new Error('Choosing a folder needs the desktop app; type the folder path instead.');
  return unwrap(await host.chooseFolder()).path;
}

/**
 * Copies text. The async Clipboard API first; where it is refused (Electron denies permission requests, an
 * unfocused page) the older execCommand path still works from a click.
 */
export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    /* fall back below */
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  (document.querySelector('dialog[open]') ?? document.body).append(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  if (!ok) throw new Error('the clipboard refused the text');
}
