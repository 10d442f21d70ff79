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

test('Import → From a Gloss export: an exported file comes back into a fresh notebook, with its report', async ({ page, gloss }) => {
  // A notebook of its own makes the export; this test's (fresh) notebook imports it through the dialog.
  const { startGloss } = await import('./fixtures');
  const other = await startGloss();
  try {
    const made = await other.api('importArticle', { format: 'text', content: paragraphs.slice(0, 5).join('\n\n'), title: 'Round trip: C++ & co', source: 'https://example.com/rt' });
    const { text } = await other.api('getArticle', made.id);
    const quotes = ['Paragraph 2 of a long article', 'Paragraph 4 of a long article'];
    for (const [i, q] of quotes.entries()) {
      const start = text.indexOf(q);
      await other.api('addHighlight', made.id, { start, end: start + q.length, tags: ['C++', 'emoji 🐋'], note: `# note ${i}\n\n> quoted`, color: i ? 'pink' : 'green' });
    }
    const markdown = await other.api('exportMarkdown', { articleIds: [made.id], groupBy: 'tag' });

    await page.goto(gloss.url);
    await page.getByRole('button', { name: 'More' }).click();
    await page.getByRole('menuitem', { name: 'From a Gloss export…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import a Gloss Markdown export' });
    await expect(dialog).toBeVisible();
    await dialog.getByLabel('Exported Markdown file(s)').setInputFiles({ name: 'Round trip.md', mimeType: 'text/markdown', buffer: Buffer.from(markdown) });
    await dialog.getByRole('button', { name: 'Import' }).click();
    const report = dialog.getByRole('status', { name: 'Import report' });
    await expect(report).toContainText('2 highlights added, 0 passages kept without a place in the text, 0 already there.');
    await expect(report).toContainText('Round trip: C++ & co: made from the export, 2 highlights');
    if (process.env.GLOSS_SHOTS) {
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.screenshot({ path: `${process.env.GLOSS_SHOTS}/gloss-export-dialog-${scheme}.png` });
      }
      await page.emulateMedia({ colorScheme: 'light' });
    }

    const summaries = await gloss.api('listArticles');
    const copy = await gloss.api('getArticle', summaries.find((a) => a.title === 'Round trip: C++ & co')!.id);
    expect(copy.source).toBe('https://example.com/rt');
    expect(copy.highlights.map((h) => [h.quote, h.color, [...h.tags].sort(), h.note])).toEqual([
      [quotes[0], 'green', ['C++', 'emoji 🐋'], '# note 0\n\n> quoted'],
      [quotes[1], 'pink', ['C++', 'emoji 🐋'], '# note 1\n\n> quoted'],
    ]);
    // The report's link opens the article.
    await report.getByRole('link', { name: 'Round trip: C++ & co' }).click();
    await expect(page).toHaveURL(new RegExp(`#/article/${copy.id}$`));
  } finally {
    await other.stop();
  }
});

test('Chromium follows the export`s text fragment: the source page opens scrolled to the passage', async ({ page, gloss }) => {
  // The "original page", served to the browser at the article's source address (no network).
  const source = 'https://example.com/2017/long-read';
  const html = `<!doctype html><meta charset="utf-8"><title>Long read</title><body style="font:16px/1.5 serif">${paragraphs.map((p) => `<p>${p}</p>`).join('')}</body>`;
  await page.route(source, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
  const made = await gloss.api('importArticle', { format: 'text', content: paragraphs.join('\n\n'), title: 'Long read', source });
  const { text } = await gloss.api('getArticle', made.id);
  // Two passages: a short one given whole, and a long one given by its first and last words (textStart,textEnd).
  const short = 'Paragraph 52 of a long article';
  const long = paragraphs[55];
  for (const quote of [short, long]) {
    const start = text.indexOf(quote);
    await gloss.api('addHighlight', made.id, { start, end: start + quote.length });
  }
  const markdown = await gloss.api('exportMarkdown', { articleIds: [made.id] });
  const links = [...markdown.matchAll(/\[Open at the source\]\(([^)]+)\)/g)].map((m) => m[1]);
  expect(links).toHaveLength(2);
  expect(links[1]).toMatch(/#:~:text=[^,]+-,[^,]+,[^,]+,-[^,]+$/); // prefix-,start,end,-suffix
  for (const [i, link] of links.entries()) {
    await page.goto('about:blank');
    await page.goto(link);
    const wanted = i === 0 ? 'Paragraph 52 ' : 'Paragraph 56 ';
    await expect
      .poll(() =>
        page.evaluate((startText) => {
          const p = [...document.querySelectorAll('p')].find((el) => el.textContent!.startsWith(startText))!;
          const r = p.getBoundingClientRect();
          return window.scrollY > 0 && r.top >= 0 && r.bottom <= window.innerHeight;
        }, wanted),
      )
      .toBe(true);
  }
});
