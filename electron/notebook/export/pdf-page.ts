/**
 * Where a PDF highlight is, as an export says it: its page's name ("p. 12", or the PDF's own label, "p. xii") and a
 * link that opens the file at that page (`paper.pdf#page=12`, the open parameter of RFC 3778 that Acrobat, pdf.js,
 * Preview, Zotero and Obsidian follow). The link is relative: it works where the PDF sits beside the exported notes.
 */
import type { Article, Highlight } from '../../contract';
import { pageAtOffset, pageName } from '../../pdf-text';
import { escapeLabel } from './escape';

export interface PdfPlace {
  /** 1-based page number. */
  page: number;
  /** The page as a reader names it: its label when the PDF has one, else its number. */
  pageLabel: string;
  /** `<file name>#page=N`, percent-encoded (or the PDF's web address with `#page=N` when it has no file name); '' when neither is known. */
  pageLink: string;
}

/** Percent-encoding for a relative link: also ( ) ' ! * so a Markdown link's parenthesis cannot end early. */
function encodePathSegment(name: string): string {
  return encodeURIComponent(name).replace(/[()'!*]/gu, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function pdfPageLink(fileName: string, page: number): string {
  return `${encodePathSegment(fileName)}#page=${page}`;
}

/** The place of a highlight on a PDF article; undefined for other articles and for orphans (not in the current text). */
export function pdfPlaceOf(article: Pick<Article, 'kind' | 'pages' | 'pdf' | 'source'>, h: Pick<Highlight, 'start' | 'page' | 'orphaned'>): PdfPlace | undefined {
  if (article.kind !== 'pdf' || !article.pages?.length || h.orphaned) return undefined;
  const number = h.page ?? pageAtOffset(article.pages, h.start);
  const page = article.pages.find((p) => p.number === number) ?? { number };
  return { page: number, pageLabel: pageName(page), pageLink: linkTo(article, number) };
}

function linkTo(article: Pick<Article, 'pdf' | 'source'>, page: number): string {
  const fileName = article.pdf?.fileName?.trim();
  if (fileName) return pdfPageLink(fileName, page);
  const web = webAddress(article.source);
  return web ? `${web}#page=${page}` : '';
}

/** An http(s) address without its fragment, as a link may hold it (no spaces, brackets or parentheses); else undefined. */
function webAddress(source: string | undefined): string | undefined {
  if (!source) return undefined;
  try {
    const url = new URL(source);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    url.hash = '';
    return url.href.replace(/[()]/gu, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  } catch {
    return undefined;
  }
}

/** "p. 12" as Markdown: a link to the page when the file name is known, else plain text. */
export function pageMarkdown(place: Pick<PdfPlace, 'pageLabel' | 'pageLink'>): string {
  const text = escapeLabel(`p. ${place.pageLabel}`);
  return place.pageLink ? `[${text}](${place.pageLink})` : text;
}
