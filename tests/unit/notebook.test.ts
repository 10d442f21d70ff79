/** The notebook core on real temporary folders: seed, durable highlights, validation, tags, concurrency. */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Notebook, ARTICLES_DIR } from '../../electron/notebook/notebook';
import { GlossError } from '../../electron/notebook/errors';
import { DurableJsonFile } from '../../electron/notebook/store/durable-file';

const SEED = path.resolve(__dirname, '../../resources/sample-article.txt');
const QUOTE = 'Soleimani, who headed the Quds Force';

let dir: string;
let notebook: Notebook;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gloss-core-'));
  notebook = await Notebook.open(dir, { seedArticlePath: SEED });
});

afterEach(async () => {
  await notebook.close();
  await rm(dir, { recursive: true, force: true });
});

async function sample() {
  const [summary] = await notebook.listArticles();
  return notebook.getArticle(summary.id);
}

describe('a new notebook', () => {
  it('holds the sample article, titled by its first line, without the site boilerplate', async () => {
    const articles = await notebook.listArticles();
    expect(articles).toHaveLength(1);
    const article = await sample();
    expect(article.title).toBe('Iran will never forget the US killing of slain general Qassem Soleimani: Khamenei');
    expect(article.text.startsWith('Iran will never forget the US killing of its top general')).toBe(true);
    expect(article.text).not.toMatch(/Google News|Read more:|Published: Updated:/);
    expect(article.text).not.toMatch(/\r|\n{3}/);
  });

  it('is seeded once: reopening does not add the sample again, even after it was deleted', async () => {
    const article = await sample();
    await notebook.deleteArticle(article.id);
    await notebook.close();
    notebook = await Notebook.open(dir, { seedArticlePath: SEED });
    expect(await notebook.listArticles()).toEqual([]);
  });
});

