/**
 * Citation metadata a page declares about itself, read from its <head> before Readability rewrites the document:
 *  - Highwire Press `citation_*` tags (what Google Scholar indexes and Zotero reads first: journals, repositories);
 *  - schema.org JSON-LD (`<script type="application/ld+json">`, a node, an array, or an `@graph`): Article,
 *    ScholarlyArticle, NewsArticle, BlogPosting, Report, Book, Chapter, Thesis;
 *  - Dublin Core (`DC.creator`, `dc.creator`, `dcterms.issued`..., any case);
 *  - Open Graph (`og:type`, `article:published_time`, `article:author`, `book:isbn`, `book:author`), then HTML's
 *    plain `<meta name="author">`.
 * Earlier sources win field by field, in that order. Values are cleaned (whitespace, "By ", URLs where a name is
 * expected); a field nothing declares is absent. Pure: the caller gives the parsed document.
 */
import { normalizeDoi, normalizeIsbn, type WorkType } from '../../contract';
import { splitAuthors } from '../pdf/metadata';
import type { CitationFields } from './types';

export interface PageCitation extends CitationFields {
  title?: string;
  publishedAt?: string;
  lang?: string;
}

/** Largest JSON-LD block parsed, characters: a page's real ones are a few KB; a 5 MB one is not metadata. */
const MAX_JSON_LD_CHARS = 512 * 1024;
const MAX_AUTHORS = 100;

type Meta = Map<string, string[]>;

export function readCitationMeta(doc: Document): PageCitation {
  const meta = metaTags(doc);
  const sources = [fromHighwire(meta), fromJsonLd(doc), fromDublinCore(meta), fromOpenGraph(meta)];
  const out: PageCitation = {};
  for (const source of sources) {
    for (const [key, value] of Object.entries(source) as [keyof PageCitation, PageCitation[keyof PageCitation]][]) {
      if (value === undefined || (Array.isArray(value) && value.length === 0) || out[key] !== undefined) continue;
      (out as Record<string, unknown>)[key] = value;
    }
  }
  return out;
}

/** Every <meta name|property=... content=...>, keyed by lower-cased name, values in document order. */
function metaTags(doc: Document): Meta {
  const meta: Meta = new Map();
  for (const el of doc.querySelectorAll('meta[content]')) {
    const name = (el.getAttribute('name') ?? el.getAttribute('property') ?? '').trim().toLowerCase();
    const content = clean(el.getAttribute('content'));
    if (!name || !content) continue;
    meta.set(name, [...(meta.get(name) ?? []), content]);
  }
  return meta;
}

const first = (meta: Meta, ...names: string[]): string | undefined => names.map((n) => meta.get(n)?.[0]).find(Boolean);
const all = (meta: Meta, ...names: string[]): string[] => names.flatMap((n) => meta.get(n) ?? []);

function fromHighwire(meta: Meta): PageCitation {
  const authors = all(meta, 'citation_author');
  const listed = first(meta, 'citation_authors');
  const firstPage = first(meta, 'citation_firstpage');
  const lastPage = first(meta, 'citation_lastpage');
  const container = first(meta, 'citation_journal_title', 'citation_conference_title', 'citation_book_title', 'citation_inbook_title');
  const type: WorkType | undefined = first(meta, 'citation_journal_title')
    ? 'article-journal'
    : first(meta, 'citation_conference_title')
      ? 'paper-conference'
      : first(meta, 'citation_dissertation_institution')
        ? 'thesis'
        : first(meta, 'citation_technical_report_institution')
          ? 'report'
          : first(meta, 'citation_inbook_title', 'citation_book_title')
            ? 'chapter'
            : undefined;
  return {
    title: first(meta, 'citation_title'),
    authors: people(authors.length ? authors : listed ? listed.split(/\s*;\s*/) : []),
    publishedAt: date(first(meta, 'citation_publication_date', 'citation_date', 'citation_online_date', 'citation_cover_date')),
    container,
    publisher: first(meta, 'citation_publisher', 'citation_dissertation_institution', 'citation_technical_report_institution'),
    volume: first(meta, 'citation_volume'),
    issue: first(meta, 'citation_issue'),
    pageRange: firstPage ? (lastPage && lastPage !== firstPage ? `${firstPage}-${lastPage}` : firstPage) : undefined,
    doi: doi(first(meta, 'citation_doi')),
    isbn: isbn(all(meta, 'citation_isbn')),
    lang: lang(first(meta, 'citation_language')),
    workType: type,
  };
}

