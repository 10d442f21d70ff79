/**
 * Find in the article: mark.js wraps every match in <mark class="find-match"> inside the reader's <article>. Marking
 * splits text nodes, so after every mark/unmark the reader must rebuild its text model and repaint highlights; it
 * listens for TEXT_NODES_CHANGED on the article element (Reader.tsx).
 */
import Mark from 'mark.js';

export const TEXT_NODES_CHANGED = 'gloss:text-nodes-changed';
const MATCH_CLASS = 'find-match';
const CURRENT_CLASS = 'find-current';

interface IndexedRange {
  start: number;
  length: number;
  index: number;
}

export class ArticleFinder {
  private readonly marker: Mark;
  /** One entry per match: the <mark> elements it was wrapped in (a match across inline elements takes several). */
  private matches: HTMLElement[][] = [];
  private current = -1;

  constructor(private readonly root: HTMLElement) {
    this.marker = new Mark(root);
  }

  get count(): number {
    return this.matches.length;
  }

  get index(): number {
    return this.current;
  }

  /** Marks every case-insensitive occurrence of `query` (white space matches any white space); returns the count. */
  find(query: string): number {
    this.unmark();
    const needle = query.trim();
    if (needle) {
      // mark.js addresses ranges in the concatenation of the article's text nodes: compute matches there, so one
      // match is one range even across <em> or <a>, and we know which <mark> elements belong to which match.
      const text = concatenatedText(this.root);
      const pattern = new RegExp(needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+'), 'giu');
      const ranges: IndexedRange[] = [];
      for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
        ranges.push({ start: m.index, length: m[0].length, index: ranges.length });
        if (m[0].length === 0) pattern.lastIndex += 1;
      }
      const groups: HTMLElement[][] = ranges.map(() => []);
      this.marker.markRanges(ranges, {
        className: MATCH_CLASS,
        each: (element: Element, range: unknown) => groups[(range as IndexedRange).index]?.push(element as HTMLElement),
      } as Mark.MarkRangesOptions);
      this.matches = groups.filter((g) => g.length > 0);
    }
    this.changed();
    this.current = -1;
    return this.matches.length;
  }

  /** Moves to the next (+1) or previous (-1) match, wrapping around, and scrolls it into view. */
  go(step: 1 | -1): number {
    if (this.matches.length === 0) return -1;
    for (const el of this.matches[this.current] ?? []) el.classList.remove(CURRENT_CLASS);
    this.current = this.current === -1 && step === -1 ? this.matches.length - 1 : (this.current + step + this.matches.length) % this.matches.length;
    const match = this.matches[this.current];
    for (const el of match) el.classList.add(CURRENT_CLASS);
    match[0].scrollIntoView({ block: 'center' });
    return this.current;
  }

  clear(): void {
    const had = this.matches.length > 0 || this.root.querySelector(`mark.${MATCH_CLASS}`);
    this.unmark();
    this.current = -1;
    if (had) this.changed();
  }

  private unmark(): void {
    this.marker.unmark({ className: MATCH_CLASS } as Mark.MarkOptions);
    this.matches = [];
  }

  private changed(): void {
    this.root.dispatchEvent(new CustomEvent(TEXT_NODES_CHANGED));
  }
}

function concatenatedText(root: Node): string {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let text = '';
  for (let n = walker.nextNode(); n; n = walker.nextNode()) text += (n as Text).data;
  return text;
}
