/**
 * Narrow windows and compact cards (issue 12, items 4 and 5). At 600, 800 and 1400 px, light and dark, in the library and
 * in the reader with highlights: nothing overflows sideways and every control on screen is whole; the app bar's
 * actions that do not fit are in its More menu, which works by keyboard; the notes panel resizes by mouse and keyboard
 * and keeps its width across a reload; cards are compact until focus is in them, and every card key still works.
 * Screenshots of each width and scheme go to test-results/narrow-windows/ (to look at, not compared).
 */
import AxeBuilder from '@axe-core/playwright';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { test, expect, paintedQuotes, repoRoot, type GlossServer } from './fixtures';

const SHOTS = path.join(repoRoot, 'test-results/narrow-windows');
const WIDTHS = [600, 800, 1400] as const;
const SCHEMES = ['light', 'dark'] as const;
const COLORS = ['yellow', 'green', 'blue', 'pink', 'purple'] as const;

test.use({ viewport: { width: 1400, height: 800 }, deviceScaleFactor: 1, locale: 'en-US', timezoneId: 'UTC' });

/** The sample article with `count` highlights (tags and short notes on some), and two more articles in the library. */
async function seed(gloss: GlossServer, count = 8): Promise<string> {
  const [sample] = await gloss.api('listArticles');
  const { text } = await gloss.api('getArticle', sample.id);
  const words = [...text.matchAll(/\S+/g)];
  const step = Math.floor(words.length / (count + 1));
  for (let i = 0; i < count; i++) {
    const first = words[i * step];
    const last = words[i * step + 5];
    await gloss.api('addHighlight', sample.id, {
      start: first.index,
      end: last.index + last[0].length,
      color: COLORS[i % 5],
      tags: i % 2 ? ['econ/trade'] : [],
      note: i % 3 ? 'A short note.' : '',
    });
  }
  await gloss.api('importArticle', { format: 'markdown', title: 'The case for slow reading', source: 'https://example.org/essays/slow-reading', content: '# The case for slow reading\n\nReading slowly is not reading less.' });
  const marsh = await gloss.api('importArticle', { format: 'markdown', title: 'Salt marshes store carbon for centuries', content: '# Salt marshes\n\nSalt marshes trap sediment.' });
  await gloss.api('updateArticleMeta', marsh.id, { byline: 'Ana Ruiz', publishedAt: '2025-01-20' });
  return sample.id;
}

async function openReader(page: Page, gloss: GlossServer, id: string, highlights: number): Promise<void> {
  await page.goto(`${gloss.url}#/article/${id}`);
  await expect(page.locator('article.reader-article')).toHaveAttribute('data-painted-highlights', /\d+/);
  await expect(page.locator('.notes-panel .card')).toHaveCount(highlights);
}

/**
 * What is wrong with the layout, in words: the document or the app bar wider than the window, and any control that is
 * shown (rendered, not visually hidden, not scrolled out of sight in its pane) but not wholly inside the window
 * sideways or above its top. Controls partly scrolled out at the bottom of a scrolling pane are as they should be.
 */
function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    // Visually hidden: clipped to nothing by clip-path, on itself or an ancestor.
    const isClippedAway = (el: Element): boolean => {
      for (let a: Element | null = el; a; a = a.parentElement) if (getComputedStyle(a).clipPath !== 'none') return true;
      return false;
    };
    const problems: string[] = [];
    const vw = document.documentElement.clientWidth;
    const doc = document.documentElement.scrollWidth;
    if (doc > vw) problems.push(`the document is ${doc}px wide in a ${vw}px window`);
    const bar = document.querySelector<HTMLElement>('.app-bar')!;
    if (bar.scrollWidth > bar.clientWidth) problems.push(`the app bar's content is ${bar.scrollWidth}px wide in ${bar.clientWidth}px`);
    const controls = document.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, [tabindex], [role="separator"]');
    for (const el of controls) {
      if (!el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
      if (isClippedAway(el)) continue; // a compact card's controls, a file input
      const r = el.getBoundingClientRect();
      if (r.width < 2 || r.height < 2) continue;
      // The part left once every clipping ancestor (a scrolling pane, a clamped quote) has cut it.
      let shown = { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
      for (let a = el.parentElement; a && a !== document.documentElement; a = a.parentElement) {
        const style = getComputedStyle(a);
        if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
        const c = a.getBoundingClientRect();
        shown = { left: Math.max(shown.left, c.left), right: Math.min(shown.right, c.right), top: Math.max(shown.top, c.top), bottom: Math.min(shown.bottom, c.bottom) };
      }
      if (shown.right <= shown.left || shown.bottom <= shown.top) continue; // scrolled out of sight
      const name = `${el.tagName.toLowerCase()} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40)}"`;
      if (r.left < -0.5 || r.right > vw + 0.5) problems.push(`${name} spans x ${Math.round(r.left)}..${Math.round(r.right)} in a ${vw}px window`);
      else if (shown.right - shown.left < r.width - 0.5) problems.push(`${name} is cut off sideways (${Math.round(shown.right - shown.left)} of ${Math.round(r.width)}px shown)`);
      if (r.top < -0.5) problems.push(`${name} starts above the window (y ${Math.round(r.top)})`);
    }
    return problems;
  });
}

