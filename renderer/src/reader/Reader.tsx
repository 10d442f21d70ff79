import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { HIGHLIGHT_COLORS, type Article, type Highlight, type HighlightColor, type Settings } from '../../../electron/contract';
import { buildTextModel, indexNodes, textOffsetOf, type TextModel } from '../../../electron/text-model';
import { HighlightPainter, highlightApiAvailable } from './painter';
import { renderArticleInto } from './render-article';
import { offsetAtPoint, selectionOffsets } from './selection';
import { SelectionToolbar } from './SelectionToolbar';
import { RemoteImages } from './RemoteImages';
import { HighlightPopover } from './HighlightPopover';
import { extendSelectionByKey } from './keyboard-selection';
import { isTypingTarget } from '../app/keys';
import { TEXT_NODES_CHANGED } from './find';
import { nextVisibleSpan } from './viewport-span';

export interface ReaderProps {
  article: Article;
  highlights: Highlight[];
  settings: Settings;
  focusedId: string | null;
  onCreate: (start: number, end: number, color: HighlightColor) => void;
  onActivate: (highlightId: string) => void;
  onRecolor: (highlight: Highlight, color: HighlightColor) => void;
  onDelete: (highlight: Highlight) => void;
  /** The popover's Note and Tag: open the highlight's card at its note editor or its tag field. */
  onEditCard?: (highlight: Highlight, what: 'note' | 'tag') => void;
  /** Called with the painter once the article is in the DOM, so the app can paint optimistic highlights at once. */
  onPainter: (painter: HighlightPainter | null) => void;
  /** Persists the per-article choice to load remote images (issue 5); without it the consent bar is not offered. */
  onLoadImages?: (load: boolean) => void;
}

interface Model {
  model: TextModel;
  nodeIndex: Map<Node, number>;
}

interface Position {
  top: number;
  left: number;
}

/** Widest floating bar (five swatches, Note, Tag and Delete), to keep it inside the reader column. */
const BAR_WIDTH = 360;

/**
 * The reader pane. The article lives in a ref'd <article> with no JSX children: React never touches its subtree, so
 * highlights (painted by range, not by element) and find-in-page marks cannot be undone by a re-render.
 */
