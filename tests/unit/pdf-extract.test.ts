/**
 * The worker's PDF extraction on every fixture, checked against readPdfLayout (the same pdf.js, in this thread) and
 * against poppler's pdftotext (an independent reading); and the metadata rules (title, authors, date, DOI).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readPdfLayout } from '../../electron/notebook/pdf/layout';
import { findDoi, isJunkTitle, largestText, pdfDate, readPdfMetadata, splitAuthors } from '../../electron/notebook/pdf/metadata';
import { closePdf, openPdf } from '../../electron/notebook/pdf/pdfjs-node';
import { runNotebookJob, stopNotebookWorkers } from '../../electron/notebook/workers/run';
import { PAGE_SEPARATOR } from '../../electron/pdf-text';
import { makePdf, xmpPacket } from '../support/make-pdf';

const fixtures = path.resolve(__dirname, '../../../shared/fixtures/pdf');
const FIXTURES = readdirSync(fixtures).filter((n) => n.endsWith('.pdf'));

afterAll(() => stopNotebookWorkers());

function extractInWorker(bytes: Uint8Array, fileName: string, password?: string) {
  return runNotebookJob('extractPdf', { bytes, password, name: `"${fileName}"`, fileName }, { timeoutMs: 60_000, what: `Importing ${fileName}` });
}

/** Word tokens after NFKC and lowercasing (letters and digits), as both readings are compared. */
function words(text: string): string[] {
  return text.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

describe('extractPdf in the worker, on every fixture', () => {
  it('finds the fixtures', () => {
    expect(FIXTURES).toEqual(
      expect.arrayContaining(['tracemonkey.pdf', 'pdkids.pdf', 'annotation-highlight.pdf', 'ArabicCIDTrueType.pdf', 'empty_protected.pdf', 'scan-bad.pdf']),
    );
  });

  for (const name of FIXTURES) {
    it(`${name}: the worker's text and pages are readPdfLayout's, pages contiguous, and pdftotext's words are in it`, async () => {
      const bytes = new Uint8Array(readFileSync(path.join(fixtures, name)));
      const extracted = await extractInWorker(bytes, name);
      const doc = await openPdf(bytes);
      const layout = await readPdfLayout(doc);
      await closePdf(doc);

      expect(extracted.text).toBe(layout.text);
      expect(extracted.pages).toEqual(layout.pages);
      expect(extracted.pageCount).toBe(layout.pages.length);
      // Pages are contiguous: each starts where the last ended plus the blank line, and they cover the text.
      expect(extracted.pages[0].start).toBe(0);
      for (let i = 1; i < extracted.pages.length; i++) {
        expect(extracted.text.slice(extracted.pages[i - 1].end, extracted.pages[i].start)).toBe(PAGE_SEPARATOR);
      }
      expect(extracted.pages.at(-1)!.end).toBe(extracted.text.length);

      // Counted as multisets: each of pdftotext's words must be matched by one of Gloss's, a word read twice twice.
      const theirs = words(readFileSync(path.join(fixtures, name.replace(/\.pdf$/, '.pdftotext.txt')), 'utf8'));
      const ours = new Map<string, number>();
      for (const w of words(extracted.text)) ours.set(w, (ours.get(w) ?? 0) + 1);
      let found = 0;
      for (const w of theirs) {
        const left = ours.get(w) ?? 0;
        if (left > 0) {
          found += 1;
          ours.set(w, left - 1);
        }
      }
      // pdf.js expands the Arabic lam-khah ligature (U+FCCB) in visual order, so one of that file's three words differs.
      const atLeast = name.startsWith('Arabic') ? 0.6 : 0.9;
      if (theirs.length > 0) expect(found / theirs.length).toBeGreaterThanOrEqual(atLeast);
    });
  }

  it('reads the Arabic text', async () => {
    const extracted = await extractInWorker(new Uint8Array(readFileSync(path.join(fixtures, 'ArabicCIDTrueType.pdf'))), 'arabic.pdf');
    const text = extracted.text.normalize('NFKC');
    expect(text).toContain('العربية');
    expect(text).toContain('انواع');
    // Its title is its largest text: the first line, not the four identical lines of the page run together.
    expect(extracted.title.normalize('NFKC')).toBe(text.split('\n')[0]);
    expect(extracted.hasTextLayer).toBe(true);
  });

  it('titles the paper by its first page when the file has no title, and reads its date', async () => {
    const extracted = await extractInWorker(new Uint8Array(readFileSync(path.join(fixtures, 'tracemonkey.pdf'))), 'tracemonkey.pdf');
    expect(extracted.title).toBe('Trace-based Just-in-Time Type Specialization for Dynamic Languages');
    expect(extracted.publishedAt).toBe('2009-04-01');
    expect(extracted.pageCount).toBe(14);
    expect(extracted.encrypted).toBe(false);
  });

  it('reads the book’s author and language from its Info', async () => {
    const book = await extractInWorker(new Uint8Array(readFileSync(path.join(fixtures, 'pdkids.pdf'))), 'pdkids.pdf');
    expect(book.title).toBe('PD KIDS');
    expect(book.authors).toEqual(['Matt Pierard']);
    expect(book.lang).toBe('en-US');
    expect(book.pageCount).toBe(55);
  });

  it('opens the encrypted fixture (empty user password) without one and says it is encrypted', async () => {
    const extracted = await extractInWorker(new Uint8Array(readFileSync(path.join(fixtures, 'empty_protected.pdf'))), 'empty_protected.pdf');
    expect(extracted.encrypted).toBe(true);
  });

  it('a page of drawing and no text has no text layer', async () => {
    const bytes = await makePdf({ pages: ['drawing', 'drawing'] });
    const extracted = await extractInWorker(bytes, 'scan.pdf');
    expect(extracted.hasTextLayer).toBe(false);
    expect(extracted.text).toBe(PAGE_SEPARATOR);
    expect(extracted.pages).toEqual([
      { number: 1, start: 0, end: 0 },
      { number: 2, start: 2, end: 2 },
    ]);
  });

  it('takes title, authors, date and DOI from the Info dictionary; a junk title gives way to the largest text', async () => {
    const bytes = await makePdf({
      pages: [{ lines: ['Anchors That Hold', 'Ada Lovelace and Alan Turing', 'Some body text here.'], firstLineSize: 20 }],
      info: { title: 'Microsoft Word - anchors_final_v3.doc', author: 'Ada Lovelace; Alan Turing', subject: 'doi:10.1145/1542476.1542528.', creationDate: new Date('2021-03-04T10:00:00Z') },
    });
    const extracted = await extractInWorker(bytes, 'anchors.pdf');
    expect(extracted.title).toBe('Anchors That Hold');
    expect(extracted.authors).toEqual(['Ada Lovelace', 'Alan Turing']);
    expect(extracted.publishedAt).toBe('2021-03-04');
    expect(extracted.doi).toBe('10.1145/1542476.1542528');
  });

  it('reads the XMP packet (dc:title, dc:creator, xmp:CreateDate, prism:doi) before the Info dictionary', async () => {
    const bytes = await makePdf({
      pages: [{ lines: ['Largest Text Here', 'body'], firstLineSize: 22 }],
      info: { title: 'Info Title', author: 'Info Author', creationDate: new Date('2001-01-01T00:00:00Z') },
      xmp: xmpPacket({ title: 'The XMP Title', creators: ['Grace Hopper', 'Edsger Dijkstra'], createDate: '2018-11-05T08:00:00+01:00', doi: '10.1000/xmp.42' }),
    });
    const extracted = await extractInWorker(bytes, 'xmp.pdf');
    expect(extracted).toMatchObject({
      title: 'The XMP Title',
      authors: ['Grace Hopper', 'Edsger Dijkstra'],
      publishedAt: '2018-11-05',
      doi: '10.1000/xmp.42',
    });
  });

  it('keeps a real Info title, and finds a DOI printed on the first page', async () => {
    const bytes = await makePdf({
      pages: [{ lines: ['Big Heading', 'https://doi.org/10.5555/12345678 (preprint)'], firstLineSize: 24 }, { lines: ['doi 10.9999/not-page-one'] }],
      info: { title: 'The Real Title' },
    });
    const extracted = await extractInWorker(bytes, 'real.pdf');
    expect(extracted.title).toBe('The Real Title');
    expect(extracted.doi).toBe('10.5555/12345678');
  });
});

describe('metadata rules', () => {
  it('says which titles are junk', () => {
    expect(isJunkTitle('Microsoft Word - x.doc')).toBe(true);
    expect(isJunkTitle('Microsoft Word - Final Report')).toBe(true);
    expect(isJunkTitle('paper_final.pdf')).toBe(true);
    expect(isJunkTitle('main.tex')).toBe(true);
    expect(isJunkTitle('untitled')).toBe(true);
    expect(isJunkTitle('C:\\Users\\me\\thesis')).toBe(true);
    expect(isJunkTitle('x')).toBe(true);
    expect(isJunkTitle('paper-2021', 'paper-2021.pdf')).toBe(true);
    expect(isJunkTitle('Attention Is All You Need')).toBe(false);
  });

  it('finds DOIs and drops trailing punctuation', () => {
    expect(findDoi('see https://doi.org/10.1000/xyz123).')).toBe('10.1000/xyz123');
    expect(findDoi('DOI: 10.1145/3313831.3376727, page 3')).toBe('10.1145/3313831.3376727');
    expect(findDoi('version 10.5 of the tool')).toBeUndefined();
  });

  it('reads PDF dates and splits author lists', () => {
    expect(pdfDate("D:20090401233925+02'00'")).toBe('2009-04-01');
    expect(pdfDate('D:2009')).toBe('2009-01-01');
    expect(pdfDate('D:20091341')).toBeUndefined();
    expect(splitAuthors('Andreas Gal, Brendan Eich and Mike Shaver')).toEqual(['Andreas Gal', 'Brendan Eich', 'Mike Shaver']);
    expect(splitAuthors('Gal, Andreas')).toEqual(['Gal, Andreas']);
    expect(splitAuthors('A. Gal; B. Eich')).toEqual(['A. Gal', 'B. Eich']);
  });

  it('prefers XMP to Info, and takes the largest first-page text, a title on two lines whole', () => {
    const items = [
      { str: 'Journal of Things', height: 8, hasEOL: true },
      { str: 'A Title Set', height: 17.2, hasEOL: true },
      { str: 'On Two Lines', height: 17.24, hasEOL: true },
      { str: 'Author Name', height: 11, hasEOL: true },
    ];
    expect(largestText(items)).toBe('A Title Set On Two Lines');
    const meta = readPdfMetadata({
      info: { Title: 'Info Title', Author: 'Info Author', CreationDate: 'D:20000101' },
      xmp: { 'dc:title': 'XMP Title', 'dc:creator': ['First Person', 'Second Person'], 'xmp:createdate': '2019-07-08T09:10:11Z', 'prism:doi': '10.1234/abc' },
      firstPageItems: items,
      firstPageText: '',
    });
    expect(meta).toEqual({ title: 'XMP Title', authors: ['First Person', 'Second Person'], publishedAt: '2019-07-08', doi: '10.1234/abc' });
    expect(readPdfMetadata({ info: { Title: 'scan0001.pdf' }, xmp: {}, firstPageItems: items, firstPageText: '' }).title).toBe('A Title Set On Two Lines');
  });
});
