import { Readability } from '@mozilla/readability';
import { publishedDateProblem } from '../../contract';
import { GlossError } from '../errors';
import { decodeBytes } from './decode';
import { assertNotEmpty, assertTextual, cleanTitle, firstLineTitle, httpBase } from './guards';
import { removeVisuallyHidden, stripTitleSuffix, tidyReadableContent } from './page-cleanup';
import { assertNesting } from './nesting';
import { ImageCollector } from './images';
import { makeDom, sanitizeArticleHtml } from './sanitize';
import { discoverSource } from './source';
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
  /** Finds and keeps the page's images (data: URLs, files dropped with it, images fetched for it): ./images.ts. */
  images?: ImageCollector;
}

/**
 * Readability extracts the article, page-cleanup.ts tidies it for reading (screen-reader-only labels, list captions,
 * a heading or suffix repeating the title), the shared sanitizer makes it safe and measurable.
 */
export function importHtml(input: HtmlImportInput): ImportedArticle {
  const decoded =
    typeof input.content === 'string'
      ? input.content.replace(/^\uFEFF/, '')
      : decodeBytes(input.content, { contentTypeHeader: input.contentType, html: true, name: input.name }).text;
  if (typeof input.content === 'string') assertTextual(decoded, input.name);
  assertNotEmpty(decoded, input.name);
  assertNesting(decoded, input.name); // before jsdom and Readability, whose cost grows steeply with depth

  const explicit = httpBase(input.source);
  const dom = makeDom(decoded, explicit);
  let parsed: ReturnType<Readability<Element>['parse']>;
  let content: string | undefined;
  let title: string | undefined;
  let source = input.source;
  const selfUrls: string[] = [];
  try {
    const doc = dom.window.document;
    // A saved file says where it came from (canonical link, og:url, citation_* URL, "saved from" comment): that is its
    // source, and the base its relative links and images are resolved against (a <base> Readability honours).
    const discovered = discoverSource(doc, decoded);
    if (!explicit && discovered) {
      source ??= discovered;
      if (!doc.querySelector('base[href]')) {
        const baseElement = doc.createElement('base');
        baseElement.setAttribute('href', discovered);
        (doc.head ?? doc.documentElement).prepend(baseElement);
      }
    }
    selfUrls.push(...[discovered, doc.baseURI].filter((u): u is string => Boolean(u && /^https?:/i.test(u))));
    removeVisuallyHidden(doc);
    // The serializer hands back Readability's article element itself: it is tidied in place (no second parse of a
    // page-sized string), then serialized once.
    parsed = new Readability<Element>(doc, { serializer: (node) => node as Element }).parse();
    if (parsed?.content) {
      const byline = cleanTitle(parsed.byline);
      const siteName = cleanTitle(parsed.siteName);
      const pageTitle = cleanTitle(parsed.title);
      title = tidyReadableContent(parsed.content, cleanTitle(input.title) ?? (pageTitle && stripTitleSuffix(pageTitle, [byline, siteName])));
      content = unwrapPage(parsed.content.innerHTML);
    }
  } finally {
    dom.window.close();
  }
  const noArticle = new GlossError('invalid_input', `No readable article found in ${input.name}`);
  if (!parsed || content === undefined) throw noArticle;

  const base = httpBase(source);
  const safe = sanitizeArticleHtml(content, base, { images: input.images, selfUrls });
  if (safe.text.trim().length === 0) throw noArticle;

  return {
    title: cleanTitle(title) ?? firstLineTitle(safe.text) ?? input.name.replace(/^"|"$/g, ''),
    byline: cleanTitle(parsed.byline),
    siteName: cleanTitle(parsed.siteName),
    publishedAt: normalizeDate(parsed.publishedTime),
    lang: cleanTitle(parsed.lang),
    dir: asDir(parsed.dir),
    source,
    text: safe.text,
    html: safe.html,
    ...(input.images && { images: input.images.result() }),
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

/** ISO 8601 when the page's date parses to a sane one (contract.ts publishedDateProblem), the page's own words otherwise. */
function normalizeDate(raw: string | null | undefined): string | undefined {
  const s = cleanTitle(raw);
  if (!s) return undefined;
  const t = Date.parse(s);
  const iso = Number.isNaN(t) ? undefined : new Date(t).toISOString();
  return iso && !publishedDateProblem(iso) ? iso : s;
}
