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

export interface ReaderView {
  /** Scrolls the highlight into view; false when this reader cannot show it (yet). */
  reveal(highlight: Highlight, behavior?: ScrollBehavior): boolean;
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
  };
}
