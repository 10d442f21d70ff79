/**
 * Reading comfort (issue 8): theme (system, or overridden in Preferences and by View > Toggle Theme), text size, line
 * width and typeface; the notes panel toggle; the last article and its scroll position. Every choice is kept in the
 * notebook's settings and survives a restart of Gloss (browser mode changes origin each run, so nothing may rely on
 * localStorage).
 */
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';

const reader = (page: Page) => page.locator('article.reader-article');
const readerStyle = (page: Page) =>
  reader(page).evaluate((el) => {
    const s = getComputedStyle(el);
    return { fontSize: s.fontSize, fontFamily: s.fontFamily, width: el.getBoundingClientRect().width, background: getComputedStyle(document.body).backgroundColor };
  });

test('preferences change the page at once, are saved in the notebook and hold after a restart', async ({ page, gloss }) => {
  const [sample] = await gloss.api('listArticles');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(`${gloss.url}#/article/${sample.id}`);
  await expect(reader(page)).not.toBeEmpty();
  const before = await readerStyle(page);
  expect(before.fontSize).toBe('18px');

  await page.getByRole('button', { name: 'Preferences' }).click();
  const prefs = page.getByRole('dialog', { name: 'Preferences' });
  await expect(prefs.getByRole('radio', { name: /Follow the system/ })).toBeChecked();
  await prefs.getByRole('radio', { name: 'Dark' }).check();
  await prefs.getByRole('button', { name: 'Larger text' }).click();
  await prefs.getByRole('button', { name: 'Larger text' }).click();
  await prefs.getByRole('radio', { name: 'Wide' }).check();
  await prefs.getByRole('radio', { name: 'Sans-serif' }).check();
  await expect(prefs.locator('output')).toHaveText('20 px');
  // Applied at once, behind the dialog.
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  const after = await readerStyle(page);
  expect(after.fontSize).toBe('20px');
  expect(after.fontFamily).toMatch(/system-ui|sans-serif/);
  expect(after.width).toBeGreaterThan(before.width);
  expect(after.background).not.toBe(before.background);
  await prefs.getByRole('button', { name: 'Done' }).click();
  await expect(prefs).toBeHidden();

  // Saved in the notebook (one batched write).
  await expect.poll(async () => (await gloss.api('getSettings')).ui).toMatchObject({ theme: 'dark', fontSize: 20, lineWidth: 'wide', typeface: 'sans' });

  // View > Toggle Theme's accelerator flips what is shown (a browser tab has no native menu: the page handles it).
  await page.keyboard.press('Control+Shift+L');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  // View > Toggle Notes Panel.
  const notes = page.getByRole('complementary', { name: 'Notes' });
  await expect(notes).toBeVisible();
  await page.keyboard.press('Control+\\');
  await expect(notes).toBeHidden();
  await expect(page.getByRole('button', { name: 'Notes panel' })).toHaveAttribute('aria-pressed', 'false');
  await expect.poll(async () => (await gloss.api('getSettings')).ui).toMatchObject({ theme: 'light', notesHidden: true });

  // A restart (a new origin, a new page) reads them back from disk.
  const restarted = await gloss.restart();
  await page.goto(`${restarted.url}#/article/${sample.id}`);
  await expect(reader(page)).not.toBeEmpty();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await expect.poll(() => readerStyle(page).then((s) => s.fontSize)).toBe('20px');
  await expect(notes).toBeHidden();
  await page.getByRole('button', { name: 'Notes panel' }).click();
  await expect(notes).toBeVisible();

  // "Follow the system" removes the override: the system's dark shows.
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.keyboard.press('Control+,');
  await prefs.getByRole('radio', { name: /Follow the system/ }).check();
  await expect(page.locator('html')).not.toHaveAttribute('data-theme', /./);
  await expect(prefs.getByText('(now dark)')).toBeVisible();
  expect((await readerStyle(page)).background).toBe(after.background);
});

