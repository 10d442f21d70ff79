/** exportAnnotatedPdf through a real notebook folder: the worker writes the copy, the stored original stays as it was. */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Notebook } from '../../electron/notebook/notebook';
import { readFileAnnotations } from '../../electron/notebook/pdf/file-annotations';
import { readPdfLayout } from '../../electron/notebook/pdf/layout';
import { closePdf, openPdf } from '../../electron/notebook/pdf/pdfjs-node';

const fixtures = path.resolve(__dirname, '../../../shared/fixtures/pdf');
const fixture = (name: string) => readFile(path.join(fixtures, name));
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

let dir: string;
let notebook: Notebook;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gloss-annotated-'));
  notebook = await Notebook.open(dir);
});

afterEach(async () => {
  await notebook.close();
  await rm(dir, { recursive: true, force: true });
});

async function importFixture(name: string) {
  const bytes = await fixture(name);
  return notebook.importArticle({ format: 'pdf', contentBase64: bytes.toString('base64'), fileName: name });
}

describe('exportAnnotatedPdf', () => {
  it('gives a copy whose annotations import back as the same highlights; the stored original is unchanged', async () => {
    const { id } = await importFixture('tracemonkey.pdf');
    const article = await notebook.getArticle(id);
    const original = await notebook.articleFile(id);
    const before = sha256(await readFile(original.path));
    const at = (quote: string, from = 0) => {
      const start = article.text.indexOf(quote, from);
      return { start, end: start + quote.length };
    };
    const first = await notebook.addHighlight(id, { ...at('Trace-based Just-in-Time Type Specialization'), color: 'green', note: 'the title', tags: ['jit'] });
    const onPage5 = await notebook.addHighlight(id, { ...at(article.text.slice(article.pages![4].start + 100, article.pages![4].start + 140).trim(), article.pages![4].start), color: 'purple' });
    const third = await notebook.addHighlight(id, { ...at('dynamic languages'), color: 'pink' });

    const result = await notebook.exportAnnotatedPdf(id);
    expect(result.fileName).toBe('Trace-based Just-in-Time Type Specialization for Dynamic Languages (annotated).pdf');
    expect(sha256(await readFile(original.path))).toBe(before);

    const copy = new Uint8Array(Buffer.from(result.contentBase64, 'base64'));
    expect(sha256(copy)).not.toBe(before);
    const doc = await openPdf(copy);
    const layout = await readPdfLayout(doc);
    const back = await readFileAnnotations(doc, layout);
    await closePdf(doc);
    const wanted = [first, onPage5, third].map(({ start, end, color, note, page }) => ({ start, end, color, note, page }));
    expect(back.map(({ start, end, color, note, page }) => ({ start, end, color, note, page }))).toEqual(wanted);
    expect(back[0].tags).toEqual(['jit']);
    expect(onPage5.page).toBe(5);

    // the copy imports as an article with those highlights (the same file otherwise: same text)
    const again = await notebook.importArticle({ format: 'pdf', contentBase64: result.contentBase64, fileName: result.fileName });
    expect(again.importedHighlights).toBe(3);
    const reimported = await notebook.getArticle(again.id);
    expect(reimported.text).toBe(article.text);
    expect(reimported.highlights.find((h) => h.quote === first.quote)?.tags).toEqual(['jit']); // tags come back too
    expect(reimported.highlights.map((h) => [h.quote, h.color, h.note])).toEqual([
      [first.quote, 'green', 'the title'],
      [third.quote, 'pink', ''],
      [onPage5.quote, 'purple', ''],
    ].sort((a, b) => article.text.indexOf(a[0]) - article.text.indexOf(b[0])));
  }, 120_000);

  it('refuses an article that is not a PDF, and an encrypted PDF, with invalid_input', async () => {
    const text = await notebook.importArticle({ format: 'text', content: 'Plain words to read.', title: 'Plain' });
    await expect(notebook.exportAnnotatedPdf(text.id)).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/"Plain" is not a PDF/u) });
    const locked = await importFixture('empty_protected.pdf');
    expect((await notebook.getArticle(locked.id)).pdf?.encrypted).toBe(true);
    await expect(notebook.exportAnnotatedPdf(locked.id)).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/encrypted/u) });
  }, 120_000);
});
