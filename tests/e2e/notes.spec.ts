/**
 * The notes panel, tags, search, undo and sync (issue 4), by keyboard and accessible names, against a real browser-mode
 * server per test. What is asserted is what a user sees (roles, names, painted highlights) and what is on disk (API).
 */
import type { Page } from '@playwright/test';
import { test, expect, selectText, paintedQuotes, type GlossServer } from './fixtures';

const QUOTE = 'Soleimani, who headed the Quds Force';
const MOD = process.platform === 'darwin' ? 'Meta' : 'Control';

type Gloss = GlossServer;

/**
 * Highlights QUOTE through the API (not the keyboard) where a test is about something else: this keeps those tests
 * independent of the optimistic-paint path, which the check test and skeleton.spec.ts exercise.
 */
async function highlightQuoteViaApi(gloss: Gloss, quote = QUOTE) {
  const [sample] = await gloss.api('listArticles');
  const text = (await gloss.api('getArticle', sample.id)).text;
  const start = text.indexOf(quote);
  return gloss.api('addHighlight', sample.id, { start, end: start + quote.length });
}

async function openSample(page: Page, gloss: Gloss) {
  const [sample] = await gloss.api('listArticles');
  await page.goto(`${gloss.url}#/article/${sample.id}`);
  await expect(page.locator('article.reader-article')).toContainText(QUOTE);
  return sample.id;
}

test('the check: highlight with h, write a note and a tag by keyboard; both are on disk and survive a reload', async ({ page, gloss }) => {
  const articleId = await openSample(page, gloss);
  await selectText(page, QUOTE);
  await page.keyboard.press('h');

  const notes = page.getByRole('complementary', { name: 'Notes' });
  const card = notes.getByRole('listitem', { name: `Highlight: ${QUOTE}` });
  await expect(card).toBeVisible();
  // The reader keeps focus (Shift+Arrows could go on selecting); n goes to the new card, where Enter edits its note.
  await expect(page.locator('article.reader-article')).toBeFocused();
  await page.keyboard.press('n');
  await expect(card).toBeFocused();
  await page.keyboard.press('Enter');
  const note = card.getByRole('textbox', { name: 'Note' });
  await expect(note).toBeFocused();
  await page.keyboard.type('Killed in a **drone** strike; see [the report](https://example.org/report).');

  const addTag = card.getByRole('combobox', { name: 'Add tag' });
  await addTag.focus(); // leaving the note flushes it
  await page.keyboard.type('  Retaliation ');
  await page.keyboard.press('Enter');
  await page.keyboard.type('retaliation'); // the same tag in another case is not added twice
  await page.keyboard.press('Enter');
  await page.keyboard.type('Middle East ✈');
  await page.keyboard.press('Enter');
  await expect(card.getByRole('list', { name: 'Tags' }).getByRole('listitem')).toHaveText(['Retaliation×', 'Middle East ✈×']);
  await page.keyboard.press('Backspace'); // Backspace on the empty field removes the last tag
  await expect(card.getByRole('list', { name: 'Tags' }).getByRole('listitem')).toHaveText(['Retaliation×']);

  await expect
    .poll(async () => (await gloss.api('getArticle', articleId)).highlights.map((h) => ({ quote: h.quote, note: h.note, tags: h.tags })))
    .toEqual([{ quote: QUOTE, note: 'Killed in a **drone** strike; see [the report](https://example.org/report).', tags: ['Retaliation'] }]);

  await page.reload();
  const reloaded = notes.getByRole('listitem', { name: `Highlight: ${QUOTE}` });
  await expect(reloaded.getByRole('list', { name: 'Tags' })).toHaveText(/Retaliation/);
  // The note is shown rendered (CommonMark), its link opening outside Gloss.
  await expect(reloaded.locator('.note-rendered strong')).toHaveText('drone');
  const link = reloaded.getByRole('link', { name: 'the report' });
  await expect(link).toHaveAttribute('href', 'https://example.org/report');
  await expect(link).toHaveAttribute('target', '_blank');
  await expect.poll(() => paintedQuotes(page)).toMatchObject({ yellow: [QUOTE] });
});

