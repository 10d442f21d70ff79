import { existsSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { JSDOM } from 'jsdom';
import type { Page } from '@playwright/test';
import { fixturesDir, startGloss, test, expect } from './fixtures';

const READABILITY = path.join(fixturesDir, 'readability');
const FAKE_SOURCE = 'http://fakehost/test/page.html';

/** Text as a reader compares it: whitespace collapsed. */
const collapse = (s: string): string => s.replace(/\s+/g, ' ').trim();

interface Page_ {
  name: string;
  source: string;
  title: string;
  dir?: string;
  /** A stretch of the article (the longest paragraph's opening) that must be in the reader. */
  probe: string;
  words: string[];
}

async function readabilityPages(): Promise<Page_[]> {
  const names = (await readdir(READABILITY)).sort();
  return Promise.all(
    names.map(async (name) => {
      const dir = path.join(READABILITY, name);
      const meta = JSON.parse(await readFile(path.join(dir, 'expected-metadata.json'), 'utf8'));
      const expected = new JSDOM(await readFile(path.join(dir, 'expected.html'), 'utf8')).window.document;
      const paragraphs = [...expected.querySelectorAll('p, li, td, pre, h1, h2, h3')].map((p) => collapse(p.textContent ?? ''));
      const longest = paragraphs.reduce((a, b) => (b.length > a.length ? b : a), collapse(expected.body.textContent ?? ''));
      return {
        name,
        source: await readFile(path.join(dir, 'source.html'), 'utf8'),
        title: meta.title,
        dir: meta.dir ?? undefined,
        probe: longest.slice(0, 60).trim(),
        words: collapse(expected.body.textContent ?? '').toLowerCase().split(' ').filter(Boolean),
      };
    }),
  );
}

/** Share of `expected` words (as a multiset) found in `actual`. */
function recall(expected: string[], actual: string[]): number {
  const have = new Map<string, number>();
  for (const w of actual) have.set(w, (have.get(w) ?? 0) + 1);
  let hit = 0;
  for (const w of expected) {
    const n = have.get(w) ?? 0;
    if (n > 0) {
      hit += 1;
      have.set(w, n - 1);
    }
  }
  return expected.length ? hit / expected.length : 1;
}

async function expectReaderShows(page: Page, title: string, probe: string): Promise<void> {
  await expect(page.locator('h1.reader-title')).toHaveText(title);
  // textContent runs blocks together ("…QR-Codes.(Bild…"), so compare without white space.
  const squash = (s: string): string => s.replace(/\s+/g, '');
  await expect.poll(async () => squash((await page.locator('article.reader-article').textContent()) ?? '')).toContain(squash(probe));
}

test('the file picker imports several pages at once, and one file opens in the reader', async ({ page, gloss }) => {
  const pages = (await readabilityPages()).filter((p) => ['bbc-1', 'lemonde-1', 'wikipedia'].includes(p.name));
  await page.goto(gloss.url);
  const picker = page.getByLabel('Choose files to import');

  // Two at once: both are listed, the app stays in the library and says so.
  await picker.setInputFiles(
    pages.slice(0, 2).map((p) => ({ name: `${p.name}.html`, mimeType: 'text/html', buffer: Buffer.from(p.source) })),
  );
  await expect(page.getByRole('status').filter({ hasText: 'Imported 2 articles.' })).toBeVisible();
  for (const p of pages.slice(0, 2)) {
    await page.getByRole('link', { name: p.title }).click();
    await expectReaderShows(page, p.title, p.probe);
    await page.goBack();
  }

  // One file: it opens at once.
  const wiki = pages[2];
  await picker.setInputFiles({ name: 'wikipedia.htm', mimeType: 'text/html', buffer: Buffer.from(wiki.source) });
  await expect(page).toHaveURL(/#\/article\//);
  await expectReaderShows(page, wiki.title, wiki.probe);
  expect((await gloss.api('listArticles')).map((a) => a.title)).toEqual(expect.arrayContaining(pages.map((p) => p.title)));
});

test('every saved page imported as html shows its title and text in the reader; rtl-1 reads right to left', async ({ page, gloss }) => {
  const pages = await readabilityPages();
  const recalls: Record<string, number> = {};
  await page.goto(gloss.url);
  for (const p of pages) {
    const summary = await gloss.api('importArticle', { format: 'html', content: p.source, source: FAKE_SOURCE });
    const stored = await gloss.api('getArticle', summary.id);
    recalls[p.name] = recall(p.words, collapse(stored.text).toLowerCase().split(' '));
    await page.evaluate((id) => (window.location.hash = `#/article/${id}`), summary.id);
    await expectReaderShows(page, p.title, p.probe);
    if (p.dir) await expect(page.locator('article.reader-article'), p.name).toHaveAttribute('dir', p.dir);
    if (stored.lang) await expect(page.locator('article.reader-article'), p.name).toHaveAttribute('lang', stored.lang);
  }
  console.log('word recall per page:', JSON.stringify(recalls));
  const good = Object.values(recalls).filter((r) => r >= 0.9).length;
  expect(good / pages.length).toBeGreaterThanOrEqual(0.9);
  const rtl = (await gloss.api('listArticles')).find((a) => a.title === 'RTL Test')!;
  expect(rtl.dir).toBe('rtl');
});

test('the library sorts and filters by title, author, source, date and highlight count', async ({ page, gloss }) => {
  const md = (title: string, author: string, date: string, body: string): string =>
    `---\ntitle: ${title}\nauthor: ${author}\ndate: ${date}\n---\n\n${body}\n\nA second paragraph about ${title.toLowerCase()}.\n`;
  const darwin = await gloss.api('importArticle', {
    format: 'markdown',
    content: md('On the Origin of Species', 'Charles Darwin', '1859-11-24', 'When on board H.M.S. Beagle, as naturalist.'),
    source: 'https://www.gutenberg.org/ebooks/1228',
  });
  const woolf = await gloss.api('importArticle', {
    format: 'markdown',
    content: md('A Room of One’s Own', 'Virginia Woolf', '1929-10-24', 'But, you may say, we asked you to speak about women and fiction.'),
    source: 'https://archive.org/details/roomofonesown',
  });
  const arendt = await gloss.api('importArticle', {
    format: 'markdown',
    content: md('Eichmann in Jerusalem', 'Hannah Arendt', '1963-02-16', 'Beth Hamishpath, the House of Justice.'),
  });
  const text = (await gloss.api('getArticle', woolf.id)).text;
  for (const word of ['women', 'fiction']) {
    const at = text.indexOf(word);
    await gloss.api('addHighlight', woolf.id, { start: at, end: at + word.length });
  }
  const at = (await gloss.api('getArticle', arendt.id)).text.indexOf('Justice');
  await gloss.api('addHighlight', arendt.id, { start: at, end: at + 7 });

  await page.goto(gloss.url);
  const table = page.getByRole('table', { name: 'Library' });
  const titles = (): Promise<string[]> => table.locator('tbody th').allTextContents();
  await expect(table.locator('tbody tr')).toHaveCount(4); // with the sample article
  const sample = 'Iran will never forget the US killing of slain general Qassem Soleimani: Khamenei';
  // Newest first by default.
  await expect.poll(titles).toEqual(['Eichmann in Jerusalem', 'A Room of One’s Own', 'On the Origin of Species', sample]);

  const sortBy = async (column: string): Promise<void> => {
    await table.getByRole('columnheader', { name: column }).getByRole('button').click();
  };
  await sortBy('Title');
  await expect(table.getByRole('columnheader', { name: 'Title' })).toHaveAttribute('aria-sort', 'ascending');
  await expect.poll(titles).toEqual(['A Room of One’s Own', 'Eichmann in Jerusalem', sample, 'On the Origin of Species']);
  await sortBy('Title');
  await expect(table.getByRole('columnheader', { name: 'Title' })).toHaveAttribute('aria-sort', 'descending');
  await expect.poll(titles).toEqual(['On the Origin of Species', sample, 'Eichmann in Jerusalem', 'A Room of One’s Own']);
  await sortBy('Author'); // A to Z; articles without an author last
  await expect.poll(titles).toEqual(['On the Origin of Species', 'Eichmann in Jerusalem', 'A Room of One’s Own', sample]);
  await sortBy('Highlights'); // most first; ties keep library order (the sample came first)
  await expect.poll(titles).toEqual(['A Room of One’s Own', 'Eichmann in Jerusalem', sample, 'On the Origin of Species']);
  await sortBy('Published'); // newest first; undated last
  await expect.poll(titles).toEqual(['Eichmann in Jerusalem', 'A Room of One’s Own', 'On the Origin of Species', sample]);
  await sortBy('Source');
  await expect.poll(async () => (await titles()).slice(0, 2)).toEqual(['A Room of One’s Own', 'On the Origin of Species']);

  const filter = page.getByRole('searchbox');
  await filter.fill('darwin');
  await expect.poll(titles).toEqual(['On the Origin of Species']);
  await expect(page.getByRole('status').filter({ hasText: '1 of 4 articles' })).toBeVisible();
  await filter.fill('gutenberg'); // the source
  await expect.poll(titles).toEqual(['On the Origin of Species']);
  await filter.fill('');
  await page.getByLabel('Highlights').selectOption('with');
  await expect.poll(async () => (await titles()).sort()).toEqual(['A Room of One’s Own', 'Eichmann in Jerusalem']);
  await page.getByLabel('Highlights').selectOption('without');
  await expect.poll(async () => (await titles()).sort()).toEqual(['On the Origin of Species', sample].sort());
  await page.getByLabel('Highlights').selectOption('any');
  await page.getByLabel('Added').selectOption('day');
  await expect(table.locator('tbody tr')).toHaveCount(4);
  expect(darwin.id).toBeTruthy();
});

test('rename and edit details in a dialog; delete with Undo keeps nothing once the undo window is over', async ({ page, gloss }) => {
  const article = await gloss.api('importArticle', {
    format: 'text',
    content: 'Notes on tide pools\n\nAnemones close when the water leaves.\n\nBarnacles wait.',
  });
  const hl = (await gloss.api('getArticle', article.id)).text.indexOf('Anemones');
  await gloss.api('addHighlight', article.id, { start: hl, end: hl + 8, tags: ['sea'] });
  await page.goto(gloss.url);

  await page.getByRole('button', { name: 'Edit details of Notes on tide pools' }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit article details' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Title')).toBeFocused();
  // A source that is not a web address is refused, in the dialog, and nothing changes.
  await dialog.getByLabel('Source URL').fill('javascript:alert(1)');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByRole('alert')).toContainText('not a web address');
  expect((await gloss.api('getArticle', article.id)).source).toBeUndefined();

  await dialog.getByLabel('Title').fill('Tide pools of Brittany');
  await dialog.getByLabel('Author', { exact: true }).fill('Rachel Carson');
  await dialog.getByLabel('Source URL').fill('https://example.org/tide-pools');
  await dialog.getByLabel('Published date').fill('1955-06-01');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByRole('row', { name: /Tide pools of Brittany/ });
  await expect(row).toContainText('Rachel Carson');
  await expect(row).toContainText('example.org');
  expect(await gloss.api('getArticle', article.id)).toMatchObject({
    title: 'Tide pools of Brittany',
    byline: 'Rachel Carson',
    source: 'https://example.org/tide-pools',
    publishedAt: '1955-06-01',
  });
  // Escape cancels without saving.
  await page.getByRole('button', { name: 'Edit details of Tide pools of Brittany' }).click();
  await dialog.getByLabel('Title').fill('Discarded');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  expect((await gloss.api('getArticle', article.id)).title).toBe('Tide pools of Brittany');

  // Delete: gone from the list and the API; its file waits in the trash; Undo brings it back with its highlight.
  await page.getByRole('button', { name: 'Delete Tide pools of Brittany' }).click();
  await expect(row).toHaveCount(0);
  expect((await gloss.api('listArticles')).map((a) => a.id)).not.toContain(article.id);
  const trashed = path.join(gloss.dataDir, 'local', 'trash', `${article.id}.json`);
  expect(existsSync(trashed)).toBe(true);
  await page.getByRole('status').filter({ hasText: 'Deleted “Tide pools of Brittany”.' }).getByRole('button', { name: 'Undo' }).click();
  await expect(row).toBeVisible();
  await expect(row).toContainText('1');
  const back = await gloss.api('getArticle', article.id);
  expect(back.highlights.map((h) => h.tags)).toEqual([['sea']]);
  expect(existsSync(trashed)).toBe(false);
  expect(await gloss.api('listTags')).toEqual([{ name: 'sea', count: 1 }]);

  // Delete again and let the window pass (a restart ends it): nothing of the article lingers on disk.
  await page.getByRole('button', { name: 'Delete Tide pools of Brittany' }).click();
  await expect(row).toHaveCount(0);
  const restarted = await gloss.restart();
  expect(existsSync(trashed)).toBe(false);
  expect(existsSync(path.join(gloss.dataDir, 'articles', `${article.id}.json`))).toBe(false);
  const late = await restarted.raw('restoreArticle', [article.id]);
  expect(late.status).toBe(404);
  expect(late.body.error.message).toMatch(/cannot be restored/);
});

