import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFRawStream, PDFStream, PDFString } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import type { HighlightColor } from '../../electron/contract';
import { GlossError } from '../../electron/notebook/errors';
import { annotatePdf, type HighlightToWrite } from '../../electron/notebook/pdf/annotate';
import { glossPdfColor } from '../../electron/notebook/pdf/colors';
import { annotatedPdfName, highlightsToWrite } from '../../electron/notebook/pdf/export-annotated';
import { readFileAnnotations } from '../../electron/notebook/pdf/file-annotations';
import { spanForQuads } from '../../electron/notebook/pdf/geometry';
import { readPdfLayout } from '../../electron/notebook/pdf/layout';
import { closePdf, openPdf } from '../../electron/notebook/pdf/pdfjs-node';

const fixtures = path.resolve(__dirname, '../../../shared/fixtures/pdf');
const fixture = (name: string) => new Uint8Array(readFileSync(path.join(fixtures, name)));
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function layoutOf(bytes: Uint8Array) {
  const doc = await openPdf(bytes);
  try {
    return await readPdfLayout(doc);
  } finally {
    await closePdf(doc);
  }
}

function highlightOn(text: string, quote: string, color: HighlightColor, extra: Partial<HighlightToWrite> = {}): HighlightToWrite {
  const start = text.indexOf(quote);
  expect(start, quote).toBeGreaterThanOrEqual(0);
  return { id: `h-${color}-${start}`, start, end: start + quote.length, quote, color, note: '', tags: [], createdAt: '2026-01-02T03:04:05.000Z', updatedAt: '2026-01-03T03:04:05.000Z', ...extra };
}

interface ReadBack {
  subtype: string;
  color: Uint8ClampedArray | null;
  contentsObj?: { str: string };
  titleObj?: { str: string };
  quadPoints: Float32Array;
  overlaidText?: string;
  hasAppearance: boolean;
  annotationFlags: number;
  opacity?: number;
}

