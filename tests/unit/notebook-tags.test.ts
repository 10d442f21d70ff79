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

describe('tags typed with # and tags with invisible characters', () => {
  it('drops leading #s, so #econ/trade is the tag econ/trade (and one tag with econ/trade)', () => {
    expect(normalizeTags(['#econ/trade', '##Econ/Trade', 'econ/trade', '  # spaced ', 'c#', 'a#b'])).toEqual(['econ/trade', 'spaced', 'c#', 'a#b']);
  });

  it('refuses a tag that is only #, naming the problem', () => {
    expect(() => normalizeTags(['#'])).toThrow('A tag cannot be only "#"; type a name after it (for example #econ).');
    expect(() => normalizeTags([' ### '])).toThrow(/only "#"/);
  });

  it('refuses C0/C1 controls, bidi overrides and isolates and zero-width characters, naming the character', () => {
    const cases: [string, string][] = [
      ['a\u0000b', 'U+0000 NULL'],
      ['a\u0007b', 'U+0007 CONTROL CHARACTER'],
      ['a\tb', 'U+0009 CHARACTER TABULATION'],
      ['a\u0085b', 'U+0085 CONTROL CHARACTER'],
      ['a\u202Eb', 'U+202E RIGHT-TO-LEFT OVERRIDE'],
      ['a\u202Ab', 'U+202A LEFT-TO-RIGHT EMBEDDING'],
      ['a\u2066b', 'U+2066 LEFT-TO-RIGHT ISOLATE'],
      ['a\u2069b', 'U+2069 POP DIRECTIONAL ISOLATE'],
      ['a\u200Bb', 'U+200B ZERO WIDTH SPACE'],
      ['a\u200Cb', 'U+200C ZERO WIDTH NON-JOINER'],
      ['a\u200Db', 'U+200D ZERO WIDTH JOINER'],
      ['a\u2060b', 'U+2060 WORD JOINER'],
      ['a\uFEFFb', 'U+FEFF ZERO WIDTH NO-BREAK SPACE'],
    ];
    for (const [tag, named] of cases) {
      expect(() => normalizeTags([tag]), JSON.stringify(tag)).toThrow(`Tag "ab" contains an invisible control character (${named}); remove it.`);
    }
    expect(() => normalizeTags(['#\u202Eab'])).toThrow(/U\+202E/);
  });

  it('accepts a ZWJ only inside an emoji sequence (family, rainbow flag, skin tones), not beside letters or at an end', () => {
    const family = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}'; // 👨‍👩‍👧
    const rainbow = '\u{1F3F3}\uFE0F\u200D\u{1F308}'; // 🏳️‍🌈
    const toned = '\u{1F469}\u{1F3FD}\u200D\u{1F52C}'; // 👩🏽‍🔬
    expect(normalizeTags([family, rainbow, toned, `kids ${family}`])).toEqual([family, rainbow, toned, `kids ${family}`]);
    expect(() => normalizeTags(['\u{1F468}\u200Da'])).toThrow(/U\+200D ZERO WIDTH JOINER/);
    expect(() => normalizeTags(['a\u200D\u{1F468}'])).toThrow(/U\+200D/);
    expect(() => normalizeTags(['\u{1F468}\u200D'])).toThrow(/U\+200D/);
  });

  it('applies on every write path: add, update and rename refuse with invalid_input and change nothing; the # goes', async () => {
    const a = await article('One', 'Alpha beta gamma delta.');
    const h = await highlight(a, 'Alpha', { tags: ['#econ/trade'] });
    expect(h.tags).toEqual(['econ/trade']);
    await expect(highlight(a, 'beta', { tags: ['ok', 'bad\u202E'] })).rejects.toMatchObject({ code: 'invalid_input', message: /U\+202E/ });
    await expect(notebook.updateHighlight(h.id, { tags: ['#'] })).rejects.toMatchObject({ code: 'invalid_input', message: /only "#"/ });
    await expect(notebook.renameTag('econ/trade', 'x\u200By')).rejects.toMatchObject({ code: 'invalid_input', message: /U\+200B/ });
    expect(await tagsOnDisk()).toEqual({ Alpha: ['econ/trade'] });
    expect(await notebook.renameTag('econ/trade', '#trade')).toBe(1);
    expect(await tagsOnDisk()).toEqual({ Alpha: ['trade'] });
  });

  it('restoring a highlight (undo) never fails on a tag stored before these rules: it keeps it, minus the #', async () => {
    const a = await article('One', 'Alpha beta gamma delta.');
    const h = await highlight(a, 'Alpha', { tags: ['econ'] });
    await notebook.deleteHighlight(h.id);
    const restored = await notebook.restoreHighlight({ ...h, tags: ['#old', 'we\u200Bird'] });
    expect(restored.tags).toEqual(['old', 'we\u200Bird']);
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