test('a published date typed with the keyboard is stored as typed; an impossible date is explained beside the field', async ({ page, gloss }) => {
  // An older version (or a page) may have stored words: they still load and show, and are checked only when edited.
  const article = await gloss.api('importArticle', {
    format: 'markdown',
    content: '---\ntitle: Tide tables\ndate: 70113-02-01\n---\n\nLow water at noon.\n',
  });
  expect(article.publishedAt).toBe('70113-02-01');
  await page.goto(gloss.url);
  await page.getByRole('button', { name: 'Edit details of Tide tables' }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit article details' });
  const date = dialog.getByLabel('Published date');
  await expect(date).toHaveValue('70113-02-01');
  await expect(dialog).toContainText('Stored as “70113-02-01”');

  // A day February 2017 does not have: refused next to the field, the dialog stays open, nothing is saved.
  await date.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('2017-02-30');
  await page.keyboard.press('Enter');
  await expect(dialog.getByRole('alert')).toHaveText('February 2017 has no day 30 (it has 28 days). Use the form YYYY-MM-DD, for example 2017-01-13.');
  await expect(date).toHaveAttribute('aria-invalid', 'true');
  await expect(date).toBeFocused();
  expect((await gloss.api('getArticle', article.id)).publishedAt).toBe('70113-02-01');

  // The date as a person types it, digits and dashes, is the date stored (it was "Feb 1, 70113" in a type=date field).
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('2017-01-13');
  await expect(dialog.getByRole('alert')).toHaveCount(0);
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  expect((await gloss.api('getArticle', article.id)).publishedAt).toBe('2017-01-13');
  await expect(page.getByRole('row', { name: /Tide tables/ })).toContainText('Jan 13, 2017');
  expect(await gloss.api('exportMarkdown', { articleIds: [article.id] })).toMatch(/published: ["']?2017-01-13["']?\n/);
});

test('files dropped on the window and HTML pasted outside text fields become articles', async ({ page, gloss }) => {
  await page.goto(gloss.url);
  await expect(page.getByRole('heading', { name: 'Library' })).toBeVisible();

  const dropped = await page.evaluateHandle(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['# Field notes\n\nThe *heron* stood still for an hour.\n'], 'field-notes.md', { type: 'text/markdown' }));
    dt.items.add(new File(['Shipping forecast\n\nViking, North Utsire: southwesterly 5 to 7.\n'], 'forecast.txt', { type: 'text/plain' }));
    return dt;
  });
  await page.dispatchEvent('body', 'dragenter', { dataTransfer: dropped });
  await expect(page.getByText('Drop .html, .md, .txt, .pdf or .epub files to import them')).toBeVisible();
  await page.dispatchEvent('body', 'drop', { dataTransfer: dropped });
  await expect(page.getByText('Drop .html, .md, .txt, .pdf or .epub files to import them')).toBeHidden();
  await expect(page.getByRole('link', { name: 'Field notes' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Shipping forecast' })).toBeVisible();

  const paste = (html: string, text: string): Promise<void> =>
    page.evaluate(
      ([h, t]) => {
        const dt = new DataTransfer();
        if (h) dt.setData('text/html', h);
        dt.setData('text/plain', t);
        (document.activeElement ?? document.body).dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
      },
      [html, text] as const,
    );
  // Inside the filter box a paste is just a paste.
  const before = (await gloss.api('listArticles')).length;
  await page.getByRole('searchbox').focus();
  await paste('<p>Not an article</p>', 'Not an article');
  await page.getByRole('searchbox').blur();
  expect((await gloss.api('listArticles')).length).toBe(before);

  const paragraphs = Array.from({ length: 6 }, (_, i) => `<p>Paragraph ${i + 1} of the pasted essay on lighthouses, their keepers and the long nights they kept awake.</p>`).join('');
  await paste(`<h1>Lighthouses</h1>${paragraphs}<script>window.__pasted = 1</script>`, 'Lighthouses');
  await expect(page).toHaveURL(/#\/article\//);
  await expect(page.locator('article.reader-article')).toContainText('Paragraph 6 of the pasted essay');
  expect(await page.evaluate(() => (window as unknown as { __pasted?: number }).__pasted)).toBeUndefined();

  // A pasted fragment too small for Readability keeps its plain text.
  await page.goto(`${gloss.origin}/#/`);
  await paste('<b>Remember the milk</b>', 'Remember the milk');
  await expect(page).toHaveURL(/#\/article\//);
  await expect(page.locator('article.reader-article')).toContainText('Remember the milk');
});

/** A local "site" on 127.0.0.1 that counts every TCP connection made to it. */
async function startSite(body: string): Promise<{ base: string; connections: () => number; close: () => void }> {
  let connections = 0;
  const site = http.createServer((req, res) => {
    if (req.url === '/marsh') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(body);
    } else if (req.url === '/broken') {
      res.writeHead(500, 'Internal Server Error').end();
    } else if (req.url === '/photo') {
      res.writeHead(200, { 'Content-Type': 'image/jpeg' }).end('not a page');
    } else {
      res.writeHead(404, 'Not Found').end();
    }
  });
  site.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(site.address() as AddressInfo).port}`,
    connections: () => connections,
    close: () => {
      site.closeAllConnections();
      site.close();
    },
  };
}

const MARSH = `<!doctype html><html lang="en"><head><title>Salt marshes</title></head><body><nav>Home · About</nav><article><h1>Salt marshes</h1>${'<p>Salt marshes trap sediment and store carbon in their peat, tide after tide, for centuries.</p>'.repeat(8)}</article></body></html>`;

test('Import from URL refuses addresses on this computer: the dialog says so and nothing is fetched', async ({ page, gloss }) => {
  const site = await startSite(MARSH);
  try {
    await page.goto(gloss.url);
    await page.getByRole('button', { name: 'Import from URL…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import from URL' });
    for (const url of [`${site.base}/marsh`, `http://localhost:${new URL(site.base).port}/marsh`, `http://2130706433:${new URL(site.base).port}/marsh`]) {
      await dialog.getByLabel('Web address').fill(url);
      await dialog.getByRole('button', { name: 'Import' }).click();
      // The dialog sends the URL as the browser parses it (2130706433 is 127.0.0.1 by then).
      await expect(dialog.getByRole('alert')).toContainText(`Cannot import "${new URL(url).href}": Gloss does not import from addresses on this computer or your local network (`);
    }
    await expect(dialog.getByRole('alert')).toContainText('(127.0.0.1).');
    expect(site.connections()).toBe(0);
    expect(await gloss.api('listArticles')).toHaveLength(1); // the sample article only
  } finally {
    site.close();
  }
});

