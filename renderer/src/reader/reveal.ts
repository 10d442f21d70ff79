/**
 * Scrolls a painted highlight into view. Ranges have no scrollIntoView, and scrolling the highlight's paragraph
 * would put a passage in the middle of a long paragraph off screen; so scroll the nearest scrolling ancestor until the
 * range's first line sits a third of the way down.
 */
export function revealRange(range: Range, behavior: ScrollBehavior = 'smooth'): void {
  const rects = range.getClientRects();
  const first = rects.length ? rects[0] : range.getBoundingClientRect();
  const start = range.startContainer;
  const scroller = scrollingAncestor(start.nodeType === Node.ELEMENT_NODE ? (start as Element) : start.parentElement);
  if (!scroller) {
    start.parentElement?.scrollIntoView({ block: 'center', behavior });
    return;
  }
  const box = scroller.getBoundingClientRect();
  const visible = first.top >= box.top && first.bottom <= box.bottom;
  if (visible) return;
  scroller.scrollTo({ top: scroller.scrollTop + (first.top - box.top) - scroller.clientHeight / 3, behavior });
}

function scrollingAncestor(element: Element | null): HTMLElement | null {
  for (let el = element?.parentElement ?? null; el; el = el.parentElement) {
    const { overflowY } = getComputedStyle(el);
    if ((overflowY === 'auto' || overflowY === 'scroll') && el.scrollHeight > el.clientHeight) return el;
  }
  return null;
}
