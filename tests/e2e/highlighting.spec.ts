/**
 * Highlighting that holds up (issue 3): colour labels, keyboard-only selection and the toolbar; passages across
 * formatting, links and paragraphs; overlaps, click cycling, recolour and delete with undo; reader <-> panel; orphans
 * after a text change; right-to-left and mixed text. Real browser-mode server, real notebook on disk, real Chromium.
 */
import type { Page } from '@playwright/test';
import type { Article } from '../../electron/contract';
import { test, expect, selectText, paintedQuotes, type GlossServer } from './fixtures';

const reader = (page: Page) => page.locator('article.reader-article');
const notes = (page: Page) => page.getByRole('complementary', { name: 'Notes' });
const card = (page: Page, text: string | RegExp) => notes(page).getByRole('listitem').filter({ hasText: text });

/** The text of every Range in one CSS highlight layer (e.g. 'gloss-focus', 'gloss-nested-green'). */
function layerText(page: Page, name: string): Promise<string[]> {
  return page.evaluate((n) => [...(CSS.highlights.get(n) ?? [])].map((r) => (r as Range).toString()), name);
}

async function openArticle(page: Page, gloss: GlossServer, id: string): Promise<void> {
  await page.goto(`${gloss.url}#/article/${id}`);
  await expect(reader(page)).not.toBeEmpty();
}

async function article(gloss: GlossServer, id: string): Promise<Article> {
  return gloss.api('getArticle', id);
}

