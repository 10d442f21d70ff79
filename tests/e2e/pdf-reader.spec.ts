import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test, expect, fixturesDir } from './fixtures';

test('explore', async ({ gloss, page }) => {
  const logs: string[] = [];
  page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
  const bytes = await readFile(path.join(fixturesDir, 'pdf/tracemonkey.pdf'));
  const summary: any = await gloss.api('importArticle', { format: 'pdf', contentBase64: bytes.toString('base64'), fileName: 'tracemonkey.pdf' });
  await page.goto(`${gloss.url}#/article/${summary.id}`);
  await expect(page.locator('.pdf-page[data-page-number="1"]')).toHaveAttribute('data-rendered', 'true');
  await page.waitForTimeout(1500);
  await page.screenshot({ path: '/tmp/pdfr/explore.png' });
  console.log(logs.join('\n'));
  console.log(await page.locator('[data-page-indicator]').textContent());
  console.log(await page.locator('.pdf-page[data-rendered="true"]').count(), await page.locator('.pdf-page').count());
});
