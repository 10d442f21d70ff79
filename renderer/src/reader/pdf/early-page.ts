/**
 * Page 1 of a PDF drawn before the app is mounted (early-box.ts says when and why): its canvas, text layer and
 * highlights, in a box laid over the window where the reader's document will be, styled by the reader's own CSS (so
 * the page sits where the reader puts it, at the scale the reader fits it to). The reader takes the page in as its own
 * when it opens the document (PdfReader's openPages); the box goes then.
 */
import type { PDFDocumentLoadingTask } from 'pdfjs-dist';
import type { Article } from '../../../../electron/contract';
import { HighlightPainter, highlightApiAvailable } from '../painter';
import { dropEarlyPage, isEarlyPage, setEarlyPage, type EarlyBox, type EarlyPage } from './early-box';
import { pdfKey } from './warm';
import { PdfPageView } from './page-view';
import { buildPdfTextModel } from './text-model';
import { scaleFor } from './zoom';
import { readInvert } from './invert';

/**
 * Draws page 1 of the document `task` loads into the box `early` settles to; resolves when it is shown (or will not
 * be: no box, or the article that came is not that file).
 */
export async function drawEarlyPage(task: PDFDocumentLoadingTask, key: string, coming: Promise<Article>, early: Promise<EarlyBox | null>): Promise<void> {
  let frame: HTMLDivElement | null = null;
  let view: PdfPageView | null = null;
  let painter: HighlightPainter | null = null;
  // Registered now, before anything is awaited: a reader that opens the document first finds it (still drawing) and
  // drops it, rather than having it drawn over the reader afterwards.
  const page: EarlyPage<PdfPageView | null> = {
    key,
    get view() {
      return view;
    },
    drawn: false,
    release() {
      painter?.dispose();
      painter = null;
      frame?.remove();
    },
    drop() {
      this.release();
      view?.release();
    },
  };
  setEarlyPage(page);
  const doc = await task.promise;
  const first = await doc.getPage(1);
  const [article, box] = await Promise.all([coming, early]);
  if (!isEarlyPage(page)) return;
  if (!box || article.kind !== 'pdf' || pdfKey(article.id, article.pdf?.sha256, article.pdf?.password) !== key) return dropEarlyPage();
  const unscaled = first.getViewport({ scale: 1 });
  const size = { width: unscaled.width, height: unscaled.height };

  // The reader's document as the reader's CSS lays it out (pdf.css): the desk, its padding, the page centred on it.
  frame = document.createElement('div');
  frame.className = `reader-article pdf-document pdf-early${readInvert() ? ' pdf-inverted' : ''}`;
  frame.setAttribute('aria-hidden', 'true'); // a moment's picture of the reader, which says it all once it is there
  Object.assign(frame.style, { position: 'fixed', left: `${box.left}px`, top: `${box.top}px`, width: `${box.width}px`, height: `${box.height}px`, zIndex: '10' });
  const layer = document.createElement('div');
  layer.className = 'reader pdf-layer';
  const pages = document.createElement('div');
  pages.className = 'pdf-pages';
  view = new PdfPageView(1, size);
  pages.append(view.div);
  layer.append(pages);
  frame.append(layer);
  document.body.append(frame);
  // Fitted as the reader fits page 1 to its document's box (its scrollbar's gutter is kept either way).
  const scale = scaleFor('auto', size, { width: frame.clientWidth, height: frame.clientHeight });
  view.layout(scale);

  const prepared = await view.prepare(doc, scale, true);
  if (!isEarlyPage(page)) {
    prepared.canvas.width = 0;
    prepared.canvas.height = 0;
    return;
  }
  view.attach(prepared);
  const pageOne = article.pages?.[0];
  if (pageOne && highlightApiAvailable()) {
    if (prepared.pageText !== article.text.slice(pageOne.start, pageOne.end)) console.warn("gloss: page 1's text differs from the imported text; highlights on it may be misplaced");
    painter = new HighlightPainter(buildPdfTextModel(article.text, [{ page: pageOne, textDivs: prepared.textDivs, itemStarts: prepared.itemStarts }]));
    painter.sync(article.highlights);
  }
  view.div.dataset.rendered = 'true';
  page.drawn = true;
  performance.mark('gloss:pdf-early-page'); // bench/pdf-run.mjs lists the app's marks in its timeline
}
