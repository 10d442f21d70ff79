import { loadDomLibrary } from './sanitize';
import { LIMITS, type ImportRequest } from '../../contract';
import { decodeBytes } from './decode';
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
  await loadDomLibrary();

  if (format === 'url') {
    const name = describeSource(options.fileName, undefined, request.url);
    if (!request.url?.trim()) throw refuse(name, 'no URL was given');
    const page = await fetchPage(request.url, { ...options, maxBytes });
    const input = { content: page.text, title: request.title, source: page.url, name };
    if (page.kind === 'text') return importText(input);
    if (page.kind === 'markdown') return importMarkdown(input);
    return importHtml({ ...input, contentType: page.contentType });
  }

  const name = describeSource(options.fileName ?? request.fileName, request.title, request.source);
  if (format !== 'html' && format !== 'markdown' && format !== 'text') {
    throw refuse(name, `the format ${JSON.stringify(format)} is not supported (use html, markdown, text or url)`);
  }
  if (typeof request.contentBase64 === 'string') {
    if (typeof request.content === 'string') throw refuse(name, 'give either content or contentBase64, not both');
    return importBytes(format, Buffer.from(request.contentBase64, 'base64'), request, name, maxBytes);
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

/**
 * A file's raw bytes: the size is measured in bytes, HTML's charset comes from its BOM or <meta> (decodeHtmlBytes),
 * text and Markdown from a BOM or else UTF-8 with the windows-1252 fallback. Binary or undecodable bytes are refused.
 */
function importBytes(
  format: 'html' | 'markdown' | 'text',
  bytes: Uint8Array,
  request: ImportRequest,
  name: string,
  maxBytes: number,
): ImportedArticle {
  assertSize(bytes, name, maxBytes);
  if (bytes.byteLength === 0) throw refuse(name, 'it is empty');
  const common = { title: request.title, source: request.source, name };
  if (format === 'html') return importHtml({ ...common, content: bytes });
  const content = decodeBytes(bytes, { html: false, name }).text;
  return format === 'markdown' ? importMarkdown({ ...common, content }) : importText({ ...common, content });
}
