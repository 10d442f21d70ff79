/**
 * Toasts and their Undo (issue 12 item 6): a toast's Undo is a step of the same history Ctrl+Z walks, offered only
 * while that step is the next undo; toasts merge repeats, cap how many show, and never cover the article's text.
 * Real browser-mode server, real notebook on disk, real mouse and keyboard.
 */
import type { Page } from '@playwright/test';
import { test, expect, type GlossServer } from './fixtures';

const QUOTE = 'Soleimani, who headed the Quds Force';
const OTHER = 'ballistic missile strike';
const MOD = process.platform === 'darwin' ? 'Meta' : 'Control';

const reader = (page: Page) => page.locator('article.reader-article');
const toasts = (page: Page) => page.getByRole('region', { name: 'Notifications' });

async function seed(gloss: GlossServer, quotes: string[]): Promise<string> {
  const [sample] = await gloss.api('listArticles');
  const text = (await gloss.api('getArticle', sample.id)).text;
  for (const quote of quotes) {
    const start = text.indexOf(quote);
    await gloss.api('addHighlight', sample.id, { start, end: start + quote.length });
  }
  return sample.id;
}

async function open(page: Page, gloss: GlossServer, articleId: string, painted: number): Promise<void> {
  await page.goto(`${gloss.url}#/article/${articleId}`);
  await expect(reader(page)).toHaveAttribute('data-painted-highlights', String(painted));
}

/** Where `text` starts and ends in the article, as viewport points (middle of its first and last character). */
function pointsOf(page: Page, text: string) {
  return page.evaluate((needle) => {
    const walker = document.createTreeWalker(document.querySelector('article.reader-article')!, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const at = (n as Text).data.indexOf(needle);
      if (at < 0) continue;
      n.parentElement!.scrollIntoView({ block: 'center' });
      const box = (offset: number) => {
        const r = document.createRange();
        r.setStart(n, offset);
        r.setEnd(n, offset + 1);
        return r.getBoundingClientRect();
      };
      const first = box(at);
      const last = box(at + needle.length - 1);
      return { from: { x: first.left + 1, y: first.top + first.height / 2 }, to: { x: last.right - 1, y: last.top + last.height / 2 } };
    }
    throw new Error(`no ${needle}`);
  }, text);
}

/** Selects `text` with a mouse drag, as a person does. */
async function dragSelect(page: Page, text: string): Promise<void> {
  const { from, to } = await pointsOf(page, text);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 5 });
  await page.mouse.up();
  await expect.poll(() => page.evaluate(() => document.getSelection()!.toString())).toBe(text);
}

/** Clicks the middle of `text` in the article with the mouse (on a highlight: opens its popover). */
async function clickText(page: Page, text: string): Promise<void> {
  const point = await page.evaluate((needle) => {
    const walker = document.createTreeWalker(document.querySelector('article.reader-article')!, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const at = (n as Text).data.indexOf(needle);
      if (at < 0) continue;
      n.parentElement!.scrollIntoView({ block: 'center' }); // on screen, as a reader would scroll to it
      const r = document.createRange();
      r.setStart(n, at + Math.floor(needle.length / 2));
      r.setEnd(n, at + Math.floor(needle.length / 2) + 1);
      const box = r.getBoundingClientRect();
      return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
    }
    throw new Error(`no ${needle}`);
  }, text);
  await page.mouse.click(point.x, point.y);
}

async function deleteFromPopover(page: Page, text: string): Promise<void> {
  await clickText(page, text);
  const popover = page.getByRole('toolbar', { name: 'Edit highlight' });
  await popover.getByRole('button', { name: 'Delete highlight' }).click();
  await expect(popover).toBeHidden();
}

const quotesOnDisk = async (gloss: GlossServer, articleId: string) => (await gloss.api('getArticle', articleId)).highlights.map((h) => h.quote);

