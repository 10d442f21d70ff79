/**
 * *Replace PDF…* in the PDF reader's toolbar: the user picks a newer version of the paper; the notebook re-reads it and
 * moves every highlight to where its text is now; a highlight whose text is gone stays, marked orphaned, with its note.
 * PDFs made here with pdf-lib (tests/support/make-pdf.ts); the file goes through the real file chooser.
 */
import { makePdf } from '../support/make-pdf';
import type { Article } from '../../electron/contract';
import { test, expect } from './fixtures';

const KEPT = 'the quick brown fox jumps over the lazy dog';
const DOOMED = 'seventeen violet umbrellas drifted past';

function paper(version: 1 | 2) {
  const body = [
    'Opening remarks on a small experiment.',
    ...(version === 2 ? ['A paragraph added in the second version, before everything else.'] : []),
    `In the first trial ${KEPT} twice.`,
    ...(version === 1 ? [`Later, ${DOOMED} the window.`] : []),
    'Closing words.',
  ];
  return makePdf({ pages: [{ lines: ['A Small Experiment', ...body], firstLineSize: 18 }], info: { title: 'A Small Experiment' } });
}

test('Replace PDF… moves highlights to the new version and keeps the one whose text is gone, orphaned, with its note', async ({ gloss, page }) => {
  const v1 = await paper(1);
  const { id } = (await gloss.api('importArticle', { format: 'pdf', contentBase64: Buffer.from(v1).toString('base64'), fileName: 'experiment.pdf' })) as { id: string };
  const before = (await gloss.api('getArticle', id)) as Article;
  const at = (quote: string) => ({ start: before.text.indexOf(quote), end: before.text.indexOf(quote) + quote.length });
  const kept = await gloss.api('addHighlight', id, { ...at(KEPT), color: 'green' });
  await gloss.api('addHighlight', id, { ...at(DOOMED), color: 'pink', note: 'the umbrellas matter' });

  await page.goto(`${gloss.url}#/article/${id}`);
  await expect(page.locator('.pdf-page[data-page-number="1"]')).toHaveAttribute('data-rendered', 'true');
  await expect(page.locator('article.pdf-document')).toHaveAttribute('data-painted-highlights', '2');

  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Replace PDF…' }).click();
  await (await chooser).setFiles({ name: 'experiment-v2.pdf', mimeType: 'application/pdf', buffer: Buffer.from(await paper(2)) });

  await expect(page.getByText('Replaced the PDF with “experiment-v2.pdf”: 1 highlight found again; 1 could not be found')).toBeVisible();
  const after = (await gloss.api('getArticle', id)) as Article;
  expect(after.pdf?.fileName).toBe('experiment-v2.pdf');
  const moved = after.highlights.find((h) => h.id === kept.id)!;
  expect(after.text.slice(moved.start, moved.end)).toBe(KEPT);
  expect(moved.start).toBeGreaterThan(kept.start);
  const orphan = after.highlights.find((h) => h.id !== kept.id)!;
  expect(orphan).toMatchObject({ orphaned: true, note: 'the umbrellas matter', quote: DOOMED });
  // The reader shows the new version with the moved highlight painted; the orphan is listed, not painted.
  await expect(page.locator('.pdf-page[data-page-number="1"] .textLayer')).toContainText('added in the second version');
  await expect(page.locator('article.pdf-document')).toHaveAttribute('data-painted-highlights', '1');
  await expect(page.getByRole('complementary', { name: 'Notes' }).getByText('orphaned: passage not found in the current text')).toBeVisible();
});

test('Replace PDF… with a file that is not a PDF says so and changes nothing', async ({ gloss, page }) => {
  const v1 = await paper(1);
  const { id } = (await gloss.api('importArticle', { format: 'pdf', contentBase64: Buffer.from(v1).toString('base64'), fileName: 'experiment.pdf' })) as { id: string };
  const before = await gloss.api('getArticle', id);
  await page.goto(`${gloss.url}#/article/${id}`);
  await expect(page.locator('.pdf-page[data-page-number="1"]')).toHaveAttribute('data-rendered', 'true');
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Replace PDF…' }).click();
  await (await chooser).setFiles({ name: 'notes.pdf', mimeType: 'application/pdf', buffer: Buffer.from('just some words, no PDF here') });
  await expect(page.getByText(/The PDF was not replaced: .*notes\.pdf.*not a PDF/)).toBeVisible();
  expect(await gloss.api('getArticle', id)).toEqual(before);
});
