/**
 * Tags across the notebook, on real temporary folders: normalization on every write, rename, merge (rename onto an
 * existing tag) and delete across articles, their events, and the highlight list the notebook view filters.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Highlight, NotebookEvent } from '../../electron/contract';
import { Notebook } from '../../electron/notebook/notebook';
import { normalizeTags } from '../../electron/notebook/tags';

let dir: string;
let notebook: Notebook;
let events: NotebookEvent[];

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gloss-tags-'));
  notebook = await Notebook.open(dir);
  events = [];
  notebook.subscribe((e) => events.push(e));
});

afterEach(async () => {
  await notebook.close();
  await rm(dir, { recursive: true, force: true });
});

async function article(title: string, body: string): Promise<string> {
  return (await notebook.importArticle({ format: 'text', content: `${title}\n\n${body}` })).id;
}

/** Adds a highlight over the first occurrence of `quote`. */
async function highlight(articleId: string, quote: string, extra: Partial<Highlight> = {}): Promise<Highlight> {
  const text = (await notebook.getArticle(articleId)).text;
  const start = text.indexOf(quote);
  expect(start, `"${quote}" in the article`).toBeGreaterThanOrEqual(0);
  return notebook.addHighlight(articleId, { start, end: start + quote.length, ...extra });
}

async function tagsOnDisk(): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const file of await readdir(path.join(dir, 'articles'))) {
    const doc = JSON.parse(await readFile(path.join(dir, 'articles', file), 'utf8'));
    for (const h of doc.highlights) out[h.quote] = h.tags;
  }
  return out;
}

describe('tag normalization', () => {
  it('trims, keeps any Unicode and inner spaces, and drops case-insensitive duplicates (first spelling wins)', () => {
    expect(normalizeTags(['  Iran ', 'iran', 'IRAN', 'Middle East', '', '   ', 'Ça va', 'ÇA VA', '東京', '🙂 mood', 'ǅ', 'ǆ'])).toEqual([
      'Iran',
      'Middle East',
      'Ça va',
      '東京',
      '🙂 mood',
      'ǅ',
    ]);
    // Composed and decomposed forms are one tag.
    expect(normalizeTags(['café', 'cafe\u0301'])).toEqual(['café']);
  });

  it('applies on addHighlight and updateHighlight, so disk never holds duplicates', async () => {
    const a = await article('One', 'Alpha beta gamma delta.');
    const h = await highlight(a, 'Alpha', { tags: [' war ', 'War', 'Persian Gulf'] });
    expect(h.tags).toEqual(['war', 'Persian Gulf']);
    const updated = await notebook.updateHighlight(h.id, { tags: [...h.tags, 'WAR', 'persian gulf', 'Ελλάδα'] });
    expect(updated.tags).toEqual(['war', 'Persian Gulf', 'Ελλάδα']);
    expect(await tagsOnDisk()).toEqual({ Alpha: ['war', 'Persian Gulf', 'Ελλάδα'] });
  });
});

