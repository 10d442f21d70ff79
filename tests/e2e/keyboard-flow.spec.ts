/**
 * The keyboard flow (issue 12 item 9), keyboard only: opening an article puts focus on it; a new highlight leaves
 * focus in the reader with the caret at its end, and `n` goes to its card; Ctrl+Z with nothing to undo says so; the
 * highlight popover writes a note and adds a tag. Real browser-mode server, real notebook on disk, real Chromium.
 */
import type { Page } from '@playwright/test';
import { test, expect, type GlossServer } from './fixtures';

const MOD = process.platform === 'darwin' ? 'Meta' : 'Control';
const reader = (page: Page) => page.locator('article.reader-article');
const notes = (page: Page) => page.getByRole('complementary', { name: 'Notes' });
const card = (page: Page, quote: string) => notes(page).getByRole('listitem', { name: `Highlight: ${quote}` });
const selected = (page: Page) => page.evaluate(() => document.getSelection()!.toString());

async function sampleId(gloss: GlossServer): Promise<string> {
  return (await gloss.api('listArticles'))[0].id;
}

async function openSample(page: Page, gloss: GlossServer): Promise<string> {
  const id = await sampleId(gloss);
  await page.goto(`${gloss.url}#/article/${id}`);
  await expect(reader(page)).toHaveAttribute('data-painted-highlights', '0');
  return id;
}

/** Tabs to the article unless it has focus already (opening it gives it focus; tests of other things must not rely on it). */
async function tabToReader(page: Page): Promise<void> {
  for (let i = 0; i < 15 && !(await reader(page).evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
  await expect(reader(page)).toBeFocused();
}

const stored = async (gloss: GlossServer, id: string) => (await gloss.api('getArticle', id)).highlights;

test('Enter on a title in the library opens the article with focus on it, its title still in view', async ({ page, gloss }) => {
  await page.goto(gloss.url);
  const link = page.getByRole('link', { name: /Iran will never forget/ });
  await expect(link).toBeVisible();
  for (let i = 0; i < 30 && !(await link.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
  await expect(link).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(reader(page)).toBeFocused();
  await expect(page.getByRole('heading', { level: 1, name: /Iran will never forget/ })).toBeInViewport();
  expect(await page.locator('.reader-pane').evaluate((el) => el.scrollTop)).toBe(0);
  // The keys work at once, without F6: Shift+Arrows select from the first visible line.
  await page.keyboard.press('Shift+ArrowRight');
  expect(await selected(page)).toBe('I');
});

test('after h the reader keeps focus and Shift+Arrows go on from the end of the highlight; n goes to that card', async ({ page, gloss }) => {
  const id = await openSample(page, gloss);
  await tabToReader(page);
  for (let i = 0; i < 3; i++) await page.keyboard.press('Control+Shift+ArrowRight');
  expect(await selected(page)).toBe('Iran will never');
  await page.keyboard.press('h');
  await expect.poll(async () => (await stored(gloss, id)).map((h) => h.quote)).toEqual(['Iran will never']);
  await expect(card(page, 'Iran will never')).toBeVisible();
  await expect(reader(page)).toBeFocused(); // not the new card

  // The caret sits at the end of the new highlight: the next selection starts there.
  for (let i = 0; i < 2; i++) await page.keyboard.press('Control+Shift+ArrowRight');
  expect(await selected(page)).toBe(' forget the');
  await page.keyboard.press('3'); // a second highlight, blue; n at once (its save may still be on its way)
  await page.keyboard.press('n');
  await expect(card(page, 'forget the')).toBeFocused();
  await expect.poll(async () => (await stored(gloss, id)).map((h) => [h.quote, h.color])).toEqual([
    ['Iran will never', 'yellow'],
    ['forget the', 'blue'], // the notebook trims the space the word step took
  ]);
  // Escape goes back to the reader, where the keys carry on.
  await page.keyboard.press('Escape');
  await expect(reader(page)).toBeFocused();
});

test('Ctrl+Z and Ctrl+Shift+Z with nothing to do say so, politely', async ({ page, gloss }) => {
  await openSample(page, gloss);
  await tabToReader(page);
  const region = page.getByRole('region', { name: 'Notifications' });
  await page.keyboard.press(`${MOD}+z`);
  await expect(region.getByRole('status')).toHaveText(['Nothing to undo.×']);
  await page.keyboard.press(`${MOD}+Shift+z`);
  await expect(region.getByRole('status').filter({ hasText: 'Nothing to redo.' })).toBeVisible();
  await expect(region.getByRole('alert')).toHaveCount(0);
});

test('the highlight popover writes the note and adds a tag, by keyboard, through the card (panel shown or hidden)', async ({ page, gloss }) => {
  const id = await openSample(page, gloss);
  await tabToReader(page);
  for (let i = 0; i < 3; i++) await page.keyboard.press('Control+Shift+ArrowRight');
  await page.keyboard.press('h');
  await expect(card(page, 'Iran will never')).toBeVisible(); // saved, and known to the reader
  await page.keyboard.press('Escape'); // nothing to dismiss in the reader (from a card, it would come back here)
  await expect(reader(page)).toBeFocused();
  const popover = page.getByRole('toolbar', { name: 'Edit highlight' });

  // Enter on the highlight (the caret is at its end) opens the popover; arrows reach Note; Enter opens the card's note.
  await page.keyboard.press('Enter');
  await expect(popover.getByRole('button', { name: 'Recolour yellow' })).toBeFocused();
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
  await expect(popover.getByRole('button', { name: 'Note' })).toBeFocused();
  await page.keyboard.press('Enter');
  const note = card(page, 'Iran will never').getByRole('textbox', { name: 'Note' });
  await expect(note).toBeFocused();
  await page.keyboard.type('Written from the popover');
  await page.keyboard.press('Escape'); // saves; back to the card
  await page.keyboard.press('Escape'); // back to the reader
  await expect(reader(page)).toBeFocused();

  // t in the popover goes to the card's tag field; the tag and the note are both kept (one write queue per card).
  await page.keyboard.press('Enter');
  await expect(popover.getByRole('button', { name: 'Recolour yellow' })).toBeFocused();
  await page.keyboard.press('t');
  await expect(card(page, 'Iran will never').getByRole('combobox', { name: 'Add tag' })).toBeFocused();
  await page.keyboard.type('opening');
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await stored(gloss, id)).map((h) => ({ note: h.note, tags: h.tags }))).toEqual([{ note: 'Written from the popover', tags: ['opening'] }]);

  // With the notes panel hidden, Note shows it and opens the editor there.
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  await page.keyboard.press(`${MOD}+\\`);
  await expect(notes(page)).toHaveCount(0);
  await expect(reader(page)).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(popover.getByRole('button', { name: 'Recolour yellow' })).toBeFocused();
  await page.keyboard.press('n');
  await expect(notes(page)).toBeVisible();
  await expect(card(page, 'Iran will never').getByRole('textbox', { name: 'Note' })).toBeFocused();
  await page.keyboard.press('End');
  await page.keyboard.type(', again');
  await page.keyboard.press('Escape');
  await expect.poll(async () => (await stored(gloss, id))[0].note).toBe('Written from the popover, again');
});
