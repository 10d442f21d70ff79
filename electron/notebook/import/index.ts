import { LIMITS, type ImportRequest } from '../../contract';
import { runNotebookJob, WORKER_TIME_LIMIT_MS } from '../workers/run';
import { assertSize, describeSource, refuse } from './guards';
import { importName, type ParseJob } from './parse';
import type { ImportedArticle, ImportOptions } from './types';
import { fetchPage } from './url';

export type { ImportedArticle, ImportOptions } from './types';
export { decodeHtmlBytes, importHtml } from './html';
export { decodeTextBytes } from './decode';
export { importMarkdown } from './markdown';
export { importText } from './text';
export { fetchPage } from './url';

/**
 * Turns an import request (pasted or file content, or a URL) into an article's title, metadata, canonical text and
 * sanitized HTML. Pure Node: the notebook calls it, assigns ids and stores the result. Every refusal is a GlossError
 * ('invalid_input', 'too_large' or 'too_complex') whose message names the file or URL and says why.
 *
 * Only the network part runs here, on the caller's thread; decoding and parsing (./parse.ts) run in the notebook's
 * worker with a time limit and a memory cap, so a hostile page cannot freeze the notebook (see workers/pool.ts).
 */
export async function importArticleContent(request: ImportRequest, options: ImportOptions = {}): Promise<ImportedArticle> {
  const maxBytes = options.maxBytes ?? LIMITS.maxImportBytes;
  const format = (request as { format?: unknown }).format;

  if (format === 'url') {
    const name = describeSource(options.fileName, undefined, request.url);
    if (!request.url?.trim()) throw refuse(name, 'no URL was given');
    const page = await fetchPage(request.url, { ...options, maxBytes });
    return parseInWorker({ kind: 'page', page, title: request.title, name }, name, page.text.length);
  }
  const name = importName(request, options.fileName);
  // Cheap refusals first, so an oversized paste is not copied to the worker only to be refused there.
  if (typeof request.content === 'string') assertSize(request.content, name, maxBytes);
  const size = typeof request.content === 'string' ? request.content.length : ((request.contentBase64?.length ?? 0) * 3) / 4;
  return parseInWorker({ kind: 'request', request, fileName: options.fileName, maxBytes }, name, size);
}

/**
 * The time an import may take: WORKER_TIME_LIMIT_MS, plus 10 s for every MiB past the first. Readability's cost grows
 * with the page, and a big real page on a slow machine should not be refused; the attacks that matter (a small page
 * that takes minutes) still meet the plain limit.
 */
export function importTimeLimitMs(size: number): number {
  return WORKER_TIME_LIMIT_MS + Math.max(0, Math.ceil(size / (1024 * 1024)) - 1) * 10_000;
}

function parseInWorker(job: ParseJob, name: string, size: number): Promise<ImportedArticle> {
  return runNotebookJob('import', job, { timeoutMs: importTimeLimitMs(size), what: `Importing ${name}` });
}
