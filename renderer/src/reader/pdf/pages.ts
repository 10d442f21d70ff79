/**
 * Where pages are in the scroller, and what the reader calls a page: the current page (the most visible), the
 * reading place by pages (survives zoom: a fraction of the document by page index, not by pixels), and the page a
 * person means by "12" or "xii".
 */
import type { PdfPage } from '../../../../electron/contract';

export interface PageBox {
  top: number;
  height: number;
}

/** Page boxes relative to the scroller's content (offsetTop: the pages are its children's children, laid out in a column). */
export function pageBoxes(pages: readonly HTMLElement[], scroller: HTMLElement): PageBox[] {
  const base = scroller.getBoundingClientRect().top - scroller.scrollTop;
  return pages.map((page) => {
    const rect = page.getBoundingClientRect();
    return { top: rect.top - base, height: rect.height };
  });
}

/** Index of the first page whose bottom is below `y`. */
export function pageIndexAt(boxes: readonly PageBox[], y: number): number {
  let lo = 0;
  let hi = boxes.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (boxes[mid].top + boxes[mid].height <= y) lo = mid + 1;
    else hi = mid;
  }
  return Math.max(0, lo);
}

/** The pages meeting [top, bottom], as an inclusive index range. */
export function pagesIn(boxes: readonly PageBox[], top: number, bottom: number): { first: number; last: number } {
  const first = pageIndexAt(boxes, top);
  let last = first;
  while (last + 1 < boxes.length && boxes[last + 1].top < bottom) last++;
  return { first, last };
}

/** The page showing the most of itself in [top, bottom] (the earlier one on a tie). */
export function mostVisiblePage(boxes: readonly PageBox[], top: number, bottom: number): number {
  const { first, last } = pagesIn(boxes, top, bottom);
  let best = first;
  let bestArea = -1;
  for (let i = first; i <= last; i++) {
    const seen = Math.min(bottom, boxes[i].top + boxes[i].height) - Math.max(top, boxes[i].top);
    if (seen > bestArea + 1) {
      best = i;
      bestArea = seen;
    }
  }
  return best;
}

/** The reading place at scroll position `y`: (page index + fraction down that page) / page count, 0..1. */
export function placeAt(boxes: readonly PageBox[], y: number): number {
  if (boxes.length === 0) return 0;
  const i = pageIndexAt(boxes, y);
  const box = boxes[i];
  const within = box.height > 0 ? Math.min(1, Math.max(0, (y - box.top) / box.height)) : 0;
  return Math.round(((i + within) / boxes.length) * 100_000) / 100_000;
}

/** The scroll position for a reading place (the inverse of placeAt). */
export function scrollTopFor(boxes: readonly PageBox[], place: number): number {
  if (boxes.length === 0) return 0;
  const at = Math.min(boxes.length - 1e-9, Math.max(0, place * boxes.length));
  const i = Math.floor(at);
  return boxes[i].top + (at - i) * boxes[i].height;
}

/** The page a person typed ("12", or a label such as "xii"), 1-based; null when there is no such page. */
export function pageNamed(input: string, pages: readonly Pick<PdfPage, 'number' | 'label'>[], pageCount: number): number | null {
  const typed = input.trim();
  if (!typed) return null;
  const byLabel = pages.find((p) => p.label !== undefined && p.label.toLowerCase() === typed.toLowerCase());
  if (byLabel) return byLabel.number;
  if (/^\d+$/.test(typed)) {
    const n = Number(typed);
    return n >= 1 && n <= pageCount ? n : null;
  }
  return null;
}

/** "Page 3 of 14", or with a label "Page xii (14 of 350)". */
export function pageIndicatorText(number: number, count: number, label?: string): string {
  return label && label !== String(number) ? `Page ${label} (${number} of ${count})` : `Page ${number} of ${count}`;
}