test('colour labels name the toolbar buttons, and a keyboard alone selects, highlights, edits and dismisses', async ({ page, gloss }) => {
  const [sample] = await gloss.api('listArticles');
  await openArticle(page, gloss, sample.id);

  // Colour labels: set in the dialog, stored in the notebook's settings.
  await page.getByRole('button', { name: 'Colour labels' }).click();
  const dialog = page.getByRole('dialog', { name: 'Colour labels' });
  await dialog.getByLabel('Green').fill('evidence');
  await dialog.getByLabel('Pink').fill('  claim ');
  await dialog.getByRole('button', { name: 'Save labels' }).click();
  await expect(dialog).toBeHidden();
  expect((await gloss.api('getSettings')).colorLabels).toEqual({ green: 'evidence', pink: 'claim' });

  // Keyboard only: Tab to the article, then Shift+Ctrl+Arrow selects three words from the first visible line.
  for (let i = 0; i < 10 && !(await reader(page).evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
  await expect(reader(page)).toBeFocused();
  for (let i = 0; i < 3; i++) await page.keyboard.press('Control+Shift+ArrowRight');
  await page.keyboard.press('Shift+ArrowLeft'); // and back by one character: character steps work too
  const selected = await page.evaluate(() => document.getSelection()!.toString());
  expect(selected).toBe('Iran will neve');

  const toolbar = page.getByRole('toolbar', { name: 'Highlight selection' });
  await expect(toolbar).toBeVisible();
  await expect(toolbar.getByRole('button')).toHaveText(['1', '2', '3', '4', '5']);
  await expect(toolbar.getByRole('button', { name: 'Highlight yellow' })).toHaveAttribute('title', 'Highlight yellow (h or 1)');
  await expect(toolbar.getByRole('button', { name: 'Highlight green (evidence)' })).toHaveAttribute('title', /evidence/);
  await expect(toolbar.getByRole('button', { name: 'Highlight pink (claim)' })).toBeVisible();
  // The toolbar sits beside the selection: just below its last line, not across the screen.
  const [toolbarBox, selectionBox] = [await toolbar.boundingBox(), await page.evaluate(() => document.getSelection()!.getRangeAt(0).getBoundingClientRect().toJSON())];
  expect(toolbarBox!.y - selectionBox.bottom).toBeGreaterThanOrEqual(0);
  expect(toolbarBox!.y - selectionBox.bottom).toBeLessThan(40);

  await page.keyboard.press('2');
  await expect(toolbar).toBeHidden();
  await expect.poll(() => paintedQuotes(page)).toMatchObject({ green: ['Iran will neve'] });
  await expect(card(page, 'Iran will neve')).toContainText('evidence');
  const stored = (await article(gloss, sample.id)).highlights;
  expect(stored).toHaveLength(1);
  expect(stored[0]).toMatchObject({ start: 0, end: 14, quote: 'Iran will neve', color: 'green' });

  // Exports carry the label too.
  expect(await gloss.api('exportMarkdown', { articleIds: [sample.id] })).toContain('evidence');

  // Back in the article, Enter on the highlight (where h left the caret) opens its editor with focus inside; 4 = pink.
  await reader(page).focus();
  await page.keyboard.press('Enter');
  const editor = page.getByRole('toolbar', { name: 'Edit highlight' });
  await expect(editor.getByRole('button', { name: 'Recolour green (evidence)' })).toBeFocused();
  await expect(editor.getByRole('button', { name: 'Recolour green (evidence)' })).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('4');
  await expect.poll(async () => (await article(gloss, sample.id)).highlights[0].color).toBe('pink');
  await expect(editor.getByRole('button', { name: 'Recolour pink (claim)' })).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => paintedQuotes(page)).toMatchObject({ green: [], pink: ['Iran will neve'] });
  await page.keyboard.press('Escape');
  await expect(editor).toBeHidden();
  await expect(reader(page)).toBeFocused();

  // Shift+Arrow carries on from where the highlight ended; Escape dismisses the toolbar and the selection.
  for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+ArrowRight');
  expect(await page.evaluate(() => document.getSelection()!.toString())).toBe('r f');
  await expect(toolbar).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(toolbar).toBeHidden();
  expect(await page.evaluate(() => document.getSelection()!.toString())).toBe('');
  await page.keyboard.press('h'); // nothing selected: nothing happens
  expect((await article(gloss, sample.id)).highlights).toHaveLength(1);
});

test('passages across formatting, links and paragraphs; overlaps stay distinct; clicks cycle; recolour and delete undo', async ({ page, gloss }) => {
  const imported = await gloss.api('importArticle', {
    format: 'html',
    title: 'Formatted',
    content:
      '<html><head><title>Formatted</title></head><body><article>' +
      '<p>Alpha <em>beta</em> <a href="https://example.com/g">gamma</a> delta epsilon zeta eta theta iota.</p>' +
      '<p>Second <strong>paragraph</strong> carries on here with more words to read.</p>' +
      '<p>A third paragraph closes the piece with a final sentence of its own.</p>' +
      '</article></body></html>',
  });
  await openArticle(page, gloss, imported.id);
  const text = (await article(gloss, imported.id)).text;

  // One passage from inside <em>, through a link, across a paragraph break, into <strong>.
  await selectText(page, 'beta gamma delta epsilon zeta eta theta iota.Second paragraph');
  await page.keyboard.press('h');
  const across = 'beta gamma delta epsilon zeta eta theta iota.\n\nSecond paragraph';
  await expect.poll(async () => (await article(gloss, imported.id)).highlights.map((h) => h.quote)).toEqual([across]);
  const outer = (await article(gloss, imported.id)).highlights[0];
  expect(text.slice(outer.start, outer.end)).toBe(across);
  // Painted as one Range spanning both paragraphs (Range text has no paragraph break).
  await expect.poll(() => paintedQuotes(page)).toMatchObject({ yellow: ['beta gamma delta epsilon zeta eta theta iota.Second paragraph'] });

  // A nested highlight and one overlapping the outer's end: each keeps its own colour where they meet.
  const d = text.indexOf('delta epsilon');
  const nested = await gloss.api('addHighlight', imported.id, { start: d, end: d + 'delta epsilon'.length, color: 'green' });
  const p = text.indexOf('paragraph carries');
  const tail = await gloss.api('addHighlight', imported.id, { start: p, end: p + 'paragraph carries'.length, color: 'blue' });
  await expect.poll(() => layerText(page, 'gloss-nested-green')).toEqual(['delta epsilon']);
  await expect.poll(() => layerText(page, 'gloss-nested-blue')).toEqual(['paragraph']);
  expect((await layerText(page, 'gloss-overlap')).sort()).toEqual(['delta epsilon', 'paragraph']);

  // Clicking the nested words picks the innermost; clicking the same spot again cycles to the one around it.
  const clickWord = async (word: string) => {
    const point = await page.evaluate((w) => {
      const root = document.querySelector('article.reader-article')!;
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const at = (n as Text).data.indexOf(w);
        if (at < 0) continue;
        const r = document.createRange();
        r.setStart(n, at + 1);
        r.setEnd(n, at + 2);
        const box = r.getBoundingClientRect();
        return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
      }
      throw new Error(`no ${w}`);
    }, word);
    await page.mouse.click(point.x, point.y);
  };
  await clickWord('epsilon');
  await expect(card(page, /^delta epsilon/)).toBeFocused();
  const editor = page.getByRole('toolbar', { name: 'Edit highlight' });
  await expect(editor.getByRole('button', { name: 'Recolour green' })).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => layerText(page, 'gloss-focus')).toEqual(['delta epsilon']);
  await clickWord('epsilon');
  await expect(card(page, /^beta gamma/)).toBeFocused();
  await expect(editor.getByRole('button', { name: 'Recolour yellow' })).toHaveAttribute('aria-pressed', 'true');

  // Recolour the outer one; Ctrl+Z puts its colour back (through the notebook).
  await editor.getByRole('button', { name: 'Recolour purple' }).click();
  await expect.poll(async () => (await article(gloss, imported.id)).highlights.find((h) => h.id === outer.id)?.color).toBe('purple');
  await expect.poll(async () => (await paintedQuotes(page)).purple).toHaveLength(1);
  await page.keyboard.press('Control+z');
  await expect.poll(async () => (await article(gloss, imported.id)).highlights.find((h) => h.id === outer.id)?.color).toBe('yellow');
  await expect.poll(async () => (await paintedQuotes(page)).purple).toEqual([]);

  // Delete the nested one from its editor; the toast's Undo brings it back, same id, on disk and on screen.
  await clickWord('epsilon');
  await expect(editor.getByRole('button', { name: 'Recolour green' })).toHaveAttribute('aria-pressed', 'true');
  await editor.getByRole('button', { name: 'Delete highlight' }).click();
  await expect(editor).toBeHidden();
  await expect.poll(async () => (await article(gloss, imported.id)).highlights.map((h) => h.id).sort()).toEqual([outer.id, tail.id].sort());
  await expect.poll(() => layerText(page, 'gloss-nested-green')).toEqual([]);
  const toast = page.getByRole('status').filter({ hasText: 'Highlight deleted.' });
  await toast.getByRole('button', { name: 'Undo' }).click();
  await expect.poll(async () => (await article(gloss, imported.id)).highlights.map((h) => h.id)).toContain(nested.id);
  await expect.poll(() => layerText(page, 'gloss-nested-green')).toEqual(['delta epsilon']);
  await expect(card(page, /^delta epsilon/)).toBeVisible();
});