test('Gloss reopens the last article where the reader left it, and each article keeps its own place', async ({ page, gloss }) => {
  const [sample] = await gloss.api('listArticles');
  // A second, long article: enough text to scroll.
  const long = await gloss.api('importArticle', {
    format: 'text',
    title: 'Tides',
    content: Array.from({ length: 120 }, (_, i) => `Paragraph ${i + 1}: the tide comes in twice a day, and the marsh drinks it.`).join('\n\n'),
  });
  await page.setViewportSize({ width: 1000, height: 600 });
  await page.goto(`${gloss.url}#/article/${long.id}`);
  await expect(reader(page)).toContainText('Paragraph 120');
  const pane = page.locator('main.reader-pane');
  await pane.evaluate((el) => el.scrollTo({ top: (el.scrollHeight - el.clientHeight) * 0.6 }));
  // Saved a second after scrolling stops.
  await expect.poll(async () => (await gloss.api('getSettings')).ui?.scroll?.[long.id] ?? 0).toBeCloseTo(0.6, 2);
  expect((await gloss.api('getSettings')).ui?.lastRoute).toBe(`#/article/${long.id}`);

  // Another article opens at its top, not at the last one's place.
  await page.goto(`${gloss.url}#/article/${sample.id}`);
  await expect(reader(page)).toContainText('Soleimani');
  expect(await pane.evaluate((el) => el.scrollTop)).toBe(0);
  await page.goto(`${gloss.url}#/article/${long.id}`);
  await expect.poll(() => pane.evaluate((el) => el.scrollTop / (el.scrollHeight - el.clientHeight))).toBeCloseTo(0.6, 2);

  // Restart; the address has no route: the last article opens, scrolled to where it was.
  const restarted = await gloss.restart();
  await page.goto(restarted.url);
  await expect(page).toHaveURL(new RegExp(`#/article/${long.id}$`));
  await expect(reader(page)).toContainText('Paragraph 120');
  await expect.poll(() => pane.evaluate((el) => el.scrollTop / (el.scrollHeight - el.clientHeight))).toBeCloseTo(0.6, 2);

  // A deleted article is not reopened: the library shows instead, and its scroll position is dropped.
  await restarted.api('deleteArticle', long.id);
  await restarted.api('updateSettings', { ui: { fontSize: 18 } });
  expect((await restarted.api('getSettings')).ui?.scroll?.[long.id]).toBeUndefined();
  await page.goto('about:blank');
  await page.goto(restarted.url);
  await expect(page.getByRole('heading', { name: 'Library' })).toBeVisible();
  expect(new URL(page.url()).hash).toBe('');
});

test('settings that arrive after a long article is on screen restore its place, unless the reader has moved meanwhile', async ({ page, gloss }) => {
  const long = await gloss.api('importArticle', {
    format: 'text',
    title: 'Tides',
    content: Array.from({ length: 200 }, (_, i) => `Paragraph ${i + 1}: the tide comes in twice a day, and the marsh drinks it.`).join('\n\n'),
  });
  await gloss.api('updateSettings', { ui: { scroll: { [long.id]: 0.5 } } });
  // Hold the settings reply until the test lets it go: the article is shown before Gloss knows its place.
  let release = (): void => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/getSettings', async (route) => {
    await released;
    await route.continue();
  });
  const pane = page.locator('main.reader-pane');
  const fraction = () => pane.evaluate((el) => el.scrollTop / (el.scrollHeight - el.clientHeight));

  // Untouched: the place is restored when the settings come.
  await page.goto(`${gloss.url}#/article/${long.id}`);
  await expect(reader(page)).toContainText('Paragraph 200');
  expect(await fraction()).toBe(0);
  release();
  await expect.poll(fraction).toBeCloseTo(0.5, 2);

  // Moved first (here to a quarter): the late settings leave the reader where they went.
  let releaseAgain = (): void => undefined;
  const releasedAgain = new Promise<void>((resolve) => (releaseAgain = resolve));
  await page.unroute('**/api/getSettings');
  await page.route('**/api/getSettings', async (route) => {
    await releasedAgain;
    await route.continue();
  });
  await page.reload();
  await expect(reader(page)).toContainText('Paragraph 200');
  await pane.evaluate((el) => el.scrollTo({ top: (el.scrollHeight - el.clientHeight) * 0.25 }));
  const settingsRead = page.waitForResponse('**/api/getSettings');
  releaseAgain();
  await settingsRead;
  // A few frames for the effects that follow the reply.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 50)))));
  expect(await fraction()).toBeCloseTo(0.25, 2);
});

test('the settings API refuses bad preferences with a clear message and keeps what was stored', async ({ gloss }) => {
  await gloss.api('updateSettings', { ui: { theme: 'dark', fontSize: 20 } });
  const tooBig = await gloss.raw('updateSettings', [{ ui: { fontSize: 100 } }]);
  expect(tooBig.status).toBe(400);
  expect(tooBig.body.error.message).toMatch(/font size is at most 32/);
  const badTheme = await gloss.raw('updateSettings', [{ ui: { theme: 'sepia' } }]);
  expect(badTheme.status).toBe(400);
  const badScroll = await gloss.raw('updateSettings', [{ ui: { scroll: { abc: 2 } } }]);
  expect(badScroll.body.error.message).toMatch(/scroll position is 0 to 1/);
  const badRoute = await gloss.raw('updateSettings', [{ ui: { lastRoute: 'javascript:alert(1)' } }]);
  expect(badRoute.status).toBe(400);
  // A theme-only patch keeps the text size: ui settings merge.
  await gloss.api('updateSettings', { ui: { theme: 'light' } });
  expect((await gloss.api('getSettings')).ui).toEqual({ theme: 'light', fontSize: 20 });
});
