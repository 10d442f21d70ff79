/**
 * The library as BibTeX or CSL-JSON, the two formats pandoc, Zotero and every reference manager read.
 *
 * BibTeX: biblatex entry types where classic BibTeX has none (`@online` for a web page, which pandoc, biber, Zotero and
 * citation-js read), `year` beside a biblatex `date`, pages with `--`. Values are braced and escaped for TeX: the ten
 * specials (`# $ % & ~ _ ^ \ { }`) become their commands, Latin letters with accents become TeX accents (`{\'e}`) so
 * even 8-bit BibTeX reads them; anything else (Greek, CJK, emoji) stays UTF-8, as biber and pandoc read it.
 * CSL-JSON: the citeproc schema (https://github.com/citation-style-language/schema), one item per article, its `id`
 * the citation key.
 */
import type { Article, CitationFormat, WorkType } from '../../contract';
import { authorsOf, nameParts, workTypeOf, type CitationSource } from './citation';

export type CitableArticle = CitationSource & Pick<Article, 'citekey'> & { citekey: string };

export function renderCitations(articles: readonly (CitationSource & { citekey?: string })[], format: CitationFormat): string {
  const keyed = articles.map((a) => ({ ...a, citekey: a.citekey ?? a.id }));
  return format === 'bibtex' ? toBibtex(keyed) : `${JSON.stringify(keyed.map(toCsl), null, 2)}\n`;
}

// ---------------------------------------------------------------------------------------------------------- CSL-JSON

export interface CslItem {
  id: string;
  type: string;
  title?: string;
  author?: ({ family: string; given?: string } | { literal: string })[];
  issued?: { 'date-parts': number[][] } | { raw: string };
  accessed?: { 'date-parts': number[][] };
  'container-title'?: string;
  publisher?: string;
  volume?: string;
  issue?: string;
  page?: string;
  DOI?: string;
  ISBN?: string;
  URL?: string;
  language?: string;
}

export function toCsl(article: CitableArticle): CslItem {
  const issued = dateParts(article.publishedAt);
  const added = dateParts(article.addedAt);
  const item: CslItem = {
    id: article.citekey,
    type: workTypeOf(article),
    title: article.title,
  };
  const authors = authorsOf(article).map((name) => {
    const p = nameParts(name);
    return p.literal ? { literal: p.family } : { family: p.family, ...(p.given && { given: p.given }) };
  });
  if (authors.length) item.author = authors;
  if (issued) item.issued = { 'date-parts': [issued] };
  else if (article.publishedAt?.trim()) item.issued = { raw: article.publishedAt.trim() };
  if (article.source && added && workTypeOf(article) === 'webpage') item.accessed = { 'date-parts': [added] };
  const container = containerOf(article);
  if (container) item['container-title'] = container;
  if (article.publisher) item.publisher = article.publisher;
  if (article.volume) item.volume = article.volume;
  if (article.issue) item.issue = article.issue;
  if (article.pageRange) item.page = article.pageRange;
  if (article.doi) item.DOI = article.doi;
  if (article.isbn) item.ISBN = article.isbn;
  if (article.source) item.URL = article.source;
  if (article.lang) item.language = article.lang;
  return item;
}

/** The journal or site: the container when set, else a web page's site name. */
function containerOf(article: CitationSource): string | undefined {
  return article.container || article.siteName || undefined;
}

/** "2024-03-01..." -> [2024, 3, 1]; "2024-03" -> [2024, 3]; "2024" -> [2024]; words -> undefined. */
function dateParts(value: string | undefined): number[] | undefined {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:$|T)/.exec(value?.trim() ?? '');
  if (!m) return undefined;
  return [m[1], m[2], m[3]].filter((p): p is string => p !== undefined).map(Number);
}

// ------------------------------------------------------------------------------------------------------------ BibTeX

const BIBTEX_TYPE: Record<WorkType, string> = {
  'article-journal': 'article',
  'article-newspaper': 'article',
  'article-magazine': 'article',
  webpage: 'online',
  'post-weblog': 'online',
  book: 'book',
  chapter: 'incollection',
  'paper-conference': 'inproceedings',
  report: 'techreport',
  thesis: 'phdthesis',
  document: 'misc',
};

/** Which BibTeX field holds the container, per entry type. */
const CONTAINER_FIELD: Record<string, string> = {
  article: 'journal',
  incollection: 'booktitle',
  inproceedings: 'booktitle',
  book: 'series',
  online: 'organization',
  techreport: 'institution',
  phdthesis: 'school',
  misc: 'howpublished',
};

