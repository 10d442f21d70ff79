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
