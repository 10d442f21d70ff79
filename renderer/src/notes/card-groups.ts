/**
 * The notes panel renders its cards in groups of a few dozen, each group with `content-visibility: auto` (styles.css,
 * `.card-group`), so the browser skips the groups off screen: it does not lay them out, paint them or hit-test them.
 *
 * Why (bench/RESULTS.md (b)): every card holds a text field and a note box, and each of those (and the card's own
 * layout containment) is a paint layer; Chromium hit-tests every paint layer in the page each time it hit-tests at
 * all, so with 2,000 cards one hit test cost 20-60 ms. It hit-tests whenever the content under a resting mouse
 * pointer may have moved (any layout: after a highlight is made with the mouse, every frame that followed paid it) and
 * once a second for its own ad heuristics, so a new highlight's frame took 30-90 ms. `content-visibility: auto` on
 * each card instead also skips them, but the browser then tracks 2,000 elements' visibility, ~11 ms a frame; a few
 * dozen groups cost nothing measurable.
 *
 * Skipped cards stay in the DOM and the accessibility tree, focusable and in the tab order (that is what `auto`, not
 * `hidden`, promises), so the panel still lists every highlight for a screen reader.
 */

/** About this many cards per group, when the article was opened with many highlights. */
export const GROUP_TARGET = 40;

/**
 * Characters of article text per group, chosen once per article from the highlights it opened with: a card's group
 * follows from its start offset alone, so a card never moves to another group when others are added or removed
 * (React would remount it, and a focused card or a note being typed would be lost). An article opened with few
 * highlights gets one group; it is split only when reopened.
 */
export function groupSpanFor(highlights: readonly { start: number; end: number }[]): number {
  if (highlights.length <= GROUP_TARGET) return Number.POSITIVE_INFINITY;
  let extent = 1;
  for (const h of highlights) extent = Math.max(extent, h.end);
  return Math.max(1, Math.ceil((extent * GROUP_TARGET) / highlights.length));
}

export interface CardGroup<T> {
  /** Stable while the group's first offset bucket is the same: React's key for the group. */
  key: string;
  items: T[];
}

/** Splits a list in text order into runs of highlights whose start falls in the same `span`-sized stretch of text. */
export function groupCards<T extends { start: number }>(list: readonly T[], span: number): CardGroup<T>[] {
  const groups: (CardGroup<T> & { bucket: number })[] = [];
  const seen = new Map<number, number>();
  for (const item of list) {
    const bucket = Math.floor(item.start / span);
    const last = groups[groups.length - 1];
    if (last && last.bucket === bucket) {
      last.items.push(item);
      continue;
    }
    // A list out of text order could come back to a bucket: its second run needs a key of its own.
    const runs = seen.get(bucket) ?? 0;
    seen.set(bucket, runs + 1);
    groups.push({ bucket, key: runs ? `${bucket}-${runs}` : String(bucket), items: [item] });
  }
  return groups.map(({ key, items }) => ({ key, items }));
}

/** The card after (1) or before (-1) `card` in the panel, across group boundaries; null at either end. */
export function adjacentCard(card: Element, direction: 1 | -1): HTMLElement | null {
  const step = (el: Element): Element | null => (direction > 0 ? el.nextElementSibling : el.previousElementSibling);
  const near = step(card);
  if (near) return near as HTMLElement;
  const group = card.closest('.card-group');
  const nextGroup = group && step(group);
  const target = direction > 0 ? nextGroup?.firstElementChild : nextGroup?.lastElementChild;
  return (target as HTMLElement | null | undefined) ?? null;
}