export function toBibtex(articles: readonly CitableArticle[]): string {
  return articles.map(bibtexEntry).join('\n');
}

function bibtexEntry(article: CitableArticle): string {
  const type = BIBTEX_TYPE[workTypeOf(article)];
  const fields: [string, string][] = [];
  const add = (name: string, value: string | undefined, raw = false): void => {
    if (value?.trim()) fields.push([name, raw ? value.trim() : texEscape(value.trim())]);
  };
  const authors = authorsOf(article).map((name) => {
    const p = nameParts(name);
    // An organisation is braced whole, so BibTeX does not take "Reuters Staff" for Staff, Reuters.
    return p.literal ? `{${texEscape(p.family)}}` : p.given ? `${texEscape(p.family)}, ${texEscape(p.given)}` : texEscape(p.family);
  });
  if (authors.length) fields.push(['author', authors.join(' and ')]);
  add('title', article.title);
  const container = containerOf(article);
  add(CONTAINER_FIELD[type], container);
  if (type === 'book') add('publisher', article.publisher);
  else if (type !== 'techreport' && type !== 'phdthesis') add('publisher', article.publisher);
  const date = dateParts(article.publishedAt);
  if (date) {
    add('year', String(date[0]), true);
    if (date.length > 1) add('date', article.publishedAt!.trim().slice(0, date.length === 3 ? 10 : 7), true);
  }
  add('volume', article.volume);
  add('number', article.issue);
  add('pages', article.pageRange?.replace(/\s*[-–—]+\s*/g, '--'));
  add('doi', article.doi, true);
  add('isbn', article.isbn, true);
  if (article.source) fields.push(['url', urlEscape(article.source)]);
  const added = dateParts(article.addedAt);
  if (article.source && added && (type === 'online' || type === 'misc')) add('urldate', article.addedAt.slice(0, 10), true);
  add('langid', article.lang);
  const width = Math.max(...fields.map(([n]) => n.length));
  const body = fields.map(([name, value]) => `  ${name.padEnd(width)} = {${value}}`).join(',\n');
  return `@${type}{${article.citekey},\n${body}\n}\n`;
}

/**
 * A URL in a braced value, read verbatim by biber, pandoc and Zotero: only braces and backslashes (which would unbalance
 * or escape the value) are percent-encoded; `%` stays, as Better BibTeX writes it.
 */
function urlEscape(url: string): string {
  return url.replace(/[{}\\]/g, (c) => encodeURIComponent(c));
}

const SPECIALS: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '{': '\\{',
  '}': '\\}',
  $: '\\$',
  '&': '\\&',
  '%': '\\%',
  '#': '\\#',
  _: '\\_',
  '^': '\\textasciicircum{}',
  '~': '\\textasciitilde{}',
};

/** Combining marks with a TeX accent command: `{\'e}` for a symbol command, `{\c{c}}` for a letter command. */
const ACCENTS: Record<string, string> = {
  '\u0300': '`',
  '\u0301': "'",
  '\u0302': '^',
  '\u0303': '~',
  '\u0304': '=',
  '\u0307': '.',
  '\u0308': '"',
  '\u0306': 'u',
  '\u030A': 'r',
  '\u030B': 'H',
  '\u030C': 'v',
  '\u0327': 'c',
  '\u0328': 'k',
};

const LETTERS: Record<string, string> = {
  ß: '{\\ss}',
  æ: '{\\ae}',
  Æ: '{\\AE}',
  œ: '{\\oe}',
  Œ: '{\\OE}',
  ø: '{\\o}',
  Ø: '{\\O}',
  ł: '{\\l}',
  Ł: '{\\L}',
  ı: '{\\i}',
  '\u00A0': '~',
  '–': '--',
  '—': '---',
};

/** Text as a braced BibTeX value (see the module comment). */
export function texEscape(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC').replace(/\s+/g, ' ')) {
    if (SPECIALS[ch]) out += SPECIALS[ch];
    else if (ch.charCodeAt(0) < 0x80) out += ch;
    else if (LETTERS[ch]) out += LETTERS[ch];
    else out += accented(ch) ?? ch;
  }
  return out;
}

function accented(ch: string): string | undefined {
  const [base, ...marks] = ch.normalize('NFD');
  if (marks.length !== 1 || !/^[A-Za-z]$/.test(base)) return undefined;
  const command = ACCENTS[marks[0]];
  if (!command) return undefined;
  return /^[a-zA-Z]$/.test(command) ? `{\\${command}{${base}}}` : `{\\${command}${base}}`;
}
