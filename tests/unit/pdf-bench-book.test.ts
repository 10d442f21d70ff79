/**
 * The PDF bench's book (bench/pdf-book.mjs): 350 pages that pdf.js reads as Moby-Dick's prose, the same bytes every
 * time, and 300 highlights planned on whole words of the text the notebook reads, where the bench expects them (two
 * on page 1, four on page 200, the rest spread over the book).
 */
import { describe, expect, it } from 'vitest';
import { BOOK_HIGHLIGHTS, BOOK_PAGES, makePdfBook, planPdfHighlights } from '../../bench/pdf-book.mjs';
import { closePdf, openPdf } from '../../electron/notebook/pdf/pdfjs-node';
import { readPdfLayout } from '../../electron/notebook/pdf/layout';
import { pageAtOffset } from '../../electron/pdf-text';

describe('the PDF bench book', () => {
  it('is 350 pages of Moby-Dick, byte for byte the same each time, with highlights planned on its words', async () => {
    const bytes = await makePdfBook();
    expect(Buffer.from(await makePdfBook()).equals(Buffer.from(bytes))).toBe(true);

    const doc = await openPdf(bytes);
    try {
      const layout = await readPdfLayout(doc);
      expect(layout.pages).toHaveLength(BOOK_PAGES);
      expect(layout.text.slice(0, 200)).toContain('Call me Ishmael.');
      const page200 = layout.text.slice(layout.pages[199].start, layout.pages[199].end);
      expect(page200.split('\n').length).toBeGreaterThan(15); // a page of prose, not a line or two
      expect(page200.trimEnd().endsWith('200')).toBe(true); // its folio

      const plan = planPdfHighlights(layout);
      expect(plan).toHaveLength(BOOK_HIGHLIGHTS);
      expect(plan.slice(0, 6).map((h) => h.page)).toEqual([1, 1, 200, 200, 200, 200]);
      expect(new Set(plan.map((h) => h.page)).size).toBeGreaterThan(250); // spread over the book
      for (const h of plan) {
        expect(pageAtOffset(layout.pages, h.start)).toBe(h.page);
        expect(h.end - h.start).toBeGreaterThanOrEqual(20);
        expect(layout.text[h.start - 1] ?? ' ').toMatch(/\s/); // starts at a word
        expect(layout.text[h.end] ?? ' ').toMatch(/\s/); // ends at one
      }
    } finally {
      await closePdf(doc);
    }
  }, 60_000);
});
