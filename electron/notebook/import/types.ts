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
}

export interface ImportOptions {
  /** Injected for tests and for hosts that want their own networking; defaults to the global (undici) fetch. */
  fetch?: typeof fetch;
  /** Largest source accepted, in bytes; defaults to LIMITS.maxImportBytes. */
  maxBytes?: number;
  /** Name of the file being imported, used in error messages and as a last-resort title. */
  fileName?: string;
  /** URL imports: total time allowed (all redirects and the body), ms. Defaults to 15 s; tests shorten it. */
  timeoutMs?: number;
  /** URL imports: redirects followed before giving up. Defaults to 5. */
  maxRedirects?: number;
}