function fromDublinCore(meta: Meta): PageCitation {
  const dc = (field: string): string[] => all(meta, `dc.${field}`, `dcterms.${field}`);
  const identifiers = [...dc('identifier'), ...dc('relation.ispartof')];
  return {
    title: dc('title')[0],
    authors: people(dc('creator').length ? dc('creator') : dc('contributor')),
    publishedAt: date([...dc('date.issued'), ...dc('issued'), ...dc('date.created'), ...dc('created'), ...dc('date')][0]),
    publisher: dc('publisher')[0],
    doi: identifiers.map(doi).find(Boolean),
    isbn: isbn(identifiers),
    lang: lang(dc('language')[0]),
    container: dc('source').find((s) => !/^(https?:|urn:)/i.test(s)),
  };
}

function fromOpenGraph(meta: Meta): PageCitation {
  const ogType = first(meta, 'og:type')?.toLowerCase();
  return {
    // HTML's own <meta name="author"> last: the most common tag of all, and the least precise.
    authors: people([...all(meta, 'article:author'), ...all(meta, 'book:author')]).length
      ? people([...all(meta, 'article:author'), ...all(meta, 'book:author')])
      : people(all(meta, 'author')),
    publishedAt: date(first(meta, 'article:published_time', 'book:release_date')),
    isbn: isbn(all(meta, 'book:isbn')),
    workType: ogType === 'book' ? 'book' : undefined,
  };
}

// ----------------------------------------------------------------------------------------------------------- JSON-LD

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

const LD_TYPES: Record<string, WorkType | null> = {
  scholarlyarticle: 'article-journal',
  medicalscholarlyarticle: 'article-journal',
  newsarticle: 'article-newspaper',
  reportagenewsarticle: 'article-newspaper',
  analysisnewsarticle: 'article-newspaper',
  opinionnewsarticle: 'article-newspaper',
  blogposting: 'post-weblog',
  socialmediaposting: 'post-weblog',
  report: 'report',
  book: 'book',
  chapter: 'chapter',
  thesis: 'thesis',
  // A generic article or web page: a citation of it is a web page, which is the default guess anyway.
  article: null,
  techarticle: null,
  webpage: null,
};

function fromJsonLd(doc: Document): PageCitation {
  const nodes: Node[] = [];
  for (const script of doc.querySelectorAll('script[type="application/ld+json" i]')) {
    // Some sites wrap it in CDATA (Medium: `<![CDATA[ {...} ]]>`), a leftover of XHTML.
    const text = (script.textContent ?? '').replace(/^\s*(?:\/\/\s*)?<!\[CDATA\[/, '').replace(/(?:\/\/\s*)?\]\]>\s*$/, '');
    if (text.length > MAX_JSON_LD_CHARS) continue;
    try {
      collect(JSON.parse(text), nodes, 0);
    } catch {
      // A page's broken JSON-LD is the page's problem: the other sources still count.
    }
  }
  const typed = nodes
    .map((node) => ({ node, type: typesOf(node).find((t) => t in LD_TYPES) }))
    .filter((n): n is { node: Node; type: string } => n.type !== undefined);
  // The most specific kind of work first (a ScholarlyArticle over the WebPage that holds it).
  typed.sort((a, b) => Number(LD_TYPES[b.type] !== null) - Number(LD_TYPES[a.type] !== null));
  const pick = typed[0];
  if (!pick) return {};
  const n = pick.node;
  const byId = new Map(nodes.filter((x) => typeof x['@id'] === 'string').map((x) => [x['@id'] as string, x]));
  const resolve = (v: unknown): unknown => (isNode(v) && typeof v['@id'] === 'string' && Object.keys(v).length === 1 ? (byId.get(v['@id']) ?? v) : v);
  const names = (v: unknown): string[] =>
    (Array.isArray(v) ? v : [v]).map(resolve).flatMap((x) => (typeof x === 'string' ? [x] : isNode(x) && typeof x.name === 'string' ? [x.name] : []));
  const identifiers = (Array.isArray(n.identifier) ? n.identifier : [n.identifier]).flatMap((id) =>
    typeof id === 'string' ? [id] : isNode(id) && (typeof id.value === 'string' || typeof id.value === 'number') ? [`${String(id.propertyID ?? '')}:${String(id.value)}`] : [],
  );
  const sameAs = (Array.isArray(n.sameAs) ? n.sameAs : [n.sameAs]).filter((s): s is string => typeof s === 'string');
  const partOf = resolve(n.isPartOf);
  const periodical = isNode(partOf) && typesOf(partOf).some((t) => /periodical|publicationvolume|publicationissue|book/.test(t)) ? partOf : undefined;
  const start = str(n.pageStart);
  const end = str(n.pageEnd);
  return {
    title: str(n.headline) ?? str(n.name),
    authors: people(names(n.author).length ? names(n.author) : names(n.creator)),
    publishedAt: date(str(n.datePublished) ?? str(n.dateCreated)),
    container: periodical ? (names(periodical)[0] ?? names(resolve(periodical.isPartOf))[0]) : undefined,
    publisher: names(n.publisher)[0],
    volume: str(n.volumeNumber) ?? (periodical && typesOf(periodical).includes('publicationvolume') ? str(periodical.volumeNumber) : undefined),
    issue: str(n.issueNumber) ?? (periodical && typesOf(periodical).includes('publicationissue') ? str(periodical.issueNumber) : undefined),
    pageRange: str(n.pagination) ?? (start ? (end && end !== start ? `${start}-${end}` : start) : undefined),
    doi: [...identifiers, ...sameAs, str(n['@id']), str(n.url)].map((s) => (s && /(^doi:|doi\.org\/|^10\.)/i.test(s) ? doi(s) : undefined)).find(Boolean),
    isbn: isbn([...(Array.isArray(n.isbn) ? n.isbn : [n.isbn]).map(str).filter((s): s is string => !!s), ...identifiers.filter((i) => /isbn/i.test(i))]),
    lang: lang(str(n.inLanguage) ?? (isNode(n.inLanguage) ? str(n.inLanguage.alternateName) : undefined)),
    workType: LD_TYPES[pick.type] ?? undefined,
  };
}

