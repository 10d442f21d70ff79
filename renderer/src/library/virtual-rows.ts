/**
 * Which rows of a long table to put in the DOM: those on screen in the scrolling ancestor plus a margin above and
 * below; the rest are two spacer rows of the right height. Rows have one fixed height (the library clips its cells to
 * one line), measured from a rendered row, so the row at any scroll position is arithmetic, not a layout walk. Scroll
 * updates render synchronously (flushSync) in the scroll event, before the frame is painted, so fast scrolling never
 * shows a blank gap.
 */
import { useCallback, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { flushSync } from 'react-dom';

const OVERSCAN = 15;
const DEFAULT_ROW_PX = 37;

export interface RowWindow {
  start: number;
  end: number;
  /** Heights of the spacers before and after the rendered rows. */
  before: number;
  after: number;
}

function scrollingAncestor(element: Element | null): HTMLElement | null {
  for (let el = element?.parentElement ?? null; el; el = el.parentElement) {
    const { overflowY } = getComputedStyle(el);
    if (overflowY === 'auto' || overflowY === 'scroll') return el;
  }
  return null;
}

export function useVirtualRows(count: number, body: RefObject<HTMLTableSectionElement | null>): RowWindow {
  const rowPx = useRef(DEFAULT_ROW_PX);
  const [range, setRange] = useState({ start: 0, end: Math.min(count, 60), rowPx: DEFAULT_ROW_PX });

  const update = useCallback(
    (sync: boolean) => {
      const tbody = body.current;
      if (!tbody) return;
      const scroller = scrollingAncestor(tbody) ?? document.documentElement;
      const row = tbody.querySelector<HTMLElement>('tr[data-row]');
      if (row && row.offsetHeight > 0) rowPx.current = row.offsetHeight;
      const box = scroller === document.documentElement ? { top: 0, height: window.innerHeight } : scroller.getBoundingClientRect();
      const bodyTop = tbody.getBoundingClientRect().top - box.top; // where row 0 is, relative to the visible top
      const first = Math.floor(-bodyTop / rowPx.current);
      const visible = Math.ceil((scroller === document.documentElement ? window.innerHeight : scroller.clientHeight) / rowPx.current);
      const start = Math.max(0, Math.min(count - 1, first) - OVERSCAN);
      const end = Math.min(count, Math.max(0, first) + visible + OVERSCAN);
      const px = rowPx.current;
      const apply = (): void => setRange((r) => (r.start === start && r.end === end && r.rowPx === px ? r : { start, end, rowPx: px }));
      if (sync) flushSync(apply);
      else apply();
    },
    [body, count],
  );

  useLayoutEffect(() => {
    update(false);
    const tbody = body.current;
    const scroller = scrollingAncestor(tbody ?? null);
    const target: HTMLElement | Window = scroller ?? window;
    const onScroll = (): void => update(true);
    target.addEventListener('scroll', onScroll, { passive: true });
    window.addEventListener('resize', onScroll);
    // Rows change height after the first measure (web fonts arriving, the font size setting): measure again.
    const resized = new ResizeObserver(() => update(false));
    if (tbody) resized.observe(tbody);
    return () => {
      resized.disconnect();
      target.removeEventListener('scroll', onScroll);
      window.removeEventListener('resize', onScroll);
    };
  }, [update, body]);

  const start = Math.min(range.start, Math.max(0, count - 1));
  const end = Math.min(Math.max(range.end, start), count);
  return { start, end, before: start * range.rowPx, after: (count - end) * range.rowPx };
}
