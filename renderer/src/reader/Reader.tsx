import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { HIGHLIGHT_COLORS, type Article, type Highlight, type HighlightColor, type Settings } from '../../../electron/contract';
import { indexNodes, type TextModel } from '../../../electron/text-model';
import { HighlightPainter, highlightApiAvailable } from './painter';
import { renderArticleInto } from './render-article';
import { offsetAtPoint, selectionOffsets } from './selection';
import { SelectionToolbar } from './SelectionToolbar';
import { isTypingTarget } from '../app/keys';

export interface ReaderProps {
  article: Article;
  highlights: Highlight[];
  settings: Settings;
  focusedId: string | null;
  onCreate: (start: number, end: number, color: HighlightColor) => void;
  onActivate: (highlightId: string) => void;
  /** Called with the painter once the article is in the DOM, so the app can paint optimistic highlights at once. */
  onPainter: (painter: HighlightPainter | null) => void;
}

interface Model {
  model: TextModel;
  nodeIndex: Map<Node, number>;
}

/**
 * The reader pane. The article lives in a ref'd <article> with no JSX children: React never touches its subtree, so
 * highlights (painted by range, not by element) and find-in-page marks cannot be undone by a re-render.
 */
export function Reader({ article, highlights, settings, focusedId, onCreate, onActivate, onPainter }: ReaderProps) {
  const articleRef = useRef<HTMLElement>(null);
  const modelRef = useRef<Model | null>(null);
  const painterRef = useRef<HighlightPainter | null>(null);
  const [selection, setSelection] = useState<{ start: number; end: number; rect: DOMRect } | null>(null);
  const [fellBack, setFellBack] = useState(false);

  // Render the article's HTML once per article/text version, then paint every highlight.
  useLayoutEffect(() => {
    const element = articleRef.current;
    if (!element) return;
    const { model, fellBack: fb } = renderArticleInto(element, article);
    modelRef.current = { model, nodeIndex: indexNodes(model) };
    setFellBack(fb);
    if (!highlightApiAvailable()) return;
    const painter = new HighlightPainter(model);
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

  // Paint the highlight list. The painter diffs nothing: setAll is cheap (one Range per highlight, no DOM writes).
  useLayoutEffect(() => {
    painterRef.current?.setAll(highlights);
  }, [highlights, article.id, article.text]);

  useEffect(() => {
    painterRef.current?.emphasize(focusedId);
  }, [focusedId, highlights]);

  const readSelection = useCallback(() => {
    const element = articleRef.current;
    const current = modelRef.current;
    if (!element || !current) return null;
    const offsets = selectionOffsets(element, current.model, current.nodeIndex);
    if (!offsets) return null;
    const range = document.getSelection()!.getRangeAt(0);
    const rects = range.getClientRects();
    const rect = rects.length ? rects[rects.length - 1] : range.getBoundingClientRect();
    return { ...offsets, rect };
  }, []);

  // Track the selection so the toolbar can follow it (mouse drag and shift+arrow alike fire selectionchange).
  useEffect(() => {
    const onChange = (): void => setSelection(readSelection());
    document.addEventListener('selectionchange', onChange);
    return () => document.removeEventListener('selectionchange', onChange);
  }, [readSelection]);

  const create = useCallback(
    (color: HighlightColor) => {
      const current = readSelection();
      if (!current) return false;
      onCreate(current.start, current.end, color);
      document.getSelection()?.removeAllRanges();
      setSelection(null);
      return true;
    },
    [onCreate, readSelection],
  );

  // Keyboard: h = default colour, 1-5 = a colour, Escape = dismiss. Only while text in the article is selected.
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTypingTarget(event.target)) return;
      if (event.key === 'Escape' && readSelection()) {
        document.getSelection()?.removeAllRanges();
        setSelection(null);
        event.preventDefault();
        return;
      }
      let color: HighlightColor | undefined;
      if (event.key === 'h' || event.key === 'H') color = 'yellow';
      else if (/^[1-5]$/.test(event.key)) color = HIGHLIGHT_COLORS[Number(event.key) - 1];
      if (color && create(color)) event.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [create, readSelection]);

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
    if (offset === null) return;
    const hits = painter.highlightsAt(offset);
    if (hits.length === 0) return;
    const sameSpot = lastClick.current && Math.abs(lastClick.current.offset - offset) <= 1;
    const index = sameSpot ? (lastClick.current!.index + 1) % hits.length : 0;
    lastClick.current = { offset, index };
    onActivate(hits[index].id);
  };

  return (
    <div className="reader">
      <header className="reader-header">
        <h1 className="reader-title">{article.title}</h1>
        {(article.byline || article.siteName || article.source) && (
          <p className="reader-meta">
            {[article.byline, article.siteName].filter(Boolean).join(' · ')}
            {article.source && (
              <>
                {' · '}
                <a href={article.source} target="_blank" rel="noreferrer noopener">
                  source
                </a>
              </>
            )}
          </p>
        )}
        {fellBack && <p role="status">This article's formatting could not be shown; its plain text is shown instead.</p>}
      </header>
      <article
        ref={articleRef}
        className="reader-article"
        lang={article.lang}
        dir={article.dir ?? 'auto'}
        aria-label={`Article: ${article.title}`}
        onClick={onClick}
      />
      {selection && <SelectionToolbar rect={selection.rect} settings={settings} onPick={create} />}
    </div>
  );
}
