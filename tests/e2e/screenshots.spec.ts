/**
 * The README's screenshots (docs/screenshots/), taken from the real app: the reader with highlights in several colours,
 * an overlap, a note and tags, beside the notes panel, in light and dark; and the library.
 *
 * And a PDF paper with highlights and a note, in light and dark (the README's PDFs section).
 *
 * Deterministic: fixed viewport, locale and time zone, and every date in the notebook pinned by restoring a backup
 * whose dates are rewritten (through the public API, as a user's restore would). The files are written only with
 * UPDATE_SCREENSHOTS=1, so an ordinary run (CI) never dirties the tree; it still checks that each page renders what
 * the picture is meant to show.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from '@playwright/test';
import type { Article, NotebookBackup } from '../../electron/contract';
import { test, expect, fixturesDir, paintedQuotes, repoRoot, type GlossServer } from './fixtures';

const OUT = path.join(repoRoot, 'docs/screenshots');
const UPDATE = process.env.UPDATE_SCREENSHOTS === '1';
const PINNED = '2025-03-14T09:30:00.000Z';

test.use({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, locale: 'en-US', timezoneId: 'UTC' });

/** A notebook worth looking at: the sample with five colours, an overlap, tags and notes, and two more articles. */
async function seedNotebook(gloss: GlossServer): Promise<string> {
  const [sample] = await gloss.api('listArticles');
  await gloss.api('updateSettings', {
    colorLabels: { yellow: 'claim', green: 'context', blue: 'key term', pink: 'evidence', purple: 'question' },
  });
  const highlight = async (article: Article, quote: string, color: string, extra: object = {}) => {
    const start = article.text.indexOf(quote);
    if (start < 0) throw new Error(`"${quote}" is not in "${article.title}"`);
    await gloss.api('addHighlight', article.id, { start, end: start + quote.length, color, ...extra });
  };
  const text = await gloss.api('getArticle', sample.id);
  await highlight(text, 'vowing to retaliate against the US', 'yellow', {
    tags: ['rhetoric', 'threats'],
    note: 'The **core threat**. Compare with the strike on January 8.',
  });
  await highlight(text, 'Khamenei met with Iraqi Prime Minister Mustafa al-Kadhimi', 'green', { tags: ['diplomacy'] });
  await highlight(text, 'will definitely strike a retaliatory blow to the Americans', 'pink', { note: 'Direct quote — cite this one.' });
  await highlight(text, 'retaliatory blow', 'blue');
  await highlight(text, 'strict self-isolation', 'purple', { note: 'Why five months? Check the dates.' });
  await gloss.api('setArticleNote', sample.id, 'Reading for the chapter on *deterrence signalling*.');

  const slow = await gloss.api('importArticle', {
    format: 'markdown',
    title: 'The case for slow reading',
    source: 'https://example.org/essays/slow-reading',
    content:
      '# The case for slow reading\n\nReading slowly is not reading less. It is reading with a pencil in hand, stopping where a sentence resists.\n\nA margin note is a conversation with the author, held years later.',
  });
  await gloss.api('updateArticleMeta', slow.id, { byline: 'Marta Ortega', publishedAt: '2024-11-02' });
  await highlight(await gloss.api('getArticle', slow.id), 'Reading slowly is not reading less', 'yellow');
  const marsh = await gloss.api('importArticle', {
    format: 'markdown',
    title: 'Salt marshes store carbon for centuries',
    source: 'https://example.net/science/salt-marshes',
    content: '# Salt marshes store carbon for centuries\n\nSalt marshes trap sediment and store carbon in their peat, tide after tide.',
  });
  await gloss.api('updateArticleMeta', marsh.id, { byline: 'Ana Ruiz', publishedAt: '2025-01-20' });
  const marshDoc = await gloss.api('getArticle', marsh.id);
  await highlight(marshDoc, 'trap sediment', 'green');
  await highlight(marshDoc, 'store carbon in their peat', 'blue');

  // Pin every date: back up, rewrite the dates, restore (replace) exactly that.
  const backup = (await gloss.api('backupNotebook')) as NotebookBackup;
  backup.articles.forEach((a, i) => {
    const day = new Date(Date.parse(PINNED) - i * 86_400_000 * 3).toISOString();
    Object.assign(a, { addedAt: day, updatedAt: day });
    for (const h of a.highlights) Object.assign(h, { createdAt: day, updatedAt: day });
  });
  await gloss.api('restoreNotebook', backup, { mode: 'replace' });
  return sample.id;
}

