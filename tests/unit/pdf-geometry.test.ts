import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nearestGlossColor } from '../../electron/notebook/pdf/colors';
import { readFileAnnotations } from '../../electron/notebook/pdf/file-annotations';
import { quadsForSpan, spanForQuads } from '../../electron/notebook/pdf/geometry';
import { readPdfLayout } from '../../electron/notebook/pdf/layout';
import { closePdf, openPdf, type PdfDocument } from '../../electron/notebook/pdf/pdfjs-node';
import type { PdfLayout, PdfLayoutPage, PdfTextItem } from '../../electron/notebook/pdf/types';
import { buildPageText } from '../../electron/pdf-text';

const fixtures = path.resolve(__dirname, '../../../shared/fixtures/pdf');
const fixture = (name: string) => new Uint8Array(readFileSync(path.join(fixtures, name)));

/** A one-page layout from hand-made items (page text starts at `start` in an imagined article). */
function pageOf(items: (Omit<PdfTextItem, 'dir' | 'height'> & { dir?: string })[], start = 0): PdfLayoutPage {
  const full = items.map((item) => ({ dir: 'ltr', height: Math.hypot(item.transform[2], item.transform[3]), ...item }));
  const { text, itemStarts } = buildPageText(full);
  return { number: 1, start, end: start + text.length, items: full, itemStarts, view: [0, 0, 612, 792] };
}

const round = (quad: number[]) => quad.map((v) => Math.round(v * 100) / 100);

describe('quadsForSpan', () => {
  // "Hello " and "world" on one line (two items), "Second line" below.
  const page = pageOf([
    { str: 'Hello ', transform: [10, 0, 0, 10, 100, 700], width: 30, hasEOL: false },
    { str: 'world', transform: [10, 0, 0, 10, 130, 700], width: 25, hasEOL: true },
    { str: 'Second line', transform: [10, 0, 0, 10, 100, 686], width: 55, hasEOL: false },
  ]);

  it('gives one quad per line, adjacent items merged, corners upper-left, upper-right, lower-left, lower-right', () => {
    const text = 'Hello world\nSecond line';
    expect(page.end).toBe(text.length);
    const quads = quadsForSpan(page, 0, text.indexOf('line') + 4);
    expect(quads.map(round)).toEqual([
      [100, 708, 155, 708, 100, 698, 155, 698],
      [100, 694, 155, 694, 100, 684, 155, 684],
    ]);
  });

  it('splits an item by its characters\' widths (Helvetica\'s: digits alike, "i" narrower than "m") and leaves out whitespace at the ends', () => {
    const digits = pageOf([
      { str: '0123', transform: [10, 0, 0, 10, 100, 700], width: 40, hasEOL: false },
      { str: '4567', transform: [10, 0, 0, 10, 142, 700], width: 40, hasEOL: false },
    ]);
    // "23" of the first item and "45" of the second, merged into one quad across the small gap
    expect(quadsForSpan(digits, 2, 6).map(round)).toEqual([[120, 708, 162, 708, 120, 698, 162, 698]]);
    const im = pageOf([{ str: 'im', transform: [10, 0, 0, 10, 0, 0], width: 10.55, hasEOL: false }]);
    expect(round(quadsForSpan(im, 0, 1)[0])).toEqual([0, 8, 2.22, 8, 0, -2, 2.22, -2]);
    expect(quadsForSpan(page, 5, 6)).toEqual([]); // the space alone
    expect(quadsForSpan(page, 5, 8)).toEqual(quadsForSpan(page, 6, 8)); // " wo": the quad starts at "w"
  });

  it('splits a right-to-left item from its right end (its text is in logical order)', () => {
    const rtl = pageOf([{ str: '123', transform: [10, 0, 0, 10, 100, 0], width: 30, hasEOL: false, dir: 'rtl' }]);
    expect(round(quadsForSpan(rtl, 0, 1)[0])).toEqual([120, 8, 130, 8, 120, -2, 130, -2]);
    expect(spanForQuads(rtl, [100, 8, 110, 8, 100, -2, 110, -2])).toEqual({ start: 2, end: 3 });
  });

  it('follows rotated text through the transform (text running up the page)', () => {
    const rotated = pageOf([{ str: 'Up', transform: [0, 10, -10, 0, 300, 100], width: 20, hasEOL: false }]);
    const [quad] = quadsForSpan(rotated, 0, 2);
    // along the text is +y, "up" is -x: upper-left is at x = 300 - 8, y = 100
    expect(round(quad)).toEqual([292, 100, 292, 120, 302, 100, 302, 120]);
    expect(spanForQuads(rotated, quad)).toEqual({ start: 0, end: 2 });
  });

  it('reads quads whatever order their corners are written in, and only the characters whose centre they hold', () => {
    const [q] = quadsForSpan(page, 0, 5); // "Hello"
    const counterClockwise = [q[4], q[5], q[6], q[7], q[2], q[3], q[0], q[1]]; // LL LR UR UL, as some tools write
    expect(spanForQuads(page, q)).toEqual({ start: 0, end: 5 });
    expect(spanForQuads(page, counterClockwise)).toEqual({ start: 0, end: 5 });
    expect(spanForQuads(page, [[...q], quadsForSpan(page, 12, 18)[0]])).toEqual({ start: 0, end: 18 }); // two lines
    expect(spanForQuads(page, [0, 10, 10, 10, 0, 0, 10, 0])).toBeNull(); // off the text
    expect(spanForQuads(page, [])).toBeNull();
  });

  it('keeps two columns on one baseline apart', () => {
    const columns = pageOf([
      { str: 'left', transform: [10, 0, 0, 10, 50, 500], width: 20, hasEOL: false },
      { str: 'right', transform: [10, 0, 0, 10, 320, 500], width: 25, hasEOL: false },
    ]);
    expect(quadsForSpan(columns, 0, 9)).toHaveLength(2);
  });

  it('reads offsets in the article: a page that starts later is shifted, the part on other pages ignored', () => {
    const later = pageOf([{ str: '1234', transform: [10, 0, 0, 10, 0, 0], width: 40, hasEOL: false }], 100);
    expect(quadsForSpan(later, 50, 102).map(round)).toEqual([[0, 8, 20, 8, 0, -2, 20, -2]]);
    expect(spanForQuads(later, quadsForSpan(later, 101, 104)[0])).toEqual({ start: 101, end: 104 });
  });
});