describe('highlights', () => {
  it('stores position, quote and context, and they are on disk when addHighlight resolves', async () => {
    const article = await sample();
    const start = article.text.indexOf(QUOTE);
    const h = await notebook.addHighlight(article.id, { start, end: start + QUOTE.length, tags: [' Quds ', 'quds', 'IRGC'] });
    expect(h).toMatchObject({ quote: QUOTE, color: 'yellow', tags: ['Quds', 'IRGC'], note: '' });
    expect(article.text.slice(start - h.prefix.length, start)).toBe(h.prefix);
    expect(h.prefix.length).toBeLessThanOrEqual(32);
    expect(article.text.slice(start + QUOTE.length).startsWith(h.suffix)).toBe(true);

    // Read the file directly (not through the open notebook): the write was acknowledged, so it is there.
    const onDisk = JSON.parse(await readFile(path.join(dir, ARTICLES_DIR, `${article.id}.json`), 'utf8'));
    expect(onDisk.schemaVersion).toBe(2);
    expect(onDisk.highlights.map((x: { quote: string }) => x.quote)).toEqual([QUOTE]);
    // The annotation file holds no text: that is the content file it names, written once, never rewritten.
    expect(onDisk.article.text).toBeUndefined();
    expect(onDisk.tombstones).toEqual([]);
    const content = JSON.parse(await readFile(path.join(dir, 'content', `${onDisk.contentId}.json`), 'utf8'));
    expect(content.text).toBe(article.text);
    expect(content.html).toBeUndefined(); // plain text: its HTML is made from the text when shown

    await notebook.close();
    notebook = await Notebook.open(dir, { seedArticlePath: SEED });
    const again = await notebook.getArticle(article.id);
    expect(again.highlights).toEqual([h]);
    expect((await notebook.listArticles())[0].highlightCount).toBe(1);
  });

  it('refuses bad ranges with a message naming the problem, and writes nothing', async () => {
    const article = await sample();
    const before = await readFile(path.join(dir, ARTICLES_DIR, `${article.id}.json`), 'utf8');
    await expect(notebook.addHighlight(article.id, { start: 5, end: 5 })).rejects.toThrow(GlossError);
    await expect(notebook.addHighlight(article.id, { start: 0, end: article.text.length + 10 })).rejects.toThrow(/past the end/);
    await expect(notebook.addHighlight('nope', { start: 0, end: 1 })).rejects.toMatchObject({ code: 'not_found' });
    expect(await readFile(path.join(dir, ARTICLES_DIR, `${article.id}.json`), 'utf8')).toBe(before);
  });

  it('updates colour, tags and note, refuses a stale ifUpdatedAt, and restores a deleted highlight as it was', async () => {
    const article = await sample();
    const h = await notebook.addHighlight(article.id, { start: 0, end: 4 });
    const updated = await notebook.updateHighlight(h.id, { color: 'blue', note: 'first *note*', tags: ['a', 'A', ' b '] });
    expect(updated).toMatchObject({ color: 'blue', note: 'first *note*', tags: ['a', 'b'] });
    expect(updated.updatedAt > h.updatedAt).toBe(true);
    await expect(notebook.updateHighlight(h.id, { note: 'stale', ifUpdatedAt: h.updatedAt })).rejects.toMatchObject({ code: 'conflict' });
    expect((await notebook.getArticle(article.id)).highlights[0].note).toBe('first *note*');

    const removed = await notebook.deleteHighlight(h.id);
    expect((await notebook.getArticle(article.id)).highlights).toEqual([]);
    await expect(notebook.updateHighlight(h.id, { note: 'x' })).rejects.toMatchObject({ code: 'not_found' });
    const restored = await notebook.restoreHighlight(removed);
    expect(restored).toEqual(removed);
    expect((await notebook.getArticle(article.id)).highlights).toEqual([removed]);
  });

  it('keeps every one of 200 concurrent writes', async () => {
    const article = await sample();
    const writes = Array.from({ length: 200 }, (_, i) => notebook.addHighlight(article.id, { start: i % 50, end: (i % 50) + 5, note: `n${i}` }));
    const saved = await Promise.all(writes);
    await notebook.close();
    notebook = await Notebook.open(dir);
    const notes = (await notebook.getArticle(article.id)).highlights.map((h) => h.note).sort();
    expect(notes).toEqual(saved.map((h) => h.note).sort());
    expect(notes).toHaveLength(200);
    // No temp files are left behind.
    expect((await readdir(path.join(dir, ARTICLES_DIR))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('the article note', () => {
  it('saves with a revision, and a save naming a stale revision is refused without touching the newer note', async () => {
    const article = await sample();
    const first = await notebook.setArticleNote(article.id, 'first');
    expect((await notebook.getArticle(article.id)).noteUpdatedAt).toBe(first.noteUpdatedAt);
    const second = await notebook.setArticleNote(article.id, 'second', { ifNoteUpdatedAt: first.noteUpdatedAt });
    expect(second.noteUpdatedAt > first.noteUpdatedAt).toBe(true);
    // Another window still holding the first revision:
    await expect(notebook.setArticleNote(article.id, 'stale', { ifNoteUpdatedAt: first.noteUpdatedAt })).rejects.toMatchObject({
      code: 'conflict',
    });
    expect((await notebook.getArticle(article.id)).note).toBe('second');
    // A note never saved before has the empty revision.
    const other = await notebook.importArticle({ format: 'text', content: 'Other\n\nBody text here.' });
    await expect(notebook.setArticleNote(other.id, 'x', { ifNoteUpdatedAt: '' })).resolves.toHaveProperty('noteUpdatedAt');
  });
});

describe('tags', () => {
  it('lists, renames (merging case-insensitively) and deletes tags across articles', async () => {
    const a = await sample();
    const b = await notebook.importArticle({ format: 'text', content: 'Second\n\nRetaliation was promised. Then it came.' });
    await notebook.addHighlight(a.id, { start: 0, end: 4, tags: ['retaliation', 'Iran'] });
    await notebook.addHighlight(b.id, { start: 0, end: 11, tags: ['Retaliation'] });
    await notebook.addHighlight(b.id, { start: 12, end: 20, tags: ['revenge', 'retaliation'] });
    expect(await notebook.listTags()).toEqual([
      { name: 'Iran', count: 1 },
      { name: 'retaliation', count: 3 },
      { name: 'revenge', count: 1 },
    ]);
    expect(await notebook.renameTag('revenge', 'Retaliation')).toBe(1);
    expect(await notebook.listTags()).toEqual([
      { name: 'Iran', count: 1 },
      { name: 'retaliation', count: 3 },
    ]);
    expect(await notebook.deleteTag('RETALIATION')).toBe(3);
    expect(await notebook.listTags()).toEqual([{ name: 'Iran', count: 1 }]);
    await expect(notebook.deleteTag('nothing')).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('search', () => {
  it('finds text, quotes and notes case-insensitively, and filters by tag and colour', async () => {
    const a = await sample();
    const start = a.text.indexOf(QUOTE);
    const h = await notebook.addHighlight(a.id, { start, end: start + QUOTE.length, color: 'green', note: 'the Quds Force abroad', tags: ['irgc'] });
    const all = await notebook.search('quds force');
    expect(all.map((m) => m.kind).sort()).toEqual(['note', 'quote', 'text']);
    const text = all.find((m) => m.kind === 'text')!;
    expect(a.text.slice(text.start, text.end)).toBe('Quds Force');
    expect(await notebook.search('quds', { colors: ['blue'] })).toEqual([]);
    const tagged = await notebook.search('quds', { tags: ['IRGC'] });
    expect(tagged.every((m) => m.highlightId === h.id)).toBe(true);
    expect(tagged.length).toBe(2);
  });
});

describe('the durable file adapter', () => {
  it('coalesces writes issued while one is in flight and resolves each only after its data is on disk', async () => {
    const file = path.join(dir, 'probe.json');
    const adapter = new DurableJsonFile<{ n: number }>(file);
    const results = await Promise.all([1, 2, 3, 4, 5].map(async (n) => {
      await adapter.write({ n });
      return JSON.parse(await readFile(file, 'utf8')).n as number;
    }));
    results.forEach((seen, i) => expect(seen).toBeGreaterThanOrEqual(i + 1));
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ n: 5 });
    expect(await adapter.read()).toEqual({ n: 5 });
  });

  it('reports a damaged file instead of reading garbage', async () => {
    const file = path.join(dir, 'probe.json');
    await writeFile(file, '{"schemaVersion": 1, "articl');
    await expect(new DurableJsonFile(file).read()).rejects.toThrow(/probe\.json is damaged/);
  });
});
