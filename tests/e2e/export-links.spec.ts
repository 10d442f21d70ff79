/**
 * Links back from an export (issue 16): browser mode's http fallback for a highlight's gloss:// link opens the
 * article at the highlight with its card focused; an unknown place is a clear 404. Real server, real Chromium.
 */
import { expect, test } from './fixtures';

const paragraphs = Array.from({ length: 60 }, (_, i) => `Paragraph ${i + 1} of a long article, long enough that the last ones start far below the first screen of the reader.`);

test('the http fallback of a gloss:// link opens the article scrolled to the highlight, its card focused', async ({ page, gloss }) => {
  const made = await gloss.api('importArticle', { format: 'text', content: paragraphs.join('\n\n'), title: 'Deep link target', source: 'https://example.com/long' });
  const { text } = await gloss.api('getArticle', made.id);
  const quote = 'Paragraph 57 of a long article';
  const start = text.indexOf(quote);
  const highlight = await gloss.api('addHighlight', made.id, { start, end: start + quote.length, note: 'far down' });

  // The export carries the link; browser mode serves the same place over http.
  const markdown = await gloss.api('exportMarkdown', { articleIds: [made.id] });
  const link = /\[Open in Gloss\]\((gloss:\/\/open\/[^)]+)\)/.exec(markdown)![1];
  expect(link).toBe(`gloss://open/${made.id}?highlight=${highlight.id}`);
  const fallback = link.replace('gloss://open/', `${gloss.origin}/open/`);

  await page.goto(gloss.url); // this tab holds the token, as the tab the user keeps Gloss in does
  await expect(page.getByRole('heading', { name: 'Library' })).toBeVisible();
  await page.goto(fallback);
  await expect(page).toHaveURL(`${gloss.origin}/#/article/${made.id}/highlight/${highlight.id}`);
  const card = page.getByRole('complementary', { name: 'Notes' }).getByRole('listitem', { name: `Highlight: ${quote}` });
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
    .toEqual({ text: quote, inView: true });

  const bad = await page.request.get(`${gloss.origin}/open/not%22an-id?highlight=x`);
  expect(bad.status()).toBe(404);
  expect((await bad.json()).error.message).toMatch(/Not a place in Gloss/);
});
