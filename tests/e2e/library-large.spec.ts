/**
 * The library view at 10,000 articles (issue 15): the table holds only the rows on screen (a bounded number), scrolls
 * to the last article, sorts and filters. The notebook folder is written directly (a generated library), then opened
 * by the real browser-mode server; everything after that is the real app, driven by keyboard and mouse.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test as base, expect, startGloss, type GlossServer } from './fixtures';
import { ARTICLES_DIR, INDEX_FILE } from '../../electron/notebook/store/layout';

const COUNT = 10_000;

/** A notebook folder of COUNT small articles, titles "Article 00000 …" in added order (newest last). */
async function generateLibrary(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gloss-e2e-library-'));
  await mkdir(path.join(dir, ARTICLES_DIR), { recursive: true });
  const ids: string[] = [];
  const base = Date.UTC(2024, 0, 1);
  const writes: Promise<void>[] = [];
  for (let i = 0; i < COUNT; i++) {
    const id = `gen${String(i).padStart(5, '0')}`;
    ids.push(id);
    const at = new Date(base + i * 60_000).toISOString();
    const title = `Article ${String(i).padStart(5, '0')} ${['on whales', 'on ships', 'on the sea', 'on rope'][i % 4]}`;
    const doc = { schemaVersion: 1, article: { id, title, addedAt: at, updatedAt: at, text: `${title}. A short text about item ${i}.`, note: '' }, highlights: [] };
    writes.push(writeFile(path.join(dir, ARTICLES_DIR, `${id}.json`), JSON.stringify(doc)));
    if (writes.length >= 200) await Promise.all(writes.splice(0));
  }
  await Promise.all(writes);
  await writeFile(path.join(dir, INDEX_FILE), JSON.stringify({ schemaVersion: 1, articleIds: ids, settings: { colorLabels: {} }, seeded: true }));
  return dir;
}

const test = base.extend<{ big: GlossServer }>({
  // eslint-disable-next-line no-empty-pattern
  big: async ({}, use) => {
    // The generated folder is of the first layout: the first open migrates it (10,000 files), hence the time allowed.
    const server = await startGloss({ dataDir: await generateLibrary(), startTimeoutMs: 150_000 });
    await use(server);
    await server.stop();
  },
});

test.setTimeout(300_000);

test('10,000 articles: a bounded number of rows in the DOM, End shows the last article, sorting and filtering work', async ({ page, big }) => {
  await page.goto(big.url);
  const table = page.getByRole('table', { name: 'Library' });
  await expect(page.getByRole('status').filter({ hasText: 'articles' })).toHaveText(/^10,?000 articles$/);
  const rowCount = () => table.locator('tbody tr[data-row]').count();
  expect(await rowCount()).toBeLessThan(100);
  // Newest first: the last one added is at the top.
  await expect(table.locator('tbody tr[data-row]').first()).toContainText('Article 09999');

  // To the end of the list by keyboard, as a person would (End scrolls the focused pane).
  await page.getByRole('heading', { name: 'Library' }).click();
  await page.keyboard.press('End');
  const oldest = table.getByRole('rowheader', { name: /Article 00000 on whales/ });
  await expect(oldest).toBeInViewport();
  expect(await rowCount()).toBeLessThan(100);

  // Sort by title (A to Z): the first row is Article 00000; the table still holds few rows.
  await page.keyboard.press('Home');
  await table.getByRole('button', { name: 'Title' }).click();
  await expect(table.locator('tbody tr[data-row]').first()).toContainText('Article 00000');
  expect(await rowCount()).toBeLessThan(100);

  // Filter: 2,500 "on ships", the count says so, the end of the filtered list is reachable.
  const filter = page.getByRole('searchbox', { name: 'Filter by title, author or source' });
  await filter.click();
  await page.keyboard.type('ships', { delay: 30 });
  await expect(page.getByRole('status').filter({ hasText: 'articles' })).toHaveText(/2,?500 of 10,?000 articles/);
  await page.getByRole('heading', { name: 'Library' }).click();
  await page.keyboard.press('End');
  await expect(table.getByRole('rowheader', { name: /Article 09997 on ships/ })).toBeInViewport();
  expect(await rowCount()).toBeLessThan(100);
});
