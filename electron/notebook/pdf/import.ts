/**
 * A PDF import or replacement, from the notebook's side: the checks made before any byte goes to the worker, the
 * worker job that reads the file, and the article fields and highlights made from what it read. The notebook
 * (notebook.ts) stores the original (./store.ts), then the article file, then the index.
 */
import { DEFAULT_COLOR, LIMITS, type Article, type Highlight, type ImportRequest, type PdfFileInfo } from '../../contract';
import { pageAtOffset } from '../../pdf-text';
import { describeRange } from '../anchoring/selectors';
import { normalizeTags } from '../tags';
import { describeSource, refuse, tooLarge } from '../import/guards';
import { importTimeLimitMs } from '../import/index';
import { runNotebookJob } from '../workers/run';
import { assertPdfHeader, type ExtractedPdfFile } from './extract';
import type { FileAnnotation } from './types';

export interface PdfSource {
  bytes: Uint8Array;
  fileName?: string;
  password?: string;
  /** For messages when there is no file name (a URL, a title). */
  title?: string;
  source?: string;
}

/** True when bytes are a PDF by their look (a URL's body, an import whose format was not said). */
export function looksLikePdf(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024)).toString('latin1').includes('%PDF-');
}

/** The bytes of a base64 PDF, refused as too large before they are decoded (the string alone says the size). */
export function decodePdfBase64(contentBase64: unknown, name: string): Uint8Array {
  if (typeof contentBase64 !== 'string' || contentBase64.length === 0) throw refuse(name, 'no file was given (contentBase64 is empty)');
  if (Math.floor((contentBase64.length * 3) / 4) > LIMITS.maxPdfBytes + 2) throw tooLarge(name, LIMITS.maxPdfBytes);
  return new Uint8Array(Buffer.from(contentBase64, 'base64'));
}

export function pdfName(source: Pick<PdfSource, 'fileName' | 'title' | 'source'>): string {
  return describeSource(source.fileName, source.title, source.source);
}

/**
 * Reads a PDF in the notebook's worker. The cheap refusals (too large, not a PDF) come first, on this thread, so such
 * a file is never copied to a worker. The time limit grows with the size, as an HTML import's does.
 */
export async function readPdfInWorker(source: PdfSource): Promise<ExtractedPdfFile> {
  const name = pdfName(source);
  if (source.bytes.byteLength > LIMITS.maxPdfBytes) throw tooLarge(name, LIMITS.maxPdfBytes);
  assertPdfHeader(source.bytes, name);
  return runNotebookJob(
    'extractPdf',
    { bytes: source.bytes, password: source.password, name, fileName: source.fileName },
    { timeoutMs: importTimeLimitMs(source.bytes.byteLength), what: `Importing ${name}` },
  );
}

/** The stored-file facts an article keeps about its original. The password only when one was needed to open it. */
export function pdfFileInfo(extracted: ExtractedPdfFile, source: PdfSource): PdfFileInfo {
  const needed = extracted.encrypted && source.password ? source.password : undefined;
  return {
    sha256: extracted.sha256,
    bytes: extracted.bytes,
    ...(source.fileName?.trim() && { fileName: source.fileName.trim() }),
    pageCount: extracted.pageCount,
    hasTextLayer: extracted.hasTextLayer,
    ...(extracted.encrypted && { encrypted: true }),
    ...(needed && { password: needed }),
  };
}

/** A new PDF article's fields (everything but id and dates): no html, the text and pages as the worker read them. */
export function pdfArticleFields(extracted: ExtractedPdfFile, source: PdfSource & Pick<ImportRequest, 'title' | 'source'>) {
  const byline = extracted.authors.join(', ');
  return {
    kind: 'pdf' as const,
    title: source.title?.trim() || extracted.title,
    ...(byline && { byline }),
    ...(source.source?.trim() && { source: source.source.trim() }),
    ...(extracted.publishedAt && { publishedAt: extracted.publishedAt }),
    ...(extracted.doi && { doi: extracted.doi }),
    ...(extracted.lang && { lang: extracted.lang }),
    ...(extracted.authors.length > 0 && { authors: extracted.authors }),
    ...extracted.citation,
    text: extracted.text,
    pages: extracted.pages,
    pdf: pdfFileInfo(extracted, source),
    note: '',
  } satisfies Partial<Article>;
}

/** The file's own highlights (Acrobat, Preview, Zotero...) as Gloss highlights, with quote selectors and their page. */
export function highlightsFromFile(
  articleId: string,
  text: string,
  pages: Article['pages'] & object,
  annotations: readonly FileAnnotation[],
  now: string,
  newId: () => string,
): Highlight[] {
  const made: Highlight[] = [];
  for (const a of annotations) {
    if (!(Number.isInteger(a.start) && Number.isInteger(a.end) && 0 <= a.start && a.start < a.end && a.end <= text.length)) continue;
    made.push({
      id: newId(),
      articleId,
      start: a.start,
      end: a.end,
      ...describeRange(text, a.start, a.end),
      color: a.color ?? DEFAULT_COLOR,
      // Tags come back only from Gloss's own annotated export (file-annotations.ts reads them from its /Contents).
      tags: normalizeTags(a.tags ?? [], { lenient: true }),
      note: a.note ?? '',
      createdAt: now,
      updatedAt: now,
      page: pageAtOffset(pages, a.start),
    });
  }
  return made;
}
