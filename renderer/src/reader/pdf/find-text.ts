import type { Finder } from '../view';

/**
 * Find in a PDF searches the article's text (what the import read from the pages), not the text layers in the DOM:
 * most pages are not drawn at any moment. Case-insensitive; white space in the query matches any white space, so a
 * phrase broken across lines (a "\n" in the text) is found.
 */
export interface TextMatch {
  start: number;
  end: number;
}

/** At most this many matches are listed (a one-letter query in a book). */
const MAX_MATCHES = 10_000;

export function findAll(text: string, query: string): TextMatch[] {
  const needle = query.trim();
  if (!needle) return [];
  const pattern = new RegExp(needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+'), 'giu');
  const matches: TextMatch[] = [];
  for (let m = pattern.exec(text); m && matches.length < MAX_MATCHES; m = pattern.exec(text)) {
    if (m[0].length === 0) {
      pattern.lastIndex += 1;
      continue;
    }
    matches.push({ start: m.index, end: m.index + m[0].length });
  }
  return matches;
}

/**
 * A Finder (as FindBar drives it) over a text: `show` is told the current match (null: none, or cleared), and the
 * reader paints it and brings it into view.
 */
export function createTextFinder(text: () => string, show: (match: TextMatch | null) => void): Finder {
  let matches: TextMatch[] = [];
  let index = -1;
  return {
    find(query) {
      matches = findAll(text(), query);
      index = -1;
      show(null);
      return matches.length;
    },
    go(step) {
      if (matches.length === 0) return -1;
      index = (index + step + matches.length) % matches.length;
      show(matches[index]);
      return index;
    },
    clear() {
      matches = [];
      index = -1;
      show(null);
    },
  };
}
