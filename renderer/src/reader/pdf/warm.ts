/**
 * Getting a PDF open before its reader exists. This module is in the app's main bundle and does not import pdf.js
 * (only the worker's URL): it fetches the reader's chunk (pdf.js inside), starts pdf.js's worker thread, and, once an
 * article is known to be a PDF, starts loading its document, so that all of it runs beside `getArticle` and React's
 * render instead of one after the other (bench/RESULTS.md, "PDFs": the app asked for the PDF's bytes ~500 ms after
 * bare pdf.js did, for exactly that chain).
 *
 * The worker is one for the whole window: every document is opened through it (pdf.js keeps documents apart inside
 * one worker), so a second PDF does not pay a worker's start-up again.
 */
import type { PDFDocumentLoadingTask } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import type { Article } from '../../../../electron/contract';
import type { DocumentSource } from './pdfjs';
import { dropEarlyPage, type EarlyBox } from './early-box';

type PdfChunk = typeof import('./reader-chunk');

let chunk: Promise<PdfChunk> | null = null;

/** The reader's chunk (PdfReader and pdf.js), fetched and evaluated once; a failed fetch may be tried again. */
export function loadPdfChunk(): Promise<PdfChunk> {
  chunk ??= import('./reader-chunk').catch((e: unknown) => {
    chunk = null;
    throw e;
  });
  return chunk;
}

let port: Worker | null = null;
let claimed = false;

/** Starts pdf.js's worker thread (its script fetched and compiled off the main thread) if it is not running. */
export function startPdfWorker(): void {
  port ??= new Worker(workerUrl, { type: 'module', name: 'pdf.js' });
}

/** The worker thread for pdf.js's shared PDFWorker (pdfjs.ts): from now on it is kept for the window's life. */
export function claimPdfWorker(): Worker {
  startPdfWorker();
  claimed = true;
  return port!;
}

/** Started for an article that turned out not to be a PDF, and never used: let the thread go. */
export function stopIdlePdfWorker(): void {
  if (!port || claimed) return;
  port.terminate();
  port = null;
}

/** Everything a PDF's first page needs that does not depend on which PDF: the chunk and the worker. */
export function warmPdf(): void {
  startPdfWorker();
  loadPdfChunk().catch(() => undefined); // reported where the reader loads it
}

/**
 * A PDF this size or smaller is fetched whole by the app as soon as its article says it is a PDF, and handed to pdf.js
 * as bytes; a bigger one is left to pdf.js's own fetching (by ranges, page 1 before the rest).
 */
export const EARLY_BYTES_LIMIT = 16 * 1024 * 1024;

/**
 * The PDF's bytes, fetched now rather than when pdf.js asks for them: pdf.js asks from its worker, after the reader's
 * chunk is evaluated, its worker is up and a round trip through a main thread busy rendering the app (bench/RESULTS.md,
 * "PDFs": the request went out ~150-500 ms after the article said it was a PDF). Null when the file is too big, the
 * answer is not a file, or the fetch fails: pdf.js then fetches it itself and reports what is wrong.
 */
async function fetchPdfBytes(source: DocumentSource): Promise<Uint8Array | null> {
  const response = await fetch(source.url, { headers: source.httpHeaders, credentials: 'omit' });
  const length = Number(response.headers.get('Content-Length'));
  if (!response.ok || !(length > 0) || length > EARLY_BYTES_LIMIT) {
    void response.body?.cancel().catch(() => undefined);
    return null;
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  return bytes.length === length ? bytes : null;
}

/** The bytes of a PDF asked for before its article said it is one (start.ts: the PDF this window last drew), by id. */
let prefetched: { articleId: string; bytes: Promise<Uint8Array | null> } | null = null;

/** Fetches a PDF article's bytes now, for preopenPdf to take when its article arrives. */
export function prefetchPdfBytes(articleId: string, source: DocumentSource): void {
  prefetched = { articleId, bytes: fetchPdfBytes(source).catch(() => null) };
}

/** What must match for a document loaded ahead to be the one the reader wants. */
export function pdfKey(articleId: string, sha256 = '', password = ''): string {
  return `${articleId}\n${sha256}\n${password}`;
}

/** The article a document is about to be loaded for (the chunk or its source still on the way). */
let wanted: string | null = null;
let ahead: { key: string; task: PDFDocumentLoadingTask } | null = null;

/** Page 1 drawn before the app (early-page.ts): the article when it comes, and the box, or null if it is not to be. */
export interface EarlyDraw {
  article: Promise<Article>;
  box: Promise<EarlyBox | null>;
}

/**
 * Starts loading a PDF article's document now (pdf.js's getDocument through the shared worker), for its reader to
 * take (`takePreopenedPdf`) when it mounts. Started again for another article, or the app gone elsewhere
 * (`leavePdfArticle`), the load is dropped and its task destroyed. With `early`, page 1 is drawn into its box before
 * the reader exists (early-page.ts); the promise is settled when it is shown, or will not be. `article` may be what is
 * known of it before it comes (id, kind, file): early-page.ts checks the one that comes is that file.
 */
export function preopenPdf(article: Pick<Article, 'id' | 'kind' | 'pdf'>, documentSource: (articleId: string) => DocumentSource | Promise<DocumentSource>, early?: EarlyDraw): Promise<void> {
  if (article.kind !== 'pdf') return Promise.resolve();
  const key = pdfKey(article.id, article.pdf?.sha256, article.pdf?.password);
  if (wanted === key || ahead?.key === key) return Promise.resolve();
  dropAhead();
  wanted = key;
  warmPdf();
  const source = Promise.resolve(documentSource(article.id));
  const earlyBytes = prefetched?.articleId === article.id ? prefetched.bytes : null;
  prefetched = null;
  const bytes = earlyBytes ?? source.then(fetchPdfBytes).catch(() => null);
  return Promise.all([loadPdfChunk(), source, bytes])
    .then(([m, source, data]) => {
      if (wanted !== key) return;
      wanted = null;
      performance.mark('gloss:pdf-load-ahead'); // bench/pdf-run.mjs lists the app's marks in its timeline
      const task = m.loadPdf(source, article.pdf?.password, data ?? undefined);
      ahead = { key, task };
      if (early) return m.drawEarlyPage(task, key, early.article, early.box);
      // Page 1 is asked for as soon as the document is open (pdf.js keeps the answer), not after React renders the
      // reader. A failure is the reader's to report when it takes the task; one never taken is destroyed unread.
      task.promise.then((doc) => doc.getPage(1)).catch(() => undefined);
    })
    .catch(() => {
      if (wanted === key) wanted = null; // the reader loads it itself and says what went wrong
    });
}

/** The document loaded ahead for this article (its `pdfKey`), now the caller's to destroy; null if there is none (load it anew). */
export function takePreopenedPdf(key: string): PDFDocumentLoadingTask | null {
  if (wanted === key) wanted = null; // too late to be of use: the reader is loading it
  if (ahead?.key !== key) return null;
  const { task } = ahead;
  ahead = null;
  return task;
}

/** The app shows another route or article: a document loaded ahead for any other article is let go. */
export function leavePdfArticle(articleId: string | null): void {
  const keep = articleId === null ? null : `${articleId}\n`;
  if (wanted && (!keep || !wanted.startsWith(keep))) wanted = null;
  if (ahead && (!keep || !ahead.key.startsWith(keep))) dropAhead();
  dropEarlyPage(articleId);
}

function dropAhead(): void {
  wanted = null;
  dropEarlyPage();
  if (!ahead) return;
  void ahead.task.destroy();
  ahead = null;
}

