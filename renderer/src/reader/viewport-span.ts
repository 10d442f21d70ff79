/**
 * Which stretch of the article's text is on (or near) the screen, for the painter's visible span (painter.ts says why
 * only those highlights are registered). The text model's nodes are in document order, which in a one-column article
 * is top-to-bottom order, so two binary searches over their boxes find the first and last node in a band of the
 * window: about 2 x 12 box reads, well under a millisecond with layout clean (as it is in a scroll event).
 */
import type { TextModel } from '../../../electron/text-model';
import type { TextSpan } from './painter';

/** How far beyond the window the registered span reaches, in window heights, each side. */
export const SPAN_MARGIN = 0.5;
/** Moving the span waits until the screen comes this close (in window heights) to its edge: a short scroll is free. */
export const SPAN_SLACK = 0.25;

/**
 * The text span of the nodes whose boxes meet the band [top, bottom] (viewport coordinates). Null when the article
 * has no layout (not displayed): the caller then registers everything rather than nothing.
 */
export function textSpanInBand(model: TextModel, top: number, bottom: number): TextSpan | null {
  const count = model.nodes.length;
  if (count === 0) return { start: 0, end: 0 };
  const probe = document.createRange();
  // A node's box, or the nearest laid-out node's after it (collapsed whitespace and hidden text have no box).
  const boxAt = (index: number): { top: number; bottom: number } | null => {
    for (let i = index; i < count && i < index + 64; i++) {
      probe.selectNodeContents(model.nodes[i]);
      const rect = probe.getBoundingClientRect();
      if (rect.width !== 0 || rect.height !== 0) return { top: rect.top, bottom: rect.bottom };
    }
    return null;
  };
  if (!boxAt(0) && !boxAt(count - 1) && !boxAt(count >> 1)) return null;

  // First node ending below the band's top.
  let lo = 0;
  let hi = count - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const box = boxAt(mid);
    if (box && box.bottom < top) lo = mid + 1;
    else hi = mid;
  }
  const first = lo;
  // Last node starting above the band's bottom.
  lo = first;
  hi = count - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    const box = boxAt(mid);
    if (!box || box.top <= bottom) lo = mid;
    else hi = mid - 1;
  }
  const last = lo;
  return { start: model.starts[first], end: model.starts[last] + model.nodes[last].data.length };
}

/** Whether `inner` lies within `outer`. */
export function spanCovers(outer: TextSpan | null, inner: TextSpan): boolean {
  return outer === null || (outer.start <= inner.start && inner.end <= outer.end);
}

/**
 * The span the painter should register now, or undefined to keep the one it has: the window's text plus
 * SPAN_MARGIN screens each side, recomputed only once the screen comes within SPAN_SLACK screens of its edge.
 */
export function nextVisibleSpan(model: TextModel, current: TextSpan | null, force = false): TextSpan | null | undefined {
  const height = window.innerHeight;
  if (!force && current) {
    const needed = textSpanInBand(model, -SPAN_SLACK * height, (1 + SPAN_SLACK) * height);
    if (needed && spanCovers(current, needed)) return undefined;
  }
  return textSpanInBand(model, -SPAN_MARGIN * height, (1 + SPAN_MARGIN) * height);
}
