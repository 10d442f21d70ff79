/**
 * The round trip of issue 16: a Gloss Markdown export (one file, or a folder export) imported into a fresh notebook
 * keeps every quote, note, tag name, colour and link; and onto an article already there, it re-anchors on its text.
 * Real notebooks in temp folders, the real worker for parsing, the export read back by the importer.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Article, ExportGroupBy, Highlight } from '../../electron/contract';
import { Notebook } from '../../electron/notebook/notebook';
import { parseTextDirective } from '../../electron/notebook/export/text-fragment';
import { parseMarkdownExport } from '../../electron/notebook/import/gloss-markdown';
import { CLI, runGloss } from '../support/cli';
import { NASTY_PASSAGES } from '../support/export-readback';
import { TempDirs } from '../support/temp-dirs';

const TAGS = ['C++', 'emoji 🐋', '100%', 'US–Sudan', 'US Sudan', 'a_b', 'a b', 'topic/sub'];
const NOTES = ['# heading in a note', '> quoted\n\nand `code`', '```\nunclosed fence', '<script>\nnever closed', '- a list\n\n  continued', 'plain'];
const SOURCE = 'https://example.com/news/sudan?id=1';

const temp = new TempDirs();
const tempDir = (prefix: string): Promise<string> => temp.make(prefix);
let from: Notebook;
let to: Notebook;

beforeEach(async () => {
  from = await Notebook.open(await tempDir('gloss-rt-from-'));
  to = await Notebook.open(await tempDir('gloss-rt-to-'));
  await from.updateSettings({ colorLabels: { pink: 'Key', green: 'Evidence' } });
});
afterEach(async () => {
  await from.close().catch(() => undefined);
  await to.close().catch(() => undefined);
  await temp.removeAll();
});

/** A web article with the hostile passages highlighted: tags, notes and colours all over. */
async function richArticle(nb: Notebook, title = 'Sanctions: "lifted" — #1', source = SOURCE): Promise<Article> {
  const summary = await nb.importArticle({ format: 'text', content: NASTY_PASSAGES.join('\n\n'), title, source });
  const { text } = await nb.getArticle(summary.id);
  const colors = ['yellow', 'green', 'blue', 'pink', 'purple'] as const;
  let cursor = 0; // each passage where it stands as its own paragraph ('---' is also inside the table line before it)
  for (const [i, passage] of NASTY_PASSAGES.entries()) {
    const start = text.indexOf(passage, cursor);
    cursor = start + passage.length;
    await nb.addHighlight(summary.id, {
      start,
      end: start + passage.length,
      tags: [TAGS[i % TAGS.length], TAGS[(i + 3) % TAGS.length]],
      note: NOTES[i % NOTES.length],
      color: colors[i % colors.length],
    });
  }
  await nb.setArticleNote(summary.id, '# The article note\n\n> with a quote');
  await nb.updateArticleMeta(summary.id, { byline: 'A. Writer', publishedAt: '2017-01-13' });
  return nb.getArticle(summary.id);
}

/** What a round trip must keep of a highlight. */
const essence = (h: Highlight) => ({ id: h.id, quote: h.quote, note: h.note, tags: [...h.tags].sort(), color: h.color, orphaned: h.orphaned === true });

