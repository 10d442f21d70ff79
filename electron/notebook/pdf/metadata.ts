/**
 * A PDF's title, authors, date, DOI and language, from what the file says about itself (the Info dictionary and the
 * XMP packet) and, where that is missing or junk, from its first page: the largest text there is nearly always the
 * title, and a paper prints its DOI on page 1.
 */
import { normalizeIsbn } from '../../contract';
import type { CitationFields } from '../import/types';
import type { PdfTextItem } from './types';

/** What pdf.js's getMetadata() gives, reduced to plain values (it crosses to the notebook by structured clone). */
export interface PdfMetadataSource {
  /** The Info dictionary (Title, Author, CreationDate, Subject, Keywords, ...) plus pdf.js's own keys (Language). */
  info: Record<string, unknown>;
  /** XMP values by lowercased name (pdf.js Metadata.getAll()): 'dc:title', 'dc:creator' (a list), 'xmp:createdate'... */
  xmp: Record<string, unknown>;
  /** The first page's text items and text (electron/pdf-text.ts), for the fallback title and the DOI. */
  firstPageItems: readonly Pick<PdfTextItem, 'str' | 'height' | 'hasEOL'>[];
  firstPageText: string;
  /** The imported file's name, when known: a title equal to it says nothing. */
  fileName?: string;
}

export interface PdfMetadata {
  title: string;
  authors: string[];
  publishedAt?: string;
  doi?: string;
  lang?: string;
  /** The rest of a citation, from XMP's PRISM and Dublin Core (journal, volume, pages, publisher) and an ISBN. */
  citation?: CitationFields;
}

export function readPdfMetadata(source: PdfMetadataSource): PdfMetadata {
  const { info, xmp } = source;
  const declaredTitle = [xmpText(xmp['dc:title']), infoText(info.Title)].find((t) => t && !isJunkTitle(t, source.fileName));
  const title = declaredTitle ?? largestText(source.firstPageItems) ?? fileTitle(source.fileName) ?? 'Untitled PDF';
  const authors = xmpList(xmp['dc:creator']) ?? splitAuthors(infoText(info.Author));
  const publishedAt = isoDay(xmpText(xmp['xmp:createdate'])) ?? pdfDate(infoText(info.CreationDate));
  const doi =
    [xmp['prism:doi'], xmp['dc:identifier'], xmp['pdfx:doi'], info.doi, info.DOI, info.Subject, info.Keywords]
      .map((v) => findDoi(xmpText(v) ?? infoText(v)))
      .find(Boolean) ?? findDoi(source.firstPageText);
  const lang = languageTag(infoText(info.Language) ?? xmpText(xmp['dc:language']));
  const citation = pdfCitation(xmp, source.firstPageText);
  return {
    title: clip(collapse(title), 500),
    authors: authors.map(collapse).filter(Boolean),
    ...(publishedAt && { publishedAt }),
    ...(doi && { doi }),
    ...(lang && { lang }),
    ...(citation && { citation }),
  };
}

/**
 * PRISM (the XMP schema publishers write: Elsevier, Springer, IEEE) and Dublin Core fields, and an ISBN printed on the
 * first page ("ISBN 978-0-14-143976-1"), checked by its check digit.
 */
function pdfCitation(xmp: Record<string, unknown>, firstPageText: string): CitationFields | undefined {
  const text = (key: string): string | undefined => {
    const v = xmpText(xmp[key]);
    return v ? clip(collapse(v), 500) : undefined;
  };
  const start = text('prism:startingpage');
  const end = text('prism:endingpage');
  const isbnCandidates = [text('prism:isbn'), text('dc:identifier'), ...(firstPageText.match(/ISBN(?:-1[03])?:?\s*[\d][\d\s-]{8,16}[\dXx]/g) ?? [])];
  const isbn = isbnCandidates.map((c) => (c ? normalizeIsbn(c) : undefined)).find(Boolean);
  const fields: CitationFields = {
    ...(text('prism:publicationname') && { container: text('prism:publicationname') }),
    ...(text('dc:publisher') && { publisher: text('dc:publisher') }),
    ...(text('prism:volume') && { volume: text('prism:volume') }),
    ...(text('prism:number') && { issue: text('prism:number') }),
    ...(start && { pageRange: end && end !== start ? `${start}-${end}` : start }),
    ...(isbn && { isbn }),
  };
  return Object.keys(fields).length ? fields : undefined;
}

/**
 * A title that names nothing: a word processor's "Microsoft Word - x.doc", a file name (this file's or any with a
 * document extension), "untitled", a path, or too short or symbol-only to be a title.
 */
