import { LIMITS, type ImportRequest } from '../../contract';
import { assertSize, describeSource, refuse } from './guards';
import { importHtml } from './html';
import { importMarkdown } from './markdown';
import { importText } from './text';
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
 * ('invalid_input' or 'too_large') whose message names the file or URL and says why.
 */
export async function importArticleContent(request: ImportRequest, options: ImportOptions = {}): Promise<ImportedArticle> {
  const maxBytes = options.maxBytes ?? LIMITS.maxImportBytes;
  const format = (request as { format?: unknown }).format;

  if (format === 'url') {
    const name = describeSource(options.fileName, undefined, request.url);
    if (!request.url?.trim()) throw refuse(name, 'no URL was given');
    const page = await fetchPage(request.url, { ...options, maxBytes });
    const input = { content: page.text, title: request.title, source: page.url, name };
    if (page.kind === 'text') return importText(input);
    if (page.kind === 'markdown') return importMarkdown(input);
    return importHtml({ ...input, contentType: page.contentType });
  }

  const name = describeSource(options.fileName, request.title, request.source);
  if (format !== 'html' && format !== 'markdown' && format !== 'text') {
    throw refuse(name, `the format ${JSON.stringify(format)} is not supported (use html, markdown, text or url)`);
  }
  const content = request.content;
  if (typeof content !== 'string') throw refuse(name, 'no content was given');
  assertSize(content, name, maxBytes);
  const input = { content, title: request.title, source: request.source, name };
  switch (format) {
    case 'html':
      return importHtml(input);
    case 'markdown':
      return importMarkdown(input);
    case 'text':
      return importText(input);
  }
}

