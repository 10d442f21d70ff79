import { LIMITS, type ImportRequest } from '../../contract';
import { decodeBytes } from './decode';
import { assertSize, describeSource, refuse } from './guards';
import { importHtml } from './html';
import { ImageCollector, type FetchedImage } from './images';
import { resanitizeStoredHtml } from './sanitize';
import { importMarkdown } from './markdown';
import { importText } from './text';
import type { ImportedArticle } from './types';
import type { FetchedPage } from './url';

/**
 * The part of an import that touches untrusted bytes: decoding, parsing, extracting, sanitizing. It runs in the
 * notebook's worker (workers/jobs.ts), never on the main thread: importArticleContent (./index.ts) fetches URLs on
 * the main thread (network waits cost no CPU) and hands the fetched page or the request here.
 */
export type ParseJob =
  | { kind: 'request'; request: ImportRequest; fileName?: string; maxBytes?: number }
  | { kind: 'page'; page: FetchedPage; title?: string; name: string };

export function parseArticleContent(job: ParseJob): ImportedArticle {
  if (job.kind === 'page') {
    const { page, title, name } = job;
    const input = { content: page.text, title, source: page.url, name };
    if (page.kind === 'text') return importText(input);
    if (page.kind === 'markdown') return importMarkdown(input);
    // The page's images are fetched after this (on the notebook's side, under the same address rules) and attached by
    // attachImages below; data: images are kept now.
    return importHtml({ ...input, contentType: page.contentType, images: new ImageCollector() });
  }
  const { request } = job;
  const maxBytes = job.maxBytes ?? LIMITS.maxImportBytes;
  const format = (request as { format?: unknown }).format;
  const name = importName(request, job.fileName);
  if (format !== 'html' && format !== 'markdown' && format !== 'text') {
    throw refuse(name, `the format ${JSON.stringify(format)} is not supported here (use html, markdown, text, url, pdf or epub)`);
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
      return importHtml({ ...input, images: collectorFor(request) });
    case 'markdown':
      return importMarkdown(input);
    case 'text':
      return importText(input);
  }
}

/** The quoted name an import's messages use: the file name, else the title, else the source. */
export function importName(request: ImportRequest, fileName?: string): string {
  return describeSource(fileName ?? request.fileName, request.title, request.source);
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
  if (format === 'html') return importHtml({ ...common, content: bytes, images: collectorFor(request) });
  const content = decodeBytes(bytes, { html: false, name }).text;
  return format === 'markdown' ? importMarkdown({ ...common, content }) : importText({ ...common, content });
}

/**
 * A saved page's images: its data: URLs, and the files given with it (`attachments`: its `_files` folder, or images
 * picked beside it). Remote images of a saved file are not fetched (the file is the user's copy; fetching would tell
 * the site it is being read): they stay deferred, behind the reader's "Load images" consent.
 */
function collectorFor(request: ImportRequest): ImageCollector {
  const attachments = (request.attachments ?? []).map((a) => ({ name: a.name, bytes: Buffer.from(a.contentBase64, 'base64') }));
  return new ImageCollector({ attachments });
}

/**
 * A URL import's second pass: the stored HTML read back with the images fetched for it, each <img> that now has its
 * bytes pointing at the stored copy. Images carry no text, so the text is unchanged; if it somehow were not, the
 * first pass's HTML stands (its images deferred, as before).
 */
export function attachImages(input: { html: string; text: string; source?: string; fetched: FetchedImage[]; unavailable: number }): {
  html: string;
  images: ReturnType<ImageCollector['result']>;
} {
  const collector = new ImageCollector({ fetched: input.fetched, onlyFetched: true });
  const html = resanitizeStoredHtml(input.html, input.text, input.source, { images: collector }) ?? input.html;
  const images = collector.result();
  if (input.unavailable > 0) images.report.refused.unavailable = (images.report.refused.unavailable ?? 0) + input.unavailable;
  return { html, images };
}
