/**
 * What a citation needs from an article, with the fallbacks every citation format shares: the authors as a list (the
 * stored list, else the byline split into people), the year, the kind of work, and a person's name in parts.
 */
import type { ArticleSummary, WorkType } from '../../contract';
import { splitAuthors } from '../pdf/metadata';

export type CitationSource = Pick<
  ArticleSummary,
  | 'title'
  | 'byline'
  | 'authors'
  | 'publishedAt'
  | 'doi'
  | 'isbn'
  | 'container'
  | 'siteName'
  | 'publisher'
  | 'volume'
  | 'issue'
  | 'pageRange'
  | 'workType'
  | 'kind'
  | 'source'
  | 'lang'
  | 'citekey'
  | 'addedAt'
  | 'id'
>;

/** The authors: the stored list, else the byline ("By Jane Doe and John Roe") split into people. */
export function authorsOf(article: Pick<ArticleSummary, 'authors' | 'byline'>): string[] {
  if (article.authors?.length) return article.authors;
  const byline = article.byline?.replace(/^\s*by\s+/i, '').trim();
  return byline ? splitAuthors(byline) : [];
}

/** The four-digit year of the published date, when it has one. */
export function yearOf(article: Pick<ArticleSummary, 'publishedAt'>): string | undefined {
  return /^(\d{4})(?:\b|-)/.exec(article.publishedAt?.trim() ?? '')?.[1];
}

/** The stored kind of work, else a guess: an ISBN is a book, a journal with a volume or a DOI is a journal article. */
export function workTypeOf(article: CitationSource): WorkType {
  if (article.workType) return article.workType;
  if (article.isbn) return 'book';
  if (article.doi || (article.container && article.volume)) return 'article-journal';
  if (article.kind === 'pdf') return article.container ? 'article-journal' : 'document';
  return article.source ? 'webpage' : 'document';
}

export interface NameParts {
  family: string;
  given?: string;
  /** An organisation or a one-word name, kept whole (BibTeX braces it). */
  literal?: boolean;
}

const SUFFIX = /^(jr\.?|sr\.?|ii|iii|iv|phd|md)$/i;
const PARTICLES = new Set(['van', 'von', 'der', 'den', 'de', 'del', 'della', 'di', 'da', 'du', 'la', 'le', 'ter', 'ten', 'dos', 'das', 'bin', 'al']);

/** "Jane Q. Doe" -> Doe / Jane Q.; "Doe, Jane" -> Doe / Jane; "Ludwig van Beethoven" -> van Beethoven / Ludwig. */
export function nameParts(name: string): NameParts {
  const n = name.replace(/\s+/g, ' ').trim();
  const comma = n.indexOf(',');
  if (comma > 0) {
    const family = n.slice(0, comma).trim();
    const given = n.slice(comma + 1).trim();
    return given && !SUFFIX.test(given) ? { family, given } : { family: n, literal: true };
  }
  const words = n.split(' ');
  if (words.length === 1 || /\b(inc|ltd|llc|university|institute|association|press|news|agency|reuters|staff)\b/i.test(n)) {
    return { family: n, literal: true };
  }
  let end = words.length;
  while (end > 1 && SUFFIX.test(words[end - 1])) end -= 1;
  let start = end - 1;
  while (start > 1 && PARTICLES.has(words[start - 1].toLowerCase())) start -= 1;
  return { family: words.slice(start, end).join(' '), given: words.slice(0, start).join(' ') };
}
