/**
 * pdf.js under Node (the notebook's worker thread): one place that loads it, with the options Gloss always uses.
 *
 * pdfjs-dist 6 calls `Promise.withResolvers`, which Node has only from 22; Gloss supports Node 20.19, so the one
 * function is defined here before pdf.js loads (the same thing its "legacy" build does for other missing features).
 * The legacy build is the one pdf.js publishes for Node. Its own worker runs in-process here ("fake worker"): this
 * code already runs inside the notebook's worker thread, with that thread's time and memory limits.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
export type PdfDocument = Awaited<ReturnType<PdfJs['getDocument']>['promise']>;

function polyfillWithResolvers(): void {
  const P = Promise as unknown as { withResolvers?: unknown };
  if (typeof P.withResolvers === 'function') return;
  P.withResolvers = function withResolvers<T>() {
    let resolve!: (value: T | PromiseLike<T>) => void;
    let reject!: (reason?: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

let loading: Promise<PdfJs> | undefined;

/** pdf.js's legacy build, loaded once per thread. */
export function loadPdfJs(): Promise<PdfJs> {
  polyfillWithResolvers();
  // A real dynamic import (not turned into require by the bundler): pdfjs-dist is ESM only.
  loading ??= import('pdfjs-dist/legacy/build/pdf.mjs') as Promise<PdfJs>;
  return loading;
}

/** Where pdfjs-dist's standard fonts and CMaps are on disk, as the URLs (with a trailing slash) pdf.js wants. */
function pdfjsAssetUrl(folder: 'standard_fonts' | 'cmaps'): string {
  const require = createRequire(__filename);
  const root = path.dirname(require.resolve('pdfjs-dist/package.json'));
  return pathToFileURL(path.join(root, folder) + path.sep).href;
}

/**
 * Opens a PDF from its bytes. pdf.js takes ownership of (detaches) the buffer it is given, so it gets a copy. No system
 * fonts, no network: fonts and CMaps come from pdfjs-dist's own folders. (pdf.js 6 no longer has an eval path, so the
 * `isEvalSupported: false` of older versions is gone from its options.) Close it with `closePdf`.
 */
export async function openPdf(bytes: Uint8Array, password?: string): Promise<PdfDocument> {
  const pdfjs = await loadPdfJs();
  const task = pdfjs.getDocument({
    data: bytes.slice(),
    password,
    useSystemFonts: false,
    disableFontFace: true,
    stopAtErrors: false,
    standardFontDataUrl: pdfjsAssetUrl('standard_fonts'),
    cMapUrl: pdfjsAssetUrl('cmaps'),
    cMapPacked: true,
    verbosity: 0,
  });
  return task.promise;
}

/** Frees everything pdf.js holds for a document (its in-process worker included). */
export async function closePdf(doc: PdfDocument): Promise<void> {
  await doc.loadingTask.destroy();
}