describe('importMarkdownExport: round trip', () => {
  for (const groupBy of ['document', 'tag', 'color'] as ExportGroupBy[]) {
    it(`a single-file export (grouped by ${groupBy}) into a fresh notebook keeps quotes, notes, tags, colours and links`, async () => {
      const original = await richArticle(from);
      const markdown = await from.exportMarkdown({ articleIds: [original.id], groupBy });
      const result = await to.importMarkdownExport([{ name: 'export.md', content: markdown }]);
      expect(result).toMatchObject({ imported: original.highlights.length, orphaned: 0, skipped: 0 });
      expect(result.articles).toHaveLength(1);
      expect(result.articles[0].created).toBe(true);
      const copy = await to.getArticle(result.articles[0].id);
      expect(copy.title).toBe(original.title);
      expect(copy.source).toBe(original.source);
      expect(copy.byline).toBe('A. Writer');
      expect(copy.publishedAt).toBe('2017-01-13');
      expect(copy.note).toBe(original.note);
      // The citation key made at this first export is cited by each highlight (pandoc) and comes back with the article.
      const key = (await from.getArticle(original.id)).citekey!;
      expect(key).toMatch(/^writer2017sanctions$/);
      expect(markdown.match(new RegExp(`\\[@${key}\\]`, 'g'))?.length).toBeGreaterThanOrEqual(original.highlights.length);
      expect(copy.citekey).toBe(key);
      expect(copy.highlights.map(essence).sort((a, b) => (a.id < b.id ? -1 : 1))).toEqual(original.highlights.map(essence).sort((a, b) => (a.id < b.id ? -1 : 1)));
      // Links: the re-export of the copy carries the same gloss:// highlight ids and the same text fragments.
      const again = await to.exportMarkdown({ articleIds: [copy.id], groupBy });
      // The passage part of each text fragment (its context may differ: a text made from a grouped export has other
      // neighbours around a quote).
      const fragments = (s: string) =>
        [...s.matchAll(/\[Open at the source\]\(([^)]+)\)/g)].map((m) => {
          const d = parseTextDirective(m[1].split('#:~:')[1])!;
          return `${m[1].split('#')[0]} ${d.textStart},${d.textEnd ?? ''}`;
        });
      expect(fragments(again).sort()).toEqual(fragments(markdown).sort());
      const highlightLinks = (s: string) => [...s.matchAll(/gloss:\/\/open\/[^?]+\?highlight=([\w-]+)/g)].map((m) => m[1]);
      // The same links (in another order when grouped: the text made from a grouped export has its quotes in the
      // export's order, so document order within a group can differ).
      expect(highlightLinks(again).sort()).toEqual(highlightLinks(markdown).sort());
    });
  }

  it('a folder export (several articles, colliding titles) into a fresh notebook', async () => {
    const a = await richArticle(from, 'Same title');
    const b = await richArticle(from, 'Same title', 'https://example.org/other');
    const out = await tempDir('gloss-rt-folder-');
    await from.exportToFolder(out);
    const names = (await readdir(out)).filter((n) => n.endsWith('.md')).sort();
    expect(names).toEqual(['Same title (2).md', 'Same title.md']);
    const files = await Promise.all(names.map(async (name) => ({ name, content: await readFile(path.join(out, name), 'utf8') })));
    const result = await to.importMarkdownExport(files);
    expect(result.imported).toBe(a.highlights.length + b.highlights.length);
    const copies = await Promise.all(result.articles.map((r) => to.getArticle(r.id)));
    expect(copies.map((c) => c.source).sort()).toEqual([a.source, b.source].sort());
    for (const original of [a, b]) {
      const copy = copies.find((c) => c.source === original.source)!;
      expect(copy.highlights.map(essence).sort((x, y) => (x.id < y.id ? -1 : 1))).toEqual(original.highlights.map(essence).sort((x, y) => (x.id < y.id ? -1 : 1)));
    }
  });

  it('a multi-article single file keeps each article`s metadata and highlights', async () => {
    const a = await richArticle(from, 'First');
    const b = await richArticle(from, 'Second', 'https://example.org/second');
    const markdown = await from.exportMarkdown({ groupBy: 'tag' });
    const result = await to.importMarkdownExport([{ name: 'all.md', content: markdown }]);
    expect(result.articles.map((r) => r.title)).toEqual(['First', 'Second']);
    const second = await to.getArticle(result.articles[1].id);
    expect(second.source).toBe(b.source);
    expect(second.byline).toBe('A. Writer');
    expect(second.note).toBe(b.note);
    expect(result.imported).toBe(a.highlights.length + b.highlights.length);
  });

  it('onto an article already here with the same source: the quotes are re-anchored on its text', async () => {
    const original = await richArticle(from);
    const markdown = await from.exportMarkdown({ articleIds: [original.id] });
    // The same page, imported here on its own (another id), with a paragraph added at the top: offsets all moved.
    const here = await to.importArticle({ format: 'text', content: `A new first paragraph.\n\n${NASTY_PASSAGES.join('\n\n')}`, title: 'Again', source: SOURCE });
    const result = await to.importMarkdownExport([{ name: 'export.md', content: markdown }]);
    expect(result.articles).toEqual([expect.objectContaining({ id: here.id, created: false, imported: original.highlights.length, orphaned: 0 })]);
    const article = await to.getArticle(here.id);
    for (const h of article.highlights) expect(article.text.slice(h.start, h.end)).toBe(h.quote);
    // Importing the same export again adds nothing.
    const again = await to.importMarkdownExport([{ name: 'export.md', content: markdown }]);
    expect(again).toMatchObject({ imported: 0, skipped: original.highlights.length });
  });

  it('refuses a file that is not a Gloss export, naming it, and adds nothing', async () => {
    await expect(to.importMarkdownExport([{ name: 'notes.md', content: 'just some notes\n\n- a list' }])).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('notes.md'),
    });
    await expect(to.importMarkdownExport([{ name: 'bad.md', content: '---\ntitle: [unclosed\n---\n# T\n' }])).rejects.toMatchObject({ code: 'invalid_input' });
    expect((await to.listArticles()).filter((a) => a.title !== 'Iran will never forget')).toHaveLength(0);
  });

  it('the parser reads repeats (grouped by tag) once and the colour by name when the label is another word', () => {
    const md = [
      '# T',
      '## a',
      '> q',
      '^gloss-h1',
      'Key (pink) · #a #b · [Open in Gloss](gloss://open/A1?highlight=h1)',
      '> [!note]\n>\n> # n',
      '## b',
      '> q',
      '^gloss2-h1',
      'Key (pink) · #a #b · [Open in Gloss](gloss://open/A1?highlight=h1)',
      '> [!note]\n>\n> # n',
    ].join('\n\n');
    const [a] = parseMarkdownExport(md, 'x.md');
    expect(a.articleId).toBe('A1');
    expect(a.highlights).toEqual([expect.objectContaining({ id: 'h1', quote: 'q', note: '# n', tags: ['a', 'b'], color: 'pink', colorLabel: 'Key' })]);
  });
});