test('reader and panel follow each other, and a changed text lists what it lost as orphans with their notes', async ({ page, gloss }) => {
  const paragraphs = Array.from({ length: 120 }, (_, i) => `Paragraph ${i + 1} talks about whales, ships and the sea at some length, number ${i + 1}.`);
  paragraphs[100] = 'The harpooneer Queequeg stood at the bow with his weapon ready and waited for the whale to rise.';
  const imported = await gloss.api('importArticle', { format: 'text', title: 'Long', content: paragraphs.join('\n\n') });
  const { text } = await article(gloss, imported.id);
  const span = (quote: string) => ({ start: text.indexOf(quote), end: text.indexOf(quote) + quote.length });
  const far = await gloss.api('addHighlight', imported.id, { ...span('Queequeg stood at the bow'), color: 'blue', note: 'the harpooneer' });
  const near = await gloss.api('addHighlight', imported.id, { ...span('Paragraph 2 talks'), note: 'opening' });

  await openArticle(page, gloss, imported.id);
  const pane = page.locator('.reader-pane');
  // Where the passage is (by its paragraph: a highlight far off screen is not registered in CSS.highlights).
  const inPane = () =>
    page.evaluate(() => {
      const paragraph = [...document.querySelectorAll('article.reader-article p')].find((p) => p.textContent!.includes('Queequeg stood'))!;
      const r = paragraph.getBoundingClientRect();
      const box = document.querySelector('.reader-pane')!.getBoundingClientRect();
      return r.top >= box.top && r.bottom <= box.bottom;
    });
  expect(await inPane()).toBe(false);

  // Hovering a card emphasises its passage; "Show in text" scrolls to it.
  await card(page, 'Queequeg').hover();
  await expect.poll(() => layerText(page, 'gloss-focus')).toEqual(['Queequeg stood at the bow']);
  await card(page, 'Queequeg').getByRole('button', { name: 'Show in text' }).click();
  await expect.poll(inPane).toBe(true);
  expect(await pane.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
  await expect.poll(() => layerText(page, 'gloss-blue')).toEqual(['Queequeg stood at the bow']);

  // "Show in text" scrolls smoothly: let the scroll come to rest before aiming a click at the passage.
  await expect
    .poll(() => pane.evaluate((el) => new Promise((resolve) => {
      const before = el.scrollTop;
      requestAnimationFrame(() => requestAnimationFrame(() => resolve(el.scrollTop === before)));
    })))
    .toBe(true);

  // Clicking a passage in the text brings its card into view and focuses it.
  await card(page, 'Paragraph 2 talks').hover();
  await expect.poll(() => layerText(page, 'gloss-focus')).toEqual(['Paragraph 2 talks']);
  const box = await page.evaluate(() => {
    const range = [...CSS.highlights.get('gloss-blue')!][0] as Range;
    const r = range.getClientRects()[0];
    return { x: r.left + 10, y: r.top + r.height / 2 };
  });
  await page.mouse.click(box.x, box.y);
  await expect(card(page, 'Queequeg')).toBeFocused();
  await expect(card(page, 'Queequeg')).toBeInViewport();

  // The text changes under the highlights: one passage survives, edited around; the other is gone.
  const edited = paragraphs.map((p, i) => (i === 100 ? 'This paragraph was rewritten entirely and mentions nothing from before.' : i === 0 ? `${p} An added sentence.` : p));
  const result = await gloss.api('replaceArticleText', imported.id, { format: 'text', content: edited.join('\n\n') });
  expect(result).toEqual({ anchored: 1, orphaned: 1 });
  const after = await article(gloss, imported.id);
  expect(after.highlights.find((h) => h.id === far.id)).toMatchObject({ orphaned: true, quote: 'Queequeg stood at the bow', note: 'the harpooneer' });
  const moved = after.highlights.find((h) => h.id === near.id)!;
  expect(after.text.slice(moved.start, moved.end)).toBe('Paragraph 2 talks');

  // The open reader follows (article-changed event): the orphan is listed with its quote and note, never painted.
  const orphan = card(page, 'Queequeg');
  await expect(orphan).toContainText('orphaned');
  await expect(orphan).toContainText('the harpooneer');
  await expect(orphan.getByRole('button', { name: 'Show in text' })).toHaveCount(0);
  await expect(reader(page)).toHaveAttribute('data-painted-highlights', '1');
  await pane.evaluate((el) => el.scrollTo(0, 0)); // the surviving passage is near the top
  await expect.poll(() => paintedQuotes(page)).toMatchObject({ yellow: ['Paragraph 2 talks'], blue: [] });
});

test('right-to-left and mixed text: keyboard selection by grapheme, UTF-16 offsets, whole surrogate pairs, paragraph direction', async ({ page, gloss }) => {
  const persian = 'ایران هرگز کشتن سردار سلیمانی را فراموش نخواهد کرد، رهبر ایران گفت.';
  const arabic = 'قال المرشد الأعلى إن إيران لن تنسى أبداً.';
  const mixed = 'Emoji 👍🏽 and café with cafe\u0301 and 👨‍👩‍👧 in one line, then سلام دنیا at the end.';
  const imported = await gloss.api('importArticle', {
    format: 'text',
    content: ['Mixed scripts', persian, arabic, mixed].join('\n\n'),
  });
  await openArticle(page, gloss, imported.id);
  const { text } = await article(gloss, imported.id);

  // Each paragraph takes its own direction.
  const directions = await reader(page).locator('p').evaluateAll((ps) => ps.map((p) => getComputedStyle(p).direction));
  expect(directions).toEqual(['rtl', 'rtl', 'ltr']);

  // Keyboard: from the start of the Persian paragraph, Shift+Ctrl+Left (visual left = forward in RTL) takes two words.
  await reader(page).focus();
  await page.evaluate(() => {
    const first = document.querySelector('article.reader-article p')!.firstChild!;
    document.getSelection()!.collapse(first, 0);
  });
  await page.keyboard.press('Control+Shift+ArrowLeft');
  await page.keyboard.press('Control+Shift+ArrowLeft');
  expect((await page.evaluate(() => document.getSelection()!.toString())).trim()).toBe('ایران هرگز');
  await page.keyboard.press('h');
  await expect.poll(async () => (await article(gloss, imported.id)).highlights.map((h) => h.quote)).toEqual(['ایران هرگز']);
  await expect.poll(() => paintedQuotes(page)).toMatchObject({ yellow: ['ایران هرگز'] });

  // Shift+Right by one step over a combining sequence takes the whole grapheme (two UTF-16 units).
  await reader(page).focus();
  await page.evaluate(() => {
    const p = document.querySelectorAll('article.reader-article p')[2].firstChild as Text;
    document.getSelection()!.collapse(p, p.data.indexOf('cafe\u0301') + 3);
  });
  await page.keyboard.press('Shift+ArrowRight');
  expect(await page.evaluate(() => document.getSelection()!.toString())).toBe('e\u0301');
  await page.keyboard.press('3');
  const accent = text.indexOf('cafe\u0301') + 3;
  await expect.poll(async () => (await article(gloss, imported.id)).highlights.find((h) => h.color === 'blue')).toMatchObject({ start: accent, end: accent + 2 });

  // A selection that starts and ends inside surrogate pairs is widened to whole code points: offsets are UTF-16.
  await reader(page).focus();
  await page.evaluate(() => {
    const p = document.querySelectorAll('article.reader-article p')[2].firstChild as Text;
    const thumb = p.data.indexOf('👍');
    const family = p.data.indexOf('👨');
    const r = document.createRange();
    r.setStart(p, thumb + 1); // between the two halves of 👍
    r.setEnd(p, family + 1); // between the two halves of 👨
    document.getSelection()!.removeAllRanges();
    document.getSelection()!.addRange(r);
  });
  await page.keyboard.press('5');
  const thumb = text.indexOf('👍');
  await expect.poll(async () => (await article(gloss, imported.id)).highlights.find((h) => h.color === 'purple')).toMatchObject({
    start: thumb,
    end: text.indexOf('👨') + 2,
    quote: text.slice(thumb, text.indexOf('👨') + 2),
  });
  await expect.poll(async () => (await paintedQuotes(page)).purple).toEqual([text.slice(thumb, text.indexOf('👨') + 2)]);

  // The Arabic paragraph by mouse-like selection, painted where it was selected after a reload.
  await selectText(page, 'إيران لن تنسى');
  await page.keyboard.press('2');
  await expect.poll(async () => (await article(gloss, imported.id)).highlights.map((h) => h.quote)).toContain('إيران لن تنسى');
  await page.reload();
  await expect.poll(async () => (await paintedQuotes(page)).green).toEqual(['إيران لن تنسى']);
  for (const h of (await article(gloss, imported.id)).highlights) expect(text.slice(h.start, h.end)).toBe(h.quote);
});
