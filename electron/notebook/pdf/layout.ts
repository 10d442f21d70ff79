/**
 * A PDF's text and the geometry under it, read with pdf.js in the worker: the article's canonical text and page table
 * (by the very rules of electron/pdf-text.ts, which the reader's text layer uses too), and each page's text items
 * with their positions, which anchoring in-file annotations and writing them back need.
 */
import { buildPageText, joinPages, PDF_TEXT_CONTENT_OPTIONS } from '../../pdf-text';
import type { PdfDocument } from './pdfjs-node';
import type { PdfLayout, PdfLayoutPage, PdfTextItem } from './types';

export async function readPdfLayout(doc: PdfDocument): Promise<PdfLayout> {
  const pageTexts: string[] = [];
  const partial: Omit<PdfLayoutPage, 'start' | 'end'>[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const content = await page.getTextContent(PDF_TEXT_CONTENT_OPTIONS);
    const items: PdfTextItem[] = [];
    for (const item of content.items) {
      if (!('str' in item)) continue; // marked content is excluded by the options; kept out here too
      items.push({ str: item.str, hasEOL: item.hasEOL, transform: item.transform as number[], width: item.width, height: item.height, dir: item.dir });
    }
    const { text, itemStarts } = buildPageText(items);
    pageTexts.push(text);
    partial.push({ number: n, items, itemStarts, view: [...page.view] });
    page.cleanup();
  }
  const labels = await doc.getPageLabels().catch(() => null);
  const { text, pages } = joinPages(pageTexts, labels);
  const layoutPages = partial.map((p, i) => ({ ...p, start: pages[i].start, end: pages[i].end }));
  return { text, pages, layoutPages };
}
