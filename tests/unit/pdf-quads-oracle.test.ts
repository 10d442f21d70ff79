/**
 * The quads of the annotated export, checked against an independent reader: pdf.js works out the text under a
 * Highlight's quads glyph by glyph (its `overlaidText`, from each glyph's real position), while geometry.ts only knows
 * each text item's width. Random spans of the fixtures are written with annotatePdf and read back with pdf.js.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { annotatePdf, type HighlightToWrite } from '../../electron/notebook/pdf/annotate';
import { readPdfLayout } from '../../electron/notebook/pdf/layout';
import { closePdf, openPdf } from '../../electron/notebook/pdf/pdfjs-node';
import type { PdfLayout } from '../../electron/notebook/pdf/types';

const fixtures = path.resolve(__dirname, '../../../shared/fixtures/pdf');
const PAGES = 4;

/** Compared as letters: pdf.js's glyph text has ligatures ("ﬁ") and no line breaks where the article text has them. */
const letters = (s: string) => s.normalize('NFKC').replace(/\s+/gu, '');

function levenshtein(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next.push(Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    row = next;
  }
  return row[b.length];
}

/** Spans on the first pages, one line each: `wordAligned` ones from a word's start to a word's end. */
function spans(layout: PdfLayout, count: number, wordAligned: boolean): HighlightToWrite[] {
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const made: HighlightToWrite[] = [];
  while (made.length < count) {
    const page = layout.pages[Math.floor(random() * PAGES)];
    let start = page.start + Math.floor(random() * (page.end - page.start - 60));
    let end = start + 4 + Math.floor(random() * 30);
    if (wordAligned) {
      while (start > page.start && /\S/u.test(layout.text[start - 1])) start--;
      while (end < page.end && /\S/u.test(layout.text[end])) end++;
    }
    const quote = layout.text.slice(start, end);
    if (/^\s|\s$|\n/u.test(quote) || quote.length < 3) continue;
    made.push({ id: `h${made.length}`, start, end, quote, color: 'yellow', note: '', tags: [], createdAt: '2024-01-01T00:00:00Z', updatedAt: '2024-01-01T00:00:00Z' });
  }
  return made;
}

/** Writes the spans, then reads each annotation's overlaidText (pages in order; per page in the order written). */
async function overlaid(bytes: Uint8Array, layout: PdfLayout, highlights: HighlightToWrite[]): Promise<[string, string][]> {
  const { bytes: copy } = await annotatePdf({ bytes, highlights });
  const doc = await openPdf(copy);
  const texts: string[] = [];
  for (let n = 1; n <= PAGES; n++) {
    const page = await doc.getPage(n);
    for (const a of (await page.getAnnotations()) as { subtype: string; overlaidText?: string }[]) if (a.subtype === 'Highlight') texts.push(a.overlaidText ?? '');
  }
  await closePdf(doc);
  const pageOf = (offset: number) => layout.pages.findIndex((p) => p.start <= offset && offset <= p.end);
  const ordered = [...highlights].sort((a, b) => pageOf(a.start) - pageOf(b.start));
  expect(texts).toHaveLength(ordered.length);
  return ordered.map((h, i) => [h.quote, texts[i]]);
}

describe.each(['tracemonkey.pdf', 'pdkids.pdf'])('quads on %s, read back by pdf.js glyph by glyph', (name) => {
  it('cover the words of word-aligned spans (nearly always exactly), and any span to within a glyph at each end', async () => {
    const bytes = new Uint8Array(readFileSync(path.join(fixtures, name)));
    const doc = await openPdf(bytes);
    const layout = await readPdfLayout(doc);
    await closePdf(doc);
    // Glyph widths are estimated (geometry.ts): a quad's end can fall on the wrong side of a glyph's centre.
    const check = (pairs: [string, string][], allowedOff: number) => {
      const off = pairs.filter(([quote, text]) => letters(quote) !== letters(text));
      console.log(`${name}: ${off.length} of ${pairs.length} differ`, JSON.stringify(off));
      expect(off.filter(([quote, text]) => levenshtein(letters(quote), letters(text)) > 2)).toEqual([]);
      expect(off.length).toBeLessThanOrEqual(pairs.length * allowedOff);
    };
    check(await overlaid(bytes, layout, spans(layout, 40, true)), 0.15);
    check(await overlaid(bytes, layout, spans(layout, 40, false)), 0.5);
  }, 60_000);
});
