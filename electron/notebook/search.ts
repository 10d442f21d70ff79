import type { Highlight, SearchFilters, SearchMatch } from '../contract';
import type { ArticleDoc } from './notebook';
import { hasTag } from './tags';

export const MAX_SEARCH_MATCHES = 500;
const MAX_MATCHES = MAX_SEARCH_MATCHES;
const MAX_TEXT_MATCHES_PER_ARTICLE = 20;
const SNIPPET_RADIUS = 60;

/**
 * Notebook-wide search over article text, highlight quotes, highlight notes and article notes. Case-insensitive via a
 * Unicode regex rather than lower-casing, because lower-casing can change a string's length and the offsets returned
 * must be offsets into the original text. Filters narrow to highlights (tags, colours) and articles.
 */
export function searchNotebook(docs: ArticleDoc[], query: string, filters: SearchFilters): SearchMatch[] {
  const needle = query.trim();
  if (!needle) return [];
  const pattern = new RegExp(escapeRegExp(needle), 'giu');
  const highlightFilter = filters.tags?.length || filters.colors?.length;
  const matches: SearchMatch[] = [];

  for (const doc of docs) {
    const { article } = doc;
    if (filters.articleIds?.length && !filters.articleIds.includes(article.id)) continue;
    const base = { articleId: article.id, articleTitle: article.title };
    const highlights = doc.highlights.filter((h) => matchesFilters(h, filters));
    if (!highlightFilter) {
      for (const m of findAll(pattern, article.text, MAX_TEXT_MATCHES_PER_ARTICLE)) {
        matches.push({ ...base, kind: 'text', ...m, snippet: snippet(article.text, m.start, m.end) });
      }
      for (const m of findAll(pattern, article.note, 5)) {
        matches.push({ ...base, kind: 'article-note', ...m, snippet: snippet(article.note, m.start, m.end) });
      }
    }
    for (const h of highlights) {
      for (const m of findAll(pattern, h.quote, 1)) {
        matches.push({ ...base, kind: 'quote', highlightId: h.id, ...m, snippet: snippet(h.quote, m.start, m.end) });
      }
      for (const m of findAll(pattern, h.note, 1)) {
        matches.push({ ...base, kind: 'note', highlightId: h.id, ...m, snippet: snippet(h.note, m.start, m.end) });
      }
    }
    if (matches.length >= MAX_MATCHES) break;
  }
  return matches.slice(0, MAX_MATCHES);
}

export function matchesFilters(h: Highlight, filters: SearchFilters): boolean {
  if (filters.colors?.length && !filters.colors.includes(h.color)) return false;
  if (filters.tags?.length && !filters.tags.some((t) => hasTag(h.tags, t))) return false;
  return true;
}

function findAll(pattern: RegExp, haystack: string, limit: number): { start: number; end: number }[] {
  const found: { start: number; end: number }[] = [];
  pattern.lastIndex = 0;
  for (let m = pattern.exec(haystack); m && found.length < limit; m = pattern.exec(haystack)) {
    found.push({ start: m.index, end: m.index + m[0].length });
    if (m[0].length === 0) pattern.lastIndex += 1;
  }
  return found;
}

function snippet(text: string, start: number, end: number): string {
  const from = Math.max(0, start - SNIPPET_RADIUS);
  const to = Math.min(text.length, end + SNIPPET_RADIUS);
  return `${from > 0 ? '…' : ''}${text.slice(from, to).replace(/\s+/g, ' ')}${to < text.length ? '…' : ''}`;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
