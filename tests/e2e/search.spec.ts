/**
 * Notebook search (issue 15) as a person uses it: typing in the notebook view's search box, reading the ranked
 * results, clicking one; the article opens scrolled to the match with the match marked, and a highlight result focuses
 * its card. Real browser-mode server, real Chromium, real keyboard and mouse.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, fixturesDir } from './fixtures';

/** The marked search match in the reader: its text and whether it is inside the reader pane's visible box. */
function markedMatch(page: Page) {
  return page.evaluate(() => {
    const ranges = [...(CSS.highlights.get('gloss-find') ?? [])] as Range[];
    if (ranges.length !== 1) return { count: ranges.length };
    const r = ranges[0].getBoundingClientRect();
    const pane = document.querySelector('.reader-pane')!.getBoundingClientRect();
    return { count: 1, text: ranges[0].toString(), onScreen: r.height > 0 && r.top >= pane.top && r.bottom <= pane.bottom };
  });
}

test('a search result opens the article scrolled to the match, marked; a highlight result focuses its card', async ({ page, gloss }) => {
  const content = await readFile(path.join(fixturesDir, 'long/moby-dick-2701-0.utf8-bom-crlf.txt'), 'utf8');
  const moby = await gloss.api('importArticle', { format: 'text', content, title: 'Moby-Dick' });
  const reo = await gloss.api('importArticle', { format: 'text', content: 'Te reo\n\nKo te reo Māori te reo taketake o Aotearoa.' });
  const reoText = (await gloss.api('getArticle', reo.id)).text;
  const start = reoText.indexOf('taketake');
  const highlight = await gloss.api('addHighlight', reo.id, { start, end: start + 8, note: 'Natásha says: indigenous', tags: ['method'] });

  await page.goto(`${gloss.url}#/notebook`);
  const box = page.getByRole('searchbox', { name: 'Search the notebook' });
  await expect(page.locator('#nb-search-help')).toContainText('exact phrase');
  await box.click();
  // Typed with a straight apostrophe; the book prints a curly one, deep in the text.
  await page.keyboard.type("other's fashion", { delay: 20 });
  const results = page.getByRole('list', { name: 'Search results' });
  await expect(results.getByRole('listitem')).toHaveCount(1);
  await expect(results.locator('mark')).toHaveText('other’s fashion');
  await expect(page.getByRole('status').filter({ hasText: 'result' })).toHaveText('1 result.');

  await results.getByRole('link', { name: /Article text · Moby-Dick/ }).click();
  await expect(page).toHaveURL(new RegExp(`#/article/${moby.id}/at/\\d+-\\d+$`));
  await expect.poll(() => markedMatch(page)).toEqual({ count: 1, text: 'other’s fashion', onScreen: true });
  // Far from the top of the book: the pane was scrolled to it.
  expect(await page.locator('.reader-pane').evaluate((el) => el.scrollTop)).toBeGreaterThan(10_000);

  // Back to the notebook: a word of a highlight's note, typed without its accent, finds the highlight.
  await page.goBack();
  await expect(page).toHaveURL(/#\/notebook$/);
  await box.fill('');
  await box.click();
  await page.keyboard.type('natasha tag:method', { delay: 20 });
  await expect(results.getByRole('listitem')).toHaveCount(1);
  await expect(results.locator('mark')).toHaveText('Natásha');
  await results.getByRole('link', { name: /Note · Te reo/ }).click();
  await expect(page).toHaveURL(new RegExp(`#/article/${reo.id}/highlight/${highlight.id}$`));
  const card = page.getByRole('complementary', { name: 'Notes' }).getByRole('listitem', { name: 'Highlight: taketake' });
  await expect(card).toBeFocused();
  await expect.poll(() => markedMatch(page)).toEqual({ count: 0 }); // the earlier mark is gone with its article
});

test('results page with the true total; -word and a phrase narrow them', async ({ page, gloss }) => {
  for (let i = 0; i < 25; i++) {
    await gloss.api('importArticle', { format: 'text', content: `Whale note ${i}\n\nThe whale ${i % 2 ? 'stranding' : 'song'} was heard in bay ${i}.` });
  }
  await page.goto(`${gloss.url}#/notebook`);
  const box = page.getByRole('searchbox', { name: 'Search the notebook' });
  await box.click();
  await page.keyboard.type('whale', { delay: 20 });
  const results = page.getByRole('list', { name: 'Search results' });
  const status = page.getByRole('status').filter({ hasText: 'result' });
  await expect(status).toHaveText('25 results, 1–20 shown.');
  await expect(results.getByRole('listitem')).toHaveCount(20);
  await page.getByRole('button', { name: 'Next 20' }).click();
  await expect(status).toHaveText('25 results, 21–25 shown.');
  await expect(results.getByRole('listitem')).toHaveCount(5);
  await box.click();
  await page.keyboard.type(' -stranding', { delay: 20 });
  await expect(status).toHaveText('13 results.');
  await box.fill('');
  await box.click();
  await page.keyboard.type('"whale stranding"', { delay: 20 });
  await expect(status).toHaveText('12 results.');
});
