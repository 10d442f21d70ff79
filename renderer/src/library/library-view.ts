import type { ArticleSummary } from '../../../electron/contract';

/**
 * What the library shows: the articles narrowed by the filters and ordered by one column. Pure functions, so the
 * table, its tests and any future view (a command palette) agree on what "sorted by author" means.
 */

export type SortKey = 'title' | 'author' | 'source' | 'publishedAt' | 'addedAt' | 'highlightCount';
export type SortDirection = 'ascending' | 'descending';
export type HighlightFilter = 'any' | 'with' | 'without';
export type AddedFilter = 'any' | 'day' | 'week' | 'month';

export interface LibraryQuery {
  text: string;
  highlights: HighlightFilter;
  added: AddedFilter;
  sort: SortKey;
  direction: SortDirection;
}

export const DEFAULT_QUERY: LibraryQuery = { text: '', highlights: 'any', added: 'any', sort: 'addedAt', direction: 'descending' };

/** The direction a column starts in when first chosen: newest and most-highlighted first, names A to Z. */
export const FIRST_DIRECTION: Record<SortKey, SortDirection> = {
  title: 'ascending',
  author: 'ascending',
  source: 'ascending',
  publishedAt: 'descending',
  addedAt: 'descending',
  highlightCount: 'descending',
};

const DAY_MS = 24 * 60 * 60 * 1000;
const ADDED_WINDOW_MS: Record<Exclude<AddedFilter, 'any'>, number> = { day: DAY_MS, week: 7 * DAY_MS, month: 30 * DAY_MS };

/** "example.com" for a web source; what the user typed otherwise. The site name wins when the page gave one. */
export function sourceLabel(a: Pick<ArticleSummary, 'source' | 'siteName'>): string {
  if (a.siteName) return a.siteName;
  if (!a.source) return '';
  try {
    return new URL(a.source).hostname.replace(/^www\./, '');
  } catch {
    return a.source;
  }
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

function sortValue(a: ArticleSummary, key: SortKey): string | number | undefined {
  switch (key) {
    case 'title':
      return a.title;
    case 'author':
      return a.byline || undefined;
    case 'source':
      return sourceLabel(a) || undefined;
    case 'publishedAt': {
      const t = a.publishedAt ? Date.parse(a.publishedAt) : NaN;
      return Number.isNaN(t) ? undefined : t;
    }
    case 'addedAt':
      return Date.parse(a.addedAt);
    case 'highlightCount':
      return a.highlightCount;
  }
}

function matchesText(a: ArticleSummary, needle: string): boolean {
  if (!needle) return true;
  const haystack = [a.title, a.byline, a.siteName, a.source].filter(Boolean).join('\n').toLocaleLowerCase();
  return needle
    .toLocaleLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word));
}

export function viewLibrary(articles: ArticleSummary[], query: LibraryQuery, now = Date.now()): ArticleSummary[] {
  const shown = articles.filter(
    (a) =>
      matchesText(a, query.text.trim()) &&
      (query.highlights === 'any' || (query.highlights === 'with' ? a.highlightCount > 0 : a.highlightCount === 0)) &&
      (query.added === 'any' || now - Date.parse(a.addedAt) <= ADDED_WINDOW_MS[query.added]),
  );
  const sign = query.direction === 'ascending' ? 1 : -1;
  return shown
    .map((a, i) => ({ a, i, v: sortValue(a, query.sort) }))
    .sort((x, y) => {
      // Articles without the value (no author, no date) go last whichever the direction: they are not "smallest".
      if (x.v === undefined || y.v === undefined) return x.v === y.v ? x.i - y.i : x.v === undefined ? 1 : -1;
      const c = typeof x.v === 'number' && typeof y.v === 'number' ? x.v - y.v : collator.compare(String(x.v), String(y.v));
      return c !== 0 ? sign * c : x.i - y.i;
    })
    .map(({ a }) => a);
}

/** A stored date as the user reads it: a date for ISO timestamps, the page's own words otherwise. */
export function formatDate(value: string | undefined): string {
  if (!value) return '';
  const t = Date.parse(value);
  // A bare YYYY-MM-DD parses as UTC midnight: show it in UTC too, or west of Greenwich it reads as the day before.
  const timeZone = /^\d{4}-\d{2}-\d{2}$/.test(value) ? 'UTC' : undefined;
  return Number.isNaN(t) ? value : new Date(t).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric', timeZone });
}
