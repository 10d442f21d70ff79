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
    return parseInWorker({ kind: 'page', page, title: request.title, name }, name);
  }
  const name = importName(request, options.fileName);
  // Cheap refusals first, so an oversized paste is not copied to the worker only to be refused there.
  if (typeof request.content === 'string') assertSize(request.content, name, maxBytes);
  return parseInWorker({ kind: 'request', request, fileName: options.fileName, maxBytes }, name);
}

function parseInWorker(job: ParseJob, name: string): Promise<ImportedArticle> {
  return runNotebookJob('import', job, { timeoutMs: WORKER_TIME_LIMIT_MS, what: `Importing ${name}` });
}
