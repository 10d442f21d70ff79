/**
 * Citations and other tools' exports in the window (issue 16), against the real browser-mode server: citation fields
 * edited in the metadata dialog (each checked beside its field), BibTeX and CSL-JSON saved from the Export dialog and
 * read back by real parsers, and a Readwise export imported through Import from another tool… with its report.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
// citation-js (CommonJS) reads the BibTeX here; the unit tests also read it with @retorquere/bibtex-parser (ESM only).
import { Cite } from '@citation-js/core';
import '@citation-js/plugin-bibtex';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';

/** axe-core's serious and critical findings inside one dialog, in light and in dark. */
async function dialogViolations(page: Page, selector: string): Promise<string[]> {
  const found: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const { violations } = await new AxeBuilder({ page }).include(selector).analyze();
    for (const v of violations) if (v.impact === 'serious' || v.impact === 'critical') found.push(`${scheme}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }
  return found;
}

const INTEROP = path.resolve(__dirname, '../fixtures/interop');
const SHOTS = process.env.GLOSS_SHOTS_DIR;

test('citation details are edited in the dialog, exported as BibTeX and CSL-JSON, and another tool’s export comes in with a report', async ({ page, gloss }) => {
  const page1 = `<!doctype html><html lang="en"><head><title>Tides of Mars</title>
    <meta name="citation_title" content="Tides of Mars"><meta name="citation_author" content="Doe, Jane">
    <meta name="citation_journal_title" content="Planetary Letters"><meta name="citation_publication_date" content="2024/03/01">
    </head><body><article><h1>Tides of Mars</h1><p>${'Mars has no ocean, but its crust still flexes. '.repeat(30)}</p></article></body></html>`;
  const summary = await gloss.api('importArticle', { format: 'html', content: page1, fileName: 'mars.html' });
  expect(summary).toMatchObject({ authors: ['Doe, Jane'], container: 'Planetary Letters', workType: 'article-journal' });

  await page.goto(gloss.url);
  await page.getByRole('button', { name: 'Edit details of Tides of Mars' }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit article details' });
  await expect(dialog.getByLabel('Authors, one per line')).toHaveValue('Doe, Jane');
  await dialog.getByLabel('Authors, one per line').fill('Doe, Jane\nRoe, Richard');
  await dialog.getByLabel('DOI').fill('doi 10/abc');
  await dialog.getByLabel('ISBN').fill('978-0-14-143976-1');
  await dialog.getByLabel('Volume').fill('12');
  await dialog.getByRole('button', { name: 'Save' }).click();
  // The wrong DOI is named beside its field, which takes the focus; nothing is saved.
  await expect(dialog.getByRole('alert')).toContainText('is not a DOI');
  await expect(dialog.getByLabel('DOI')).toBeFocused();
  await expect(dialog.getByLabel('DOI')).toHaveAttribute('aria-invalid', 'true');
  expect((await gloss.api('getArticle', summary.id)).volume).toBeUndefined();
  await page.keyboard.press('Control+a');
  await page.keyboard.type('https://doi.org/10.5555/12345678');
  expect(await dialogViolations(page, '.metadata-dialog')).toEqual([]);
  if (SHOTS) {
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await dialog.screenshot({ path: path.join(SHOTS, `metadata-dialog-${scheme}.png`) });
    }
  }
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  expect(await gloss.api('getArticle', summary.id)).toMatchObject({
    authors: ['Doe, Jane', 'Roe, Richard'],
    doi: '10.5555/12345678',
    isbn: '9780141439761',
    volume: '12',
  });

  // Export > Citations > Save BibTeX… downloads a file a BibTeX parser reads; the key is now the article's.
  await page.locator('body').press('Control+e');
  const exportDialog = page.getByRole('dialog', { name: 'Export' });
  await exportDialog.getByText('Citations (BibTeX, CSL-JSON)').click();
  const bibDownload = page.waitForEvent('download');
  await exportDialog.getByRole('button', { name: 'Save BibTeX…' }).click();
  const bib = await readFile((await (await bibDownload).path())!, 'utf8');
  const items = new Cite(bib).format('data', { format: 'object' }) as Record<string, unknown>[];
  expect(items.find((i) => i.id === 'doe2024tides')).toMatchObject({
    type: 'article-journal',
    'container-title': 'Planetary Letters',
    DOI: '10.5555/12345678',
    volume: '12',
    author: [
      { family: 'Doe', given: 'Jane' },
      { family: 'Roe', given: 'Richard' },
    ],
  });
  await expect(exportDialog.getByRole('status')).toContainText('BibTeX downloaded as');
  expect((await gloss.api('getArticle', summary.id)).citekey).toBe('doe2024tides');
  const cslDownload = page.waitForEvent('download');
  await exportDialog.getByRole('button', { name: 'Save CSL-JSON…' }).click();
  const csl = JSON.parse(await readFile((await (await cslDownload).path())!, 'utf8')) as { id: string; DOI?: string }[];
  expect(csl.find((i) => i.id === 'doe2024tides')?.DOI).toBe('10.5555/12345678');
  await page.keyboard.press('Escape');
  await expect(exportDialog).toBeHidden();

  // Import from another tool…: a Readwise CSV, by keyboard and a real file chooser.
  await page.getByRole('button', { name: 'Import from another tool…' }).click();
  const tools = page.getByRole('dialog', { name: 'Import from another tool' });
  await tools.getByRole('radio', { name: 'Readwise' }).check();
  const chooser = page.waitForEvent('filechooser');
  await tools.getByLabel('File').click();
  await (await chooser).setFiles(path.join(INTEROP, 'readwise-export.csv'));
  await tools.getByRole('button', { name: 'Import' }).click();
  const report = tools.getByRole('status', { name: 'Import report' });
  await expect(report).toContainText('4 highlights added, 0 passages kept without a place in the text, 0 skipped; 2 articles made, 0 matched.');
  await expect(report.getByRole('heading', { name: 'Could not be matched or kept as it was' })).toHaveCount(0);
  expect(await dialogViolations(page, '.tool-import-dialog')).toEqual([]);
  if (SHOTS) {
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await tools.screenshot({ path: path.join(SHOTS, `tool-import-${scheme}.png`) });
    }
  }
  await tools.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByRole('row', { name: /In Search of Lost Time/ })).toBeVisible();
  const proust = (await gloss.api('listArticles')).find((a) => a.title === 'In Search of Lost Time')!;
  expect((await gloss.api('getArticle', proust.id)).highlights.map((h) => h.tags)).toEqual([
    ['perception', 'C++', 'emoji 🐋'],
    ['100%', 'US–Sudan'],
  ]);
});
