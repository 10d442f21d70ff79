import { LIMITS, type ImportFormat, type ImportRequest } from '../../../../electron/contract';

/**
 * Turning what the user hands us (files, a paste, a URL) into import requests, and refusing early what the notebook
 * would refuse anyway, with the same kind of message: `Cannot import "<name>": <reason>`.
 */

export const ACCEPTED_EXTENSIONS = ['.html', '.htm', '.md', '.markdown', '.txt', '.pdf', '.epub'] as const;
/**
 * For <input type=file accept>: extensions plus the MIME types some platforms' pickers filter by; and images, which
 * are picked with a saved page as its files (saved-page.ts).
 */
export const FILE_ACCEPT = [...ACCEPTED_EXTENSIONS, 'text/html', 'text/markdown', 'text/plain', 'application/pdf', 'application/epub+zip', '.png', '.jpg', '.jpeg', '.gif', '.webp', '.avif', '.svg'].join(',');

const FORMAT_BY_EXTENSION: Record<(typeof ACCEPTED_EXTENSIONS)[number], Exclude<ImportFormat, 'url'>> = {
  '.html': 'html',
  '.htm': 'html',
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.txt': 'text',
  '.pdf': 'pdf',
  '.epub': 'epub',
};

/** An import refused before it reached the notebook; its message already names the file. */
export class ImportProblem extends Error {}

export function refusal(name: string, reason: string): ImportProblem {
  return new ImportProblem(`Cannot import "${name}": ${reason}`);
}

/** Makes sure a message from the notebook names the file (schema refusals, for one, do not know it). */
export function namingFile(name: string, message: string): string {
  return message.includes(`"${name}"`) ? message : `Cannot import "${name}": ${message}`;
}

export function formatOfFileName(name: string): Exclude<ImportFormat, 'url'> | null {
  const dot = name.lastIndexOf('.');
  if (dot < 0) return null;
  const ext = name.slice(dot).toLowerCase() as keyof typeof FORMAT_BY_EXTENSION;
  return FORMAT_BY_EXTENSION[ext] ?? null;
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round((n / (1024 * 1024)) * 10) / 10} MB` : `${Math.round(n / 1024)} KB`;
}

/**
 * The API body is JSON capped at LIMITS.maxBodyBytes; base64 costs 4/3, so bytes go as base64 (the notebook detects
 * the charset from them) only while they fit, with room for the rest of the request.
 */
export const MAX_BASE64_BYTES = Math.floor(((LIMITS.maxBodyBytes - 64 * 1024) / 4) * 3);

/**
 * PDFs go to the notebook as raw bytes (client.importFile: the body of one request, or bytes over IPC), never as text
 * or base64: by their name, or by their type when the name says nothing.
 */
export function isPdfFile(file: File): boolean {
  const format = formatOfFileName(file.name);
  return format === 'pdf' || (format === null && file.type === 'application/pdf');
}

/** What can be said of a PDF before sending it: its request, or an ImportProblem (empty, over the limit). */
export function pdfImportRequest(file: File): { format: 'pdf'; fileName: string } {
  const name = file.name || 'unnamed file';
  if (file.size === 0) throw refusal(name, 'it is empty');
  if (file.size > LIMITS.maxPdfBytes) {
    throw refusal(name, `it is ${formatBytes(file.size)}, larger than the ${formatBytes(LIMITS.maxPdfBytes)} limit for a PDF`);
  }
  return { format: 'pdf', fileName: name };
}

/** An EPUB (by its name, or its type when the name says nothing) goes as bytes too: it is a zip, not text. */
export function isEpubFile(file: File): boolean {
  const format = formatOfFileName(file.name);
  return format === 'epub' || (format === null && file.type === 'application/epub+zip');
}

export function epubImportRequest(file: File): { format: 'epub'; fileName: string } {
  const name = file.name || 'unnamed file';
  if (file.size === 0) throw refusal(name, 'it is empty');
  if (file.size > LIMITS.maxEpubBytes) {
    throw refusal(name, `it is ${formatBytes(file.size)}, larger than the ${formatBytes(LIMITS.maxEpubBytes)} limit for an EPUB`);
  }
  return { format: 'epub', fileName: name };
}

/** Reads a file and makes its import request, or throws an ImportProblem naming the file and the reason. */
export async function fileImportRequest(file: File): Promise<ImportRequest> {
  const name = file.name || 'unnamed file';
  const format = formatOfFileName(name);
  if (format === 'pdf' || format === 'epub') throw refusal(name, 'a PDF or EPUB is sent as bytes, not read as text'); // a bug if seen
  if (!format) {
    const dot = name.lastIndexOf('.');
    const kind = dot >= 0 ? `${name.slice(dot).toLowerCase()} files are` : 'a file without an extension is';
    throw refusal(name, `${kind} not supported (choose ${ACCEPTED_EXTENSIONS.join(', ')})`);
  }
  if (file.size > LIMITS.maxImportBytes) {
    throw refusal(name, `it is ${formatBytes(file.size)}, larger than the ${formatBytes(LIMITS.maxImportBytes)} limit`);
  }
  if (file.size === 0) throw refusal(name, 'it is empty');
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch (e) {
    throw refusal(name, `it could not be read (${(e as Error).message})`);
  }
  if (bytes.byteLength <= MAX_BASE64_BYTES) return { format, contentBase64: toBase64(bytes), fileName: name };
  // Too big to send as base64: send text, which must then be UTF-8 (a legacy charset cannot be detected here).
  let content: string;
  try {
    content = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw refusal(name, `it is not UTF-8 text, and at ${formatBytes(file.size)} it is too large to detect its encoding; save it as UTF-8`);
  }
  return { format, content, fileName: name };
}

/** Base64 in chunks: String.fromCharCode(...bytes) on megabytes would overflow the call stack. */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(binary);
}

/** A web address the user typed: https:// is assumed when no scheme is given; anything but http(s) is refused. */
export function normalizeUrl(input: string): string {
  const raw = input.trim();
  if (!raw) throw new ImportProblem('Type or paste a web address to import.');
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(raw) ? raw : `https://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw refusal(raw, 'it is not a valid web address');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw refusal(raw, `only http and https addresses can be imported, not ${url.protocol}`);
  }
  return url.href;
}
