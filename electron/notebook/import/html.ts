import { Readability } from '@mozilla/readability';
import { GlossError } from '../errors';
import { decodeBytes } from './decode';
import { assertNotEmpty, assertTextual, cleanTitle, firstLineTitle, httpBase } from './guards';
import { assertNesting } from './nesting';
import { makeDom, sanitizeArticleHtml } from './sanitize';
import type { ImportedArticle } from './types';

export { decodeHtmlBytes } from './decode';

export interface HtmlImportInput {
  /** The page: already-decoded text, or raw bytes to decode (BOM, then Content-Type charset, then <meta>). */
  content: string | Uint8Array;
  contentType?: string;
  /** Where the page came from; Readability's base URL for relative links and images. */
  source?: string;
  /** An explicit title from the user wins over the page's. */
  title?: string;
  /** Quoted name for messages ("page.html"). */
  name: string;
}

/** Readability extracts the article, the shared sanitizer makes it safe and measurable. */
export function importHtml(input: HtmlImportInput): ImportedArticle {
  const decoded =
    typeof input.content === 'string'
      ? input.content.replace(/^\uFEFF/, '')
      : decodeBytes(input.content, { contentTypeHeader: input.contentType, html: true, name: input.name }).text;
  if (typeof input.content === 'string') assertTextual(decoded, input.name);
  assertNotEmpty(decoded, input.name);
  assertNesting(decoded, input.name); // before jsdom and Readability, whose cost grows steeply with depth

  const base = httpBase(input.source);
  const dom = makeDom(decoded, base);
  let parsed: ReturnType<Readability['parse']>;
  try {
    parsed = new Readability(dom.window.document).parse();
  } finally {
    dom.window.close();
  }
  const noArticle = new GlossError('invalid_input', `No readable article found in ${input.name}`);
  if (!parsed?.content) throw noArticle;

  const safe = sanitizeArticleHtml(unwrapPage(parsed.content), base);
  if (safe.text.trim().length === 0) throw noArticle;

  return {
    title: cleanTitle(input.title) ?? cleanTitle(parsed.title) ?? firstLineTitle(safe.text) ?? input.name.replace(/^"|"$/g, ''),
    byline: cleanTitle(parsed.byline),
    siteName: cleanTitle(parsed.siteName),
    publishedAt: normalizeDate(parsed.publishedTime),
    lang: cleanTitle(parsed.lang),
    dir: asDir(parsed.dir),
    source: input.source,
    text: safe.text,
    html: safe.html,
  };
}

/** Readability wraps its output in <div id="readability-page-1" class="page">; the reader needs only the inside. */
function unwrapPage(content: string): string {
  const m = /^\s*<div id="readability-page-1" class="page">([\s\S]*)<\/div>\s*$/.exec(content);
  return m ? m[1] : content;
}

function asDir(dir: string | null | undefined): ImportedArticle['dir'] {
  const d = dir?.trim().toLowerCase();
  return d === 'ltr' || d === 'rtl' || d === 'auto' ? d : undefined;
}

/** ISO 8601 when the page's date parses, the page's own words otherwise. */
function normalizeDate(raw: string | null | undefined): string | undefined {
  const s = cleanTitle(raw);
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? s : new Date(t).toISOString();
}
