import type { ArticleSummary } from '../../contract';
import type { BookInfo, TocEntry } from '../../contract';
import type { ArticleImages } from './images';
import type { HostResolver } from './url';

/** Citation metadata found at import (import/citation-meta.ts for pages, pdf/metadata.ts for PDFs). */
export type CitationFields = Partial<
  Pick<ArticleSummary, 'authors' | 'doi' | 'isbn' | 'container' | 'publisher' | 'volume' | 'issue' | 'pageRange' | 'workType'>
>;

/** What every import path hands back to the notebook, before it assigns an id and dates. */
export interface ImportedArticle {
  title: string;
  byline?: string;
  siteName?: string;
  publishedAt?: string;
  lang?: string;
  dir?: 'ltr' | 'rtl' | 'auto';
  source?: string;
  /** Canonical plain text: what highlights' offsets index into. */
  text: string;
  /** Sanitized, whitespace-normalized HTML; buildTextModel(<article> holding it).text === text. */
  html: string;
  /** Citation metadata from the page's meta tags and JSON-LD (absent fields were not found). */
  citation?: CitationFields;
  /** 'epub' for a book (import/epub/). */
  kind?: 'epub';
  /** A book's table of contents, as offsets into `text`. */
  toc?: TocEntry[];
  book?: BookInfo;
  /**
   * The images the HTML refers to as `gloss-image:<name>`, prepared in the worker (checked, hashed) for the notebook
   * to write before the article; what was not kept, counted; remote images a URL import still has to fetch.
   */
  images?: ArticleImages;
}

export interface ImportOptions {
  /** URL imports: resolves host names (a seam for tests; defaults to the system resolver). See FetchOptions. */
  lookup?: HostResolver;
  /** URL imports: non-public address ranges allowed anyway, FOR TESTS ONLY (see FetchOptions). */
  allowPrivateRanges?: readonly string[];
  /** Largest source accepted, in bytes; defaults to LIMITS.maxImportBytes. */
  maxBytes?: number;
  /** Name of the file being imported, used in error messages and as a last-resort title. */
  fileName?: string;
  /** URL imports: total time allowed (all redirects and the body), ms. Defaults to 15 s; tests shorten it. */
  timeoutMs?: number;
  /** URL imports: redirects followed before giving up. Defaults to 5. */
  maxRedirects?: number;
}
