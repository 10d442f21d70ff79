/**
 * The library view at 10,000 articles (issue 15): the table holds only the rows on screen (a bounded number), scrolls
 * to the last article, sorts and filters. The notebook folder is generated in the current layout by the store's
 * bench/library-fixture.mjs (written directly: seconds, not 10,000 imports), then opened by the real browser-mode
 * server; everything after that is the real app, driven by keyboard and mouse.
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test as base, expect, repoRoot, startGloss, type GlossServer } from './fixtures';

const COUNT = 10_000;

async function generateLibrary(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gloss-e2e-library-'));
  const { writeLibrary } = (await import(path.join(repoRoot, 'bench/library-fixture.mjs'))) as {
    writeLibrary: (dir: string, options: { articles: number; textChars: number }) => Promise<unknown>;
  };
  // Titles "Article <i>: <word> and <word>", added one a minute in that order; short texts (the table shows none).
  await writeLibrary(dir, { articles: COUNT, textChars: 300 });
  return dir;
}

const test = base.extend<{ big: GlossServer }>({
  // eslint-disable-next-line no-empty-pattern
  big: async ({}, use) => {
    const server = await startGloss({ dataDir: await generateLibrary(), args: ['--no-seed'], startTimeoutMs: 120_000 });
    await use(server);
    await server.stop();
  },
});

test.setTimeout(300_000);

test('10,000 articles: a bounded number of rows in the DOM, End shows the last article, sorting and filtering work', async ({ page, big }) => {
  await page.goto(big.url);
  const table = page.getByRole('table', { name: 'Library' });
  const count = page.getByRole('status').filter({ hasText: 'articles' });
  await expect(count).toHaveText(/^10,?000 articles$/, { timeout: 60_000 });
  const rows = table.locator('tbody tr[data-row]');
  const rowCount = () => rows.count();
  expect(await rowCount()).toBeLessThan(100);
  // Newest first: the last one added is at the top.
  await expect(rows.first()).toContainText('Article 9999:');

  // To the end of the list by keyboard, as a person would (End scrolls the focused pane).
  await page.getByRole('heading', { name: 'Library' }).click();
  await page.keyboard.press('End');
  await expect(table.getByRole('rowheader', { name: /^Article 0:/ })).toBeInViewport();
  expect(await rowCount()).toBeLessThan(100);

  // Sort by title (A to Z, numbers in order): Article 0 first, Article 9999 at the end; still few rows in the DOM.
  await page.keyboard.press('Home');
  await table.getByRole('button', { name: 'Title' }).click();
  await expect(rows.first()).toContainText('Article 0:');
  await page.getByRole('heading', { name: 'Library' }).click();
  await page.keyboard.press('End');
  await expect(table.getByRole('rowheader', { name: /^Article 9999:/ })).toBeInViewport();
  expect(await rowCount()).toBeLessThan(100);

  // Filter by typing: "999" is in 19 titles (999, 1999 ... 9999 and 9990 ... 9998); the end of that list is reachable.
  const filter = page.getByRole('searchbox', { name: 'Filter by title, author or source' });
  await filter.click();
  await page.keyboard.type('999', { delay: 30 });
  await expect(count).toHaveText(/^19 of 10,?000 articles$/);
  await expect(rows).toHaveCount(19);
  await expect(rows.last()).toContainText('Article 9999:');
});