test('two deletes are two toasts, each with its own Undo when its step is next: never one "(×2)" that undoes one', async ({ page, gloss }) => {
  const articleId = await seed(gloss, [QUOTE, OTHER]);
  await open(page, gloss, articleId, 2);
  await deleteFromPopover(page, QUOTE);
  await deleteFromPopover(page, OTHER);
  const deleted = toasts(page).getByRole('status').filter({ hasText: 'Highlight deleted.' });
  await expect(deleted).toHaveCount(2);
  await deleted.first().hover(); // held while read
  await expect(toasts(page)).not.toContainText('×2');
  // Only the newer step is the next undo; the older toast offers its Undo again once the newer one is undone.
  await expect(deleted.nth(0).getByRole('button', { name: 'Undo' })).toHaveCount(0);
  await deleted.nth(1).getByRole('button', { name: 'Undo' }).click();
  await expect.poll(() => quotesOnDisk(gloss, articleId)).toEqual([OTHER]);
  await deleted.nth(0).getByRole('button', { name: 'Undo' }).click();
  await expect.poll(async () => (await quotesOnDisk(gloss, articleId)).sort()).toEqual([OTHER, QUOTE].sort());
});

test('a toast’s Undo follows the history: gone once Ctrl+Z undid its step, and never restores twice', async ({ page, gloss }) => {
  const articleId = await seed(gloss, [QUOTE]);
  await open(page, gloss, articleId, 1);

  // The scenario: Delete in the popover, Ctrl+Z, then the toast that is still showing.
  await deleteFromPopover(page, QUOTE);
  const deleted = toasts(page).getByRole('status').filter({ hasText: 'Highlight deleted.' });
  await expect(deleted.getByRole('button', { name: 'Undo' })).toBeVisible();
  await deleted.hover(); // the pointer over the toasts holds them: none times out while this test reads them
  await expect.poll(() => quotesOnDisk(gloss, articleId)).toEqual([]);
  await page.keyboard.press(`${MOD}+z`);
  await expect.poll(() => quotesOnDisk(gloss, articleId)).toEqual([QUOTE]);
  // The toast is still up, but its Undo is gone: its step is undone ("×" is the toast's Dismiss button).
  await expect(deleted).toHaveText('Highlight deleted.×');
  // Redo makes the step the next undo again: the toast offers it again.
  await page.keyboard.press(`${MOD}+Shift+z`);
  await expect.poll(() => quotesOnDisk(gloss, articleId)).toEqual([]);
  await expect(deleted.getByRole('button', { name: 'Undo' })).toBeVisible();
  await page.keyboard.press(`${MOD}+z`);
  await expect.poll(() => quotesOnDisk(gloss, articleId)).toEqual([QUOTE]);
  await expect(reader(page)).toHaveAttribute('data-painted-highlights', '1');

  // The other order: the toast's Undo first, then Ctrl+Z. The second must not restore again ("already exists").
  await page.mouse.move(0, 0);
  await deleteFromPopover(page, QUOTE);
  await expect.poll(() => quotesOnDisk(gloss, articleId)).toEqual([]);
  await deleted.getByRole('button', { name: 'Undo' }).click();
  await expect.poll(() => quotesOnDisk(gloss, articleId)).toEqual([QUOTE]);
  await expect(reader(page)).toHaveAttribute('data-painted-highlights', '1');
  await reader(page).focus();
  await page.keyboard.press(`${MOD}+z`);
  await expect(toasts(page).getByRole('status').filter({ hasText: 'Nothing to undo.' })).toBeVisible();
  expect(await quotesOnDisk(gloss, articleId)).toEqual([QUOTE]);
  // No error was shown, and nothing the user saw named an internal id.
  await expect(toasts(page).getByRole('alert')).toHaveCount(0);
  const [stored] = (await gloss.api('getArticle', articleId)).highlights;
  await expect(toasts(page)).not.toContainText(stored.id);

  // Ctrl+Z pressed with focus on a toast's Undo: the button goes, focus moves to that toast's Dismiss (not to nothing).
  await deleteFromPopover(page, QUOTE);
  await deleted.getByRole('button', { name: 'Undo' }).focus();
  await page.keyboard.press(`${MOD}+z`);
  await expect(deleted.getByRole('button', { name: 'Dismiss notification' })).toBeFocused();
  await expect.poll(() => quotesOnDisk(gloss, articleId)).toEqual([QUOTE]);
});

