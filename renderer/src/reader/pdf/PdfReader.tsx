/**
 * The PDF reader: pdf.js draws each page on a canvas with its text layer over it, and highlights are painted on the
 * text layers by the same painter as the HTML reader's (CSS Custom Highlight API), over a text model whose offsets are
 * the article's (pdf-text.ts: the import worker and this reader build the text by the same rule).
 *
 * Pages are placeholders sized from their viewports; the scheduler (after pdf.js's rendering queue) draws the pages on
 * and near the screen one at a time, nearest first, and lets go of far ones beyond MAX_RENDERED, so a 350-page book
 * holds about ten canvases. A page is shown only with its highlights painted: `attach` and the painter's rebuild run
 * in one task, and `data-rendered="true"` says so (tests and the bench wait on it).
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist';
import type { Highlight } from '../../../../electron/contract';
import { domRangePoints, indexNodes } from '../../../../electron/text-model';
import { pageAtOffset } from '../../../../electron/pdf-text';
import { HighlightPainter, highlightApiAvailable } from '../painter';
import { revealRange } from '../reveal';
import { useHighlightInteractions, type ReaderModel } from '../useHighlightInteractions';
import type { ReaderProps } from '../Reader';
import type { Finder } from '../view';
import { loadPdf, loadErrorMessage } from './pdfjs';
import { pdfKey, takePreopenedPdf } from './warm';
import { PdfPageView } from './page-view';
import { buildPdfTextModel } from './text-model';
import { mostVisiblePage, pageBoxes, pagesIn, placeAt, scrollTopFor, type PageBox } from './pages';
import { scaleFor, stepZoom, type PageSize, type ZoomMode } from './zoom';
import { readOutline, type OutlineEntry } from './outline';
import { trackTextLayerSelection } from './selection-sentinel';
import { PdfToolbar } from './PdfToolbar';
import { PdfOutline } from './PdfOutline';
import { readInvert, writeInvert } from './invert';
import { dropEarlyPage, rememberEarlyBox, takeEarlyPage } from './early-box';
import { createTextFinder, type TextMatch } from './find-text';
import './pdf.css';

/** Pages kept drawn at most (those on screen are never let go, whatever their number). */
const MAX_RENDERED = 10;
/** Space above the first page and between pages (CSS: .pdf-page's margin). */
const PAGE_GAP = 12;
const FIND_LAYER = 'gloss-find';
/** A window being resized sends many events: its document's box is remembered once they have stopped this long. */
const RESIZE_SETTLE_MS = 250;