describe('gloss import --gloss-export (the built CLI)', () => {
  it('exports a folder with one notebook and imports it into a fresh one, keeping highlights; a bad file fails clearly', async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is not built: run electron-vite build`);
    const original = await richArticle(from);
    const out = await tempDir('gloss-rt-cli-');
    await from.exportToFolder(out);
    const work = await tempDir('gloss-rt-cli-work-');
    const fresh = path.join(work, 'fresh');
    const run = await runGloss(work, ['import', '--gloss-export', out, '--data-dir', fresh]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`made from the export: ${original.highlights.length} anchored, 0 orphaned`));
    const nb = await Notebook.open(fresh);
    try {
      const copy = (await nb.listArticles()).find((a) => a.title === original.title)!;
      const article = await nb.getArticle(copy.id);
      expect(article.highlights.map(essence).sort((x, y) => (x.id < y.id ? -1 : 1))).toEqual(original.highlights.map(essence).sort((x, y) => (x.id < y.id ? -1 : 1)));
    } finally {
      await nb.close();
    }
    await writeFile(path.join(work, 'plain.md'), 'no title here\n');
    const bad = await runGloss(work, ['import', '--gloss-export', path.join(work, 'plain.md'), '--data-dir', fresh]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/plain\.md.*not a Gloss Markdown export/);
  });
});
