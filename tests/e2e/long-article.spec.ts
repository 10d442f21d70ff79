/**
 * A novel-length article (Moby-Dick, 1.2 million characters) with highlights all through it. The reader registers in
 * CSS.highlights only the highlights on or near the screen (painter.ts says why), so these check what a reader would
 * notice if that went wrong: a highlight scrolled to is painted in the first frame it is on screen, far ones are not
 * registered, printing paints all of them, and a new highlight deep in the book is painted at once.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, fixturesDir, paintedQuotes, selectText } from './fixtures';

const HIGHLIGHTS = 300;
const reader = (page: Page) => page.locator('article.reader-article');

/** The quotes of every registered Range in the five colour layers, with their boxes (viewport coordinates). */
function registered(page: Page): Promise<{ quote: string; top: number; bottom: number }[]> {
  return page.evaluate(() =>
    ['yellow', 'green', 'blue', 'pink', 'purple'].flatMap((color) =>
      [...(CSS.highlights.get(`gloss-${color}`) ?? [])].map((r) => {
        const box = (r as Range).getBoundingClientRect();
        return { quote: (r as Range).toString(), top: box.top, bottom: box.bottom };
      }),
    ),
  );
}

test('a novel: highlights on screen are painted in the frame they appear, far ones wait, printing paints all', async ({ page, gloss }) => {
  test.slow(); // 300 highlights written to a 3 MB article file first
  const content = await readFile(path.join(fixturesDir, 'long/moby-dick-2701-0.utf8-bom-crlf.txt'), 'utf8');
  const { id } = await gloss.api('importArticle', { format: 'text', content, title: 'Moby-Dick' });
  const { text } = await gloss.api('getArticle', id);
  // Evenly through the whole book, 24 characters each, starting on a letter; the first near the top.
  const spans: { start: number; end: number }[] = [];
  for (let i = 0; i < HIGHLIGHTS; i++) {
    let start = 200 + Math.floor((i * (text.length - 400)) / HIGHLIGHTS);
    while (!/\p{L}/u.test(text[start])) start++;
    spans.push({ start, end: start + 24 });
  }
  // The last one at the start of the book's last paragraph: on screen once the reader is scrolled to the end.
  const lastParagraph = text.lastIndexOf('\n\n') + 2;
  spans[HIGHLIGHTS - 1] = { start: lastParagraph, end: lastParagraph + 24 };
  for (let i = 0; i < spans.length; i += 25) {
    await Promise.all(spans.slice(i, i + 25).map((s) => gloss.api('addHighlight', id, s)));
  }
  const quotes = spans.map((s) => text.slice(s.start, s.end));

  await page.goto(`${gloss.url}#/article/${id}`);
  await expect(reader(page)).toHaveAttribute('data-painted-highlights', String(HIGHLIGHTS));

  // At the top: the few near the screen are registered, every one of them within a few screens of it.
  const height = await page.evaluate(() => window.innerHeight);
  const atTop = await registered(page);
  expect(atTop.length).toBeGreaterThan(0);
  expect(atTop.length).toBeLessThan(HIGHLIGHTS / 10);
  expect(atTop.map((r) => r.quote)).toContain(quotes[0]);
  for (const r of atTop) {
    expect(r.bottom).toBeGreaterThan(-3 * height);
    expect(r.top).toBeLessThan(4 * height);
  }

  // Jump to the end: by the first frame after the jump (its rAF runs after scroll events, before paint), the last
  // highlight is registered; and Chromium reports it under the pointer where it sits on screen.
  const last = quotes[quotes.length - 1];
  const inFirstFrame = await page.evaluate(async (quote) => {
    const pane = document.querySelector('.reader-pane')!;
    pane.scrollTop = pane.scrollHeight;
    await new Promise((r) => requestAnimationFrame(r));
    return ['yellow', 'green', 'blue', 'pink', 'purple'].some((c) =>
      [...(CSS.highlights.get(`gloss-${c}`) ?? [])].some((r) => (r as Range).toString() === quote),
    );
  }, last);
  expect(inFirstFrame).toBe(true);
  const underPointer = await page.evaluate((quote) => {
    const range = ['yellow', 'green', 'blue', 'pink', 'purple']
      .flatMap((c) => [...(CSS.highlights.get(`gloss-${c}`) ?? [])] as Range[])
      .find((r) => r.toString() === quote)!;
    const box = range.getClientRects()[0];
    const registry = CSS.highlights as unknown as { highlightsFromPoint?: (x: number, y: number) => { highlight: Highlight }[] };
    if (!registry.highlightsFromPoint) return 'no highlightsFromPoint in this Chromium';
    const hits = registry.highlightsFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return hits.some((hit) => hit.highlight === CSS.highlights.get('gloss-yellow')) ? 'yellow' : 'nothing';
  }, last);
  expect(['yellow', 'no highlightsFromPoint in this Chromium']).toContain(underPointer);
  // Clicking it brings its card (the last of 300, mounted in batches after the article opened) into focus.
  const box = await page.evaluate((quote) => {
    const range = ['yellow', 'green', 'blue', 'pink', 'purple']
      .flatMap((c) => [...(CSS.highlights.get(`gloss-${c}`) ?? [])] as Range[])
      .find((r) => r.toString() === quote)!;
    const rect = range.getClientRects()[0];
    return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
  }, last);
  await page.mouse.click(box.x, box.y);
  await expect(page.locator('.notes-panel .card').filter({ hasText: last })).toBeFocused();
  await expect(page.locator('.notes-panel .card')).toHaveCount(HIGHLIGHTS);
  const atEnd = await registered(page);
  expect(atEnd.map((r) => r.quote)).not.toContain(quotes[0]);
  expect(atEnd.length).toBeLessThan(HIGHLIGHTS / 10);

  // Printing puts every highlight on paper; afterwards only the screen's again.
  await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
  expect((await registered(page)).length).toBe(HIGHLIGHTS);
  await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
  expect((await registered(page)).length).toBeLessThan(HIGHLIGHTS / 10);

  // A new highlight in the middle of the book, by selection and h: painted by the end of the key press.
  await page.evaluate(() => {
    const paragraphs = document.querySelectorAll('article.reader-article p');
    paragraphs[Math.floor(paragraphs.length / 2)].scrollIntoView({ block: 'center' });
  });
  const passage = await page.evaluate(() => {
    const paragraphs = [...document.querySelectorAll('article.reader-article p')];
    const p = paragraphs.slice(Math.floor(paragraphs.length / 2)).find((el) => (el.textContent ?? '').length > 80)!;
    p.scrollIntoView({ block: 'center' });
    return p.textContent!.slice(10, 50).trim(); // the reader trims a selection's outer spaces
  });
  await selectText(page, passage);
  await page.getByRole('toolbar', { name: 'Highlight selection' }).waitFor();
  await page.evaluate((quote) => {
    const w = window as unknown as { paintedByKeyup: Promise<boolean> };
    w.paintedByKeyup = new Promise<boolean>((resolve) =>
      window.addEventListener(
        'keyup',
        () => resolve([...(CSS.highlights.get('gloss-yellow') ?? [])].some((r) => (r as Range).toString() === quote)),
        { once: true },
      ),
    );
  }, passage);
  await page.keyboard.press('h');
  expect(await page.evaluate(() => (window as unknown as { paintedByKeyup: Promise<boolean> }).paintedByKeyup)).toBe(true);
  await expect(reader(page)).toHaveAttribute('data-painted-highlights', String(HIGHLIGHTS + 1));
});

