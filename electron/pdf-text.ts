/**
 * The PDF text model: how pdf.js's text items become an article's canonical text, and back.
 *
 * A PDF article's `text` is its pages' text as pdf.js reads it, pages joined by a blank line, and every highlight is an
 * offset into it. The import worker (pdf.js under Node) and the reader (pdf.js in the page, whose text layer draws one
 * span per text item, in item order: TextLayer.textDivs) must agree on that text character for character, so both
 * ask pdf.js for the text with PDF_TEXT_CONTENT_OPTIONS and run buildPageText. Like text-model.ts this file imports
 * nothing: the renderer and the notebook both use it.
 *
 * The rules, per page:
 *  - each item contributes its `str` verbatim (so an offset inside item i is an offset inside textDivs[i]'s text);
 *  - an item with `hasEOL` ends a line: one "\n" after it, never two in a row (a blank line separates pages only);
 *  - trailing whitespace at the end of the page is dropped (offsets past it map to nothing).
 * Pages are joined with PAGE_SEPARATOR; an empty page (a scan, a blank page) still has its entry, start === end.
 */

/**
 * Passed to `page.getTextContent()` (worker) and used for the reader's text layer alike. Normalization stays on (pdf.js
 * turns ligatures such as "ﬁ" into "fi", so quotes and search read as people type); marked content is left out, so
 * text items and the text layer's spans correspond one to one.
 */
export const PDF_TEXT_CONTENT_OPTIONS = { includeMarkedContent: false, disableNormalization: false } as const;

export const PAGE_SEPARATOR = '\n\n';

/** The part of a pdf.js TextItem this model reads (a TextMarkedContent has no `str` and is skipped). */
export interface PdfTextItemLike {
  str?: string;
  hasEOL?: boolean;
}

export interface PageText {
  /** The page's text. */
  text: string;
  /** itemStarts[i] = offset in `text` of item i's first character (items without `str` get -1). */
  itemStarts: number[];
}

/** One page's text from its pdf.js text items (in the order getTextContent returns them). */
export function buildPageText(items: readonly PdfTextItemLike[]): PageText {
  let text = '';
  const itemStarts: number[] = [];
  for (const item of items) {
    if (typeof item.str !== 'string') {
      itemStarts.push(-1);
      continue;
    }
    itemStarts.push(text.length);
    text += item.str;
    if (item.hasEOL && text.length > 0 && !text.endsWith('\n')) text += '\n';
  }
  const trimmed = text.replace(/\s+$/u, '');
  return { text: trimmed, itemStarts };
}

export interface JoinedPages {
  text: string;
  pages: { number: number; label?: string; start: number; end: number }[];
}

/**
 * The article's text and page table from each page's text (in page order) and the PDF's page labels (pdf.js
 * `getPageLabels()`, null when it has none). A label is kept only when it says something the number does not.
 */
export function joinPages(pageTexts: readonly string[], labels?: readonly string[] | null): JoinedPages {
  const pages: JoinedPages['pages'] = [];
  let text = '';
  pageTexts.forEach((pageText, i) => {
    if (i > 0) text += PAGE_SEPARATOR;
    const start = text.length;
    text += pageText;
    const label = labels?.[i]?.trim();
    pages.push({ number: i + 1, ...(label && label !== String(i + 1) && { label }), start, end: text.length });
  });
  return { text, pages };
}

/** The 1-based number of the page an offset is on (an offset in a separator belongs to the page before it). */
export function pageAtOffset(pages: readonly { number: number; start: number; end: number }[], offset: number): number {
  let lo = 0;
  let hi = pages.length - 1;
  if (hi < 0) return 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (pages[mid].start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return pages[lo].number;
}

/** How a page is named to a reader: its label when it has one ("xii"), else its number. */
export function pageName(page: { number: number; label?: string }): string {
  return page.label ?? String(page.number);
}
