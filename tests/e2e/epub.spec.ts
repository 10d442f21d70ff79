/**
 * A book in the reader: an EPUB chosen in the file chooser opens as one document with its contents in the outline
 * rail; the keyboard jumps to a chapter; the current entry and the progress follow the scroll; footnotes are links
 * within the document. Browser mode, real Chromium, real mouse and keyboard.
 */
import AxeBuilder from '@axe-core/playwright';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, fixturesDir, test } from './fixtures';

const MOBY = path.join(fixturesDir, 'epub', 'moby-dick.epub');

test.use({ viewport: { width: 1280, height: 800 } });

async function chooseFiles(page: Page, files: string[]): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import…' }).click();
  await (await chooser).setFiles(files);
}

/** How far the element's top is below the reader pane's top edge, in CSS pixels. */
async function belowPaneTop(page: Page, target: Locator): Promise<number> {
  const pane = await page.locator('main.reader-pane').boundingBox();
  const box = await target.boundingBox();
  return box!.y - pane!.y;
}

test('an EPUB opens with its contents in the outline; Enter on a chapter jumps there; the place follows the scroll', async ({ page, gloss }) => {
  await page.goto(gloss.url);
  await chooseFiles(page, [MOBY]);
  await expect(page).toHaveURL(/#\/article\//, { timeout: 60_000 }); // Moby-Dick: about 2 s on a quiet machine
  await expect(page.getByRole('heading', { level: 1, name: 'Moby-Dick' })).toBeVisible();

  // A book opens with its outline: a nav landmark named Outline, its entries the book's table of contents.
  const outline = page.getByRole('navigation', { name: 'Outline' });
  await expect(outline).toBeVisible();
  await expect(outline.getByRole('button', { name: 'Chapter 1. Loomings.' })).toBeVisible();
  await expect(page.locator('[data-outline-place]')).toHaveText(/ · 0%$/);

  // Keyboard only: Tab to the toggle, Tab into the list (one stop), arrows down to chapter 12, Enter.
  await page.getByRole('button', { name: 'Outline', exact: true }).focus();
  await page.keyboard.press('Tab');
  const entries = outline.getByRole('button');
  const labels = await entries.allTextContents();
  const target = labels.indexOf('Chapter 12. Biographical.');
  expect(target).toBeGreaterThan(0);
  const focusedIndex = async () => entries.evaluateAll((els) => els.indexOf(document.activeElement as HTMLElement));
  const from = await focusedIndex();
  expect(from).toBeGreaterThanOrEqual(0);
  for (let i = from; i < target; i++) await page.keyboard.press('ArrowDown');
  await expect(outline.getByRole('button', { name: 'Chapter 12. Biographical.' })).toBeFocused();
  await page.keyboard.press('Enter');

  const heading = page.locator('article.reader-article h1', { hasText: 'Chapter 12. Biographical.' });
  await expect.poll(() => belowPaneTop(page, heading)).toBeLessThan(40);
  const offsetTop = await belowPaneTop(page, heading);
  expect(offsetTop, `heading at ${offsetTop}px`).toBeGreaterThanOrEqual(-2);
  await expect(outline.getByRole('button', { name: 'Chapter 12. Biographical.' })).toHaveAttribute('aria-current', 'location');
  await expect(page.locator('[data-outline-place]')).toHaveText(/^Chapter 12\. Biographical\. · \d+%$/);
  const percentAt12 = Number(/(\d+)%/.exec((await page.locator('[data-outline-place]').textContent())!)![1]);
  expect(percentAt12).toBeGreaterThanOrEqual(2); // chapter 12 of 135 begins 3% into the text
  expect(percentAt12).toBeLessThan(15);

  // Scrolling on with the wheel: the current entry moves to a later chapter and the percentage grows.
  // (The pointer is moved in window coordinates: hovering the article by position would scroll its top into view.)
  const pane = (await page.locator('main.reader-pane').boundingBox())!;
  await page.mouse.move(pane.x + pane.width / 2, pane.y + 300);
  for (let i = 0; i < 12; i++) await page.mouse.wheel(0, 1500);
  await expect(outline.locator('[aria-current="location"]')).not.toHaveText('Chapter 12. Biographical.');
  const now = await outline.locator('[aria-current="location"]').textContent();
  expect(labels.indexOf(now!)).toBeGreaterThan(target);
  await expect.poll(async () => Number(/(\d+)%/.exec((await page.locator('[data-outline-place]').textContent())!)![1])).toBeGreaterThan(percentAt12);

  // The toggle closes the list and says so; the place stays.
  await page.getByRole('button', { name: 'Outline', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Outline', exact: true })).toHaveAttribute('aria-expanded', 'false');
  await expect(outline).toBeHidden();
  await expect(page.locator('[data-outline-place]')).toBeVisible();
});

test("an EPUB's footnote marker is a link to the note within the document", async ({ page, gloss }) => {
  await page.goto(gloss.url);
  await chooseFiles(page, [MOBY]);
  await expect(page).toHaveURL(/#\/article\//, { timeout: 60_000 }); // Moby-Dick: about 2 s on a quiet machine
  const noteref = page.locator('article.reader-article a[role="doc-noteref"]').first();
  const href = await noteref.getAttribute('href');
  expect(href).toMatch(/^#gloss-ref-ch-\d+-n1$/);
  const note = page.locator(`article.reader-article [id="${href!.slice(1)}"][role="doc-footnote"]`);
  await expect(note).toContainText('corrected in this EPUB3 edition');
  // Clicking the marker scrolls to the note within the reader (the route stays the article's), and Back returns.
  const route = page.url();
  await noteref.scrollIntoViewIfNeeded();
  await noteref.click();
  await expect(note).toBeInViewport();
  expect(page.url()).toBe(route);
  await page.getByRole('button', { name: 'Back to where you were' }).click();
  await expect(noteref).toBeInViewport();
});

test("an EPUB's pictures are stored with it and shown from the notebook", async ({ page, gloss }) => {
  const outside: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(new URL(gloss.url).origin)) outside.push(r.url());
  });
  await page.goto(gloss.url);
  await chooseFiles(page, [path.join(fixturesDir, 'epub', 'alice.epub')]);
  await expect(page).toHaveURL(/#\/article\//, { timeout: 60_000 });
  const picture = page.locator('article.reader-article img[alt="Alice in the Room of the Duchess."]');
  await picture.scrollIntoViewIfNeeded();
  await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(100);
  expect(outside).toEqual([]);
});

test('axe finds no serious or critical violation on a book with its outline open, in light and dark', async ({ page, gloss }) => {
  test.setTimeout(120_000);
  const bytes = await readFile(path.join(fixturesDir, 'epub', 'alice.epub'));
  const { id } = await gloss.api('importArticle', { format: 'epub', contentBase64: bytes.toString('base64'), fileName: 'alice.epub' });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`${gloss.url}#/article/${id}`);
    const outline = page.getByRole('navigation', { name: 'Outline' });
    await outline.getByRole('button', { name: 'Pig And Pepper' }).click();
    await expect(outline.getByRole('button', { name: 'Pig And Pepper' })).toHaveAttribute('aria-current', 'location');
    const { violations } = await new AxeBuilder({ page }).analyze();
    const serious = violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')}`));
    expect(serious, scheme).toEqual([]);
  }
});

test("a web page's headings make its outline, closed until asked for; a plain text's chapter lines too", async ({ page, gloss }) => {
  const sections = ['Methods', 'Results', 'Discussion'];
  const content = `# A report\n\nIntro.\n\n${sections.map((h) => `## ${h}\n\n${`${h} text. `.repeat(400)}`).join('\n\n')}`;
  const { id } = await gloss.api('importArticle', { format: 'markdown', content, title: 'A report' });
  await page.goto(`${gloss.url}#/article/${id}`);
  const toggle = page.getByRole('button', { name: 'Outline', exact: true });
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(page.getByRole('navigation', { name: 'Outline' })).toBeHidden();
  await toggle.press('Enter');
  const outline = page.getByRole('navigation', { name: 'Outline' });
  await expect(outline.getByRole('button')).toHaveText(['A report', 'Methods', 'Results', 'Discussion']);
  await outline.getByRole('button', { name: 'Discussion' }).click();
  await expect(page.locator('article.reader-article h2', { hasText: 'Discussion' })).toBeInViewport();
  await expect(page.locator('[data-outline-place]')).toHaveText(/^Discussion · \d+%$/);

  const text = await gloss.api('importArticle', {
    format: 'text',
    title: 'A novel',
    content: ['CHAPTER I. The start', 'Words. '.repeat(300), 'CHAPTER II. The end', 'More words. '.repeat(300)].join('\n\n'),
  });
  await page.goto(`${gloss.url}#/article/${text.id}`);
  await page.getByRole('button', { name: 'Outline', exact: true }).click();
  await expect(page.getByRole('navigation', { name: 'Outline' }).getByRole('button')).toHaveText(['CHAPTER I. The start', 'CHAPTER II. The end']);
});
