/**
 * pdf.js in the renderer: the worker is a built asset served from the app's own origin (never pdf.js's "fake worker",
 * which would parse the PDF on the main thread), and fonts, CMaps and image decoders come from /pdfjs/ (copied there
 * by electron.vite.config.ts), so nothing is fetched from anywhere else.
 */
import { getDocument, GlobalWorkerOptions, PDFWorker, type PDFDocumentLoadingTask } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import { claimPdfWorker } from './warm';

GlobalWorkerOptions.workerSrc = workerUrl;

let shared: PDFWorker | null = null;
/**
 * One pdf.js worker for every document (destroying a loading task leaves a worker it was given running), on the
 * thread warm.ts may have started before this chunk was even fetched.
 */
function sharedWorker(): PDFWorker {
  shared ??= PDFWorker.create({ port: claimPdfWorker() });
  return shared;
}

/** Where a PDF article's bytes are fetched from (the client's documentSource: /files/<id>.pdf and its headers). */
export interface DocumentSource {
  url: string;
  httpHeaders?: Record<string, string>;
}

/** Opens a PDF from its source, or from its bytes when the app has them already (warm.ts; they go to the worker). */
export function loadPdf(source: DocumentSource, password?: string, data?: Uint8Array): PDFDocumentLoadingTask {
  return getDocument({
    worker: sharedWorker(),
    ...(data ? { data } : { url: source.url, httpHeaders: source.httpHeaders }),
    password,
    standardFontDataUrl: '/pdfjs/standard_fonts/',
    cMapUrl: '/pdfjs/cmaps/',
    cMapPacked: true,
    wasmUrl: '/pdfjs/wasm/',
    // pdf.js's own choice in a browser (its viewer's, Firefox's): a standard font the PDF does not embed (Times,
    // Helvetica, Courier) is drawn with the system's font of that name or its closest match, not with pdf.js's copy
    // from /pdfjs/standard_fonts/ turned into a web font. Measured (bench/RESULTS.md, "PDFs"): the copy cost ~80 ms
    // before page 1 of a book set in non-embedded Times, on every open. Glyph positions and the text layer do not
    // change (widths come from the PDF or pdf.js's metrics); only the letters' shapes may differ from machine to
    // machine, as they do in every browser's PDF viewer. Symbol and ZapfDingbats still come from /pdfjs/ (pdf.js
    // never substitutes those), and the import worker (pdfjs-node.ts) reads text the same either way.
    useSystemFonts: true,
    // The app's own origin serves the file with Range support; no credentials or cookies exist to send.
    withCredentials: false,
  });
}

/** What to tell the reader when a document does not open: pdf.js's error names say why. */
export function loadErrorMessage(error: unknown): string {
  const name = (error as { name?: string } | null)?.name;
  const message = (error as { message?: string } | null)?.message ?? String(error);
  if (name === 'PasswordException') return 'This PDF is protected by a password, and the password Gloss has for it does not open it. Use Replace PDF with the password to open it again.';
  if (name === 'InvalidPDFException') return `This file is not a PDF Gloss can read (${message}).`;
  if (name === 'ResponseException' || name === 'MissingPDFException') return `The PDF file could not be loaded (${message}). It may have been moved or deleted from the notebook folder.`;
  return `The PDF could not be opened: ${message}`;
}