test('a tag typed with # is stored without it; an invisible control character is refused in words beside the field', async ({ page, gloss }) => {
  const articleId = await openSample(page, gloss);
  await highlightQuoteViaApi(gloss);
  const card = page.getByRole('complementary', { name: 'Notes' }).getByRole('listitem', { name: `Highlight: ${QUOTE}` });
  const addTag = card.getByRole('combobox', { name: 'Add tag' });
  await addTag.focus();
  await page.keyboard.type('#econ/trade');
  await page.keyboard.press('Enter');
  const chips = card.getByRole('list', { name: 'Tags' }).getByRole('listitem');
  await expect(chips).toHaveText(['econ/trade×']);
  await expect.poll(async () => (await gloss.api('getArticle', articleId)).highlights[0].tags).toEqual(['econ/trade']);

  // A right-to-left override would flip how the tag reads: refused, named, and the draft is kept to fix.
  await page.keyboard.type('ab\u202E');
  await page.keyboard.press('Enter');
  await expect(card.getByRole('status')).toHaveText('Tag "ab" contains an invisible control character (U+202E RIGHT-TO-LEFT OVERRIDE); remove it.');
  await expect(addTag).toHaveValue('ab\u202E');
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Enter');
  await expect(chips).toHaveText(['econ/trade×', 'ab×']);
  await expect.poll(async () => (await gloss.api('getArticle', articleId)).highlights[0].tags).toEqual(['econ/trade', 'ab']);
});

test('a note typed just before the page closes is on disk; an article note too', async ({ page, gloss }) => {
  const articleId = await openSample(page, gloss);
  const [h] = await Promise.all([
    (async () => {
      const text = (await gloss.api('getArticle', articleId)).text;
      const start = text.indexOf(QUOTE);
      return gloss.api('addHighlight', articleId, { start, end: start + QUOTE.length });
    })(),
  ]);
  const notes = page.getByRole('complementary', { name: 'Notes' });
  const note = notes.getByRole('textbox', { name: 'Note' });
  await expect(note).toBeVisible();
  await note.focus();
  await page.keyboard.type('Typed a moment before closing');
  await notes.getByRole('button', { name: 'Write a note on the whole article' }).focus();
  await page.keyboard.press('Enter');
  await page.keyboard.type('Whole-article thoughts');
  // No blur, no debounce: the page goes away at once.
  await page.close({ runBeforeUnload: true });
  await expect.poll(async () => (await gloss.api('getArticle', articleId)).highlights.find((x) => x.id === h.id)?.note).toBe('Typed a moment before closing');
  await expect.poll(async () => (await gloss.api('getArticle', articleId)).note).toBe('Whole-article thoughts');
});

