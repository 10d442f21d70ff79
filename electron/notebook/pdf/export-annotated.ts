/**
 * exportAnnotatedPdf from the notebook's side: which highlights go into the copy, the checks made before any byte goes
 * to the worker, and the reply. The copy is made in the worker (../workers/jobs.ts `annotatePdf`, ./annotate.ts); the
 * stored original is only read.
 */
import { readFile } from 'node:fs/promises';
import type { AnnotatedPdf, Article, Settings } from '../../contract';
import { invalid } from '../errors';
import { safeFileStem } from '../export/filename';
import { importTimeLimitMs } from '../import/index';
import { runNotebookJob } from '../workers/run';
import type { HighlightToWrite } from './annotate';

/** "<title> (annotated).pdf", safe on every file system. */
export function annotatedPdfName(title: string): string {
  return `${safeFileStem(title)} (annotated).pdf`;
}

/** The highlights an annotated copy carries: every one anchored in the text (orphans have no place on a page). */
export function highlightsToWrite(article: Pick<Article, 'highlights'>): HighlightToWrite[] {
  return article.highlights
    .filter((h) => !h.orphaned)
    .map(({ id, start, end, quote, color, note, tags, createdAt, updatedAt }) => ({ id, start, end, quote, color, note, tags, createdAt, updatedAt }));
}

/** Refuses what cannot be exported this way before the file is read: a non-PDF article, an encrypted original. */
export function assertExportable(article: Pick<Article, 'title' | 'kind' | 'pdf'>): void {
  if (article.kind !== 'pdf' || !article.pdf) {
    throw invalid(`"${article.title}" is not a PDF, so it has no annotated PDF to export; export its highlights as Markdown instead.`);
  }
  if (article.pdf.encrypted) {
    throw invalid(
      `"${article.title}" is an encrypted PDF, and an annotated copy of an encrypted PDF cannot be written. Export its highlights as Markdown instead, or replace it with a copy saved without a password.`,
    );
  }
}

/**
 * The copy reads every page's text and annotations again (pdf.js), then parses and writes the whole file (pdf-lib): an
 * import's time for the bytes plus a fifth of a second a page (a 55-page book with 300 highlights takes about 3 s).
 */
export function exportTimeLimitMs(bytes: number, pageCount: number): number {
  return importTimeLimitMs(bytes) + pageCount * 200;
}

/** The annotated copy of a PDF article whose original is at `originalPath`. */
export async function exportAnnotatedPdfFile(article: Article, originalPath: string, settings: Pick<Settings, 'colorLabels'>): Promise<AnnotatedPdf> {
  assertExportable(article);
  const bytes = new Uint8Array(await readFile(originalPath));
  const result = await runNotebookJob(
    'annotatePdf',
    { bytes, password: article.pdf?.password, highlights: highlightsToWrite(article), colorLabels: settings.colorLabels },
    { timeoutMs: exportTimeLimitMs(bytes.byteLength, article.pdf?.pageCount ?? 0), what: `Writing the annotated copy of "${article.title}"` },
  );
  const written = result.bytes;
  return {
    fileName: annotatedPdfName(article.title),
    contentBase64: Buffer.from(written.buffer, written.byteOffset, written.byteLength).toString('base64'),
  };
}
