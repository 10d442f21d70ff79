import type { Highlight, HighlightFilters, HighlightListing } from '../contract';
import { matchesFilters } from './search';

/**
 * The notebook-wide highlight list ("everything tagged retaliation"): every highlight matching the tag, colour and
 * article filters and, when `text` is given, containing it (case-insensitively) in its quote, note or one of its tags.
 * Library order, then document order, so the list reads like the notebook.
 */
export function listNotebookHighlights(docs: readonly { article: { id: string; title: string }; highlights: readonly Highlight[] }[], filters: HighlightFilters = {}): HighlightListing[] {
  const needle = filters.text?.trim();
  // A Unicode-aware regex rather than lower-casing both sides: the same case folding the notebook search uses.
  const pattern = needle ? new RegExp(needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'iu') : null;
  const out: HighlightListing[] = [];
  for (const doc of docs) {
    const { article } = doc;
    if (filters.articleIds?.length && !filters.articleIds.includes(article.id)) continue;
    for (const highlight of doc.highlights) {
      if (!matchesFilters(highlight, filters)) continue;
      if (pattern && !pattern.test(highlight.quote) && !pattern.test(highlight.note) && !highlight.tags.some((t) => pattern.test(t))) {
        continue;
      }
      out.push({ highlight: { ...highlight, tags: [...highlight.tags] }, articleTitle: article.title });
    }
  }
  return out;
}