describe('rename, merge and delete across the notebook', () => {
  let one: string;
  let two: string;
  beforeEach(async () => {
    one = await article('One', 'Alpha beta gamma delta.');
    two = await article('Two', 'Epsilon zeta eta theta.');
    await highlight(one, 'Alpha', { tags: ['Retaliation', 'Iran'] });
    await highlight(one, 'gamma', { tags: ['revenge'] });
    await highlight(two, 'Epsilon', { tags: ['Revenge', 'retaliation'] }); // two spellings of two tags
    await highlight(two, 'theta', { tags: ['iran'] });
    events = [];
  });

  it('lists every tag once with its count, case-insensitively', async () => {
    expect(await notebook.listTags()).toEqual([
      { name: 'Iran', count: 2 },
      { name: 'Retaliation', count: 2 },
      { name: 'revenge', count: 2 },
    ]);
  });

  it('renames a tag on every highlight in every article, bumping updatedAt and emitting one change per highlight', async () => {
    const before = await notebook.listHighlights();
    expect(await notebook.renameTag('IRAN', 'Islamic Republic')).toBe(2);
    expect(await tagsOnDisk()).toEqual({
      Alpha: ['Retaliation', 'Islamic Republic'],
      gamma: ['revenge'],
      Epsilon: ['Revenge', 'retaliation'],
      theta: ['Islamic Republic'],
    });
    const after = await notebook.listHighlights();
    const renamed = after.filter((l) => l.highlight.tags.includes('Islamic Republic'));
    for (const { highlight: h } of renamed) {
      const old = before.find((l) => l.highlight.id === h.id)!.highlight;
      expect(h.updatedAt > old.updatedAt).toBe(true);
    }
    expect(events.filter((e) => e.type === 'highlight-changed')).toHaveLength(2);
    expect(events.at(-1)).toEqual({ type: 'tags-changed' });
  });

  it('merges when renamed onto an existing tag: the existing spelling wins and no highlight holds it twice', async () => {
    expect(await notebook.renameTag('revenge', 'RETALIATION')).toBe(2);
    expect(await tagsOnDisk()).toEqual({
      Alpha: ['Retaliation', 'Iran'],
      gamma: ['Retaliation'],
      Epsilon: ['Retaliation'],
      theta: ['iran'],
    });
    expect(await notebook.listTags()).toEqual([
      { name: 'Iran', count: 2 },
      { name: 'Retaliation', count: 3 },
    ]);
  });

  it('changes only the case when renamed onto itself', async () => {
    expect(await notebook.renameTag('iran', 'IRAN')).toBe(2);
    expect((await notebook.listTags()).map((t) => t.name)).toContain('IRAN');
    expect(await tagsOnDisk()).toMatchObject({ Alpha: ['Retaliation', 'IRAN'], theta: ['IRAN'] });
  });

  it('deletes a tag everywhere and keeps the highlights', async () => {
    expect(await notebook.deleteTag(' Retaliation ')).toBe(2);
    expect(await tagsOnDisk()).toEqual({ Alpha: ['Iran'], gamma: ['revenge'], Epsilon: ['Revenge'], theta: ['iran'] });
    expect((await notebook.listHighlights()).length).toBe(4);
  });

  it('refuses an unknown tag or an empty new name with a clear error, and changes nothing', async () => {
    const before = await tagsOnDisk();
    await expect(notebook.renameTag('nope', 'x')).rejects.toMatchObject({ code: 'not_found', message: /nope/ });
    await expect(notebook.deleteTag('nope')).rejects.toMatchObject({ code: 'not_found' });
    await expect(notebook.renameTag('Iran', '   ')).rejects.toMatchObject({ code: 'invalid_input', message: /empty/ });
    expect(await tagsOnDisk()).toEqual(before);
    expect(events).toEqual([]);
  });

  it('survives a reopen', async () => {
    await notebook.renameTag('revenge', 'payback');
    await notebook.close();
    notebook = await Notebook.open(dir);
    expect(await notebook.listTags()).toEqual([
      { name: 'Iran', count: 2 },
      { name: 'payback', count: 2 },
      { name: 'Retaliation', count: 2 },
    ]);
  });

  it('lists highlights across articles filtered by tags (any of), colours and text', async () => {
    const quotes = async (filters: Parameters<Notebook['listHighlights']>[0]) =>
      (await notebook.listHighlights(filters)).map((l) => `${l.articleTitle}:${l.highlight.quote}`);
    expect(await quotes({})).toEqual(['One:Alpha', 'One:gamma', 'Two:Epsilon', 'Two:theta']);
    expect(await quotes({ tags: ['RETALIATION'] })).toEqual(['One:Alpha', 'Two:Epsilon']);
    expect(await quotes({ tags: ['retaliation', 'iran'] })).toEqual(['One:Alpha', 'Two:Epsilon', 'Two:theta']);
    const [gamma] = (await notebook.listHighlights({ text: 'GAMMA' })).map((l) => l.highlight);
    await notebook.updateHighlight(gamma.id, { color: 'green', note: 'Compare with the **1988** strikes.' });
    expect(await quotes({ colors: ['green'] })).toEqual(['One:gamma']);
    expect(await quotes({ text: '1988' })).toEqual(['One:gamma']); // in the note
    expect(await quotes({ text: 'REVENGE' })).toEqual(['One:gamma', 'Two:Epsilon']); // in a tag
    expect(await quotes({ text: 'a.b' })).toEqual([]); // the text is literal, not a pattern
    expect(await quotes({ articleIds: [two], colors: ['yellow'] })).toEqual(['Two:Epsilon', 'Two:theta']);
  });
});

describe('concurrent note edits', () => {
  it('refuses a save based on a stale updatedAt and keeps the newer note on disk', async () => {
    const a = await article('One', 'Alpha beta gamma delta.');
    const h = await highlight(a, 'beta');
    const first = await notebook.updateHighlight(h.id, { note: 'from window A', ifUpdatedAt: h.updatedAt });
    await expect(notebook.updateHighlight(h.id, { note: 'from stale window B', ifUpdatedAt: h.updatedAt })).rejects.toMatchObject({
      code: 'conflict',
    });
    const stored = (await notebook.getArticle(a)).highlights[0];
    expect(stored.note).toBe('from window A');
    expect(stored.updatedAt).toBe(first.updatedAt);
    // Saving again on top of what is stored works.
    const second = await notebook.updateHighlight(h.id, { note: 'B, after reloading', ifUpdatedAt: first.updatedAt });
    expect(second.note).toBe('B, after reloading');
  });
});
