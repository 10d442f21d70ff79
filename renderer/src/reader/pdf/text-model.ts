/**
 * The text model of a PDF in the reader: the article's text (built by the import worker with pdf-text.ts's rules),
 * and, for the pages rendered now, their text layers' text nodes at the offsets of their items. It is the same shape
 * as the HTML reader's TextModel, so the painter, selection offsets and click hits work unchanged; offsets on pages
 * that are not rendered simply have no node (domRangePoints paints what is rendered of a range and skips the rest).
 */
import type { PdfPage } from '../../../../electron/contract';
import type { TextModel } from '../../../../electron/text-model';

export interface RenderedPageText {
  /** The page's entry in article.pages. */
  page: Pick<PdfPage, 'start' | 'end'>;
  textDivs: readonly HTMLElement[];
  itemStarts: readonly number[];
}

/** `rendered` in page order. */
export function buildPdfTextModel(text: string, rendered: readonly RenderedPageText[]): TextModel {
  const nodes: Text[] = [];
  const starts: number[] = [];
  for (const { page, textDivs, itemStarts } of rendered) {
    textDivs.forEach((div, i) => {
      const node = div.firstChild;
      const itemStart = itemStarts[i];
      if (!(node instanceof Text) || node.data.length === 0 || itemStart === undefined || itemStart < 0) return;
      const start = page.start + itemStart;
      // Trailing white space of a page is not in the article's text (pdf-text.ts trims it): such an item has no offset.
      if (start >= page.end) return;
      // Item order is text order; a repeated start (an empty item before) must not go backwards.
      if (starts.length > 0 && start < starts[starts.length - 1]) return;
      nodes.push(node);
      starts.push(start);
    });
  }
  return { text, nodes, starts };
}