describe('on the fixtures (pdf.js under Node)', () => {
  let highlightDoc: PdfDocument;
  let highlightLayout: PdfLayout;
  let paperDoc: PdfDocument;
  let paper: PdfLayout;
  beforeAll(async () => {
    highlightDoc = await openPdf(fixture('annotation-highlight.pdf'));
    highlightLayout = await readPdfLayout(highlightDoc);
    paperDoc = await openPdf(fixture('tracemonkey.pdf'));
    paper = await readPdfLayout(paperDoc);
  }, 60_000);
  afterAll(async () => {
    await closePdf(highlightDoc);
    await closePdf(paperDoc);
  });

  it("finds the text under the fixture's Highlight quads (pdf.js's overlaidText)", async () => {
    const page = await highlightDoc.getPage(1);
    const [annotation] = (await page.getAnnotations()) as { quadPoints: Float32Array; overlaidText: string }[];
    expect(annotation.overlaidText).toBe('Lorem ipsum dolor sit amet');
    const span = spanForQuads(highlightLayout.layoutPages[0], annotation.quadPoints);
    expect(span && highlightLayout.text.slice(span.start, span.end)).toBe(annotation.overlaidText);
    // and the quad made for that text is where Acrobat drew it, in the same corner order (within 2 points)
    const [quad] = quadsForSpan(highlightLayout.layoutPages[0], span!.start, span!.end);
    quad.forEach((v, i) => expect(Math.abs(v - annotation.quadPoints[i])).toBeLessThan(2));
  });

  it('turns spans into quads and back on every page of the two-column paper', () => {
    let checked = 0;
    for (const page of paper.layoutPages) {
      const text = paper.text.slice(page.start, page.end);
      // spans of a few words from several places on the page, starting and ending on a letter
      for (const fraction of [0.1, 0.35, 0.6, 0.85]) {
        const at = text.slice(Math.floor(text.length * fraction)).search(/\s\w/u) + Math.floor(text.length * fraction) + 1;
        const words = text.slice(at).match(/^\w+(\s+\w+){0,6}/u);
        if (!words) continue;
        const start = page.start + at;
        const end = start + words[0].length;
        const quads = quadsForSpan(page, start, end);
        expect(quads.length).toBeGreaterThan(0);
        expect(spanForQuads(page, quads.flat()), JSON.stringify(words[0])).toEqual({ start, end });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40);
  });

  it('reads the in-file highlight: text, note, colour and author', async () => {
    const annotations = await readFileAnnotations(highlightDoc, highlightLayout);
    expect(annotations).toHaveLength(1);
    const [found] = annotations;
    expect(highlightLayout.text.slice(found.start, found.end)).toBe('Lorem ipsum dolor sit amet');
    expect(found).toMatchObject({ page: 1, color: 'yellow', note: 'Highlight content', subtype: 'Highlight', author: 'Tim van der Meij' });
  });

  it('finds nothing in a file without annotations', async () => {
    expect(await readFileAnnotations(paperDoc, paper)).toEqual([]);
  });
});

describe('nearestGlossColor (by hue in OKLab)', () => {
  const cases: [string, number[] | null, string][] = [
    ['Acrobat yellow', [255, 237, 0], 'yellow'],
    ['pure yellow', [255, 255, 0], 'yellow'],
    ['red', [255, 0, 0], 'pink'],
    ['green', [0, 255, 0], 'green'],
    ['orange', [255, 153, 0], 'yellow'],
    ['Zotero red', [0xff, 0x66, 0x66], 'pink'],
    ['Zotero green', [0x5f, 0xb2, 0x36], 'green'],
    ['Zotero blue', [0x2e, 0xa8, 0xe5], 'blue'],
    ['Zotero purple', [0xa2, 0x8a, 0xe5], 'purple'],
    ['Zotero magenta', [0xe5, 0x6e, 0xee], 'pink'],
    ['grey', [0xaa, 0xaa, 0xaa], 'yellow'],
    ['no colour', null, 'yellow'],
    ['pure blue', [0, 0, 255], 'blue'],
    ['royal blue', [0x33, 0x66, 0xff], 'blue'],
    ['violet', [0x80, 0x00, 0xff], 'purple'],
    ['Preview blue', [0x6a, 0xb3, 0xf7], 'blue'],
    ['Preview purple', [0xc3, 0x9b, 0xf7], 'purple'],
    ['Gloss blue itself', [0xbf, 0xdb, 0xfe], 'blue'],
    ['Gloss yellow itself', [0xfd, 0xe6, 0x8a], 'yellow'],
    ['Gloss purple itself', [0xdd, 0xd6, 0xfe], 'purple'],
    ['Gloss pink itself', [0xfb, 0xcf, 0xe8], 'pink'],
    ['Gloss green itself', [0xbb, 0xf7, 0xd0], 'green'],
  ];
  it.each(cases)('%s', (_name, rgb, expected) => {
    expect(nearestGlossColor(rgb)).toBe(expected);
  });
});
