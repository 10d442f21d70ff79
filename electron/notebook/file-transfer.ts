/**
 * How a document's bytes cross a host boundary, the same in both hosts: a PDF imported as raw bytes (browser mode's
 * IMPORT_FILE_PATH, the desktop bridge's importFile over IPC) and a stored PDF served back to the reader
 * (`/files/<id>.pdf`, over HTTP with the token or on the gloss-app:// scheme) with HTTP byte ranges, so pdf.js can
 * fetch a 200 MB file a piece at a time. Host-agnostic: each host adds its own transport checks (token, sender).
 */
import { LIMITS, type ApiReply, type ImportedArticleSummary, type ImportRequest, type RestoreMode, type RestoreResult } from '../contract';
import { argSchemas, idSchema } from '../schemas';
import { GlossError } from './errors';
import { internalError } from './dispatch';

/** importArticle's request without the content itself: the bytes travel beside it. */
export type ImportFileRequest = Omit<ImportRequest, 'content' | 'contentBase64' | 'url'>;

/** What the hosts need of the notebook to move files (Notebook implements both). */
export interface NotebookFiles {
  articleFile(id: string): Promise<{ path: string; bytes: number }>;
  /** A stored image by its name (`<sha256>.<ext>`: contract.ts imageFilePath). */
  imageFile(name: string): Promise<{ path: string; bytes: number; type: string }>;
  importFile(bytes: Uint8Array, request: ImportFileRequest): Promise<ImportedArticleSummary>;
  /** The whole-notebook backup's JSON in pieces, one article loaded at a time; `count.articles` counts what it gave. */
  backupJson(count?: { articles: number }): AsyncGenerator<string>;
  /** That backup written to `file` (absolute), atomically. */
  writeBackupTo(file: string): Promise<{ path: string; articles: number; bytes: number }>;
  /** restoreNotebook from a backup file (absolute), read article by article. */
  restoreFromFile(file: string, options: { mode: RestoreMode }): Promise<RestoreResult>;
  /** restoreFromFile for a backup arriving as a byte stream (browser mode's upload): kept in the notebook's local/ meanwhile. */
  restoreFromStream(bytes: AsyncIterable<Uint8Array>, options: { mode: RestoreMode }): Promise<RestoreResult>;
  /** How many articles a backup made now would hold. */
  readonly articleCount: number;
}

const importFileRequestSchema = argSchemas.importArticle.def.items[0].omit({ content: true, contentBase64: true, url: true });

/** The request's fields, validated like importArticle's; a message naming the first problem otherwise. */
export function parseImportFileRequest(raw: unknown): { ok: true; request: ImportFileRequest } | { ok: false; message: string } {
  const result = importFileRequestSchema.safeParse(raw);
  if (result.success) return { ok: true, request: result.data };
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` (${issue.path.map(String).join('.')})` : '';
  return { ok: false, message: `The import request${where} is not valid: ${issue?.message ?? 'unknown problem'}.` };
}

export function pdfTooLargeMessage(limit: number): string {
  return `The file is over the ${formatMiB(limit)} limit for a PDF; nothing was imported.`;
}

function formatMiB(bytes: number): string {
  const mib = bytes / 1024 / 1024;
  return mib >= 1 ? `${Math.round(mib)} MiB` : `${bytes} bytes`;
}

/**
 * importFile for bytes and a request that came from outside: the request validated, the size checked, then the
 * notebook's reply as an envelope with the error mapping every other call gets (dispatch.ts callApi).
 */
export async function importFileReply(
  files: Pick<NotebookFiles, 'importFile'>,
  bytes: unknown,
  rawRequest: unknown,
  limit: number = LIMITS.maxPdfBytes,
): Promise<ApiReply<ImportedArticleSummary>> {
  if (!(bytes instanceof Uint8Array)) {
    return { ok: false, error: { code: 'invalid_input', message: 'importFile: the file must be sent as bytes (a Uint8Array).' } };
  }
  if (bytes.byteLength > limit) return { ok: false, error: { code: 'too_large', message: pdfTooLargeMessage(limit) } };
  const parsed = parseImportFileRequest(rawRequest);
  if (!parsed.ok) return { ok: false, error: { code: 'invalid_input', message: parsed.message } };
  try {
    return { ok: true, value: await files.importFile(bytes, parsed.request) };
  } catch (error) {
    if (error instanceof GlossError) return { ok: false, error: error.toApiError() };
    return internalError('importFile', error);
  }
}

/** The stored file of an article whose id came from outside: null and a message when the id is not one. */
export function parseArticleFileName(name: string): string | null {
  const match = /^([^/]+)\.pdf$/.exec(name);
  if (!match) return null;
  return idSchema.safeParse(match[1]).success ? match[1] : null;
}

/** One byte range of a file of `size` bytes, inclusive ends as in Content-Range. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * A `Range` request header read against the file's size: `null` means serve the whole file (no header, another unit,
 * a malformed or multi-part one: RFC 9110 lets a server ignore those), 'unsatisfiable' means answer 416.
 */
export function parseRange(header: string | undefined | null, size: number): ByteRange | 'unsatisfiable' | null {
  if (!header) return null;
  const match = /^bytes=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header.trim());
  if (!match) return null; // multiple ranges or nonsense: the whole file, which every client handles
  const [, first, last] = match;
  if (first === '' && last === '') return null;
  if (first === '') {
    // A suffix: the last N bytes.
    const length = Number(last);
    if (length === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (!Number.isSafeInteger(start) || start >= size) return 'unsatisfiable';
  if (last !== '' && Number(last) < start) return null; // an invalid range is ignored, not refused
  return { start, end };
}

/** The headers every served file carries, and those of its range. */
export function fileHeaders(size: number, range: ByteRange | null): Record<string, string> {
  return {
    'Content-Type': 'application/pdf',
    'Accept-Ranges': 'bytes',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Content-Length': String(range ? range.end - range.start + 1 : size),
    ...(range && { 'Content-Range': `bytes ${range.start}-${range.end}/${size}` }),
  };
}