/**
 * Drags over `length` characters from `from` in the first text node of the paragraph, with the mouse: down, moves in
 * steps, up, through Chromium's input pipeline as a person selects (not a DOM Range). Returns the selected text.
 */
async function dragOver(page: Page, paragraph: number, from: number, length: number): Promise<string> {
  const points = await page.evaluate(
    ({ paragraph, from, length }) => {
      const p = document.querySelectorAll('article.reader-article p')[paragraph];
      p.scrollIntoView({ block: 'center' });
      const node = [...p.childNodes].find((n): n is Text => n.nodeType === Node.TEXT_NODE && (n as Text).data.length > from + length)!;
      const probe = document.createRange();
      const at = (offset: number) => {
        probe.setStart(node, offset);
        probe.setEnd(node, offset + 1);
        const box = probe.getClientRects()[0];
        return { x: box.left + 1, y: (box.top + box.bottom) / 2 };
      };
      return { start: at(from), end: at(from + length), text: node.data.slice(from, from + length) };
    },
    { paragraph, from, length },
  );
  await page.mouse.move(points.start.x, points.start.y);
  await page.mouse.down();
  for (let step = 1; step <= 8; step++) {
    await page.mouse.move(points.start.x + ((points.end.x - points.start.x) * step) / 8, points.start.y + ((points.end.y - points.start.y) * step) / 8);
  }
  await page.mouse.up();
  await expect.poll(() => page.evaluate(() => document.getSelection()!.toString())).toBe(points.text);
  return points.text.trim();
}