test('two tabs stay in sync within 500 ms, and a stale tab never overwrites a newer note', async ({ page, gloss }) => {
  const articleId = await openSample(page, gloss);
  const other = await page.context().newPage();
  await other.goto(`${gloss.url}#/article/${articleId}`);
  await expect(other.locator('article.reader-article')).toContainText(QUOTE);

  // A highlights; B shows the card and the paint.
  await selectText(page, QUOTE);
  await page.keyboard.press('h');
  const cardA = page.getByRole('complementary', { name: 'Notes' }).getByRole('listitem', { name: `Highlight: ${QUOTE}` });
  const cardB = other.getByRole('complementary', { name: 'Notes' }).getByRole('listitem', { name: `Highlight: ${QUOTE}` });
  await expect(cardB).toBeVisible();
  await expect.poll(() => paintedQuotes(other)).toMatchObject({ yellow: [QUOTE] });

  // A writes a note and a tag; once they are on disk, B shows them within 500 ms.
  await cardA.getByRole('textbox', { name: 'Note' }).focus();
  await page.keyboard.type('First thoughts');
  await cardA.getByRole('combobox', { name: 'Add tag' }).focus();
  await page.keyboard.type('evidence');
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await gloss.api('getArticle', articleId)).highlights[0]).toMatchObject({ note: 'First thoughts', tags: ['evidence'] });
  await expect(cardB.getByText('First thoughts')).toBeVisible({ timeout: 500 });
  await expect(cardB.getByRole('list', { name: 'Tags' })).toHaveText(/evidence/, { timeout: 500 });
  // The tag completes in B's tag input now (combobox with a listbox of suggestions).
  const addTagB = cardB.getByRole('combobox', { name: 'Add tag' });
  await addTagB.focus();
  await other.keyboard.type('ev');
  await expect(addTagB).toHaveAttribute('aria-expanded', 'false'); // already on this highlight: not suggested
  await other.keyboard.press('Escape');
  await other.keyboard.press('Escape');

  // B starts editing; before B's autosave fires, A's newer note lands. B must not overwrite it, nor drop its own text.
  await cardB.getByRole('button', { name: 'Edit note' }).click();
  const noteB = cardB.getByRole('textbox', { name: 'Note' });
  await expect(noteB).toBeFocused();
  await other.keyboard.press('End');
  await other.keyboard.type(' + B');
  const [stored] = (await gloss.api('getArticle', articleId)).highlights;
  await gloss.api('updateHighlight', stored.id, { note: 'A rewrote this', ifUpdatedAt: stored.updatedAt });
  const alert = cardB.getByRole('alert');
  await expect(alert).toContainText('changed in another window');
  await expect(alert).toContainText('A rewrote this');
  await expect(noteB).toHaveValue('First thoughts + B');
  await other.waitForTimeout(800); // longer than the autosave delay: nothing may be written meanwhile
  expect((await gloss.api('getArticle', articleId)).highlights[0].note).toBe('A rewrote this');
  await alert.getByRole('button', { name: 'Keep my version' }).click();
  await expect.poll(async () => (await gloss.api('getArticle', articleId)).highlights[0].note).toBe('First thoughts + B');
  await expect(cardA.getByText('First thoughts + B')).toBeVisible({ timeout: 500 });
});

test('undo and redo recolouring, tags and a burst of note typing, by keyboard, through the API', async ({ page, gloss }) => {
  await highlightQuoteViaApi(gloss);
  const articleId = await openSample(page, gloss);
  const stored = async () => (await gloss.api('getArticle', articleId)).highlights[0];
  const card = page.getByRole('complementary', { name: 'Notes' }).getByRole('listitem', { name: `Highlight: ${QUOTE}` });
  await page.locator('article.reader-article').focus();
  await page.keyboard.press('n'); // to the notes panel
  await expect(card).toBeFocused();

  await page.keyboard.press('2'); // recolour from the card
  await expect.poll(async () => (await stored()).color).toBe('green');
  await expect.poll(() => paintedQuotes(page)).toMatchObject({ green: [QUOTE] });

  await page.keyboard.press('t');
  await expect(card.getByRole('combobox', { name: 'Add tag' })).toBeFocused();
  await page.keyboard.type('method');
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await stored()).tags).toEqual(['method']);
  await page.keyboard.press('Escape'); // back to the card

  await expect(card).toBeFocused();
  await page.keyboard.press('Enter');
  await page.keyboard.type('one ');
  await page.waitForTimeout(500); // past the autosave delay: several saves, one editing burst
  await page.keyboard.type('burst');
  await page.keyboard.press('Escape');
  await expect(card).toBeFocused();
  await expect.poll(async () => (await stored()).note).toBe('one burst');

  await page.keyboard.press(`${MOD}+z`); // the whole burst
  await expect.poll(async () => (await stored()).note).toBe('');
  await page.keyboard.press(`${MOD}+z`);
  await expect.poll(async () => (await stored()).tags).toEqual([]);
  await page.keyboard.press(`${MOD}+z`);
  await expect.poll(async () => (await stored()).color).toBe('yellow');
  await expect.poll(() => paintedQuotes(page)).toMatchObject({ yellow: [QUOTE], green: [] });
  await page.keyboard.press(`Shift+${MOD}+z`);
  await page.keyboard.press(`Shift+${MOD}+z`);
  await page.keyboard.press(`Shift+${MOD}+z`);
  await expect.poll(async () => stored()).toMatchObject({ color: 'green', tags: ['method'], note: 'one burst' });
  await expect(card.getByText('one burst')).toBeVisible();
});

