/**
 * The Export dialog's "Annotated PDF", end to end against the real browser-mode server: a PDF imported with one
 * highlight of its own, one more made through the API with a note and tags, the button clicked with the real mouse,
 * the download read back with pdf.js (the test's own, under Node): both highlights are there as /Highlight
 * annotations over their text, and the stored original is untouched.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test, expect, fixturesDir } from './fixtures';
import { readFileAnnotations } from '../../electron/notebook/pdf/file-annotations';
import { readPdfLayout } from '../../electron/notebook/pdf/layout';
import { closePdf, openPdf } from '../../electron/notebook/pdf/pdfjs-node';
import { PDFS_DIR } from '../../electron/notebook/pdf/store';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

test('"Annotated PDF" downloads a copy of the PDF with the highlights in it; a web article has no such button', async ({ page, gloss }) => {
  const original = await readFile(path.join(fixturesDir, 'pdf', 'annotation-highlight.pdf'));
  const summary = await gloss.api('importArticle', { format: 'pdf', contentBase64: original.toString('base64'), fileName: 'annotation-highlight.pdf' });
  expect(summary.importedHighlights).toBe(1);
  const { text } = await gloss.api('getArticle', summary.id);
  const start = text.indexOf('Highlight');
  await gloss.api('addHighlight', summary.id, { start, end: start + 'Highlight'.length, color: 'purple', note: 'The heading', tags: ['pdf', 'to read'] });

  await page.goto(`${gloss.url}#/article/${summary.id}`);
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Export' });
  const button = dialog.getByRole('button', { name: 'Annotated PDF' });
  const downloading = page.waitForEvent('download');
  await button.click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`${summary.title} (annotated).pdf`);
  await expect(dialog.getByRole('status')).toContainText('Annotated PDF downloaded');

  const copy = new Uint8Array(await readFile((await download.path())!));
  expect(sha256(copy)).not.toBe(sha256(original));
  const doc = await openPdf(copy);
  const layout = await readPdfLayout(doc);
  const found = await readFileAnnotations(doc, layout);
  await closePdf(doc);
  const summaryOf = found.map((a) => [layout.text.slice(a.start, a.end), a.color, a.note, a.author, a.tags]);
  expect(summaryOf).toEqual([
    ['Highlight', 'purple', 'The heading', 'Gloss', ['pdf', 'to read']],
    // the file's own highlight, imported into Gloss, written back by Gloss in place of the original (not twice)
    ['Lorem ipsum dolor sit amet', 'yellow', 'Highlight content', 'Gloss', undefined],
  ]);

  // the stored original is what was imported, byte for byte
  const stored = await readFile(path.join(gloss.dataDir, PDFS_DIR, `${sha256(original)}.pdf`));
  expect(sha256(stored)).toBe(sha256(original));

  // a web article: no "Annotated PDF"
  await dialog.getByRole('button', { name: 'Close' }).click();
  const web = await gloss.api('importArticle', { format: 'text', content: 'Just words.', title: 'Words' });
  await page.goto(`${gloss.url}#/article/${web.id}`);
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(page.getByRole('dialog', { name: 'Export' }).getByRole('radio', { name: /This article \(Words\)/ })).toBeVisible();
  await expect(page.getByRole('dialog', { name: 'Export' }).getByRole('button', { name: 'Annotated PDF' })).toHaveCount(0);
});
