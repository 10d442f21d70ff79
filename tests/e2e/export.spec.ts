/**
 * Export, end to end against the real browser-mode server: Markdown that reads back exactly (markdown-it, HTML on),
 * and the Export dialog driven as a user would — opened by keyboard, a tag scope, the live preview, a template error,
 * Copy, Save (a download), export to a folder, and a backup download.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from './fixtures';
import { NASTY_PASSAGES, blockquoteTexts, frontmatterOf, readbackParsers } from '../support/export-readback';

const TITLE = 'Held-out: "quotes" — # --- <script>x</script> עברית 🎉';
const SOURCE = 'https://example.com/held-out?x=1&y=[2]';

test('held-out passages export to Markdown that reads back exactly; the dialog previews, copies, saves and exports a folder', async ({ page, gloss, context }) => {
  // --- the notebook, through the API as a script would --------------------------------------------------------------
  const summary = await gloss.api('importArticle', { format: 'text', content: NASTY_PASSAGES.join('\n\n'), title: TITLE, source: SOURCE });
  const { text } = await gloss.api('getArticle', summary.id);
  for (const [i, passage] of NASTY_PASSAGES.entries()) {
    const start = text.indexOf(passage);
    expect(start, passage).toBeGreaterThanOrEqual(0);
    await gloss.api('addHighlight', summary.id, { start, end: start + passage.length, tags: [i < 4 ? 'key claim' : 'other'], note: `Why ${i}: **this**` });
  }
  const across = text.indexOf('1984.');
  await gloss.api('addHighlight', summary.id, { start: across - 12, end: across + 5, tags: ['other'] });
  const article = await gloss.api('getArticle', summary.id);

  const markdown = await gloss.api('exportMarkdown', { articleIds: [summary.id] });
  for (const parser of Object.values(readbackParsers)) expect(blockquoteTexts(markdown, parser)).toEqual(article.highlights.map((h) => h.quote));
  expect(frontmatterOf(markdown)).toMatchObject({ title: TITLE, source: SOURCE });
  const tagged = await gloss.api('exportMarkdown', { tags: ['key claim'] });
  const keyQuotes = article.highlights.filter((h) => h.tags.includes('key claim')).map((h) => h.quote);
  expect(keyQuotes).toHaveLength(4);
  expect(blockquoteTexts(tagged)).toEqual(keyQuotes);
  expect(await gloss.api('exportMarkdown', { articleIds: [summary.id] })).toBe(markdown);
  // The whole notebook: the untouched sample article (no highlight, no note) is left out, so this is the same document.
  expect(await gloss.api('exportMarkdown')).toBe(markdown);

  // --- the dialog ----------------------------------------------------------------------------------------------------
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: gloss.origin });
  await page.goto(`${gloss.url}#/article/${summary.id}`);
  await expect(page.locator('article.reader-article')).toContainText('mixed RTL text');
  await page.locator('body').press('Control+e');
  const dialog = page.getByRole('dialog', { name: 'Export' });
  await expect(dialog).toBeVisible();
  const preview = dialog.getByLabel('Markdown preview');
  // Scope defaults to this article: the preview is exactly what exportMarkdown gives.
  await expect(dialog.getByRole('radio', { name: /This article/ })).toBeChecked();
  await expect.poll(() => preview.textContent()).toBe(markdown);

  // A tag scope narrows the preview to that tag's highlights.
  await dialog.getByRole('combobox', { name: 'Tag to export' }).selectOption({ label: 'key claim (4)' });
  await expect(dialog.getByRole('radio', { name: 'Highlights tagged' })).toBeChecked();
  await expect.poll(async () => blockquoteTexts((await preview.textContent()) ?? '')).toEqual(keyQuotes);
  expect(await preview.textContent()).toBe(tagged);

  // A broken template is named inline, and the preview comes back once it is fixed.
  await dialog.getByRole('radio', { name: /My template/ }).check();
  const templateBox = dialog.getByRole('textbox', { name: 'Template' });
  await templateBox.fill('{{#highlights}}{{quote}}');
  await expect(dialog.getByRole('alert')).toContainText('Unclosed section "highlights"');
  await expect(templateBox).toHaveAttribute('aria-invalid', 'true');
  await templateBox.fill('{{#highlights}}[{{quote}}]{{/highlights}}');
  await expect(dialog.getByRole('alert')).toHaveCount(0);
  await expect(preview).toContainText('[# Not a heading');
  await dialog.getByRole('radio', { name: /Default/ }).check();
  await expect.poll(() => preview.textContent()).toBe(tagged);

  // Copy puts exactly the export on the clipboard.
  await dialog.getByRole('button', { name: 'Copy to clipboard' }).click();
  await expect(dialog.getByRole('status')).toContainText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(tagged);

  // Save… downloads it (browser mode), named after the scope.
  const downloadPromise = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Save…' }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toBe('Gloss - key claim.md');
  expect(await readFile((await download.path())!, 'utf8')).toBe(tagged);

  // Export to a folder: one file per article, in place on the second run.
  const out = await mkdtemp(path.join(os.tmpdir(), 'gloss-e2e-export-'));
  try {
    await dialog.getByText('Export to a folder').click();
    await dialog.getByLabel('Folder path').fill(out);
    await dialog.getByRole('button', { name: 'Export to folder' }).click();
    await expect(dialog.getByRole('status')).toContainText('1 written, 0 unchanged');
    const files = (await readdir(out)).filter((f) => f.endsWith('.md'));
    expect(files).toHaveLength(1);
    expect(blockquoteTexts(await readFile(path.join(out, files[0]), 'utf8'))).toEqual(keyQuotes);
    await dialog.getByRole('button', { name: 'Export to folder' }).click();
    await expect(dialog.getByRole('status')).toContainText('0 written, 1 unchanged');
  } finally {
    await rm(out, { recursive: true, force: true });
  }

  // A backup downloads as JSON that holds the whole notebook.
  await dialog.getByText('Backup and W3C annotations').click();
  const backupPromise = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Save backup…' }).click();
  const backupFile = await backupPromise;
  const backup = JSON.parse(await readFile((await backupFile.path())!, 'utf8'));
  expect(backup).toEqual(await gloss.api('backupNotebook'));

  // Escape closes the dialog.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test('a backup saved from the Export dialog restores the notebook from the dialog, streamed both ways', async ({ page, gloss }) => {
  const kept = await gloss.api('importArticle', { format: 'text', title: 'Field notes on tides', content: 'The tide turns twice a day. The harbour empties and fills.' });
  await gloss.api('addHighlight', kept.id, { start: 0, end: 26, note: 'Why this matters', tags: ['tides'] });
  await page.goto(gloss.url);
  await expect(page.getByText('Field notes on tides').first()).toBeVisible();
  await page.locator('body').press('Control+e');
  const dialog = page.getByRole('dialog', { name: 'Export' });
  await expect(dialog).toBeVisible();
  // The preview's export gives the articles their citation keys (kept from the first export): done before the backup.
  await expect(dialog.getByLabel('Markdown preview')).toContainText('Why this matters');
  await dialog.getByText('Backup and W3C annotations').click();
  const downloading = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Save backup…' }).click();
  const download = await downloading;
  const backupPath = (await download.path())!;
  await expect(dialog.getByRole('status')).toContainText(/Backup of 2 articles downloaded as gloss-backup-\d{4}-\d\d-\d\d\.json/);
  expect(download.suggestedFilename()).toMatch(/^gloss-backup-\d{4}-\d\d-\d\d\.json$/);
  const backup = JSON.parse(await readFile(backupPath, 'utf8'));
  expect(backup).toEqual(await gloss.api('backupNotebook'));

  // After the backup: the article is deleted and another comes in.
  await gloss.api('deleteArticle', kept.id);
  await gloss.api('importArticle', { format: 'text', title: 'Written after the backup', content: 'Not in the backup.' });
  await expect(page.getByText('Written after the backup').first()).toBeVisible();

  // Restoring the file through the dialog, replacing the notebook: the library becomes the backup again.
  await dialog.getByLabel('Backup file').setInputFiles(backupPath);
  await dialog.getByRole('combobox', { name: 'Restore mode' }).selectOption('replace');
  await dialog.getByRole('button', { name: 'Restore', exact: true }).click();
  await expect(dialog.getByRole('status')).toContainText(/Restored \(replace\): 1 articles and 1 highlights added or changed, 0 skipped\. The notebook as it was is saved in .*before-restore/);
  await page.keyboard.press('Escape');
  await expect(page.getByText('Field notes on tides').first()).toBeVisible();
  await expect(page.getByText('Written after the backup')).toHaveCount(0);
  expect(await gloss.api('backupNotebook')).toEqual(backup);

  // A file that is not a backup is refused with words that say so, and nothing changes.
  await page.locator('body').press('Control+e');
  await dialog.getByText('Backup and W3C annotations').click();
  await dialog.getByLabel('Backup file').setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"gloss-notebook-backup","version":1,"articles":[{"id"') });
  await dialog.getByRole('button', { name: 'Restore', exact: true }).click();
  await expect(dialog.getByRole('alert').filter({ hasText: 'Backup is not valid JSON' })).toBeVisible();
  expect(await gloss.api('backupNotebook')).toEqual(backup);
});