async function capture(page: Page, name: string): Promise<void> {
  const png = await page.screenshot({ animations: 'disabled', caret: 'hide' });
  expect(png.subarray(1, 4).toString()).toBe('PNG');
  if (!UPDATE) return;
  await mkdir(OUT, { recursive: true });
  await writeFile(path.join(OUT, `${name}.png`), png);
}

test('README screenshots: the reader with highlights and notes in light and dark, and the library', async ({ page, gloss }) => {
  const id = await seedNotebook(gloss);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await page.goto(`${gloss.url}#/article/${id}`);
    const notes = page.getByRole('complementary', { name: 'Notes' });
    await expect(notes.getByRole('listitem').filter({ hasText: 'vowing to retaliate' }).first()).toContainText('rhetoric');
    await expect(notes).toContainText('Direct quote — cite this one.');
    await expect(notes).toContainText('deterrence signalling');
    await expect
      .poll(() => paintedQuotes(page))
      .toEqual({
        yellow: ['vowing to retaliate against the US'],
        green: ['Khamenei met with Iraqi Prime Minister Mustafa al-Kadhimi'],
        blue: ['retaliatory blow'],
        pink: ['will definitely strike a retaliatory blow to the Americans'],
        purple: ['strict self-isolation'],
      });
    await expect(page.locator('html')).not.toHaveAttribute('data-theme', /./); // the system's scheme, not an override
    await page.evaluate(() => document.fonts.ready);
    await capture(page, `reader-${scheme}`);
  }

  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(`${gloss.url}#/`);
  await expect(page.getByRole('row')).toHaveCount(4); // the header and three articles
  await expect(page.getByRole('row').filter({ hasText: 'Salt marshes' })).toContainText('Mar 8, 2025');
  await capture(page, 'library-light');
});

/**
 * A paper with highlights for the README's PDFs section: tracemonkey.pdf (a two-column research paper) with highlights
 * in four colours on its abstract and introduction, tags, and a note, open beside the notes panel, in light and dark.
 */
async function seedPaper(gloss: GlossServer): Promise<string> {
  const bytes = await readFile(path.join(fixturesDir, 'pdf/tracemonkey.pdf'));
  const { id } = await gloss.api('importArticle', { format: 'pdf', contentBase64: bytes.toString('base64'), fileName: 'tracemonkey.pdf' });
  const paper = (await gloss.api('getArticle', id)) as Article;
  const highlight = async (quote: string, color: string, extra: object = {}) => {
    const start = paper.text.indexOf(quote);
    if (start < 0) throw new Error(`"${quote}" is not in the paper`);
    await gloss.api('addHighlight', id, { start, end: start + quote.length, color, ...extra });
  };
  await highlight('traditional compilers need to emit generic code', 'pink', { tags: ['problem'] });
  await highlight('identifies frequently executed loop traces at run-time', 'yellow', {
    tags: ['method', 'tracing'],
    note: 'The **core idea**: compile the hot loop paths, not whole methods.',
  });
  await highlight('measured speedups of 10x and more', 'green', { tags: ['evidence'] });
  await highlight('trace trees', 'blue');
  await gloss.api('setArticleNote', id, 'For the related-work section on *tracing JITs*.');
  // Pin every date, as for the articles above.
  const backup = (await gloss.api('backupNotebook')) as NotebookBackup;
  for (const a of backup.articles) {
    Object.assign(a, { addedAt: PINNED, updatedAt: PINNED });
    for (const h of a.highlights) Object.assign(h, { createdAt: PINNED, updatedAt: PINNED });
  }
  await gloss.api('restoreNotebook', backup, { mode: 'replace' });
  return id;
}

