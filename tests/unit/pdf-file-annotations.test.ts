/**
 * In-file annotations of every markup kind, as other tools write them, become highlights: a PDF is made here with
 * pdf-lib (an Underline whose comment is only rich text, a StrikeOut, a Squiggly, a Highlight off the text, a link, an
 * ink stroke) and read back with readFileAnnotations.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PDFDict, PDFDocument, PDFHexString, PDFName, PDFString, type PDFRef } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { readFileAnnotations } from '../../electron/notebook/pdf/file-annotations';
import { quadsForSpan } from '../../electron/notebook/pdf/geometry';
import { readPdfLayout } from '../../electron/notebook/pdf/layout';
import { closePdf, openPdf } from '../../electron/notebook/pdf/pdfjs-node';

const fixture = path.resolve(__dirname, '../../../shared/fixtures/pdf/annotation-highlight.pdf');

describe('readFileAnnotations', () => {
  it('reads Underline, StrikeOut and Squiggly too, a comment that is only rich text, colours to the nearest; skips what is not on text', async () => {
    const original = new Uint8Array(readFileSync(fixture));
    const doc0 = await openPdf(original);
    const layout = await readPdfLayout(doc0);
    await closePdf(doc0);
    const page0 = layout.layoutPages[0];
    const quadsOf = (word: string) => {
      const start = layout.text.indexOf(word);
      return quadsForSpan(page0, start, start + word.length)[0];
    };

    const pdf = await PDFDocument.load(original);
    const page = pdf.getPage(0);
    const add = (entries: Record<string, unknown>, texts: Record<string, string> = {}): PDFRef => {
      const dict = pdf.context.obj(entries as never) as unknown as PDFDict;
      for (const [key, value] of Object.entries(texts)) dict.set(PDFName.of(key), PDFHexString.fromText(value));
      const ref = pdf.context.register(dict);
      page.node.addAnnot(ref);
      return ref;
    };
    const markup = (subtype: string, quad: number[], color: number[]) => {
      const xs = [quad[0], quad[2], quad[4], quad[6]];
      const ys = [quad[1], quad[3], quad[5], quad[7]];
      return { Type: 'Annot', Subtype: subtype, Rect: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)], C: color, QuadPoints: quad };
    };
    // Underline: red, its comment only as rich text (/RC), with a popup
    const underline = add(markup('Underline', quadsOf('Highlight'), [1, 0, 0]), { T: 'Preview' });
    pdf.context.lookup(underline, PDFDict).set(PDFName.of('RC'), PDFString.of('<body xmlns="http://www.w3.org/1999/xhtml"><p>rich comment</p></body>'));
    const popup = add({ Type: 'Annot', Subtype: 'Popup', Rect: [300, 700, 400, 760], Parent: underline });
    pdf.context.lookup(underline, PDFDict).set(PDFName.of('Popup'), popup);
    add(markup('StrikeOut', quadsOf('dolor'), [0, 0.8, 0]), { Contents: 'struck\r\nthrough', T: 'Okular' });
    const amet = quadsOf('amet');
    add(markup('Squiggly', amet, [0.2, 0.4, 1]));
    add(markup('Highlight', [10, 30, 50, 30, 10, 20, 50, 20], [1, 1, 0]), { Contents: 'on no text' });
    add({ Type: 'Annot', Subtype: 'Link', Rect: [amet[4], amet[5], amet[2], amet[3]] });
    add({ Type: 'Annot', Subtype: 'Ink', Rect: [0, 0, 100, 100], InkList: [[0, 0, 50, 50]] });
    const bytes = await pdf.save();

    const doc = await openPdf(bytes);
    const found = await readFileAnnotations(doc, await readPdfLayout(doc));
    await closePdf(doc);
    expect(found.map((a) => [layout.text.slice(a.start, a.end), a.subtype, a.color, a.note, a.author ?? null])).toEqual([
      ['Highlight', 'Underline', 'pink', 'rich comment', 'Preview'],
      ['Lorem ipsum dolor sit amet', 'Highlight', 'yellow', 'Highlight content', 'Tim van der Meij'],
      ['dolor', 'StrikeOut', 'green', 'struck\nthrough', 'Okular'],
      ['amet', 'Squiggly', 'blue', '', null],
    ]);
    expect(found.every((a) => a.page === 1)).toBe(true);
  }, 60_000);
});