async function shoot(page: Page, name: string): Promise<void> {
  await mkdir(SHOTS, { recursive: true });
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), animations: 'disabled', caret: 'hide' });
}

/** Labels of the bar actions now hidden (their menu items carry the same words). */
const collapsedLabels = (page: Page): Promise<string[]> =>
  page.locator('.app-bar [data-bar-action][data-collapsed]').evaluateAll((els) => els.map((el) => el.textContent!.replace('…', '').trim()));

test('from 600 to 1400 px, light and dark, library and reader: nothing overflows, every control on screen is whole', async ({ page, gloss }) => {
  test.setTimeout(180_000);
  const id = await seed(gloss);
  for (const scheme of SCHEMES) {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 800 });
      await page.goto(`${gloss.url}#/`);
      await expect(page.getByRole('row')).toHaveCount(4);
      expect(await layoutProblems(page), `library at ${width}px, ${scheme}`).toEqual([]);
      await shoot(page, `library-${width}-${scheme}`);

      await openReader(page, gloss, id, 8);
      await expect.poll(async () => Object.values(await paintedQuotes(page)).flat().length).toBeGreaterThan(0);
      expect(await layoutProblems(page), `reader at ${width}px, ${scheme}`).toEqual([]);
      // What does not fit is in More (and the rare actions that always live there: reading a Gloss export back in).
      const collapsed = await collapsedLabels(page);
      const more = page.getByRole('button', { name: 'More' });
      if (width === 1400) expect(collapsed).toEqual(['From a Gloss export']);
      else expect(collapsed.length).toBeGreaterThan(1);
      await expect(more).toBeVisible();
      await shoot(page, `reader-${width}-${scheme}`);
    }
  }
  // Between the three widths too (no screenshots): every 50 px from 600 to 1400 fits.
  await page.emulateMedia({ colorScheme: 'light' });
  for (let width = 600; width <= 1400; width += 50) {
    await page.setViewportSize({ width, height: 800 });
    await expect.poll(() => layoutProblems(page), `reader at ${width}px`).toEqual([]);
  }
});

test('the More menu holds every action that did not fit, opens by keyboard and runs each one', async ({ page, gloss }) => {
  test.setTimeout(120_000); // two axe runs on a loaded two-core machine
  const id = await seed(gloss);
  await page.setViewportSize({ width: 600, height: 800 });
  await openReader(page, gloss, id, 8);
  const collapsed = await collapsedLabels(page);
  expect(collapsed).toEqual(expect.arrayContaining(['Colour labels', 'Import from URL', 'Preferences', 'Export']));

  const more = page.getByRole('button', { name: 'More' });
  await expect(more).toHaveAttribute('aria-haspopup', 'menu');
  await more.focus();
  await page.keyboard.press('Enter');
  const menu = page.getByRole('menu', { name: 'More' });
  await expect(menu).toBeVisible();
  await expect(more).toHaveAttribute('aria-expanded', 'true');
  const items = menu.getByRole('menuitem');
  await expect(items).toHaveText(collapsed.map((label) => new RegExp(`^${label}`)));
  await expect(items.first()).toBeFocused();
  await shoot(page, 'more-menu-600-light');
  // axe on the open menu (and the narrow page behind it), light and dark: no serious or critical violation.
  for (const scheme of SCHEMES) {
    await page.emulateMedia({ colorScheme: scheme });
    const { violations } = await new AxeBuilder({ page }).analyze();
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), scheme).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await expect(items.first()).toBeFocused();
  // Up from the first wraps to the last; Home goes back; a letter jumps to its item.
  await page.keyboard.press('ArrowUp');
  await expect(items.last()).toBeFocused();
  await page.keyboard.press('Home');
  await expect(items.first()).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
  await expect(more).toBeFocused();

  // Down opens it too; p goes to Preferences; Enter opens the dialog; closing it brings focus back to More.
  await page.keyboard.press('ArrowDown');
  await expect(items.first()).toBeFocused();
  await page.keyboard.press('p');
  await expect(menu.getByRole('menuitem', { name: 'Preferences…' })).toBeFocused();
  await page.keyboard.press('Enter');
  const preferences = page.getByRole('dialog', { name: 'Preferences' });
  await expect(preferences).toBeVisible();
  await expect(menu).toBeHidden();
  await page.keyboard.press('Escape');
  await expect(preferences).toBeHidden();
  await expect(more).toBeFocused();

  // Every other collapsed action works from the menu as from its button.
  const opens: Record<string, () => Promise<void>> = {
    'Colour labels': () => expect(page.getByRole('dialog', { name: 'Colour labels' })).toBeVisible(),
    'Import from URL': () => expect(page.getByRole('dialog', { name: 'Import from URL' })).toBeVisible(),
    'From a Gloss export': () => expect(page.getByRole('dialog', { name: 'Import a Gloss Markdown export' })).toBeVisible(),
    Export: () => expect(page.getByRole('dialog', { name: 'Export' })).toBeVisible(),
  };
  for (const [label, opened] of Object.entries(opens)) {
    await more.focus();
    await page.keyboard.press('Enter');
    await menu.getByRole('menuitem', { name: new RegExp(`^${label}`) }).click();
    await opened();
    await page.keyboard.press('Escape');
    await expect(page.locator('dialog[open]')).toHaveCount(0);
  }
  // Tab leaves the menu closed behind it; a press outside closes it too.
  await more.click();
  await expect(menu).toBeVisible();
  await page.mouse.click(20, 400);
  await expect(menu).toBeHidden();
});