test('README screenshots: a PDF paper with highlights and a note, in light and dark', async ({ page, gloss }) => {
  await gloss.api('updateSettings', { colorLabels: { yellow: 'claim', green: 'evidence', blue: 'key term', pink: 'problem' } });
  const id = await seedPaper(gloss);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await page.goto(`${gloss.url}#/article/${id}`);
    await expect(page.locator('.pdf-page[data-page-number="1"]')).toHaveAttribute('data-rendered', 'true');
    const notes = page.getByRole('complementary', { name: 'Notes' });
    await expect(notes).toContainText('compile the hot loop paths');
    await expect(notes).toContainText('tracing JITs');
    await expect
      .poll(() => paintedQuotes(page))
      .toEqual({
        yellow: ['identifies frequently executed loop traces at run-time'],
        green: ['measured speedups of 10x and more'],
        blue: ['trace trees'],
        pink: ['traditional compilers need to emit generic code'],
        purple: [],
      });
    await page.evaluate(() => document.fonts.ready);
    await capture(page, `pdf-${scheme}`);
  }
});

/**
 * A book for the README's EPUB section: Moby-Dick imported from its EPUB, open at chapter 1 (jumped to through the
 * outline rail, as a reader would), with highlights and a note, in light and dark.
 */
test('README screenshots: an EPUB with its outline, in light and dark', async ({ page, gloss }) => {
  await gloss.api('updateSettings', { colorLabels: { yellow: 'claim', green: 'image', blue: 'key term', pink: 'voice' } });
  const bytes = await readFile(path.join(fixturesDir, 'epub/moby-dick.epub'));
  const { id } = await gloss.api('importArticle', { format: 'epub', contentBase64: bytes.toString('base64'), fileName: 'moby-dick.epub' });
  const book = (await gloss.api('getArticle', id)) as Article;
  const highlight = async (quote: string, color: string, extra: object = {}) => {
    const start = book.text.indexOf(quote);
    if (start < 0) throw new Error(`"${quote}" is not in the book`);
    await gloss.api('addHighlight', id, { start, end: start + quote.length, color, ...extra });
  };
  await highlight('Call me Ishmael.', 'pink', { tags: ['opening'], note: 'The most quoted first line in American fiction.' });
  await highlight('a damp, drizzly November in my soul', 'green', { tags: ['weather'] });
  await highlight('This is my substitute for pistol and ball.', 'yellow');
  await highlight('meditation and water are wedded for ever', 'blue', { tags: ['sea'] });
  const backup = (await gloss.api('backupNotebook')) as NotebookBackup;
  for (const a of backup.articles) {
    Object.assign(a, { addedAt: PINNED, updatedAt: PINNED });
    for (const h of a.highlights) Object.assign(h, { createdAt: PINNED, updatedAt: PINNED });
  }
  await gloss.api('restoreNotebook', backup, { mode: 'replace' });

  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await page.goto(`${gloss.url}#/article/${id}`);
    const outline = page.getByRole('navigation', { name: 'Outline' });
    await outline.getByRole('button', { name: 'Chapter 1. Loomings.' }).click();
    await expect(outline.getByRole('button', { name: 'Chapter 1. Loomings.' })).toHaveAttribute('aria-current', 'location');
    await expect(page.getByRole('complementary', { name: 'Notes' })).toContainText('most quoted first line');
    await expect.poll(async () => (await paintedQuotes(page)).pink).toEqual(['Call me Ishmael.']);
    await page.evaluate(() => document.fonts.ready);
    await capture(page, `epub-${scheme}`);
  }
});
