/**
 * One page of a PDF in the reader: a placeholder sized from the page's viewport (so the document's scroll height is
 * right before anything is drawn), which can be rendered (a canvas and pdf.js's text layer) and released again.
 *
 * Rendering happens off to the side: the canvas is drawn and the text layer built while detached, and `attach` puts
 * both in the page in one synchronous step, so the caller can paint the page's highlights in the same task: the first
 * frame that shows a page's text shows its highlights too.
 */
import { TextLayer, type PageViewport, type PDFDocumentProxy, type PDFPageProxy, type RenderTask } from 'pdfjs-dist';
import type { PageSize } from './zoom';
import { buildPageText, PDF_TEXT_CONTENT_OPTIONS, type PdfTextItemLike } from '../../../../electron/pdf-text';

/** A canvas holds at most this many pixels (pdf.js's default maxCanvasPixels is 2^25); past it, the resolution drops. */
const MAX_CANVAS_PIXELS = 2 ** 24;
/** The canvas resolution follows devicePixelRatio up to this (a 3x phone-class screen gains little and costs 2.25x). */
const MAX_OUTPUT_SCALE = 2;


/** A drawn page waiting to be shown: `attach` puts it in place. */
export interface PreparedPage {
  canvas: HTMLCanvasElement;
  textLayer: HTMLDivElement;
  /** textDivs[i] is the span of text item i (pdf.js makes one per item; those with empty text are not in the DOM). */
  textDivs: HTMLElement[];
  /** itemStarts[i] = offset of item i in the page's text (pdf-text.ts's buildPageText). */
  itemStarts: number[];
  pageText: string;
  scale: number;
}

export class PdfPageView {
  readonly div: HTMLDivElement;
  private proxy: PDFPageProxy | null = null;
  private renderTask: RenderTask | null = null;
  private pendingTextLayer: TextLayer | null = null;
  private canvas: HTMLCanvasElement | null = null;
  private textLayer: HTMLDivElement | null = null;
  /** What the model needs while the page is rendered: null when it is not. */
  shown: Pick<PreparedPage, 'textDivs' | 'itemStarts'> | null = null;
  /** The scale the canvas was drawn at (a zoom stretches it until it is drawn again). */
  drawnScale = 0;
  /** Bumped by `release`: a render that started before it must not attach (the page was let go meanwhile). */
  generation = 0;

  constructor(
    readonly number: number,
    public size: PageSize,
  ) {
    this.div = document.createElement('div');
    this.div.className = 'pdf-page';
    this.div.dataset.pageNumber = String(number);
    this.div.dataset.rendered = 'false';
    this.div.setAttribute('role', 'group');
    this.div.setAttribute('aria-label', `Page ${number}`);
  }

  get rendered(): boolean {
    return this.shown !== null;
  }

  /** Sizes the placeholder for `scale` (CSS px per PDF point); a drawn canvas stretches, the text layer follows. */
  layout(scale: number): void {
    const style = this.div.style;
    style.width = `${Math.floor(this.size.width * scale)}px`;
    style.height = `${Math.floor(this.size.height * scale)}px`;
    // pdf.js's text layer sizes its spans from these (its viewer sets them on each page).
    style.setProperty('--scale-factor', String(scale));
    style.setProperty('--user-unit', String(this.proxy?.userUnit ?? 1));
  }

  async page(doc: PDFDocumentProxy): Promise<PDFPageProxy> {
    if (!this.proxy) this.proxy = await doc.getPage(this.number);
    return this.proxy;
  }

