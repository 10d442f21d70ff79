/**
 * Which articles and highlights an export contains, and in what order. Shared by the Markdown, template, folder and
 * W3C exports so a filter means the same thing everywhere. Pure and deterministic: order never depends on the locale,
 * the clock or object identity.
 */
import { HIGHLIGHT_COLORS, type Article, type ExportGroupBy, type ExportOptions, type Highlight, type HighlightColor } from '../../contract';
import { compareStrings, foldCase } from './escape';

export interface HighlightGroup {
  /** Section title: the tag (first spelling in sort order), the colour label, or '' for document order. */
  title: string;
  kind: 'document' | 'tag' | 'color' | 'untagged';
  /** For colour sections, the colour. */
  color?: HighlightColor;
  highlights: Highlight[];
}

export interface SelectedArticle {
  article: Article;
  /** The highlights that pass the filters, in document order. */
  highlights: Highlight[];
}

function hasFilter(list: readonly unknown[] | undefined): list is readonly unknown[] {
  return Array.isArray(list) && list.length > 0;
}

/** Document order: anchored highlights by start, end, id; orphans (whose offsets no longer mean anything) last. */
export function compareHighlights(a: Highlight, b: Highlight): number {
  const oa = a.orphaned ? 1 : 0;
  const ob = b.orphaned ? 1 : 0;
  if (oa !== ob) return oa - ob;
  if (a.start !== b.start) return a.start - b.start;
  if (a.end !== b.end) return a.end - b.end;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function matchesFilters(h: Highlight, options: ExportOptions): boolean {
  if (hasFilter(options.colors) && !options.colors.includes(h.color)) return false;
  if (hasFilter(options.tags)) {
    const wanted = new Set(options.tags.map(foldCase));
    if (!h.tags.some((t) => wanted.has(foldCase(t)))) return false;
  }
  return true;
}

/**
 * Applies articleIds (keeping the caller's article order), tag filter (case-insensitive, any of) and colour filter.
 * When a tag or colour filter is set, articles left with no highlight are dropped: the user asked for matching
 * passages, not for every article's note. Without articleIds, articles with neither highlights nor a note are dropped
 * (unless no article has any).
 */
export function selectArticles(articles: readonly Article[], options: ExportOptions): SelectedArticle[] {
  const ids = hasFilter(options.articleIds) ? new Set(options.articleIds) : undefined;
  const filtering = hasFilter(options.tags) || hasFilter(options.colors);
  const out: SelectedArticle[] = [];
  for (const article of articles) {
    if (ids && !ids.has(article.id)) continue;
    const highlights = article.highlights.filter((h) => matchesFilters(h, options)).sort(compareHighlights);
    if (filtering && highlights.length === 0) continue;
    out.push({ article, highlights });
  }
  // A whole-notebook export skips articles with nothing written on them (no highlight, no note) when others have some:
  // a library of unread articles would otherwise bury the notes in bare headings. Named articles are always exported.
  const isEmpty = (s: SelectedArticle): boolean => s.highlights.length === 0 && s.article.note.trim() === '';
  if (!ids && out.some((s) => !isEmpty(s))) return out.filter((s) => !isEmpty(s));
  return out;
}

/** Union of the highlights' tags: one spelling per case-folded tag (the first in sort order), sorted. */
export function unionTags(highlights: readonly Highlight[]): string[] {
  const byKey = new Map<string, string>();
  for (const h of highlights) {
    for (const t of h.tags) {
      const key = foldCase(t);
      const seen = byKey.get(key);
      if (seen === undefined || compareStrings(t, seen) < 0) byKey.set(key, t);
    }
  }
  return [...byKey.values()].sort(compareStrings);
}

/**
 * Groups already-filtered highlights (document order within each group).
 * - 'document': one untitled group.
 * - 'tag': a group per tag (case-insensitive), sorted; a highlight with several tags appears under each; untagged last.
 *   With a tag filter, only the filtered tags get a section (a highlight's other tags are not what was asked for).
 * - 'color': the fixed HIGHLIGHT_COLORS order, empty colours skipped.
 */
export function groupHighlights(
  highlights: readonly Highlight[],
  groupBy: ExportGroupBy | undefined,
  colorLabel: (c: HighlightColor) => string,
  tagFilter?: readonly string[],
): HighlightGroup[] {
  const sorted = [...highlights].sort(compareHighlights);
  if (groupBy === 'color') {
    return HIGHLIGHT_COLORS.map((color) => ({
      title: colorLabel(color),
      kind: 'color' as const,
      color,
      highlights: sorted.filter((h) => h.color === color),
    })).filter((g) => g.highlights.length > 0);
  }
  if (groupBy === 'tag') {
    const wanted = tagFilter && tagFilter.length > 0 ? new Set(tagFilter.map(foldCase)) : undefined;
    const groups = new Map<string, { title: string; highlights: Highlight[] }>();
    const untagged: Highlight[] = [];
    for (const h of sorted) {
      if (h.tags.length === 0) untagged.push(h);
      const keys = new Set<string>();
      for (const tag of h.tags) {
        const key = foldCase(tag);
        if (keys.has(key) || (wanted && !wanted.has(key))) continue;
        keys.add(key);
        const group = groups.get(key);
        if (!group) groups.set(key, { title: tag, highlights: [h] });
        else {
          group.highlights.push(h);
          if (compareStrings(tag, group.title) < 0) group.title = tag;
        }
      }
    }
    const tagged: HighlightGroup[] = [...groups.entries()]
      .sort(([ka, a], [kb, b]) => (ka !== kb ? (ka < kb ? -1 : 1) : compareStrings(a.title, b.title)))
      .map(([, g]) => ({ title: g.title, kind: 'tag' as const, highlights: g.highlights }));
    if (untagged.length > 0 && !wanted) tagged.push({ title: 'Untagged', kind: 'untagged', highlights: untagged });
    return tagged;
  }
  return [{ title: '', kind: 'document', highlights: sorted }];
}