export function Reader({ article, highlights, settings, focusedId, onCreate, onActivate, onRecolor, onDelete, onEditCard, onPainter, onLoadImages }: ReaderProps) {
  const readerRef = useRef<HTMLDivElement>(null);
  const articleRef = useRef<HTMLElement>(null);
  const modelRef = useRef<Model | null>(null);
  const painterRef = useRef<HighlightPainter | null>(null);
  const [selection, setSelection] = useState<{ start: number; end: number; position: Position } | null>(null);
  const [popover, setPopover] = useState<{ id: string; position: Position; takeFocus: boolean } | null>(null);
  const [fellBack, setFellBack] = useState(false);
  const resumeAt = useRef<{ node: Node; offset: number } | null>(null);

  // Render the article's HTML once per article/text version; a fresh painter paints every highlight below.
  useLayoutEffect(() => {
    const element = articleRef.current;
    if (!element) return;
    const { model, fellBack: fb } = renderArticleInto(element, article);
    modelRef.current = { model, nodeIndex: indexNodes(model) };
    setFellBack(fb);
    setPopover(null);
    // Opened from the library (Enter on a title, whose link is gone now) or at start-up, focus is nowhere: put it on
    // the article, so the keys work at once, without scrolling its title (or the remembered reading place) away.
    if (!document.activeElement || document.activeElement === document.body) element.focus({ preventScroll: true });
    if (!highlightApiAvailable()) return;
    const painter = new HighlightPainter(model);
    // Register only what is on or near the screen (painter.ts says why); the effect below keeps it there.
    painter.setVisibleSpan(nextVisibleSpan(model, null, true) ?? null);
    painterRef.current = painter;
    onPainter(painter);
    return () => {
      painter.dispose();
      painterRef.current = null;
      onPainter(null);
    };
    // Re-render only when the text itself changes; highlight changes are painted incrementally below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [article.id, article.text, article.html]);

  // The painter diffs: a change to one highlight touches one Range, not all of them.
  useLayoutEffect(() => {
    const painter = painterRef.current;
    if (!painter) return;
    painter.sync(highlights);
    // How many highlights have their Range (those on screen are registered): a signal for tests and benchmarks.
    articleRef.current?.setAttribute('data-painted-highlights', String(painter.paintedCount));
  }, [highlights, article.id, article.text, article.html]);

  // Keep the painter's visible span on the text on screen. Scroll events run before the frame is painted, so a
  // passage scrolled into view is registered in the same frame it appears in; printing registers everything.
  useEffect(() => {
    const element = articleRef.current;
    if (!element) return;
    let printing = false;
    const update = (force: boolean): void => {
      const painter = painterRef.current;
      const current = modelRef.current;
      if (!painter || !current || printing) return;
      const next = nextVisibleSpan(current.model, painter.visibleSpan, force);
      if (next !== undefined) painter.setVisibleSpan(next);
    };
    const onScroll = (event: Event): void => {
      if (event.target instanceof Node && event.target.contains(element)) update(false);
    };
    const onResize = (): void => update(false);
    const beforePrint = (): void => {
      printing = true;
      painterRef.current?.setVisibleSpan(null);
    };
    const afterPrint = (): void => {
      printing = false;
      update(true);
    };
    // The article's size changes with the window's width, the font settings or images loading: lines move.
    const resized = new ResizeObserver(() => update(true));
    resized.observe(element);
    document.addEventListener('scroll', onScroll, { capture: true, passive: true });
    window.addEventListener('resize', onResize);
    window.addEventListener('beforeprint', beforePrint);
    window.addEventListener('afterprint', afterPrint);
    return () => {
      resized.disconnect();
      document.removeEventListener('scroll', onScroll, { capture: true });
      window.removeEventListener('resize', onResize);
      window.removeEventListener('beforeprint', beforePrint);
      window.removeEventListener('afterprint', afterPrint);
    };
  }, [article.id]);

  useEffect(() => {
    painterRef.current?.emphasize(focusedId);
  }, [focusedId, highlights]);

  // Find-in-page (find.ts) wraps matches in <mark>, splitting text nodes: rebuild the text model and repaint.
  useEffect(() => {
    const element = articleRef.current;
    if (!element || !painterRef.current) return;
    const onTextNodesChanged = (): void => {
      const model = buildTextModel(element);
      modelRef.current = { model, nodeIndex: indexNodes(model) };
      const span = painterRef.current?.visibleSpan ?? null;
      painterRef.current?.dispose();
      const painter = new HighlightPainter(model);
      painter.setVisibleSpan(span); // the same text offsets: find's <mark>s split nodes, they add no text
      painterRef.current = painter;
      painter.sync(highlights);
      painter.emphasize(focusedId);
      onPainter(painter);
    };
    element.addEventListener(TEXT_NODES_CHANGED, onTextNodesChanged);
    return () => element.removeEventListener(TEXT_NODES_CHANGED, onTextNodesChanged);
  }, [highlights, focusedId, onPainter]);

  /** A viewport rectangle as a position inside the reader (the bars scroll with the text), kept in the column. */
  const placeBelow = useCallback((rect: DOMRect): Position => {
    const box = readerRef.current?.getBoundingClientRect();
    if (!box) return { top: rect.bottom + 8, left: rect.left };
    return {
      top: rect.bottom - box.top + 8,
      left: Math.max(0, Math.min(rect.left - box.left, box.width - BAR_WIDTH)),
    };
  }, []);

  const readSelection = useCallback(() => {
    const element = articleRef.current;
    const current = modelRef.current;
    if (!element || !current) return null;
    const offsets = selectionOffsets(element, current.model, current.nodeIndex);
    if (!offsets) return null;
    const range = document.getSelection()!.getRangeAt(0);
    const rects = range.getClientRects();
    const rect = rects.length ? rects[rects.length - 1] : range.getBoundingClientRect();
    return { ...offsets, position: placeBelow(rect) };
  }, [placeBelow]);

  // Track the selection so the toolbar can follow it (mouse drag and shift+arrow alike fire selectionchange).
  useEffect(() => {
    const onChange = (): void => {
      const next = readSelection();
      // Showing or moving the toolbar is immediate; hiding it waits one frame, so that clearing the selection after
      // a highlight is made does not add a document-wide style pass to the frame that paints the highlight.
      if (next) setSelection(next);
      else requestAnimationFrame(() => setTimeout(() => setSelection(readSelection()), 0));
    };
    document.addEventListener('selectionchange', onChange);
    return () => document.removeEventListener('selectionchange', onChange);
  }, [readSelection]);

  const create = useCallback(
    (color: HighlightColor) => {
      const current = readSelection();
      if (!current) return false;
      const sel = document.getSelection()!;
      // The caret after a highlight: at its end, where a keyboard user's next Shift+Arrow carries on (and Enter opens
      // it). Kept here rather than as a collapsed selection, for the reason below; focus stays on the article.
      const made = sel.getRangeAt(0);
      resumeAt.current = { node: made.endContainer, offset: made.endOffset };
      onCreate(current.start, current.end, color);
      // Clear rather than collapse: Chromium syncs a caret's position by walking the text from the top of the
      // document (tens of ms deep in a novel), which would delay the frame that shows the new highlight.
      sel.removeAllRanges();
      // Hide the toolbar after the frame that shows the new highlight: unmounting it in the same frame adds a style
      // and layout pass over the whole (highlight-laden) document to that frame.
      requestAnimationFrame(() => setTimeout(() => setSelection(null), 0));
      return true;
    },
    [onCreate, readSelection],
  );

  const openPopover = useCallback(
    (id: string, takeFocus: boolean) => {
      const range = painterRef.current?.rangeOf(id);
      if (!range) return;
      const rects = range.getClientRects();
      const rect = rects.length ? rects[rects.length - 1] : range.getBoundingClientRect();
      setPopover({ id, position: placeBelow(rect), takeFocus });
    },
    [placeBelow],
  );

  const closePopover = useCallback((returnFocus: boolean) => {
    setPopover(null);
    if (returnFocus) articleRef.current?.focus({ preventScroll: true });
  }, []);

  // Keyboard: h = default colour, 1-5 = a colour, Escape = dismiss. Only while text in the article is selected.
  // Listened for on window in the capture phase: a live selection in the article is what the user means to act on,
  // ahead of whatever holds focus (a note card uses 1-5 to recolour itself; it must not also get these presses).
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.ctrlKey || event.metaKey || event.altKey || isTypingTarget(event.target)) return;
      if (event.key === 'Escape') {
        if (readSelection()) {
          const sel = document.getSelection()!;
          resumeAt.current = { node: sel.focusNode!, offset: sel.focusOffset };
          sel.removeAllRanges();
          setSelection(null);
          event.preventDefault();
          event.stopPropagation();
        } else if (popover) {
          // Focus inside the popover goes back to the article; elsewhere (a card) Escape goes on to its owner.
          closePopover(Boolean(document.activeElement?.closest('.highlight-popover')));
        }
        return;
      }
      let color: HighlightColor | undefined;
      if (event.key === 'h' || event.key === 'H') color = 'yellow';
      else if (/^[1-5]$/.test(event.key)) color = HIGHLIGHT_COLORS[Number(event.key) - 1];
      if (color && create(color)) {
        event.preventDefault();
        event.stopPropagation();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [create, readSelection, popover, closePopover]);

  /** Keys on the focused article: Shift+Arrow selects (see keyboard-selection.ts), Enter opens the highlight at the caret. */
  const onArticleKeyDown = (event: React.KeyboardEvent): void => {
    const element = articleRef.current;
    const current = modelRef.current;
    if (!element || !current) return;
    if (extendSelectionByKey(element, event.nativeEvent, resumeAt.current)) {
      event.preventDefault();
      return;
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.ctrlKey && !event.metaKey && !event.altKey) {
      const sel = document.getSelection();
      const inArticle = sel && sel.rangeCount > 0 && element.contains(sel.focusNode);
      const point = inArticle ? { node: sel.focusNode!, offset: sel.focusOffset } : resumeAt.current;
      if (!point || !element.contains(point.node)) return;
      // The caret right after a highlight (where h leaves it) counts as on it.
      const offset = textOffsetOf(current.model, current.nodeIndex, point.node, point.offset);
      const painter = painterRef.current;
      const hit = offset === null || !painter ? undefined : (painter.highlightsAt(offset)[0] ?? painter.highlightsAt(offset - 1)[0]);
      if (!hit) return;
      event.preventDefault();
      onActivate(hit.id);
      openPopover(hit.id, true);
    }
  };

  // A click on painted text activates the innermost highlight there; clicking again cycles through overlapping ones.
  const lastClick = useRef<{ offset: number; index: number } | null>(null);
  const onClick = (event: React.MouseEvent): void => {
    const element = articleRef.current;
    const current = modelRef.current;
    const painter = painterRef.current;
    if (!element || !current || !painter) return;
    if (!document.getSelection()?.isCollapsed) return;
    const anchor = (event.target as Element).closest?.('a');
    if (anchor) return; // links are handled by the host (system browser)
    const offset = offsetAtPoint(element, current.model, current.nodeIndex, event.clientX, event.clientY);
    const hits = offset === null ? [] : painter.highlightsAt(offset);
    if (offset === null || hits.length === 0) {
      lastClick.current = null;
      setPopover(null);
      return;
    }
    const sameSpot = lastClick.current && Math.abs(lastClick.current.offset - offset) <= 1;
    const index = sameSpot ? (lastClick.current!.index + 1) % hits.length : 0;
    lastClick.current = { offset, index };
    onActivate(hits[index].id);
    openPopover(hits[index].id, false);
  };

  const popoverHighlight = popover ? highlights.find((h) => h.id === popover.id && !h.orphaned) : undefined;

  return (
    <div className="reader" ref={readerRef}>
      <header className="reader-header">
        <h1 className="reader-title">{article.title}</h1>
        {(article.byline || article.siteName || article.source) && (
          <p className="reader-meta">
            {[article.byline, article.siteName].filter(Boolean).join(' · ')}
            {article.source && /^https?:\/\//i.test(article.source) && (
              <>
                {' · '}
                <a href={article.source} target="_blank" rel="noreferrer noopener">
                  source
                </a>
              </>
            )}
          </p>
        )}
        <RemoteImages root={articleRef} article={article} onChoose={onLoadImages} />
        {fellBack && <p role="status">This article's formatting could not be shown; its plain text is shown instead.</p>}
      </header>
      <p id="reader-keys" className="visually-hidden">
        Shift and the arrow keys select text; h highlights the selection, 1 to 5 pick a colour; Enter on a highlight edits it.
      </p>
      <article
        ref={articleRef}
        className="reader-article"
        lang={article.lang}
        dir={article.dir ?? 'auto'}
        aria-label={`Article: ${article.title}`}
        aria-describedby="reader-keys"
        tabIndex={0}
        onClick={onClick}
        onKeyDown={onArticleKeyDown}
      />
      {/* The floating bars live in a layout-contained layer: showing or hiding one then lays out and pre-paints that
          layer alone, not the whole article (a 40 ms frame in a novel, which delayed a key pressed right after). */}
      <div className="reader-floats">
        {selection && <SelectionToolbar position={selection.position} settings={settings} onPick={create} />}
        {popover && popoverHighlight && (
          <HighlightPopover
            highlight={popoverHighlight}
            position={popover.position}
            settings={settings}
            takeFocus={popover.takeFocus}
            onRecolor={onRecolor}
            onDelete={(h) => {
              closePopover(true);
              onDelete(h);
            }}
            onEditCard={
              onEditCard &&
              ((h, what) => {
                closePopover(false); // focus goes to the card's editor, not back to the article
                onEditCard(h, what);
              })
            }
            onClose={() => closePopover(true)}
          />
        )}
      </div>
    </div>
  );
}
