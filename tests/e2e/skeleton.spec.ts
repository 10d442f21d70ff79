import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test, expect, selectText, paintedQuotes, startGloss } from './fixtures';

const QUOTE = 'Soleimani, who headed the Quds Force';

test('a new notebook lists the sample article, and a highlight made with h survives reload and restart', async ({ page, gloss }) => {
  const [sample] = await gloss.api('listArticles');
  expect(sample.title).toBe('Iran will never forget the US killing of slain general Qassem Soleimani: Khamenei');

  await page.goto(gloss.url);
  await expect(page.getByRole('link', { name: /Iran will never forget/ })).toBeVisible();
  await page.getByRole('link', { name: /Iran will never forget/ }).click();
  await expect(page).toHaveURL(new RegExp(`#/article/${sample.id}$`));
  // The site's boilerplate lines were dropped from the shipped sample.
  await expect(page.locator('article.reader-article')).not.toContainText('Google News');

  await selectText(page, QUOTE);
  await page.keyboard.press('h');

  const notes = page.getByRole('complementary', { name: 'Notes' });
  await expect(notes.getByRole('listitem').filter({ hasText: QUOTE })).toBeVisible();
  await expect.poll(() => paintedQuotes(page)).toMatchObject({ yellow: [QUOTE] });

  // The notebook (via the API) holds it, with position and context.
  const stored = await gloss.api('getArticle', sample.id);
  expect(stored.highlights).toHaveLength(1);
  expect(stored.highlights[0]).toMatchObject({ quote: QUOTE, color: 'yellow' });
  expect(stored.text.slice(stored.highlights[0].start, stored.highlights[0].end)).toBe(QUOTE);

  await page.reload();
  await expect(notes.getByRole('listitem').filter({ hasText: QUOTE })).toBeVisible();
  await expect.poll(() => paintedQuotes(page)).toMatchObject({ yellow: [QUOTE] });

  // A restart of the server reads it back from disk.
  const restarted = await gloss.restart();
  await page.goto(`${restarted.url}#/article/${sample.id}`);
  await expect.poll(() => paintedQuotes(page)).toMatchObject({ yellow: [QUOTE] });

  // The data folder is plain JSON that parses and holds the highlight.
  const files = await readdir(path.join(gloss.dataDir, 'articles'));
  const docs = await Promise.all(files.map(async (f) => JSON.parse(await readFile(path.join(gloss.dataDir, 'articles', f), 'utf8'))));
  expect(docs.flatMap((d) => d.highlights).map((h: { quote: string }) => h.quote)).toEqual([QUOTE]);
  JSON.parse(await readFile(path.join(gloss.dataDir, 'notebook.json'), 'utf8'));
});

test('the toolbar colours a selection, and a double-clicked word highlights with a number key', async ({ page, gloss }) => {
  const [sample] = await gloss.api('listArticles');
  await page.goto(`${gloss.url}#/article/${sample.id}`);
  await selectText(page, 'ballistic missile strike');
  const toolbar = page.getByRole('toolbar', { name: 'Highlight selection' });
  await toolbar.getByRole('button', { name: 'Highlight green' }).click();
  await expect.poll(() => paintedQuotes(page)).toMatchObject({ green: ['ballistic missile strike'] });
  await expect(toolbar).toBeHidden();

  await page.locator('article.reader-article').getByText(/Ukrainian passenger plane/).dblclick({ position: { x: 5, y: 5 } });
  const word = await page.evaluate(() => document.getSelection()!.toString().trim());
  expect(word.length).toBeGreaterThan(0);
  await page.keyboard.press('3');
  await expect.poll(() => paintedQuotes(page)).toMatchObject({ blue: [word] });
  // Painting is optimistic (the same frame as the key); the notebook has it once the write is on disk.
  await expect
    .poll(async () => (await gloss.api('getArticle', sample.id)).highlights.map((h) => [h.quote, h.color]))
    .toEqual(
      expect.arrayContaining([
        ['ballistic missile strike', 'green'],
        [word, 'blue'],
      ]),
    );
});

test('the local API answers as documented: token, unknown methods, bad arguments, size', async ({ gloss }) => {
  const unauthorized = await fetch(`${gloss.origin}/api/listArticles`, { method: 'POST', body: '[]' });
  expect(unauthorized.status).toBe(401);
  expect((await unauthorized.json()).error.code).toBe('unauthorized');

  const wrongToken = await gloss.raw('listArticles', [], { Authorization: 'Bearer nope' });
  expect(wrongToken.status).toBe(401);

  for (const name of ['constructor', '__proto__', 'toString', 'nope']) {
    const reply = await gloss.raw(name, []);
    expect(reply.status, name).toBe(404);
    expect(reply.body.error.code).toBe('not_found');
  }
  const [sample] = await gloss.api('listArticles');
  const bad = await gloss.raw('addHighlight', [sample.id, { start: 10, end: 5 }]);
  expect(bad.status).toBe(400);
  expect(bad.body.error.message).toMatch(/start|end/);
  const badColor = await gloss.raw('addHighlight', [sample.id, { start: 0, end: 5, color: 'red' }]);
  expect(badColor.status).toBe(400);
  expect(badColor.body.error.message).toMatch(/colour/);
  const missing = await gloss.raw('getArticle', ['doesnotexist']);
  expect(missing.status).toBe(404);
  const notJson = await gloss.raw('listArticles', '{oops');
  expect(notJson.status).toBe(400);
  const huge = await gloss.raw('setArticleNote', [sample.id, 'x'.repeat(17 * 1024 * 1024)]);
  expect(huge.status).toBe(413);
  // Nothing of those refusals reached the notebook.
  expect((await gloss.api('getArticle', sample.id)).highlights).toEqual([]);
});

test('the URL printed at start opens the app: the token leaves the address bar, and every call sends it as a header', async ({ page, gloss }) => {
  const sent: (string | undefined)[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.startsWith('/api/')) sent.push(r.headers().authorization);
  });
  await page.goto(gloss.url);
  expect(page.url()).not.toContain('token');
  await expect(page.getByRole('heading', { name: 'Library' })).toBeVisible();
  expect(sent.length).toBeGreaterThan(0);
  expect(new Set(sent)).toEqual(new Set([`Bearer ${gloss.token}`]));
  // Without the header the API is closed, even from the page itself.
  expect(await page.evaluate(async () => (await fetch('/api/listArticles', { method: 'POST', body: '[]' })).status)).toBe(401);
});

test('a second browser mode on the same folder refuses, naming the owner', async ({ gloss }) => {
  await expect(startGloss({ dataDir: gloss.dataDir })).rejects.toThrow(/already open in Gloss browser mode/);
});