export function isJunkTitle(title: string, fileName?: string): boolean {
  const t = collapse(title);
  if (t.length < 3 || !/\p{L}{2}/u.test(t)) return true;
  if (/^(microsoft (word|powerpoint|excel)|untitled|document\d*$|title$|slide \d+$)/i.test(t)) return true;
  if (/\.(pdf|docx?|odt|rtf|tex|dvi|ps|eps|indd|pages|pptx?|xlsx?|txt|qxd|fm)$/i.test(t)) return true;
  if (/^[a-z]:\\|^\/|\\/i.test(t)) return true;
  if (fileName) {
    const base = fileName.replace(/\.[a-z0-9]{1,5}$/i, '');
    if (t === fileName.trim() || t === base.trim()) return true;
  }
  return false;
}

/**
 * The first page's largest text (by item height, the font size): the first run of items at that size, in the page's
 * item order (blank items between them do not end it), as up to three lines, a line repeated in a row said once.
 * Items within a tenth of a point of the size count, so a title set on two lines is whole. When the largest text does
 * not read as a title (a drop cap, a logo letter, a page number), the next size down is tried.
 */
export function largestText(items: readonly Pick<PdfTextItem, 'str' | 'height' | 'hasEOL'>[]): string | undefined {
  const sized = items.filter((i) => i.str.trim() && i.height > 0);
  const sizes = [...new Set(sized.map((i) => Math.round(i.height * 10) / 10))].sort((a, b) => b - a);
  for (const size of sizes.slice(0, 4)) {
    const first = items.findIndex((i) => i.str.trim() && Math.abs(i.height - size) <= 0.1);
    const lines: string[] = [''];
    for (let i = first; i < items.length; i++) {
      const item = items[i];
      if (!item.str.trim()) {
        if (item.str) lines[lines.length - 1] += ' ';
      } else if (Math.abs(item.height - size) <= 0.1) lines[lines.length - 1] += item.str;
      else break;
      if (item.hasEOL) lines.push('');
    }
    const kept = lines.map(collapse).filter((line, i, all) => line && line !== all[i - 1]);
    const title = collapse(kept.slice(0, 3).join(' '));
    if (title.length >= 3 && /\p{L}{2}/u.test(title) && title.length <= 300) return title;
  }
  return undefined;
}

/** A DOI ("10.1145/1542476.1542528") in free text or a doi: / https://doi.org/ identifier; trailing punctuation dropped. */
export function findDoi(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const m = /\b(10\.\d{4,9}\/[^\s"'<>]+)/.exec(text);
  if (!m) return undefined;
  return m[1].replace(/[.,;:)\]}]+$/, '');
}

/** Info's PDF date "D:20090616120000+02'00'" -> "2009-06-16" (the day is what an article's published date holds). */
export function pdfDate(value: string | undefined): string | undefined {
  const m = value && /^(?:D:)?(\d{4})(\d{2})?(\d{2})?/.exec(value.trim());
  if (!m) return undefined;
  return validDay(m[1], m[2] ?? '01', m[3] ?? '01');
}

function isoDay(value: string | undefined): string | undefined {
  const m = value && /^(\d{4})-(\d{2})-(\d{2})/.exec(value.trim());
  return m ? validDay(m[1], m[2], m[3]) : undefined;
}

function validDay(year: string, month: string, day: string): string | undefined {
  const y = Number(year);
  const mo = Number(month);
  const d = Number(day);
  if (y < 1000 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > new Date(Date.UTC(y, mo, 0)).getUTCDate()) return undefined;
  return `${year}-${month}-${day}`;
}

/**
 * Info's Author is one string: "A. Gal; B. Eich" or "Andreas Gal, Brendan Eich and Mike Shaver". Semicolons always
 * separate people; commas and "and" only when every part is a multi-word name (so "Gal, Andreas" stays one person).
 */
export function splitAuthors(value: string | undefined): string[] {
  if (!value?.trim()) return [];
  const bySemicolon = value.split(/\s*;\s*/).filter(Boolean);
  if (bySemicolon.length > 1) return bySemicolon;
  const parts = value.split(/\s*,\s*|\s+(?:and|&)\s+/).filter(Boolean);
  return parts.length > 1 && parts.every((p) => /\S\s+\S/.test(p)) ? parts : [value.trim()];
}

function languageTag(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v && /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i.test(v) ? v : undefined;
}

function fileTitle(fileName: string | undefined): string | undefined {
  const base = fileName?.replace(/\.pdf$/i, '').trim();
  return base || undefined;
}

function infoText(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/** An XMP value: a string, or the first entry of a list (rdf:Alt / rdf:Seq as pdf.js gives them). */
function xmpText(value: unknown): string | undefined {
  if (Array.isArray(value)) return xmpText(value[0]);
  return infoText(value);
}

function xmpList(value: unknown): string[] | undefined {
  const list = (Array.isArray(value) ? value : [value]).map(infoText).filter((v): v is string => v !== undefined);
  return list.length ? list : undefined;
}

function collapse(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
