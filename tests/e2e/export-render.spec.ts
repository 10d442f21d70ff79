/**
 * A Markdown export as a reader sees it: made by the real server, rendered by markdown-it in Chromium with what
 * Obsidian adds to CommonMark in its reading view (callouts, #tags, block ids hidden), checked, and with
 * UPDATE_SCREENSHOTS=1 saved as the README's picture (docs/screenshots/export-obsidian-light.png).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import MarkdownIt from 'markdown-it';
import { expect, repoRoot, test } from './fixtures';

test.use({ viewport: { width: 900, height: 1000 }, deviceScaleFactor: 1, locale: 'en-US', timezoneId: 'UTC' });

/** Obsidian's reading view, approximately: `> [!note]` becomes a callout box, `#tag` a pill, `^block-id` lines vanish. */
function obsidianLike(markdown: string): string {
  const md = new MarkdownIt('commonmark', { html: false });
  const body = markdown.replace(/^---\n[\s\S]*?\n---\n/, '');
  const yaml = /^---\n([\s\S]*?)\n---\n/.exec(markdown)?.[1] ?? '';
  let html = md.render(body);
  html = html.replace(/<p>\^gloss[\w-]*<\/p>\n/g, '');
  html = html.replace(/<blockquote>\n<p>\[!note\]<\/p>\n([\s\S]*?)<\/blockquote>/g, '<div class="callout"><div class="callout-title">✎ Note</div>$1</div>');
  html = html.replace(/(^|\s)#([\p{L}\p{N}\p{Extended_Pictographic}_/-]+)/gu, '$1<span class="tag">#$2</span>');
  const properties = yaml
    .split('\n')
    .map((l) => l.replace(/&/g, '&amp;').replace(/</g, '&lt;'))
    .join('\n');
  return `<!doctype html><meta charset="utf-8"><style>
    body { font: 16px/1.55 system-ui, sans-serif; max-width: 760px; margin: 24px auto; color: #222; }
    pre.properties { background: #f4f4f6; border-radius: 6px; padding: 8px 12px; font-size: 12.5px; color: #555; white-space: pre-wrap; }
    blockquote { border-left: 3px solid #7c5cff; margin: 0; padding: 2px 14px; color: #333; }
    .callout { background: #eef3ff; border-left: 3px solid #3b82f6; border-radius: 4px; padding: 4px 14px; margin: 8px 0 20px; }
    .callout-title { font-weight: 600; color: #2563eb; margin-top: 6px; }
    .tag { background: #efe9ff; color: #6d28d9; border-radius: 10px; padding: 0 7px; font-size: 14px; }
    a { color: #6d28d9; }
    h1 { font-size: 26px; } h2 { font-size: 20px; border-bottom: 1px solid #ddd; }
    p { margin: 8px 0; }
  </style><pre class="properties">${properties}</pre>${html}`;
}

test('an export renders as Obsidian shows it: title, quotes, callout notes, tags, links back', async ({ page, gloss }) => {
  await gloss.api('updateSettings', { colorLabels: { pink: 'evidence', yellow: 'claim' } });
  const text = [
    'The United States will lift sanctions on Sudan, officials said on Friday.',
    'The decision follows months of talks between the two governments about humanitarian access and counter-terrorism cooperation.',
    'Critics say the move rewards a government accused of abuses in Darfur.',
  ].join('\n\n');
  const made = await gloss.api('importArticle', { format: 'text', content: text, title: 'United States to Lift Sudan Sanctions', source: 'https://example.com/2017/01/13/sudan-sanctions' });
  await gloss.api('updateArticleMeta', made.id, { byline: 'Jane Doe', publishedAt: '2017-01-13' });
  const add = async (quote: string, extra: object) => {
    const start = text.indexOf(quote);
    await gloss.api('addHighlight', made.id, { start, end: start + quote.length, ...extra });
  };
  await add('will lift sanctions on Sudan', { color: 'yellow', tags: ['US–Sudan', 'sanctions'], note: '# Why now?\n\nThe **timing**: days before the inauguration.\n\n> compare the 1997 order' });
  await add('months of talks between the two governments', { color: 'pink', tags: ['C++', 'human rights'] });
  await add('accused of abuses in Darfur', { color: 'pink', tags: ['100%'] });

  const markdown = await gloss.api('exportMarkdown', { articleIds: [made.id] });
  await page.setContent(obsidianLike(markdown));
  // One title: the note's "# Why now?" stays inside its callout.
  await expect(page.locator('body > h1')).toHaveText(['United States to Lift Sudan Sanctions']);
  await expect(page.locator('.callout h1')).toHaveText('Why now?');
  await expect(page.locator('body > blockquote')).toHaveText(['will lift sanctions on Sudan', 'months of talks between the two governments', 'accused of abuses in Darfur']);
  await expect(page.locator('.tag')).toHaveText(['#US__2013_Sudan', '#sanctions', '#C__2B___2B_', '#human_rights', '#100__25_']);
  const hrefs = await page.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  expect(hrefs.filter((h) => h?.startsWith('gloss://open/'))).toHaveLength(3);
  expect(hrefs.filter((h) => h?.startsWith('https://example.com/2017/01/13/sudan-sanctions#:~:text='))).toHaveLength(3);
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    await page.screenshot({ path: path.join(repoRoot, 'docs/screenshots/export-obsidian-light.png'), fullPage: true });
  }
  if (process.env.GLOSS_SAMPLE) writeFileSync(process.env.GLOSS_SAMPLE, markdown);
});