test('find in the article marks every match, moves with Enter, keeps highlights painted, and Escape clears', async ({ page, gloss }) => {
  await highlightQuoteViaApi(gloss);
  const articleId = await openSample(page, gloss);
  const text = (await gloss.api('getArticle', articleId)).text;
  const expected = text.match(/soleimani/gi)!.length;
  expect(expected).toBeGreaterThan(2);
  await expect.poll(() => paintedQuotes(page)).toMatchObject({ yellow: [QUOTE] });

  await page.locator('article.reader-article').focus();
  await page.keyboard.press(`${MOD}+f`);
  const box = page.getByRole('searchbox', { name: 'Find in article' });
  await expect(box).toBeFocused();
  await page.keyboard.type('soleimani');
  const status = page.getByRole('search', { name: 'Find in article' }).getByRole('status');
  await expect(status).toHaveText(`1 of ${expected}`);
  await expect(page.locator('article.reader-article mark.find-match')).toHaveCount(expected);
  await page.keyboard.press('Enter');
  await expect(status).toHaveText(`2 of ${expected}`);
  await page.keyboard.press('Shift+Enter');
  await page.keyboard.press('Shift+Enter');
  await expect(status).toHaveText(`${expected} of ${expected}`);
  await expect(page.locator('mark.find-current')).toHaveText(/soleimani/i);
  // The marks split text nodes; the reader rebuilt its text model, so the highlight is still painted, whole.
  await expect.poll(() => paintedQuotes(page)).toMatchObject({ yellow: [QUOTE] });
  await page.keyboard.press('Escape');
  await expect(page.locator('mark.find-match')).toHaveCount(0);
  await expect(box).toBeHidden();
  await expect.poll(() => paintedQuotes(page)).toMatchObject({ yellow: [QUOTE] });
});