  /** Draws the canvas and builds the text layer, detached. Rejects if cancelled (by `release`). */
  async prepare(doc: PDFDocumentProxy, scale: number, withText: boolean): Promise<PreparedPage> {
    const page = await this.page(doc);
    const viewport = page.getViewport({ scale });
    const canvas = document.createElement('canvas');
    canvas.setAttribute('aria-hidden', 'true');
    const cssPixels = viewport.width * viewport.height;
    let outputScale = Math.min(window.devicePixelRatio || 1, MAX_OUTPUT_SCALE);
    if (cssPixels * outputScale * outputScale > MAX_CANVAS_PIXELS) outputScale = Math.sqrt(MAX_CANVAS_PIXELS / cssPixels);
    canvas.width = Math.floor(viewport.width * outputScale);
    canvas.height = Math.floor(viewport.height * outputScale);
    const task = page.render({
      canvas,
      viewport,
      transform: outputScale !== 1 ? [outputScale, 0, 0, outputScale, 0, 0] : undefined,
    });
    this.renderTask = task;
    // The text layer is built while the canvas is drawn (the worker answers both; the floor page in bench/ does the
    // same), so it is ready when the canvas is, not after it: both stay detached until `attach`.
    const textLayer = document.createElement('div');
    textLayer.className = 'textLayer';
    const text = withText ? this.buildTextLayer(page, viewport, textLayer) : null;
    text?.catch(() => undefined); // a cancelled draw rejects first; the text's failure is not reported twice
    try {
      await task.promise;
    } finally {
      if (this.renderTask === task) this.renderTask = null;
    }
    const built = text ? await text : { textDivs: [], itemStarts: [], pageText: '' };
    return { canvas, textLayer, ...built, scale };
  }

  /** pdf.js's text layer for the page, into `container` (detached), with where each item's text starts in the page's text. */
  private async buildTextLayer(page: PDFPageProxy, viewport: PageViewport, container: HTMLDivElement): Promise<Pick<PreparedPage, 'textDivs' | 'itemStarts' | 'pageText'>> {
    const content = await page.getTextContent(PDF_TEXT_CONTENT_OPTIONS);
    const { itemStarts, text: pageText } = buildPageText(content.items as PdfTextItemLike[]);
    const layer = new TextLayer({ textContentSource: content, container, viewport });
    this.pendingTextLayer = layer;
    try {
      await layer.render();
    } finally {
      if (this.pendingTextLayer === layer) this.pendingTextLayer = null;
    }
    // pdf.js's viewer ends each text layer with this: where a drag over blank space selects to (selection-sentinel.ts).
    const end = document.createElement('div');
    end.className = 'endOfContent';
    container.append(end);
    return { textDivs: layer.textDivs, itemStarts, pageText };
  }

  /** Shows a prepared page (replacing whatever was drawn before). Synchronous: the caller paints in the same task. */
  attach(prepared: PreparedPage): void {
    const oldCanvas = this.canvas;
    this.canvas = prepared.canvas;
    prepared.canvas.className = 'pdf-canvas';
    if (oldCanvas) {
      oldCanvas.replaceWith(prepared.canvas);
      freeCanvas(oldCanvas);
    } else {
      this.div.prepend(prepared.canvas);
    }
    // Redrawn at a new zoom, the page keeps its text layer: its spans are sized by --scale-factor, so they follow.
    if (!this.textLayer) {
      this.textLayer = prepared.textLayer;
      this.div.append(prepared.textLayer);
      this.shown = { textDivs: prepared.textDivs, itemStarts: prepared.itemStarts };
    }
    this.drawnScale = prepared.scale;
  }

  /** Frees the page's canvas, text layer and pdf.js's resources for it; the placeholder stays. */
  release(): void {
    this.generation++;
    this.renderTask?.cancel();
    this.renderTask = null;
    this.pendingTextLayer?.cancel();
    this.pendingTextLayer = null;
    if (this.canvas) {
      freeCanvas(this.canvas);
      this.canvas.remove();
      this.canvas = null;
    }
    this.textLayer?.remove();
    this.textLayer = null;
    this.shown = null;
    this.drawnScale = 0;
    this.div.dataset.rendered = 'false';
    try {
      this.proxy?.cleanup();
    } catch {
      // The document was destroyed first (another article opened): nothing is left to free.
    }
  }
}

/** A canvas's pixels are freed when its size is zero, not when it leaves the DOM (it may be referenced still). */
function freeCanvas(canvas: HTMLCanvasElement): void {
  canvas.width = 0;
  canvas.height = 0;
}
