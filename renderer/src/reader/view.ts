/**
 * What the app asks of whichever reader shows the article (HTML or PDF), beyond painting: bring a highlight into view
 * (a card's Show in text, a deep link) and, for a reader with its own search (PDF), find in the document. The HTML
 * reader can reveal only what it painted; the PDF reader first scrolls to the highlight's page (which renders it).
 */
import type { Highlight } from '../../../electron/contract';
import type { HighlightPainter } from './painter';
import { revealRange } from './reveal';

/** Find in the document, as FindBar drives it: mark every match, move between them, clear. */
export interface Finder {
  /** Marks every case-insensitive match of `query`; returns how many there are. */
  find(query: string): number;
  /** Moves to the next (+1) or previous (-1) match, wrapping around; returns its index (-1: none). */
  go(step: 1 | -1): number;
  clear(): void;
}

/** Where a notebook search result points: the match is marked (its own layer) and scrolled into view. */
export const SEARCH_MATCH_LAYER = 'gloss-find';

export interface ReaderView {
  /** Scrolls the highlight into view; false when this reader cannot show it (yet). */
  reveal(highlight: Highlight, behavior?: ScrollBehavior): boolean;
  /** Marks the text [start, end) (a search result) and scrolls it into view; false when it cannot be shown (yet). */
  revealText(span: { start: number; end: number }): boolean;
  /** A reader with its own find (the PDF reader); without it FindBar marks the article's DOM. */
  createFinder?: () => Finder;
}

/** The HTML reader's view: everything is in the DOM, so a highlight is revealed by its painted Range. */
export function paintedView(painter: () => HighlightPainter | null): ReaderView {
  return {
    reveal(highlight, behavior = 'smooth') {
      const range = painter()?.rangeOf(highlight.id);
      if (!range) return false;
      revealRange(range, behavior);
      return true;
    },
    revealText({ start, end }) {
      const range = painter()?.rangeForText(start, end);
      if (!range) return false;
      markSearchMatch(range);
      revealRange(range, 'auto');
      return true;
    },
  };
}

/** Marks one Range as the search match (a layer above the highlights; the DOM is not touched). */
export function markSearchMatch(range: Range | null): void {
  if (typeof CSS === 'undefined' || !('highlights' in CSS)) return;
  if (!range) {
    CSS.highlights.delete(SEARCH_MATCH_LAYER);
    return;
  }
  const layer = new Highlight(range);
  layer.priority = 5;
  CSS.highlights.set(SEARCH_MATCH_LAYER, layer);
}