test('the notebook view: filter every highlight by tag, search, rename/merge/delete tags, and deep links focus the passage', async ({ page, gloss }) => {
  const [sample] = await gloss.api('listArticles');
  const second = await gloss.api('importArticle', { format: 'text', content: 'Second piece\n\nOil prices rose after the strike on the tanker.\n\nAnalysts expected retaliation.' });
  const add = async (articleId: string, quote: string, tags: string[], note = '') => {
    const text = (await gloss.api('getArticle', articleId)).text;
    const start = text.indexOf(quote);
    return gloss.api('addHighlight', articleId, { start, end: start + quote.length, tags, note });
  };
  const last = 'Analysts expected retaliation.';
  await add(sample.id, QUOTE, ['retaliation']);
  await add(second.id, 'Oil prices rose', ['oil', 'revenge'], 'Check the **Brent** figures.');
  const target = await add(second.id, last, ['Retaliation']);

  await page.goto(`${gloss.url}#/notebook`);
  const highlights = page.getByRole('list', { name: 'Highlights in the notebook' });
  await expect(highlights.getByRole('listitem')).toHaveCount(3);
  await page.getByRole('group', { name: 'Filter highlights' }).getByRole('button', { name: '#retaliation' }).press('Enter');
  await expect(highlights.getByRole('listitem')).toHaveCount(2);
  await expect(highlights).not.toContainText('Oil prices');

  // Notebook-wide search over text, quotes and notes.
  await page.getByRole('group', { name: 'Filter highlights' }).getByRole('button', { name: 'Clear filters' }).press('Enter');
  await page.getByRole('searchbox', { name: 'Search the notebook' }).fill('brent');
  await expect(page.getByRole('list', { name: 'Search results' }).getByRole('listitem')).toHaveCount(1);
  await expect(page.getByRole('list', { name: 'Search results' })).toContainText('Note · Second piece');

  // Tags: merge "revenge" into "retaliation" (typed in another case: the existing spelling stays), delete "oil".
  const tags = page.getByRole('list', { name: 'All tags' });
  await tags.getByRole('button', { name: 'Rename tag revenge' }).press('Enter');
  const rename = tags.getByRole('textbox', { name: 'New name for tag revenge' });
  await expect(rename).toBeFocused();
  await rename.fill('RETALIATION');
  await rename.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Merged “revenge” into “retaliation”' })).toBeVisible();
  await expect.poll(() => gloss.api('listTags')).toEqual([
    { name: 'oil', count: 1 },
    { name: 'retaliation', count: 3 },
  ]);
  await tags.getByRole('button', { name: 'Delete tag oil' }).press('Enter');
  await expect.poll(() => gloss.api('listTags')).toEqual([{ name: 'retaliation', count: 3 }]);
  await page.keyboard.press(`${MOD}+z`); // undo the deletion
  await expect.poll(() => gloss.api('listTags')).toEqual([{ name: 'oil', count: 1 }, { name: 'retaliation', count: 3 }]);

  // A highlight's link opens its article with the passage focused and in view.
  await highlights.getByRole('listitem').filter({ hasText: last }).getByRole('link', { name: 'Second piece' }).press('Enter');
  await expect(page).toHaveURL(new RegExp(`#/article/${second.id}/highlight/${target.id}$`));
  const card = page.getByRole('complementary', { name: 'Notes' }).getByRole('listitem', { name: `Highlight: ${last}` });
  await expect(card).toBeFocused();
  await expect
    .poll(() =>
      page.evaluate(() => {
        const range = [...(CSS.highlights.get('gloss-focus') ?? [])][0] as Range | undefined;
        if (!range) return null;
        const r = range.getBoundingClientRect();
        return { text: range.toString(), inView: r.top >= 0 && r.bottom <= window.innerHeight };
      }),
    )
    .toEqual({ text: last, inView: true });
});

test('keyboard: ? lists the shortcuts and gives focus back; n jumps to the notes, Escape back to the reader; / filters', async ({ page, gloss }) => {
  const articleId = await openSample(page, gloss);
  const text = (await gloss.api('getArticle', articleId)).text;
  for (const q of [QUOTE, 'ballistic missile strike']) {
    const start = text.indexOf(q);
    await gloss.api('addHighlight', articleId, { start, end: start + q.length, tags: q === QUOTE ? ['people'] : [] });
  }
  // Made through the API: they reach the page as events. Wait for both cards before driving the keyboard.
  await expect(page.getByRole('complementary', { name: 'Notes' }).getByRole('listitem', { name: /^Highlight:/ })).toHaveCount(2);
  const reader = page.locator('article.reader-article');
  await reader.focus();
  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Find in the article');
  await expect(dialog).toContainText('Edit the note');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(reader).toBeFocused();

  const notes = page.getByRole('complementary', { name: 'Notes' });
  await page.keyboard.press('n');
  const first = notes.getByRole('listitem', { name: `Highlight: ${QUOTE}` });
  await expect(first).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(notes.getByRole('listitem', { name: 'Highlight: ballistic missile strike' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(reader).toBeFocused();

  await page.keyboard.press('/');
  await expect(notes.getByRole('searchbox', { name: 'Filter notes: text' })).toBeFocused();
  await page.keyboard.type('missile');
  await expect(notes.getByRole('listitem', { name: /^Highlight:/ })).toHaveCount(1);
  await page.keyboard.press('Escape');
  await notes.getByRole('group', { name: 'Tags' }).getByRole('button', { name: '#people' }).press('Enter');
  await expect(notes.getByRole('listitem', { name: /^Highlight:/ })).toHaveText([new RegExp(QUOTE)]);
});
