import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { Article, Highlight, HighlightColor, Settings } from '../../../electron/contract';
import { buildTextModel, indexNodes } from '../../../electron/text-model';
import { HighlightPainter, highlightApiAvailable } from './painter';
import { renderArticleInto } from './render-article';
import { RemoteImages } from './RemoteImages';
import { useInDocumentLinks } from './useInDocumentLinks';
import { useHighlightInteractions, type ReaderModel } from './useHighlightInteractions';
import { paintedView, type ReaderView } from './view';
import type { DocumentSource } from './pdf/pdfjs';
import { TEXT_NODES_CHANGED } from './find';
import { nextVisibleSpan } from './viewport-span';
import { OutlinePanel } from './outline/OutlinePanel';
import { useOutline } from './outline/useOutline';

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
  /** Called with what the app may ask of this reader (reveal a highlight, find), null when it goes. */
  onView?: (view: ReaderView | null) => void;
  /** Where images stored with the article are shown from (the client's imageUrls). */
  imageUrls?: () => Promise<(name: string) => string>;
  /** The PDF reader's: where to fetch the document's bytes (the client's documentSource). */
  documentSource?: (articleId: string) => DocumentSource | Promise<DocumentSource>;
  /** The PDF reader's: the remembered reading place (0..1), null for none, undefined while the settings load. */
  savedPlace?: number | null;
  /** The PDF reader's: the reading place changed (0..1 by pages, so it survives zoom). */
  onPlace?: (fraction: number) => void;
  /** The PDF reader's: its first page is drawn (or the document failed to open); called once per document. */
  onFirstPage?: (articleId: string) => void;
  /** The PDF reader's *Replace PDF…*: the user chose a newer version of the file. */
  onReplaceFile?: (file: File) => void;
}

/**
 * The reader pane. The article lives in a ref'd <article> with no JSX children: React never touches its subtree, so
 * highlights (painted by range, not by element) and find-in-page marks cannot be undone by a re-render.
 */
export function Reader({ article, highlights, settings, focusedId, onCreate, onActivate, onRecolor, onDelete, onEditCard, onPainter, onLoadImages, onView, imageUrls }: ReaderProps) {
  const readerRef = useRef<HTMLDivElement>(null);
  const articleRef = useRef<HTMLElement>(null);
  const modelRef = useRef<ReaderModel | null>(null);
  const painterRef = useRef<HighlightPainter | null>(null);
  const [fellBack, setFellBack] = useState(false);
  const outline = useOutline(articleRef, modelRef, article);
  // A book opens with its contents beside it; a web page or a text with headings has the panel one click away.
  const [outlineOpen, setOutlineOpen] = useState(article.kind === 'epub');
  useEffect(() => setOutlineOpen(article.kind === 'epub'), [article.id, article.kind]);
  // Footnotes and section links scroll within the reader; Back returns (issue 17).
  const inDocument = useInDocumentLinks(articleRef, `${article.id}\n${article.html?.length ?? 0}`);

  // The app reveals highlights (Show in text, deep links) through this, whichever reader is showing.
  useEffect(() => {
    onView?.(paintedView(() => painterRef.current));
    return () => onView?.(null);
  }, [onView]);

  const { floats, onArticleKeyDown, onClick, dismissPopover } = useHighlightInteractions({
    readerRef,
    articleRef,
    modelRef,
    painterRef,
    highlights,
    settings,
    onCreate,
    onActivate,
    onRecolor,
    onDelete,
    onEditCard,
  });

  // Render the article's HTML once per article/text version; a fresh painter paints every highlight below.
  useLayoutEffect(() => {
    const element = articleRef.current;
    if (!element) return;
    const { model, fellBack: fb } = renderArticleInto(element, article);
    modelRef.current = { model, nodeIndex: indexNodes(model) };
    setFellBack(fb);
    dismissPopover();
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

  return (
    <div className="reader-layout">
      {outline.items.length > 0 && <OutlinePanel outline={outline} open={outlineOpen} onToggle={() => setOutlineOpen((o) => !o)} />}
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
        <RemoteImages root={articleRef} article={article} onChoose={onLoadImages} imageUrls={imageUrls} />
        {fellBack && <p role="status">This article's formatting could not be shown; its plain text is shown instead.</p>}
      </header>
      <p id="reader-keys" className="visually-hidden">
        Shift and the arrow keys select text; h highlights the selection, 1 to 5 pick a colour; Enter on a highlight edits it.
      </p>
      {inDocument.back && (
        // A bar of no height, stuck to the top of the column: the button floats over the margin above the text the
        // link led to (which scrolls to just below it), and its coming and going moves nothing.
        <div className="in-document-back-bar">
          <button type="button" className="in-document-back" onClick={inDocument.back} aria-keyshortcuts="Alt+ArrowLeft" title="Back to where you were (Alt+Left)">
            <span aria-hidden="true">← </span>Back to where you were
          </button>
        </div>
      )}
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
      {floats}
    </div>
    </div>
  );
}