test('the notes panel resizes by dragging and by keyboard, keeps its width across a reload, and hides', async ({ page, gloss }) => {
  const id = await seed(gloss);
  await openReader(page, gloss, id, 8);
  const panel = page.locator('.notes-panel');
  const handle = page.getByRole('separator', { name: 'Resize the notes panel' });
  const panelWidth = async () => Math.round((await panel.boundingBox())!.width);
  await expect(handle).toHaveAttribute('aria-orientation', 'vertical');
  await expect(handle).toHaveAttribute('aria-valuenow', '384');
  expect(await panelWidth()).toBe(384);

  // Drag the handle 100 px to the left: the panel is 100 px wider.
  const box = (await handle.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + 300);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 - 60, box.y + 300, { steps: 4 });
  await page.mouse.move(box.x + box.width / 2 - 100, box.y + 300, { steps: 4 });
  await page.mouse.up();
  expect(await panelWidth()).toBe(484);
  await expect(handle).toHaveAttribute('aria-valuenow', '484');
  await expect.poll(async () => (await gloss.api('getSettings')).ui?.notesWidth).toBe(484);

  // The keyboard: Left widens, Right narrows (Shift for bigger steps), Home is the narrowest, End the widest.
  await handle.focus();
  await page.keyboard.press('ArrowLeft');
  await expect(handle).toHaveAttribute('aria-valuenow', '500');
  await page.keyboard.press('Shift+ArrowRight');
  await expect(handle).toHaveAttribute('aria-valuenow', '436');
  await page.keyboard.press('End');
  await expect(handle).toHaveAttribute('aria-valuenow', String(1400 - 320)); // the reader keeps 320 px
  expect(await panelWidth()).toBe(1080);
  await page.keyboard.press('Home');
  await expect(handle).toHaveAttribute('aria-valuenow', '240');
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowLeft');
  await expect(handle).toHaveAttribute('aria-valuenow', '320');
  expect(await panelWidth()).toBe(320);
  await expect.poll(async () => (await gloss.api('getSettings')).ui?.notesWidth).toBe(320);

  // After a reload the panel comes back at that width.
  await page.reload();
  await expect(page.locator('.notes-panel .card')).toHaveCount(8);
  expect(await panelWidth()).toBe(320);
  await expect(handle).toHaveAttribute('aria-valuenow', '320');

  // A window too narrow for the chosen width shows less, without forgetting it.
  await handle.focus();
  await page.keyboard.press('Shift+ArrowLeft');
  await page.keyboard.press('Shift+ArrowLeft');
  await page.keyboard.press('Shift+ArrowLeft');
  await expect(handle).toHaveAttribute('aria-valuenow', '512');
  await page.setViewportSize({ width: 800, height: 800 });
  await expect(handle).toHaveAttribute('aria-valuenow', '480');
  expect(await panelWidth()).toBe(480);
  await page.setViewportSize({ width: 1400, height: 800 });
  await expect(handle).toHaveAttribute('aria-valuenow', '512');

  // The toggle hides the panel and its handle.
  await page.getByRole('button', { name: 'Notes panel' }).click();
  await expect(panel).toHaveCount(0);
  await expect(handle).toHaveCount(0);
});

