/*
 * The floor for opening a PDF: bare pdf.js (pdfjs-dist's own build and worker, served by bench/pdf-run.mjs from
 * node_modules on 127.0.0.1) drawing page 1 of the same bytes Gloss opens: its canvas and its text layer, at the CSS
 * width Gloss drew page 1 at (?width=, in CSS pixels). When both are done the page sets data-rendered="true" on its
 * .pdf-page, the same signal Gloss's reader gives, and the bench's frame watcher (injected into both pages) times
 * the frame after it from navigation start. The text is asked for with the options the reader and importer use
 * (electron/pdf-text.ts PDF_TEXT_CONTENT_OPTIONS).
 *
 * pdf.js's minified builds, as Gloss runs it: its worker is this very file (pdf.worker.min.mjs, Gloss's built asset
 * is a copy), and Gloss's renderer bundle is minified too (electron.vite.config.ts), so both sides compile about the
 * same amount of pdf.js.
 */
import * as pdfjs from '/pdfjs/build/pdf.min.mjs';

const params = new URLSearchParams(location.search);
const cssWidth = Number(params.get('width') ?? 800);
pdfjs.GlobalWorkerOptions.workerSrc = '/pdfjs/build/pdf.worker.min.mjs';

(async () => {
  const task = pdfjs.getDocument({
    url: params.get('file') ?? '/book.pdf',
    isEvalSupported: false,
    standardFontDataUrl: '/pdfjs/standard_fonts/',
    cMapUrl: '/pdfjs/cmaps/',
    wasmUrl: '/pdfjs/wasm/',
    // ?systemFonts=0: as Gloss's reader loads PDFs (the standard fonts' data from /pdfjs/standard_fonts/, never the
    // system's), to see what that costs; by default pdf.js's own choice in a browser.
    ...(params.get('systemFonts') === '0' && { useSystemFonts: false }),
  });
  const doc = await task.promise;
  const page = await doc.getPage(1);
  const unscaled = page.getViewport({ scale: 1 });
  const scale = cssWidth / unscaled.width;
  const viewport = page.getViewport({ scale });
  const ratio = window.devicePixelRatio || 1;

  const box = document.querySelector('.pdf-page');
  box.style.width = `${viewport.width}px`;
  box.style.height = `${viewport.height}px`;
  box.style.setProperty('--scale-factor', String(scale));
  box.style.setProperty('--total-scale-factor', String(scale));
  const canvas = box.querySelector('canvas');
  canvas.width = Math.floor(viewport.width * ratio);
  canvas.height = Math.floor(viewport.height * ratio);

  // ?serial=1: the text layer only after the canvas, as Gloss's reader does; by default both at once.
  const serial = params.get('serial') === '1';
  const drawn = page.render({
    canvas,
    viewport,
    transform: ratio === 1 ? undefined : [ratio, 0, 0, ratio, 0, 0],
  }).promise;
  if (serial) await drawn;
  const textLayer = new pdfjs.TextLayer({
    textContentSource: page.streamTextContent({ includeMarkedContent: false, disableNormalization: false }),
    container: box.querySelector('.textLayer'),
    viewport,
  });
  await Promise.all([drawn, textLayer.render()]);
  box.dataset.rendered = 'true';
  window.__floorDoc = { pages: doc.numPages, spans: textLayer.textDivs.length, scale };
  if (params.get('mode') === 'key') {
    // The floor for a new highlight, as the bench drives it: h adds the mouse's selection as one Range to a CSS
    // highlight and clears the selection, in the keydown task, as the reader does.
    const layer = new Highlight();
    CSS.highlights.set('gloss-yellow', layer);
    window.addEventListener(
      'keydown',
      (e) => {
        const selection = document.getSelection();
        if (e.key !== 'h' || selection.rangeCount === 0 || selection.isCollapsed) return;
        layer.add(selection.getRangeAt(0).cloneRange());
        selection.removeAllRanges();
      },
      true,
    );
  }
})().catch((error) => {
  window.__floorError = String(error?.stack ?? error);
  console.error(error);
});