export function PdfReader(props: ReaderProps) {
  const { article, highlights, focusedId, onPainter, onView, documentSource, savedPlace, onPlace, onFirstPage, settings } = props;
  const readerRef = useRef<HTMLDivElement>(null);
  const articleRef = useRef<HTMLElement>(null);
  const pagesRef = useRef<HTMLDivElement>(null);
  const modelRef = useRef<ReaderModel | null>(null);
  const painterRef = useRef<HighlightPainter | null>(null);
  const viewsRef = useRef<PdfPageView[]>([]);
  const boxesRef = useRef<PageBox[] | null>(null);
  const [doc, setDoc] = useState<PDFDocumentProxy | null>(null);
  /** The open document for the scheduler: set (and its pages made) before React renders with it (`openPages`). */
  const docRef = useRef<PDFDocumentProxy | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [zoom, setZoom] = useState<ZoomMode>('auto');
  const zoomRef = useRef<ZoomMode>('auto');
  zoomRef.current = zoom;
  const [scale, setScale] = useState(0);
  const scaleRef = useRef(0);
  const [current, setCurrent] = useState(1);
  /** The current page for callbacks that must not change with it (fitting the zoom to the page being read). */
  const currentRef = useRef(1);
  currentRef.current = current;
  const [outline, setOutline] = useState<OutlineEntry[]>([]);
  const [outlineOpen, setOutlineOpen] = useState(false);
  const [invert, setInvert] = useState(() => readInvert());
  // The latest props, for the scheduler's callbacks (they outlive renders).
  const latest = useRef({ highlights, focusedId, article, onPlace, onPainter, onFirstPage, savedPlace, settings });
  latest.current = { highlights, focusedId, article, onPlace, onPainter, onFirstPage, savedPlace, settings };
  /** The document whose first drawn page has been reported (onFirstPage). */
  const firstPageSaid = useRef<string | null>(null);
  const [firstPageOf, setFirstPageOf] = useState<string | null>(null);
  /** Resolved when a page of the current document is first drawn (or the document failed to open). */
  const firstPageDrawn = useRef(deferred());
  const sayFirstPage = useCallback(() => {
    const { article: a, onFirstPage: say } = latest.current;
    firstPageDrawn.current.resolve();
    if (firstPageSaid.current === a.id) return;
    firstPageSaid.current = a.id;
    setFirstPageOf(a.id);
    // Opened from the library or at start-up, focus is nowhere: put it on the document, so its keys work at once.
    // Not before the first page is drawn: focusing recalculates the page's style, one more time on the way to it.
    if (!document.activeElement || document.activeElement === document.body) articleRef.current?.focus({ preventScroll: true });
    say?.(a.id);
  }, []);
  /** Something to bring into view once its page is drawn (a highlight or a find match on a page far away). */
  const pendingReveal = useRef<(() => Range | null) | null>(null);
  const findSpan = useRef<{ start: number; end: number } | null>(null);
  /** A page gone to (input, outline, keys) stays the current page while the scroll stays where it was put. */
  const pinned = useRef<{ index: number; top: number } | null>(null);
  const restored = useRef(false);
  const busy = useRef(false);
  const tickQueued = useRef(0);

  // Unmounted (another article's reader takes over), nothing here may paint again: a page whose drawing finishes
  // later, or a queued frame, would overwrite the next reader's highlight layers (they share CSS.highlights names).
  const alive = useRef(true);
  useLayoutEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
      cancelAnimationFrame(tickQueued.current);
      tickQueued.current = 0;
      for (const view of viewsRef.current) view.release();
      viewsRef.current = [];
      dropEarlyPage(); // a page drawn early that this reader never took
    };
  }, []);

  const interactions = useHighlightInteractions({ readerRef, articleRef, modelRef, painterRef, ...props });
  const { dismissPopover } = interactions;

  // --- Loading ------------------------------------------------------------------------------------------------------
  useEffect(() => {
    let cancelled = false;
    let task: ReturnType<typeof loadPdf> | null = null;
    docRef.current = null;
    setDoc(null);
    firstPageDrawn.current = deferred();
    // What waits for the first page waits no longer than this (a page never drawn: the pane hidden, say).
    const giveUp = window.setTimeout(firstPageDrawn.current.resolve, 2000);
    setError(null);
    setOutline([]);
    restored.current = false;
    // Another PDF in the same reader: the last one's pages go now, before any of them could be read as this one's.
    for (const view of viewsRef.current) view.release();
    viewsRef.current = [];
    boxesRef.current = null;
    pagesRef.current?.replaceChildren();
    modelRef.current = null;
    (async () => {
      // Started at start-up or as the article arrived (warm.ts), the document may be on its way already.
      task = takePreopenedPdf(pdfKey(article.id, article.pdf?.sha256, article.pdf?.password));
      if (!task) {
        if (!documentSource) throw new Error('this window cannot fetch PDF files');
        const source = await documentSource(article.id);
        if (cancelled) return;
        task = loadPdf(source, article.pdf?.password);
      }
      const loaded = await task.promise;
      if (cancelled) return;
      performance.mark('gloss:pdf-open'); // bench/pdf-run.mjs lists the app's marks in its timeline
      // Page 1 (asked for by warm.ts as soon as the document opened) sizes the placeholders.
      const first = await loaded.getPage(1);
      if (cancelled) return;
      // The pages are made and page 1 starts drawing now, in this task, not after React has rendered and committed
      // the reader with the document and a frame has passed (bench/RESULTS.md, "PDFs").
      docRef.current = loaded;
      openPagesRef.current(loaded, first);
      setDoc(loaded);
    })().catch((e: unknown) => {
      if (cancelled) return;
      setError(loadErrorMessage(e));
      sayFirstPage(); // nothing will be drawn: what waited for the first page need not wait longer
    });
    return () => {
      cancelled = true;
      window.clearTimeout(giveUp);
      void task?.destroy();
    };
  }, [article.id, article.pdf?.sha256, article.pdf?.password, documentSource, sayFirstPage]);

  // --- Painting -----------------------------------------------------------------------------------------------------
  /** Paints the current find match (a layer of its own, above the highlights). */
  const paintFind = useCallback(() => {
    if (!highlightApiAvailable()) return;
    const span = findSpan.current;
    const model = modelRef.current?.model;
    const points = span && model ? domRangePoints(model, span.start, span.end) : null;
    if (!points) {
      CSS.highlights.delete(FIND_LAYER);
      return;
    }
    const range = document.createRange();
    range.setStart(points.startNode, points.startOffset);
    range.setEnd(points.endNode, points.endOffset);
    const layer = new Highlight(range);
    layer.priority = 5;
    CSS.highlights.set(FIND_LAYER, layer);
  }, []);

  /** The text model of the rendered pages and a painter over it: run whenever a page is shown or let go. */
  const rebuildModel = useCallback(() => {
    if (!alive.current) return;
    const { article: a, highlights: list, focusedId: focus, onPainter: report } = latest.current;
    const pages = a.pages ?? [];
    const rendered = viewsRef.current
      .filter((v) => v.shown && pages[v.number - 1])
      .map((v) => ({ page: pages[v.number - 1], textDivs: v.shown!.textDivs, itemStarts: v.shown!.itemStarts }));
    const model = buildPdfTextModel(a.text, rendered);
    modelRef.current = { model, nodeIndex: indexNodes(model) };
    if (!highlightApiAvailable()) return;
    const previous = painterRef.current;
    const pending = previous?.pendingHighlights ?? [];
    previous?.dispose();
    const painter = new HighlightPainter(model); // no visible span: every drawn page is on or near the screen
    painter.sync(list);
    for (const h of pending) painter.paintPending(h); // made a moment ago, still being saved
    painter.emphasize(focus);
    painterRef.current = painter;
    report(painter);
    articleRef.current?.setAttribute('data-painted-highlights', String(painter.paintedCount));
    paintFind();
    const reveal = pendingReveal.current;
    const range = reveal?.();
    if (range) {
      pendingReveal.current = null;
      revealRange(range, 'auto');
    }
  }, [paintFind]);

  useLayoutEffect(() => {
    const painter = painterRef.current;
    if (!painter) return;
    painter.sync(highlights);
    articleRef.current?.setAttribute('data-painted-highlights', String(painter.paintedCount));
  }, [highlights]);

  useEffect(() => {
    painterRef.current?.emphasize(focusedId);
  }, [focusedId, highlights]);

  // A layout effect, so that its cleanup runs before the next reader's painter is made (both use the same highlight
  // names in CSS.highlights: disposing later would delete the new reader's layers).
  useLayoutEffect(
    () => () => {
      painterRef.current?.dispose();
      painterRef.current = null;
      onPainter(null);
      if (highlightApiAvailable()) CSS.highlights.delete(FIND_LAYER);
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [article.id],
  );

  // --- The scheduler ------------------------------------------------------------------------------------------------
  const boxes = useCallback((): PageBox[] => {
    const scroller = articleRef.current;
    if (!boxesRef.current && scroller) boxesRef.current = pageBoxes(viewsRef.current.map((v) => v.div), scroller);
    return boxesRef.current ?? [];
  }, []);

  const tick = useCallback(() => {
    const scroller = articleRef.current;
    const views = viewsRef.current;
    const scale = scaleRef.current;
    const doc = docRef.current;
    if (!alive.current || !doc || !scroller || views.length === 0 || scale === 0) return;
    const all = boxes();
    const top = scroller.scrollTop;
    const bottom = top + scroller.clientHeight;
    const pin = pinned.current;
    if (pin && Math.abs(pin.top - top) > 2) {
      // The reader scrolled away from a page gone to: what was to be shown there once drawn no longer is.
      pinned.current = null;
      pendingReveal.current = null;
    }
    const here = pinned.current ? pinned.current.index : mostVisiblePage(all, top, bottom);
    setCurrent(here + 1);
    if (restored.current) latest.current.onPlace?.(placeAt(all, top));

    // Draw what is on screen and one screen either side, nearest the current page first.
    const margin = scroller.clientHeight;
    const { first, last } = pagesIn(all, Math.max(0, top - margin), bottom + margin);
    let next: number | null = null;
    if (!busy.current) {
      const wanted: number[] = [];
      for (let i = first; i <= last; i++) if (!views[i].rendered || views[i].drawnScale !== scale) wanted.push(i);
      wanted.sort((a, b) => Math.abs(a - here) - Math.abs(b - here));
      next = wanted[0] ?? null;
    }
    // Let go of the farthest drawn pages beyond the cap (never one in the band being drawn), making room first for
    // the page about to be drawn, so the cap holds at every moment.
    // Pages off the band drawn at another zoom go too: they would only be drawn again if they came back.
    const limit = next !== null && !views[next].rendered ? MAX_RENDERED - 1 : MAX_RENDERED;
    let count = views.filter((v) => v.rendered).length;
    const far = views.filter((v) => v.rendered && (v.number - 1 < first || v.number - 1 > last));
    if (count > limit || far.some((v) => v.drawnScale !== scale)) {
      far.sort((a, b) => Math.abs(b.number - 1 - here) - Math.abs(a.number - 1 - here));
      for (const view of far) {
        if (count <= limit && view.drawnScale === scale) continue;
        view.release();
        count--;
      }
      rebuildModel();
    }
    if (next !== null) renderPage(next);

    function renderPage(index: number): void {
      const view = views[index];
      const generation = view.generation;
      const fresh = !view.rendered;
      busy.current = true;
      view
        .prepare(doc!, scale, fresh)
        .then((prepared) => {
          if (view.generation !== generation || viewsRef.current !== views) {
            prepared.canvas.width = 0;
            prepared.canvas.height = 0;
            return;
          }
          view.attach(prepared);
          if (fresh) {
            const page = latest.current.article.pages?.[index];
            const stored = page ? latest.current.article.text.slice(page.start, page.end) : '';
            if (page && prepared.pageText !== stored) console.warn(`gloss: page ${index + 1}'s text differs from the imported text; highlights on it may be misplaced`);
            rebuildModel();
          }
          view.div.dataset.rendered = 'true';
          if (firstPageSaid.current !== latest.current.article.id) performance.mark('gloss:pdf-first-page'); // bench/pdf-run.mjs's timeline
          sayFirstPage();
        })
        .catch((e: unknown) => {
          if ((e as { name?: string })?.name !== 'RenderingCancelledException' && (e as { name?: string })?.name !== 'AbortException') console.warn('gloss: a PDF page did not render', e);
        })
        .finally(() => {
          busy.current = false;
          schedule();
        });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [boxes, rebuildModel]);

  const schedule = useCallback(() => {
    if (tickQueued.current) return;
    tickQueued.current = requestAnimationFrame(() => {
      tickQueued.current = 0;
      tick();
    });
  }, [tick]);

  // --- Pages --------------------------------------------------------------------------------------------------------
  /** Sizes every page for `next` and keeps the reading place where it was. */
  const applyScale = useCallback(
    (next: number) => {
      const scroller = articleRef.current;
      const views = viewsRef.current;
      if (!scroller || views.length === 0 || next === scaleRef.current) return;
      const place = scaleRef.current && boxesRef.current ? placeAt(boxes(), scroller.scrollTop) : null;
      for (const view of views) view.layout(next);
      scaleRef.current = next;
      boxesRef.current = null;
      if (place !== null) scroller.scrollTop = scrollTopFor(boxes(), place);
      pinned.current = null;
      setScale(next);
      schedule();
    },
    [boxes, schedule],
  );

  const fitScale = useCallback(
    (mode: ZoomMode): number => {
      const scroller = articleRef.current;
      const views = viewsRef.current;
      if (!scroller || views.length === 0) return 0;
      const reference = views[Math.min(views.length - 1, Math.max(0, currentRef.current - 1))].size;
      return scaleFor(mode, reference, { width: scroller.clientWidth, height: scroller.clientHeight });
    },
    [],
  );

  /**
   * The placeholders, made as soon as the document is open (from the loading effect, before React renders with the
   * document): sized like page 1 at first, each corrected as its size is read (below). Page 1 starts drawing at once.
   */
  /** Puts the reader at its saved place once; true if it did (or found nothing to do). */
  const restorePlace = useCallback(
    (place: ReaderProps['savedPlace']): boolean => {
      const scroller = articleRef.current;
      if (restored.current || !scroller || scaleRef.current === 0 || place === undefined) return false;
      restored.current = true;
      // Settings that arrive after the reader has moved (a go to page, a scroll) do not jump it back.
      if (place && scroller.scrollTop < 1) scroller.scrollTop = scrollTopFor(boxes(), place);
      return true;
    },
    [boxes],
  );

  const openPages = useCallback(
    (opened: PDFDocumentProxy, first: PDFPageProxy) => {
      const container = pagesRef.current;
      const scroller = articleRef.current;
      if (!container || !scroller || !alive.current) return;
      // Page 1 drawn before the app was mounted (early-page.ts): it becomes this reader's page 1 as it is.
      const { article: a } = latest.current;
      const early = takeEarlyPage<PdfPageView>(pdfKey(a.id, a.pdf?.sha256, a.pdf?.password));
      const viewport = first.getViewport({ scale: 1 });
      const size: PageSize = { width: viewport.width, height: viewport.height };
      // The box's size before the pages are in it (its scrollbar's gutter is kept, pdf.css): read after, it would cost
      // one more style and layout of all the placeholders before page 1 starts drawing.
      const box = { width: scroller.clientWidth, height: scroller.clientHeight };
      const views = Array.from({ length: opened.numPages }, (_, i) => (i === 0 && early ? early : new PdfPageView(i + 1, size)));
      viewsRef.current = views;
      boxesRef.current = null;
      scaleRef.current = 0;
      container.replaceChildren(...views.map((v) => v.div));
      applyScale(scaleFor(zoomRef.current, size, box));
      restorePlace(latest.current.savedPlace);
      if (early) {
        // Its highlights painted by this reader's painter now (the early one went with its box), in this task.
        rebuildModel();
        performance.mark('gloss:pdf-first-page'); // bench/pdf-run.mjs's timeline
        sayFirstPage();
      }
      // Not in the next frame: the page to draw first is known now (the top, or the reading place if it is known).
      cancelAnimationFrame(tickQueued.current);
      tickQueued.current = 0;
      tick();
      performance.mark('gloss:pdf-pages');
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [applyScale, tick, rebuildModel, sayFirstPage],
  );
  const openPagesRef = useRef(openPages);
  openPagesRef.current = openPages;

  // With the document open and its pages made: the outline, then the other pages' sizes.
  useEffect(() => {
    const scroller = articleRef.current;
    if (!doc || !scroller) return;
    let cancelled = false;
    const stopSelection = trackTextLayerSelection(scroller);
    void (async () => {
      // The outline now: its toolbar button appearing later would move the page under a reader's pointer.
      setOutline(await readOutline(doc));
      // The other pages' sizes wait for the first page drawn: asked for now, the worker would read them (32 pages a
      // batch) while it builds that page.
      await firstPageDrawn.current.promise;
      const views = viewsRef.current;
      if (cancelled || docRef.current !== doc) return;
      // Other page sizes, in the background (most documents have one size; a mixed one corrects as it goes).
      for (let i = 1; i < views.length && !cancelled; i += 32) {
        const batch = views.slice(i, i + 32);
        const sizes = await Promise.all(batch.map((v) => v.page(doc).then((p) => p.getViewport({ scale: 1 }))));
        if (cancelled || viewsRef.current !== views) return;
        let changed = false;
        sizes.forEach((vp, k) => {
          const view = batch[k];
          if (Math.abs(vp.width - view.size.width) > 0.5 || Math.abs(vp.height - view.size.height) > 0.5) {
            view.size = { width: vp.width, height: vp.height };
            view.layout(scaleRef.current);
            changed = true;
          }
        });
        if (changed) {
          boxesRef.current = null;
          schedule();
        }
      }
    })().catch((e: unknown) => !cancelled && setError(loadErrorMessage(e)));
    // The pages themselves are let go by the loading effect (another document) or on unmount.
    return () => {
      cancelled = true;
      stopSelection();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [doc]);

  // Zoom: a named mode follows the scroller's size; a percentage stays.
  useEffect(() => {
    const scroller = articleRef.current;
    if (!scroller || !doc) return;
    const apply = (): void => {
      const next = fitScale(zoom);
      if (next > 0) applyScale(next);
    };
    apply();
    const observer = new ResizeObserver(() => {
      boxesRef.current = null;
      if (typeof zoom !== 'number') apply();
      schedule();
    });
    observer.observe(scroller);
    return () => observer.disconnect();
  }, [zoom, doc, fitScale, applyScale, schedule]);

  useEffect(() => {
    const scroller = articleRef.current;
    if (!scroller) return;
    scroller.addEventListener('scroll', schedule, { passive: true });
    return () => scroller.removeEventListener('scroll', schedule);
  }, [schedule]);

  // The reading place, once the pages have their sizes and the settings have said where it was (when the document
  // opens, if they have said it by then: openPages).
  useEffect(() => {
    if (scale !== 0 && restorePlace(savedPlace)) schedule();
  }, [scale, savedPlace, restorePlace, schedule]);

  // Where the document's box is once a page is drawn and the settings have laid the app out: the next start-up onto
  // any PDF draws its page 1 there before the app is mounted (early-box.ts).
  const settingsKnown = savedPlace !== undefined;
  const notesWidth = settings.ui?.notesWidth;
  const notesHidden = settings.ui?.notesHidden;
  useEffect(() => {
    if (firstPageOf !== article.id || !settingsKnown) return;
    const remember = (): void => {
      const scroller = articleRef.current;
      // A banner above the document (a scan's, the app's notices) makes the box this PDF's only (early-box.ts).
      const banner = document.querySelector('.pdf-banner, .notice-banner') !== null;
      if (scroller && !error) rememberEarlyBox(latest.current.article, scroller.getBoundingClientRect(), latest.current.settings.ui, banner);
    };
    let frame = requestAnimationFrame(remember);
    // The window resized while the PDF is open (maximised, moved to another screen): measured again once it has
    // settled, so a start-up at the new width finds its box too.
    let settle = 0;
    const resized = (): void => {
      clearTimeout(settle);
      settle = window.setTimeout(() => (frame = requestAnimationFrame(remember)), RESIZE_SETTLE_MS);
    };
    window.addEventListener('resize', resized);
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(settle);
      window.removeEventListener('resize', resized);
    };
  }, [firstPageOf, article.id, settingsKnown, notesWidth, notesHidden, error]);

  // --- Moving around ------------------------------------------------------------------------------------------------
  const goToPage = useCallback(
    (number: number, behavior: ScrollBehavior = 'auto') => {
      const scroller = articleRef.current;
      const all = boxes();
      const index = Math.min(all.length, Math.max(1, number)) - 1;
      if (!scroller || !all[index]) return;
      const top = Math.max(0, Math.min(all[index].top - PAGE_GAP, scroller.scrollHeight - scroller.clientHeight));
      pinned.current = { index, top };
      scroller.scrollTo({ top, behavior });
      setCurrent(index + 1);
      schedule();
    },
    [boxes, schedule],
  );

  const pageOf = useCallback((offset: number): number => pageAtOffset(latest.current.article.pages ?? [], offset), []);

  /** Shows a span of the text: at once if its page is drawn, else after going to its page and drawing it. */
  const revealSpan = useCallback(
    (page: number, range: () => Range | null, behavior: ScrollBehavior) => {
      const now = range();
      if (now) {
        pendingReveal.current = null;
        revealRange(now, behavior);
        return;
      }
      pendingReveal.current = range;
      goToPage(page);
    },
    [goToPage],
  );

  // What the app asks of this reader: reveal a highlight (Show in text, deep links), and find.
  useEffect(() => {
    if (!doc) return;
    const spanRange = ({ start, end }: TextMatch): Range | null => {
      const model = modelRef.current?.model;
      const points = model && domRangePoints(model, start, end);
      if (!points) return null;
      const range = document.createRange();
      range.setStart(points.startNode, points.startOffset);
      range.setEnd(points.endNode, points.endOffset);
      return range;
    };
    const finder = (): Finder =>
      createTextFinder(() => latest.current.article.text, (match) => {
        findSpan.current = match;
        paintFind();
        if (match) revealSpan(pageOf(match.start), () => spanRange(match), 'auto');
        else pendingReveal.current = null;
      });
    onView?.({
      reveal(h: Highlight, behavior: ScrollBehavior = 'smooth') {
        revealSpan(h.page ?? pageOf(h.start), () => painterRef.current?.rangeOf(h.id) ?? null, behavior);
        return true;
      },
      revealText(span) {
        // Painted as the find match: the same layer, repainted whenever pages are drawn.
        findSpan.current = { start: span.start, end: span.end };
        paintFind();
        revealSpan(pageOf(span.start), () => spanRange({ start: span.start, end: span.end }), 'auto');
        return true;
      },
      createFinder: finder,
    });
    return () => onView?.(null);
  }, [doc, onView, revealSpan, pageOf, paintFind]);

  const setZoomMode = useCallback((mode: ZoomMode) => setZoom(mode), []);
  const zoomBy = useCallback((direction: 1 | -1) => setZoom(stepZoom(scaleRef.current, direction)), []);

  const onKeyDown = (event: React.KeyboardEvent): void => {
    if ((event.target as Element).closest?.('.reader-floats')) return;
    if (interactions.onArticleKeyDown(event)) return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const count = viewsRef.current.length;
    const key = event.key;
    let target: number | null = null;
    if (key === 'PageDown' || (key === ' ' && !event.shiftKey)) target = current + 1;
    else if (key === 'PageUp' || (key === ' ' && event.shiftKey)) target = current - 1;
    else if (key === 'Home' && !event.shiftKey) target = 1;
    else if (key === 'End' && !event.shiftKey) target = count;
    else if (key === '+' || key === '=' || key === '-') {
      event.preventDefault();
      zoomBy(key === '-' ? -1 : 1);
      return;
    }
    if (target === null) return;
    event.preventDefault();
    goToPage(Math.min(count, Math.max(1, target)));
  };

  const onClick = (event: React.MouseEvent): void => {
    if ((event.target as Element).closest?.('.reader-floats')) return;
    interactions.onClick(event);
  };

  useEffect(() => dismissPopover(), [article.id, dismissPopover]);

  const pages = article.pages ?? [];
  const pageCount = doc?.numPages ?? article.pdf?.pageCount ?? pages.length;
  const scan = article.pdf?.hasTextLayer === false;
  const hasOutline = outline.length > 0;
  const toggleInvert = (): void => {
    setInvert((on) => {
      writeInvert(!on);
      return !on;
    });
  };
  const outlinePanel = useMemo(
    () => (hasOutline && outlineOpen ? <PdfOutline entries={outline} current={current} onGo={(page) => goToPage(page)} /> : null),
    [hasOutline, outlineOpen, outline, current, goToPage],
  );

  return (
    <div className="pdf-reader">
      <PdfToolbar
        title={article.title}
        current={current}
        pageCount={pageCount}
        pages={pages}
        scale={scale}
        zoom={zoom}
        hasOutline={hasOutline}
        outlineOpen={outlineOpen}
        invert={invert}
        onReplaceFile={props.onReplaceFile}
        onGoToPage={goToPage}
        onZoom={setZoomMode}
        onZoomStep={zoomBy}
        onToggleOutline={() => setOutlineOpen((open) => !open)}
        onToggleInvert={toggleInvert}
      />
      {scan && (
        <p role="note" className="pdf-banner">
          This PDF is a scan: its pages are images with no text, so nothing in it can be highlighted until it has a text layer (OCR it, e.g. with
          ocrmypdf, then use Replace PDF).
        </p>
      )}
      {error && (
        <div role="alert" className="load-error pdf-load-error">
          <p>{error}</p>
          <p>
            Its notes and highlights are safe in the notebook. <a href="#/">Back to the library</a>
          </p>
        </div>
      )}
      <div className="pdf-body">
        {outlinePanel}
        <p id="reader-keys" className="visually-hidden">
          Drag over the text to select it; h highlights the selection, 1 to 5 pick a colour; Enter on a highlight edits it. Page Up and Page Down
          move by page, plus and minus zoom.
        </p>
        <article
          ref={articleRef}
          className={`reader-article pdf-document${invert ? ' pdf-inverted' : ''}`}
          aria-label={`PDF: ${article.title}`}
          aria-describedby="reader-keys"
          aria-busy={!doc && !error}
          tabIndex={0}
          onClick={onClick}
          onKeyDown={onKeyDown}
        >
          <div className="reader pdf-layer" ref={readerRef}>
            {!doc && !error && (
              <p role="status" className="loading">
                <progress className="loading-bar" aria-label="Opening the PDF" /> Opening…
              </p>
            )}
            {/* React never touches this element's children: the pages are made and drawn by the scheduler. */}
            <div className="pdf-pages" ref={pagesRef} />
            {interactions.floats}
          </div>
        </article>
      </div>
    </div>
  );
}

/** A promise and its resolve (Promise.withResolvers, which not every Chromium this runs in has). */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
