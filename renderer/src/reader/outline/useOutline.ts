import { useCallback, useEffect, useState, type RefObject } from 'react';
import type { TocEntry } from '../../../../electron/contract';
import { domRangePoints, textOffsetOf, type TextModel } from '../../../../electron/text-model';
import { textSpanInBand } from '../viewport-span';
import { entryIndexAt, outlineOf, type OutlineItem } from './outline';

export interface OutlineState {
  items: OutlineItem[];
  /** Index of the entry the top of the screen is in (-1 before the first). */
  current: number;
  /** How far through the text the top of the screen is, 0-100. */
  percent: number;
  /** Scrolls the entry's first line to the top of the reader pane. */
  go: (index: number) => void;
}

/** Space kept above a jumped-to line, and where on screen "the place" is read: just under the pane's top edge. */
const TOP_MARGIN_PX = 12;

/**
 * The outline of the article in `articleRef` and where the reader is in it. The entries are built once per rendered
 * text (after the reader has put the article in the DOM); the place is read on scroll, at most once a frame, from the
 * text node at the top of the scrolling pane (two binary searches over boxes, as the painter's visible span does).
 */
export function useOutline(
  articleRef: RefObject<HTMLElement | null>,
  modelRef: RefObject<{ model: TextModel; nodeIndex: Map<Node, number> } | null>,
  article: { id: string; text: string; html?: string; toc?: TocEntry[] },
): OutlineState {
  const [items, setItems] = useState<OutlineItem[]>([]);
  const [place, setPlace] = useState({ current: -1, percent: 0 });

  useEffect(() => {
    const element = articleRef.current;
    const current = modelRef.current;
    if (!element || !current) return;
    setItems(outlineOf(article.toc, element, current.model, current.nodeIndex));
  }, [articleRef, modelRef, article.id, article.text, article.html, article.toc]);

  useEffect(() => {
    const element = articleRef.current;
    if (!element) return;
    const pane = scrollingAncestor(element);
    let frame = 0;
    const measure = (): void => {
      frame = 0;
      const current = modelRef.current;
      if (!current) return;
      const top = paneTop(pane) + TOP_MARGIN_PX;
      const span = textSpanInBand(current.model, top, top + 1);
      const offset = span?.start ?? 0;
      const length = Math.max(1, current.model.text.length);
      const atEnd = pane.scrollTop + pane.clientHeight >= pane.scrollHeight - 2;
      const percent = atEnd ? 100 : Math.min(100, Math.round((offset / length) * 100));
      const index = entryIndexAt(items, offset);
      setPlace((p) => (p.current === index && p.percent === percent ? p : { current: index, percent }));
    };
    const onScroll = (): void => {
      frame ||= requestAnimationFrame(measure);
    };
    const target: EventTarget = pane === document.scrollingElement ? window : pane;
    target.addEventListener('scroll', onScroll, { passive: true });
    measure();
    return () => {
      target.removeEventListener('scroll', onScroll);
      if (frame) cancelAnimationFrame(frame);
    };
  }, [articleRef, modelRef, items]);

  const go = useCallback(
    (index: number) => {
      const element = articleRef.current;
      const current = modelRef.current;
      const item = items[index];
      if (!element || !current || !item) return;
      const { model, nodeIndex } = current;
      const points = domRangePoints(model, item.start, Math.min(model.text.length, item.start + 1));
      if (!points) return;
      const range = document.createRange();
      range.setStart(points.startNode, points.startOffset);
      range.setEnd(points.endNode, points.endOffset);
      const pane = scrollingAncestor(element);
      // A heading's box starts a little above its text's: when the entry starts a block, the block's top goes up there.
      const block = points.startNode.parentElement?.closest('h1, h2, h3, h4, h5, h6, p, li, blockquote, section, div, figure, table');
      const blockStarts = block && element.contains(block) && textOffsetOf(model, nodeIndex, block, 0) === item.start;
      const top = blockStarts ? block.getBoundingClientRect().top : range.getBoundingClientRect().top;
      pane.scrollTop += top - paneTop(pane) - TOP_MARGIN_PX / 2;
      setPlace((p) => ({ ...p, current: index }));
    },
    [articleRef, modelRef, items],
  );

  // The place is measured against the items it was read with: when another document's outline arrives, the index
  // read on the last one may point past the new list until the next measure (it once blanked the whole app).
  const current = place.current < items.length ? place.current : -1;
  return { items, current, percent: place.percent, go };
}

function scrollingAncestor(element: HTMLElement): HTMLElement {
  for (let el = element.parentElement; el; el = el.parentElement) {
    const overflow = getComputedStyle(el).overflowY;
    if (overflow === 'auto' || overflow === 'scroll') return el;
  }
  return (document.scrollingElement as HTMLElement) ?? document.documentElement;
}

function paneTop(pane: HTMLElement): number {
  return pane === document.scrollingElement ? 0 : pane.getBoundingClientRect().top;
}