test('a novel: a highlight made by a mouse drag is painted and saved; the arrow keys walk every card across the panel\'s groups', async ({ page, gloss }) => {
  test.slow(); // a 3 MB article file rewritten for each of the highlights added first
  const content = await readFile(path.join(fixturesDir, 'long/moby-dick-2701-0.utf8-bom-crlf.txt'), 'utf8');
  const { id } = await gloss.api('importArticle', { format: 'text', content, title: 'Moby-Dick' });
  const { text } = await gloss.api('getArticle', id);
  // Enough highlights for the notes panel to render its cards in several groups (renderer/src/notes/card-groups.ts).
  const count = 120;
  const spans = Array.from({ length: count }, (_, i) => {
    const start = 300 + Math.floor((i * (text.length - 600)) / count);
    return { start, end: start + 18 };
  });
  for (let i = 0; i < spans.length; i += 25) await Promise.all(spans.slice(i, i + 25).map((s) => gloss.api('addHighlight', id, s)));

  await page.goto(`${gloss.url}#/article/${id}`);
  await expect(reader(page)).toHaveAttribute('data-painted-highlights', String(count));
  const cards = page.locator('.notes-panel .card');
  await expect(cards).toHaveCount(count);

  // Deep in the book, with the mouse: the toolbar offers itself, h paints the passage and the notebook saves it.
  const paragraph = await page.evaluate(() => {
    const all = [...document.querySelectorAll('article.reader-article p')];
    return all.findIndex((p, i) => i > all.length * 0.6 && (p.textContent ?? '').length > 200);
  });
  const quote = await dragOver(page, paragraph, 20, 45);
  await expect(page.getByRole('toolbar', { name: 'Highlight selection' })).toBeVisible();
  await page.keyboard.press('h');
  await expect.poll(async () => (await paintedQuotes(page)).yellow.map((q) => q.trim())).toContain(quote);
  await expect.poll(async () => (await gloss.api('getArticle', id)).highlights.map((h) => h.quote)).toContain(quote);
  await expect(reader(page)).toHaveAttribute('data-painted-highlights', String(count + 1));
  await expect(cards).toHaveCount(count + 1);
  await expect(cards.filter({ hasText: quote })).toHaveCount(1);

  // Every card is in the one list for assistive technology, whichever group it is in.
  await expect(page.getByRole('complementary', { name: 'Notes' }).getByRole('listitem', { name: /^Highlight:/ })).toHaveCount(count + 1);
  // ArrowDown from the last card of the first group reaches the first card of the second, ArrowUp comes back.
  const groups = page.locator('.notes-panel .card-group');
  expect(await groups.count()).toBeGreaterThan(1);
  const lastOfFirst = groups.nth(0).locator('.card').last();
  const firstOfSecond = groups.nth(1).locator('.card').first();
  await lastOfFirst.focus();
  await expect(lastOfFirst).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(firstOfSecond).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(lastOfFirst).toBeFocused();

  // After a reload the new highlight is painted where it was made.
  await page.reload();
  await expect(reader(page)).toHaveAttribute('data-painted-highlights', String(count + 1));
  await page.evaluate((index) => document.querySelectorAll('article.reader-article p')[index].scrollIntoView({ block: 'center' }), paragraph);
  await expect.poll(async () => (await paintedQuotes(page)).yellow.map((q) => q.trim())).toContain(quote);
});