test('a settings reload that answers late does not put an older panel width back while a newer one waits to be saved', async ({ page, gloss }) => {
  const id = await seed(gloss);
  await openReader(page, gloss, id, 8);
  const handle = page.getByRole('separator', { name: 'Resize the notes panel' });
  // Each write tells every window to reload the settings; hold those answers (the server's real replies) until told.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let holding = 0;
  await page.route('**/api/getSettings', async (route) => {
    const response = await route.fetch();
    holding += 1;
    await held;
    await route.fulfill({ response });
  });
  await handle.focus();
  await page.keyboard.press('ArrowLeft'); // 400, saved a moment later: its event starts a reload, answered 400
  await expect.poll(async () => (await gloss.api('getSettings')).ui?.notesWidth).toBe(400);
  await expect.poll(() => holding).toBeGreaterThan(0);
  await page.keyboard.press('ArrowLeft'); // 416, not saved yet
  await expect(handle).toHaveAttribute('aria-valuenow', '416');
  const answered = page.waitForResponse('**/api/getSettings');
  release();
  await answered;
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  // Read once, not polled: the later save of 416 would put it right again and hide the jump back.
  expect(await handle.getAttribute('aria-valuenow')).toBe('416');
  expect(Math.round((await page.locator('.notes-panel').boundingBox())!.width)).toBe(416);
  await expect.poll(async () => (await gloss.api('getSettings')).ui?.notesWidth).toBe(416);
  // Reloads still under way when the server stops must not fail the test from inside the route handler.
  await page.unrouteAll({ behavior: 'ignoreErrors' });
});

/** The rendered width of a control: 0 when it is visually hidden (clipped away by clip-path, itself or an ancestor). */
const shownWidth = async (control: Locator): Promise<number> =>
  control.evaluate((el) => {
    for (let a: Element | null = el; a; a = a.parentElement) if (getComputedStyle(a).clipPath !== 'none') return 0;
    return el.getBoundingClientRect().width;
  });

