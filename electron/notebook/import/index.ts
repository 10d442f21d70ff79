import { LIMITS, type ImportRequest } from '../../contract';
import { runNotebookJob, WORKER_TIME_LIMIT_MS } from '../workers/run';
import { assertSize, describeSource, refuse } from './guards';
import { importName, type ParseJob } from './parse';
import type { ImportedArticle, ImportOptions } from './types';
import { fetchImages } from './fetch-images';
import { fetchDocument, fetchPage, type FetchedPage } from './url';

export type { ImportedArticle, ImportOptions } from './types';
export { decodeHtmlBytes, importHtml } from './html';
export { decodeTextBytes } from './decode';
export { importMarkdown } from './markdown';
export { importText } from './text';
export { importEpub } from './epub';
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
    return parsePage(page, request, name, options);
  }
  const name = importName(request, options.fileName);
  // Cheap refusals first, so an oversized paste is not copied to the worker only to be refused there.
  if (typeof request.content === 'string') assertSize(request.content, name, maxBytes);
  const size = typeof request.content === 'string' ? request.content.length : ((request.contentBase64?.length ?? 0) * 3) / 4;
  return parseInWorker({ kind: 'request', request, fileName: options.fileName, maxBytes }, name, size);
}

/**
 * An EPUB's bytes (a file, or base64 decoded by the caller): refused at once when over LIMITS.maxEpubBytes, otherwise
 * unzipped, parsed and sanitized in the worker (import/epub/), with the time limit growing with the file's size.
 */
export function importEpubBytes(bytes: Uint8Array, request: Pick<ImportRequest, 'title' | 'fileName'>): Promise<ImportedArticle> {
  const name = describeSource(request.fileName, request.title);
  assertSize(bytes, name, LIMITS.maxEpubBytes);
  return runNotebookJob('importEpub', { bytes, name, title: request.title }, { timeoutMs: importTimeLimitMs(bytes.byteLength), what: `Importing ${name}` });
}

/** What a URL import fetched: a page, parsed into an article, or a PDF's bytes for the notebook's PDF import. */
export type UrlImport = { kind: 'article'; article: ImportedArticle } | { kind: 'pdf'; bytes: Uint8Array; url: string; fileName?: string };

/**
 * A URL import that may turn out to be a PDF (application/pdf, or a body that starts with %PDF-): the PDF comes back as
 * bytes, up to LIMITS.maxPdfBytes, fetched under the same address rules; a page is parsed as importArticleContent does.
 */
export async function importUrl(request: ImportRequest, options: ImportOptions = {}): Promise<UrlImport> {
  const maxBytes = options.maxBytes ?? LIMITS.maxImportBytes;
  const name = describeSource(options.fileName, undefined, request.url);
  if (!request.url?.trim()) throw refuse(name, 'no URL was given');
  const fetched = await fetchDocument(request.url, { ...options, maxBytes }, LIMITS.maxPdfBytes);
  if (fetched.kind === 'pdf') return { kind: 'pdf', bytes: fetched.bytes, url: fetched.url, fileName: pdfFileNameOf(fetched.url) };
  return { kind: 'article', article: await parsePage(fetched, request, name, options) };
}

/** The last part of a URL's path, when it names a .pdf file: "https://x.org/papers/tm.pdf?v=2" -> "tm.pdf". */
function pdfFileNameOf(url: string): string | undefined {
  try {
    const last = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
    return /\.pdf$/i.test(last) && !/[\\/]/.test(last) ? last : undefined;
  } catch {
    return undefined;
  }
}

async function parsePage(page: FetchedPage, request: ImportRequest, name: string, options: ImportOptions): Promise<ImportedArticle> {
  const article = await parseInWorker({ kind: 'page', page, title: request.title, name }, name, page.text.length);
  const wanted = article.images?.wanted ?? [];
  if (wanted.length === 0) return article;
  // The page's images, now, under the page's own address rules; then their bytes are judged in the worker.
  const { fetched, unavailable } = await fetchImages(wanted, options);
  const attached = await runNotebookJob(
    'attachImages',
    { html: article.html, text: article.text, source: article.source, fetched, unavailable },
    { timeoutMs: importTimeLimitMs(article.html.length + fetched.reduce((n, f) => n + f.bytes.byteLength, 0)), what: `Storing the images of ${name}` },
  );
  const kept = new Map([...(article.images?.images ?? []), ...attached.images.images].map((i) => [i.name, i]));
  const refused = { ...article.images?.report.refused };
  for (const [reason, n] of Object.entries(attached.images.report.refused)) refused[reason as keyof typeof refused] = (refused[reason as keyof typeof refused] ?? 0) + n;
  return { ...article, html: attached.html, images: { images: [...kept.values()], report: { stored: kept.size, refused }, wanted: attached.images.wanted } };
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