test('Import from URL fetches the page on the Node side; a failure is explained in the dialog', async ({ page }) => {
  // The local test site is on 127.0.0.1, which Gloss refuses (above) unless started with the tests-only opt-in.
  const gloss = await startGloss({ args: ['--allow-loopback-import'] });
  const site = await startSite(MARSH);
  const { base } = site;
  try {
    await page.goto(gloss.url);
    await page.getByRole('button', { name: 'Import from URL…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import from URL' });
    const alert = dialog.getByRole('alert');
    const tryUrl = async (url: string): Promise<void> => {
      await dialog.getByLabel('Web address').fill(url);
      await dialog.getByRole('button', { name: 'Import' }).click();
    };
    await tryUrl('ftp://example.org/file');
    await expect(alert).toContainText('only http and https');

    await tryUrl(`${base}/missing`);
    await expect(alert).toHaveText(`Cannot import "${base}/missing": The site says there is no page at that address (404 Not Found). Check the address.`);
    await tryUrl(`${base}/broken`);
    await expect(alert).toHaveText(`Cannot import "${base}/broken": The site had a problem of its own (500 Internal Server Error). Try again later.`);
    await tryUrl(`${base}/photo`);
    await expect(alert).toContainText('It is not a web page or text: the site says it is image/jpeg.');
    await tryUrl('http://127.0.0.1:25/');
    await expect(alert).toContainText('That address has a port Gloss cannot use (25)');

    await tryUrl(`${base}/marsh`);
    await expect(dialog).toBeHidden();
    await expectReaderShows(page, 'Salt marshes', 'Salt marshes trap sediment and store carbon');
    await expect(page.locator('article.reader-article')).not.toContainText('Home · About');
    const [, marsh] = await gloss.api('listArticles');
    expect(marsh.source).toBe(`${base}/marsh`);
  } finally {
    site.close();
    await gloss.stop();
    await rm(gloss.dataDir, { recursive: true, force: true });
  }
});