test('cards are compact until focused: 51 cards make a short panel, and every card key still works', async ({ page, gloss }) => {
  const id = await seed(gloss, 51);
  await openReader(page, gloss, id, 51);
  const cards = page.locator('.notes-panel .card');
  const heights = await cards.evaluateAll((els) => els.map((el) => el.getBoundingClientRect().height));
  // A card with a short quote, a tag and a short note: one line each for quote, colour + tags, note.
  expect(Math.max(...heights)).toBeLessThan(140);
  const panelHeight = await page.locator('.notes-panel').evaluate((el) => el.scrollHeight);
  expect(panelHeight).toBeLessThan(7_000); // it was 14,547 px with the cards always open
  const second = cards.nth(1); // tagged, with a note
  await expect(second).toContainText('econ/trade');
  await expect(second).toContainText('A short note.');
  await expect(second.getByRole('button', { name: 'Show in text' })).toBeVisible();
  expect(await shownWidth(second.getByRole('combobox', { name: 'Colour' }))).toBe(0);
  expect(await shownWidth(second.getByRole('button', { name: 'Delete highlight' }))).toBe(0);
  expect(await shownWidth(second.getByRole('combobox', { name: 'Add tag' }))).toBe(0);
  const compactHeight = (await second.boundingBox())!.height;

  // Focus opens it: its controls are shown; moving on closes it again.
  await page.locator('article.reader-article').focus();
  await page.keyboard.press('n');
  await expect(cards.first()).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(second).toBeFocused();
  expect((await second.boundingBox())!.height).toBeGreaterThan(compactHeight + 40);
  expect(await shownWidth(second.getByRole('combobox', { name: 'Colour' }))).toBeGreaterThan(40);
  expect(await shownWidth(second.getByRole('button', { name: 'Delete highlight' }))).toBeGreaterThan(20);
  expect(await shownWidth(second.getByRole('combobox', { name: 'Add tag' }))).toBeGreaterThan(40);
  expect((await cards.first().boundingBox())!.height).toBeLessThan(140);
  await shoot(page, 'open-card-1400-light');

  // The card's keys: t adds a tag, Enter edits the note, 3 recolours, Delete deletes and moves on.
  const stored = async () => (await gloss.api('getArticle', id)).highlights[1];
  const target = await stored();
  await page.keyboard.press('t');
  await expect(second.getByRole('combobox', { name: 'Add tag' })).toBeFocused();
  await page.keyboard.type('fresh');
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await stored()).tags).toEqual(['econ/trade', 'fresh']);
  await page.keyboard.press('Escape');
  await expect(second).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(second.getByRole('textbox', { name: 'Note' })).toBeFocused();
  await page.keyboard.press('End');
  await page.keyboard.type(' More.');
  await page.keyboard.press('Escape');
  await expect(second).toBeFocused();
  await expect.poll(async () => (await stored()).note).toBe('A short note. More.');
  await page.keyboard.press('3');
  await expect.poll(async () => (await stored()).color).toBe('blue');
  // Tab from the open card reaches its controls in order, each shown as it takes focus.
  await page.keyboard.press('Tab');
  await expect(second.getByRole('combobox', { name: 'Colour' })).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(second).toBeFocused();
  await page.keyboard.press('Delete');
  await expect.poll(async () => (await gloss.api('getArticle', id)).highlights.map((h) => h.id)).not.toContain(target.id);
  await expect(cards).toHaveCount(50);
  await expect(cards.nth(1)).toBeFocused();

  // The mouse: a click on a compact card opens it; "Show in text" on a compact card works in one click.
  const fifth = cards.nth(4);
  const before = (await fifth.boundingBox())!.height;
  await fifth.locator('.card-quote').click();
  await expect(fifth).toBeFocused();
  expect((await fifth.boundingBox())!.height).toBeGreaterThan(before + 40);
  // Edit on a compact card's note: one click, and the note is a text field with the caret in it.
  const noted = cards.filter({ hasText: 'A short note.' }).nth(6);
  await noted.scrollIntoViewIfNeeded();
  expect((await noted.boundingBox())!.height).toBeLessThan(140);
  await noted.getByRole('button', { name: 'Edit note' }).click();
  await expect(noted.getByRole('textbox', { name: 'Note' })).toBeFocused();
  await expect(noted.getByRole('textbox', { name: 'Note' })).toHaveValue('A short note.');
  await page.keyboard.press('Escape');
  await expect(noted).toBeFocused();

  const last = cards.last();
  await last.scrollIntoViewIfNeeded();
  const lastQuote = (await gloss.api('getArticle', id)).highlights.at(-1)!.quote;
  const pane = page.locator('.reader-pane');
  await pane.evaluate((el) => el.scrollTo(0, 0));
  await expect.poll(() => pane.evaluate((el) => el.scrollTop)).toBe(0);
  await last.getByRole('button', { name: 'Show in text' }).click();
  // The passage is scrolled into the reader's view and emphasised.
  await expect
    .poll(() =>
      page.evaluate(() => {
        const range = [...(CSS.highlights.get('gloss-focus') ?? [])][0] as Range | undefined;
        const box = document.querySelector('.reader-pane')!.getBoundingClientRect();
        const r = range?.getBoundingClientRect();
        return r ? { quote: range!.toString().replace(/\s+/g, ''), inView: r.top >= box.top && r.bottom <= box.bottom } : null;
      }),
    )
    .toEqual({ quote: lastQuote.replace(/\s+/g, ''), inView: true });
  expect(await pane.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);

  // A click on a passage in the text focuses its card far down the panel: the card opens and all of it comes into view.
  await page.mouse.move(300, 400); // off the panel (a card under a resting pointer is only hovered)
  const farOne = (await gloss.api('getArticle', id)).highlights.at(-3)!;
  await page.locator('.notes-panel').evaluate((el) => el.scrollTo(0, 0));
  const point = await page.evaluate((quote) => {
    for (const [, layer] of CSS.highlights) {
      for (const range of layer as unknown as Iterable<Range>) {
        if (range.toString().replace(/\s+/g, '') !== quote.replace(/\s+/g, '')) continue;
        const r = range.getClientRects()[0];
        return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
      }
    }
    return null;
  }, farOne.quote);
  expect(point, 'the passage is painted near the end of the text').not.toBeNull();
  await page.mouse.click(point!.x, point!.y);
  const targetCard = page.locator(`.notes-panel .card[data-highlight-id="${farOne.id}"]`);
  await expect(targetCard).toBeFocused();
  await expect(targetCard).toBeInViewport({ ratio: 0.98 }); // all of it, to a sub-pixel
  expect((await targetCard.boundingBox())!.height).toBeGreaterThan(150); // open, not compact
});