function collect(value: unknown, into: Node[], depth: number): void {
  if (depth > 6 || into.length > 500) return;
  if (Array.isArray(value)) for (const v of value) collect(v, into, depth + 1);
  else if (isNode(value)) {
    into.push(value);
    if (value['@graph'] !== undefined) collect(value['@graph'], into, depth + 1);
  }
}

function typesOf(node: Node): string[] {
  const t = node['@type'];
  return (Array.isArray(t) ? t : [t]).filter((x): x is string => typeof x === 'string').map((x) => x.replace(/^.*[/:#]/, '').toLowerCase());
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' || typeof v === 'number' ? clean(String(v)) : undefined;
}

// ------------------------------------------------------------------------------------------------------- cleaning

function clean(s: string | null | undefined): string | undefined {
  const v = s?.replace(/\s+/g, ' ').trim();
  return v ? v.slice(0, 1000) : undefined;
}

/** Names as people write them; URLs (Open Graph's article:author is often a profile page) and duplicates dropped. */
function people(values: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of values) {
    const v = clean(raw)?.replace(/^by\s+/i, '');
    if (!v || /^(https?:|www\.)/i.test(v) || /^\W+$/.test(v)) continue;
    // One tag holding "Jane Doe; John Roe" or "Jane Doe and John Roe" is several people.
    for (const name of splitAuthors(v)) if (!out.includes(name)) out.push(name);
  }
  return out.slice(0, MAX_AUTHORS);
}

/** An ISO date when it parses (2024/03/01 and 2024-03-01T... as written by Highwire tags), else the page's words. */
function date(value: string | undefined): string | undefined {
  const v = clean(value);
  if (!v) return undefined;
  const slashes = /^(\d{4})\/(\d{1,2})(?:\/(\d{1,2}))?$/.exec(v);
  if (slashes) return [slashes[1], slashes[2].padStart(2, '0'), slashes[3]?.padStart(2, '0')].filter(Boolean).join('-');
  if (/^\d{4}(-\d{2}(-\d{2})?)?$/.test(v)) return v;
  const t = Date.parse(v);
  return Number.isNaN(t) ? v : new Date(t).toISOString();
}

function doi(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const m = /(10\.\d{4,9}\/[^\s"'<>]+)/.exec(value);
  return m ? normalizeDoi(m[1].replace(/[.,;)\]]+$/, '')) : undefined;
}

function isbn(values: readonly string[]): string | undefined {
  for (const v of values) {
    const found = normalizeIsbn(v.replace(/^(urn:)?isbn:?/i, ''));
    if (found) return found;
  }
  return undefined;
}

function lang(value: string | undefined): string | undefined {
  const v = value?.trim().replace(/_/g, '-');
  return v && /^[a-z]{2,3}(-[a-z0-9]{1,8})*$/i.test(v) ? v : undefined;
}