test('repeats merge into one toast, at most three show, and errors stay until dismissed', async ({ page, gloss }) => {
  const articleId = await seed(gloss, [QUOTE]);
  await open(page, gloss, articleId, 1);
  await deleteFromPopover(page, QUOTE); // "Highlight deleted."
  await toasts(page).hover(); // held: none times out while the keys below are pressed
  await page.keyboard.press(`${MOD}+z`); // "Undid delete highlight."
  await expect(toasts(page)).toContainText('Undid delete highlight.');
  await page.keyboard.press(`${MOD}+Shift+z`); // "Redid delete highlight."
  await expect(toasts(page)).toContainText('Redid delete highlight.');
  await page.keyboard.press(`${MOD}+Shift+z`); // "Nothing to redo." (a fourth toast: the oldest goes)
  await expect(toasts(page).getByRole('status')).toHaveText([/^Undid delete highlight\./, /^Redid delete highlight\./, /^Nothing to redo\./]);
  await page.keyboard.press(`${MOD}+Shift+z`);
  await page.keyboard.press(`${MOD}+Shift+z`);
  // The same message again refreshes its toast with a count; it does not stack copies.
  await expect(toasts(page).getByRole('status').filter({ hasText: 'Nothing to redo.' })).toHaveText(/Nothing to redo\. \(×3\)/);
  await expect(toasts(page).getByRole('status')).toHaveCount(3);

  // An error merges too, and stays after the statuses have timed out, until it is dismissed.
  await gloss.stop();
  for (const color of ['2', '3', '4']) {
    await dragSelect(page, OTHER);
    await page.keyboard.press(color); // painted at once, then the save fails: the paint goes, an error says so
  }
  const errors = toasts(page).getByRole('alert');
  await expect(errors).toHaveCount(1);
  await expect(errors).toContainText('The highlight was not saved');
  await expect(errors).toContainText('(×3)');
  await expect(toasts(page).getByRole('status')).toHaveCount(0, { timeout: 15_000 });
  await expect(errors).toHaveCount(1);
  await errors.getByRole('button', { name: 'Dismiss notification' }).click();
  await expect(errors).toHaveCount(0);
});

test('toasts never cover the article’s text, wide or narrow, with the notes panel shown or hidden', async ({ page, gloss }) => {
  const articleId = await seed(gloss, [QUOTE]);
  for (const [width, panel] of [
    [1400, true],
    [1400, false],
    [1000, false],
    [800, true],
    [600, false],
  ] as const) {
    await page.setViewportSize({ width, height: 700 });
    await gloss.api('updateSettings', { ui: { notesHidden: !panel } });
    await open(page, gloss, articleId, 1);
    await expect(page.getByRole('button', { name: 'Notes panel' })).toHaveAttribute('aria-pressed', String(panel));
    await expect(page.getByRole('complementary', { name: 'Notes' })).toHaveCount(panel ? 1 : 0);
    await deleteFromPopover(page, QUOTE);
    await expect(toasts(page)).toContainText('Highlight deleted.');
    await page.keyboard.press(`${MOD}+z`);
    await expect(toasts(page)).toContainText('Undid delete highlight.');
    await expect(reader(page)).toHaveAttribute('data-painted-highlights', '1');
    const overlap = await page.evaluate(() => {
      const pane = document.querySelector('.reader-pane')!.getBoundingClientRect();
      const text = document.querySelector('.reader')!.getBoundingClientRect();
      // The article's text as it is on screen: its box, cut to the scrolling pane it shows in.
      const shown = { left: Math.max(pane.left, text.left), right: Math.min(pane.right, text.right), top: Math.max(pane.top, text.top), bottom: Math.min(pane.bottom, text.bottom) };
      return [...document.querySelectorAll('.toast')].map((t) => {
        const b = t.getBoundingClientRect();
        const x = Math.min(b.right, shown.right) - Math.max(b.left, shown.left);
        const y = Math.min(b.bottom, shown.bottom) - Math.max(b.top, shown.top);
        return { inViewport: b.left >= 0 && b.right <= innerWidth && b.top >= 0 && b.bottom <= innerHeight, overlaps: x > 0 && y > 0 };
      });
    });
    // At least this round's two (deleted, undid); an earlier round's delete toast may still be up (toasts with an
    // Undo are never merged: each is its own step).
    expect(overlap.length).toBeGreaterThanOrEqual(2);
    expect(overlap, `at ${width} px, notes panel ${panel ? 'shown' : 'hidden'}`).toEqual(overlap.map(() => ({ inViewport: true, overlaps: false })));
  }
});