describe('annotatePdf (pdf-lib, read back with pdf.js)', () => {
  it('writes every highlight as a /Highlight with quads, colour, note and tags; the input bytes are untouched', async () => {
    const original = fixture('tracemonkey.pdf');
    const before = sha256(original);
    const layout = await layoutOf(original);
    const { text, pages } = layout;
    // one on page 1, one across the break between pages 1 and 2, one on page 3 with a note and tags
    const lastWordsOfPage1 = text.slice(pages[0].end - 30, pages[0].end).replace(/^\S*\s/u, '');
    const firstWordsOfPage2 = text.slice(pages[1].start, pages[1].start + 25).replace(/\s\S*$/u, '');
    const across: HighlightToWrite = {
      ...highlightOn(text, lastWordsOfPage1, 'blue'),
      end: text.indexOf(firstWordsOfPage2, pages[1].start) + firstWordsOfPage2.length,
    };
    across.quote = text.slice(across.start, across.end);
    const highlights = [
      highlightOn(text, 'Trace-based Just-in-Time Type Specialization', 'yellow'),
      across,
      highlightOn(text.slice(0, pages[2].end), text.slice(pages[2].start + 200, pages[2].start + 260).replace(/^\S*\s|\s\S*$/gu, ''), 'pink', {
        note: 'A note, with "quotes" and ünïcödé',
        tags: ['jit', 'to read'],
      }),
    ];
    const result = await annotatePdf({ bytes: original, highlights });
    expect(sha256(original)).toBe(before);
    expect(result).toMatchObject({ written: 3, missing: [] });

    const doc = await openPdf(result.bytes);
    const copy = await readPdfLayout(doc);
    expect(copy.text).toBe(text); // the copy reads as the original
    const found: { page: number; annotation: ReadBack }[] = [];
    for (let n = 1; n <= 3; n++) {
      const page = await doc.getPage(n);
      for (const annotation of (await page.getAnnotations()) as ReadBack[]) found.push({ page: n, annotation });
    }
    // the highlight across the break is two annotations, one per page
    expect(found.map((f) => f.page)).toEqual([1, 1, 2, 3]);
    const expected = [highlights[0], highlights[1], highlights[1], highlights[2]];
    found.forEach(({ page, annotation }, i) => {
      const h = expected[i];
      expect(annotation.subtype).toBe('Highlight');
      expect(annotation.hasAppearance).toBe(true);
      expect(annotation.annotationFlags).toBe(4);
      expect(annotation.titleObj?.str).toBe('Gloss');
      expect(Array.from(annotation.color!)).toEqual(glossPdfColor(h.color).map((c) => Math.round(c * 255)));
      const span = spanForQuads(copy.layoutPages[page - 1], annotation.quadPoints)!;
      const part = text.slice(Math.max(span.start, h.start), Math.min(span.end, h.end));
      expect(text.slice(span.start, span.end)).toBe(part);
      expect(h.quote).toContain(part);
    });
    expect(found[3].annotation.contentsObj?.str).toBe('A note, with "quotes" and ünïcödé\n\n#jit #to read');
    expect(found[0].annotation.overlaidText).toBe('Trace-based Just-in-Time Type Specialization');

    // importing the annotated copy gives the same highlights back
    const back = await readFileAnnotations(doc, copy);
    await closePdf(doc);
    expect(back.map(({ start, end, color, note, tags }) => ({ start, end, color, note, tags }))).toEqual([
      { start: highlights[0].start, end: highlights[0].end, color: 'yellow', note: '', tags: undefined },
      { start: across.start, end: pages[0].end, color: 'blue', note: '', tags: undefined },
      { start: pages[1].start, end: across.end, color: 'blue', note: '', tags: undefined },
      { start: highlights[2].start, end: highlights[2].end, color: 'pink', note: 'A note, with "quotes" and ünïcödé', tags: ['jit', 'to read'] },
    ]);
  }, 60_000);

  it('writes the entries pdf.js does not report (/NM, /Subj, /M, /CreationDate, /CA, /P) and a Multiply appearance over the quads', async () => {
    const original = fixture('annotation-highlight.pdf');
    const layout = await layoutOf(original);
    const tagged = highlightOn(layout.text, 'Highlight', 'blue', { id: 'hl-1', note: 'n', tags: ['a', 'b c'] });
    const plain = highlightOn(layout.text, 'ipsum', 'green', { id: 'hl-2' });
    const { bytes } = await annotatePdf({ bytes: original, highlights: [tagged, plain], colorLabels: { green: 'Evidence' } });
    const pdf = await PDFDocument.load(bytes);
    const page = pdf.getPage(0);
    const annots = page.node.lookup(PDFName.of('Annots'), PDFArray);
    const ours = annots
      .asArray()
      .map((ref) => pdf.context.lookup(ref, PDFDict))
      .filter((dict) => dict.lookupMaybe(PDFName.of('T'), PDFString, PDFHexString)?.decodeText() === 'Gloss');
    expect(ours).toHaveLength(2);
    const text = (dict: PDFDict, key: string) => dict.lookupMaybe(PDFName.of(key), PDFString, PDFHexString)?.decodeText();
    expect(ours.map((d) => [text(d, 'NM'), text(d, 'Subj'), text(d, 'Contents')])).toEqual([
      ['hl-1', '#a #b c', 'n\n\n#a #b c'],
      ['hl-2', 'Evidence', ''],
    ]);
    const [first] = ours;
    expect(first.lookup(PDFName.of('Subtype'), PDFName).asString()).toBe('/Highlight');
    expect(first.lookup(PDFName.of('F'), PDFNumber).asNumber()).toBe(4);
    expect(first.lookup(PDFName.of('CA'), PDFNumber).asNumber()).toBe(1);
    expect(first.get(PDFName.of('P'))).toBe(page.ref);
    expect(first.lookup(PDFName.of('CreationDate'), PDFString).decodeDate().toISOString()).toBe(tagged.createdAt);
    expect(first.lookup(PDFName.of('M'), PDFString).decodeDate().toISOString()).toBe(tagged.updatedAt);
    const appearance = first.lookup(PDFName.of('AP'), PDFDict).lookup(PDFName.of('N'), PDFStream) as PDFRawStream;
    expect(appearance.dict.lookup(PDFName.of('BBox'), PDFArray).asArray().map((n) => (n as PDFNumber).asNumber())).toEqual(
      first.lookup(PDFName.of('Rect'), PDFArray).asArray().map((n) => (n as PDFNumber).asNumber()),
    );
    const state = appearance.dict.lookup(PDFName.of('Resources'), PDFDict).lookup(PDFName.of('ExtGState'), PDFDict).lookup(PDFName.of('GlossHighlight'), PDFDict);
    expect(state.lookup(PDFName.of('BM'), PDFName).asString()).toBe('/Multiply');
    const operators = new TextDecoder().decode(appearance.getContents());
    const [r, g, b] = glossPdfColor('blue').map((c) => Math.round(c * 1000) / 1000);
    expect(operators).toContain(`${r} ${g} ${b} rg`);
    expect(operators).toMatch(/^\/GlossHighlight gs\n.* rg\n[-\d. ]+ m [-\d. ]+ l [-\d. ]+ l [-\d. ]+ l h f$/u);
  }, 60_000);

  it('keeps the annotations already in the file and adds beside them', async () => {
    const original = fixture('annotation-highlight.pdf');
    const layout = await layoutOf(original);
    const result = await annotatePdf({ bytes: original, highlights: [highlightOn(layout.text, 'Highlight', 'green', { note: 'mine' })] });
    expect(result).toMatchObject({ written: 1, replaced: 0 });
    const doc = await openPdf(result.bytes);
    const back = await readFileAnnotations(doc, await readPdfLayout(doc));
    await closePdf(doc);
    expect(back.map((a) => [layout.text.slice(a.start, a.end), a.color, a.note, a.author])).toEqual([
      ['Highlight', 'green', 'mine', 'Gloss'],
      ['Lorem ipsum dolor sit amet', 'yellow', 'Highlight content', 'Tim van der Meij'],
    ]);
  }, 60_000);

  it("replaces the file's annotation on exactly a highlight's text (imported from it, maybe edited since), popup and all; exporting the copy again adds nothing twice", async () => {
    const original = fixture('annotation-highlight.pdf');
    const layout = await layoutOf(original);
    const edited = highlightOn(layout.text, 'Lorem ipsum dolor sit amet', 'pink', { note: 'Highlight content, edited in Gloss' });
    const once = await annotatePdf({ bytes: original, highlights: [edited] });
    expect(once).toMatchObject({ written: 1, replaced: 1 });
    const twice = await annotatePdf({ bytes: once.bytes, highlights: [edited] });
    expect(twice).toMatchObject({ written: 1, replaced: 1 });
    for (const bytes of [once.bytes, twice.bytes]) {
      const doc = await openPdf(bytes);
      const page = await doc.getPage(1);
      expect(((await page.getAnnotations()) as ReadBack[]).map((a) => a.subtype)).toEqual(['Highlight']); // no orphan popup
      const back = await readFileAnnotations(doc, await readPdfLayout(doc));
      await closePdf(doc);
      expect(back.map((a) => [layout.text.slice(a.start, a.end), a.color, a.note, a.author])).toEqual([
        ['Lorem ipsum dolor sit amet', 'pink', 'Highlight content, edited in Gloss', 'Gloss'],
      ]);
    }
  }, 60_000);

  it('says which highlights it could not place (a quote no longer in the text) and writes the rest', async () => {
    const original = fixture('annotation-highlight.pdf');
    const layout = await layoutOf(original);
    const gone = { ...highlightOn(layout.text, 'Lorem', 'yellow'), id: 'gone', quote: 'not in this file' };
    const result = await annotatePdf({ bytes: original, highlights: [gone, highlightOn(layout.text, 'ipsum', 'purple')] });
    expect(result).toMatchObject({ written: 1, missing: ['gone'], replaced: 0 });
  }, 60_000);

  it('refuses an encrypted PDF with a clear invalid_input error', async () => {
    const error = await annotatePdf({ bytes: fixture('empty_protected.pdf'), highlights: [] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GlossError);
    expect(error).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/encrypted/u) });
  }, 60_000);
});

describe('what the annotated copy is made of', () => {
  it('leaves orphaned highlights out (they have no place on a page) and keeps what a viewer shows', () => {
    const base = { articleId: 'a', prefix: '', suffix: '', color: 'yellow' as const, tags: ['t'], note: 'n', createdAt: 'c', updatedAt: 'u' };
    const written = highlightsToWrite({
      highlights: [
        { ...base, id: 'kept', start: 0, end: 4, quote: 'word', page: 1 },
        { ...base, id: 'lost', start: 0, end: 4, quote: 'gone', orphaned: true },
      ],
    });
    expect(written).toEqual([{ id: 'kept', start: 0, end: 4, quote: 'word', color: 'yellow', note: 'n', tags: ['t'], createdAt: 'c', updatedAt: 'u' }]);
  });

  it('names the file "<title> (annotated).pdf", safe on every file system', () => {
    expect(annotatedPdfName('Trace-based JIT')).toBe('Trace-based JIT (annotated).pdf');
    expect(annotatedPdfName('a/b: c? <d>')).toBe('a b c d (annotated).pdf');
    expect(annotatedPdfName('  ')).toBe('Untitled (annotated).pdf');
  });
});
