/**
 * The annotation-file merge on the cases people meet: a recolour on the laptop and a tag on the desktop; a tag removed
 * on one machine while the other still has it; the article note typed on both machines offline; a highlight deleted on
 * one machine and noted on the other; an undo; a file from before sync. And the names sync engines give their
 * conflict copies.
 */
import { describe, expect, it } from 'vitest';
import type { Highlight } from '../../electron/contract';
import { conflictCopyOf, isSyncTempFile } from '../../electron/notebook/sync/conflict-names';
import { classify } from '../../electron/notebook/sync/watch';
import { mergeDocs, normalizeDoc, pruneDoc, recordWrite, sameDoc, TOMBSTONE_KEEP_MS, type SyncDoc } from '../../electron/notebook/sync/merge';

const T0 = Date.UTC(2026, 11, 1, 9);
const at = (minutes: number): string => new Date(T0 + minutes * 60_000).toISOString();

function highlight(id: string, over: Partial<Highlight> = {}): Highlight {
  return { id, articleId: 'art', start: 0, end: 4, quote: 'tide', prefix: '', suffix: ' came', color: 'yellow', tags: [], note: '', createdAt: at(0), updatedAt: at(0), ...over };
}

function base(): SyncDoc {
  return normalizeDoc({
    schemaVersion: 2,
    contentId: 'sha-1',
    article: { id: 'art', title: 'Tides', addedAt: at(0), updatedAt: at(0), note: 'Read again.', noteUpdatedAt: at(0) },
    highlights: [highlight('h1', { tags: ['sea'] }), highlight('h2', { start: 10, end: 14 })],
    tombstones: [],
  });
}

/** One edit on one machine, recorded the way the notebook's write path records it. */
function edit(doc: SyncDoc, device: string, minute: number, change: (d: SyncDoc) => void): SyncDoc {
  const draft = structuredClone(doc);
  change(draft);
  draft.article.updatedAt = at(minute);
  for (const h of draft.highlights) {
    const before = doc.highlights.find((x) => x.id === h.id);
    if (before && JSON.stringify(before) !== JSON.stringify(h)) h.updatedAt = at(minute);
  }
  return recordWrite(doc, draft, device);
}

const h = (doc: SyncDoc, id: string) => doc.highlights.find((x) => x.id === id);

describe('recordWrite when no highlight changed (the article note, its title)', () => {
  /** As Notebook.mutate drafts: the same highlight objects, only the article changed. */
  const noteWrite = (doc: SyncDoc, minute: number): SyncDoc =>
    recordWrite(doc, { ...doc, article: { ...doc.article, note: `note ${minute}`, updatedAt: at(minute) }, highlights: [...doc.highlights], tombstones: [...(doc.tombstones ?? [])] }, 'laptop');

  it('keeps the highlights’ clocks and tombstones as they are, and records what the full path records', () => {
    const deleted = edit(base(), 'laptop', 1, (d) => (d.highlights = d.highlights.filter((x) => x.id !== 'h2')));
    const quick = noteWrite(deleted, 2);
    expect(quick.clock!.highlights).toBe(deleted.clock!.highlights); // nothing copied
    // The full path (other objects, equal content) gives the same file.
    expect(recordWrite(structuredClone(deleted), { ...structuredClone(quick), clock: undefined }, 'laptop')).toEqual(quick);
    expect(quick.tombstones).toEqual([expect.objectContaining({ id: 'h2', highlight: expect.objectContaining({ id: 'h2' }) })]);
  });

  it('a tombstone keeping a live highlight’s data (a file edited by hand) is still cleared', () => {
    const doc = base();
    const handEdited = { ...doc, tombstones: [{ id: 'h1', deletedAt: at(0), highlight: doc.highlights[0] }] };
    expect(noteWrite(handEdited, 3).tombstones).toEqual([{ id: 'h1', deletedAt: at(0) }]);
  });
});

describe('merging two versions of an article file', () => {
  it('keeps a recolour made on the laptop and a tag added on the desktop to the same highlight', () => {
    const laptop = edit(base(), 'laptop', 1, (d) => (h(d, 'h1')!.color = 'green'));
    const desktop = edit(base(), 'desktop', 2, (d) => (h(d, 'h1')!.tags = ['sea', 'ships']));
    const merged = mergeDocs(laptop, desktop);
    expect(h(merged, 'h1')).toMatchObject({ color: 'green', tags: ['sea', 'ships'], updatedAt: at(2) });
    expect(mergeDocs(desktop, laptop)).toEqual(merged);
  });

  it('the later recolour wins when both machines recolour the same highlight', () => {
    const laptop = edit(base(), 'laptop', 5, (d) => (h(d, 'h1')!.color = 'green'));
    const desktop = edit(base(), 'desktop', 3, (d) => (h(d, 'h1')!.color = 'pink'));
    expect(h(mergeDocs(laptop, desktop), 'h1')!.color).toBe('green');
  });

  it('a tag removed on one machine is not put back by the other machine’s older copy; tags added on both are kept', () => {
    const laptop = edit(base(), 'laptop', 1, (d) => (h(d, 'h1')!.tags = []));
    const desktop = edit(base(), 'desktop', 2, (d) => (h(d, 'h2')!.tags = ['tide']));
    const merged = mergeDocs(laptop, desktop);
    expect(h(merged, 'h1')!.tags).toEqual([]);
    expect(h(merged, 'h2')!.tags).toEqual(['tide']);
    const both = mergeDocs(edit(base(), 'laptop', 1, (d) => (h(d, 'h1')!.tags = ['sea', 'a'])), edit(base(), 'desktop', 2, (d) => (h(d, 'h1')!.tags = ['sea', 'b'])));
    expect(h(both, 'h1')!.tags).toEqual(['sea', 'a', 'b']);
  });

  it('the article note typed on both machines offline keeps both: the newer shown, the other waiting as a conflict', () => {
    const laptop = edit(base(), 'laptop', 1, (d) => Object.assign(d.article, { note: 'Laptop: the tide chapter matters.', noteUpdatedAt: at(1) }));
    const desktop = edit(base(), 'desktop', 2, (d) => Object.assign(d.article, { note: 'Desktop: compare with chapter 3.', noteUpdatedAt: at(2) }));
    const merged = mergeDocs(laptop, desktop);
    expect(merged.article.note).toBe('Desktop: compare with chapter 3.');
    expect(merged.article.noteConflicts).toEqual(['Laptop: the tide chapter matters.']);
    expect(merged.article.noteUpdatedAt).toBe(at(2));
    // Typing on in the shown note keeps the other version waiting...
    const typed = edit(merged, 'laptop', 3, (d) => Object.assign(d.article, { note: 'Desktop: compare with chapter 3 and 4.', noteUpdatedAt: at(3) }));
    expect(typed.article.noteConflicts).toEqual(['Laptop: the tide chapter matters.']);
    // ...until the user chooses (the caller drops the conflict): then one note, on every machine that merges it.
    const chosen = edit(typed, 'laptop', 4, (d) => {
      d.article.note = 'Laptop: the tide chapter matters.';
      delete d.article.noteConflicts;
    });
    expect(chosen.article.noteConflicts).toBeUndefined();
    expect(mergeDocs(chosen, desktop).article).toMatchObject({ note: 'Laptop: the tide chapter matters.' });
    expect(mergeDocs(chosen, desktop).article.noteConflicts).toBeUndefined();
  });

  it('a note changed on one machine only is simply the new note (no false conflict), even when it is older in time', () => {
    const synced = mergeDocs(base(), base());
    const laptop = edit(synced, 'laptop', 9, (d) => Object.assign(d.article, { note: 'new', noteUpdatedAt: at(9) }));
    const desktop = edit(synced, 'desktop', 10, (d) => (d.article.title = 'Tides and ships'));
    const merged = mergeDocs(laptop, desktop);
    expect(merged.article).toMatchObject({ note: 'new', title: 'Tides and ships' });
    expect(merged.article.noteConflicts).toBeUndefined();
  });

  it('a highlight deleted on one machine stays deleted when the other machine had not touched it', () => {
    const laptop = edit(base(), 'laptop', 1, (d) => (d.highlights = d.highlights.filter((x) => x.id !== 'h2')));
    const merged = mergeDocs(laptop, base());
    expect(h(merged, 'h2')).toBeUndefined();
    expect(merged.tombstones).toEqual([expect.objectContaining({ id: 'h2', deletedAt: at(1), highlight: expect.objectContaining({ quote: 'tide' }) })]);
  });

  it('a highlight deleted on one machine and given a note later on the other comes back with the note', () => {
    const laptop = edit(base(), 'laptop', 1, (d) => (d.highlights = d.highlights.filter((x) => x.id !== 'h2')));
    const desktop = edit(base(), 'desktop', 2, (d) => (h(d, 'h2')!.note = 'This is the key passage.'));
    const merged = mergeDocs(laptop, desktop);
    expect(h(merged, 'h2')!.note).toBe('This is the key passage.');
    expect(mergeDocs(desktop, laptop)).toEqual(merged);
  });

  it('an undo (the highlight put back) beats the deletion that the other machine already has', () => {
    const deleted = edit(base(), 'laptop', 1, (d) => (d.highlights = d.highlights.filter((x) => x.id !== 'h2')));
    const undone = edit(deleted, 'laptop', 2, (d) => d.highlights.push(structuredClone(h(base(), 'h2')!)));
    expect(h(mergeDocs(deleted, undone), 'h2')).toBeDefined();
  });

  it('new highlights from both machines are all kept, in document order', () => {
    const laptop = edit(base(), 'laptop', 1, (d) => d.highlights.push(highlight('L', { start: 20, end: 24, createdAt: at(1) })));
    const desktop = edit(base(), 'desktop', 1, (d) => d.highlights.push(highlight('D', { start: 5, end: 8, createdAt: at(1) })));
    expect(mergeDocs(laptop, desktop).highlights.map((x) => x.id)).toEqual(['h1', 'D', 'h2', 'L']);
  });

  it('merges files from before sync (no clock): the newer file wins per field, differing notes are both kept', () => {
    const old = (title: string, note: string, minute: number): SyncDoc => ({
      schemaVersion: 2,
      article: { id: 'art', title, addedAt: at(0), updatedAt: at(minute), note, noteUpdatedAt: at(minute) },
      highlights: [],
    });
    const merged = mergeDocs(old('Old title', 'one', 1), old('New title', 'two', 2));
    expect(merged.article).toMatchObject({ title: 'New title', note: 'two', noteConflicts: ['one'] });
    expect(sameDoc(merged, mergeDocs(merged, old('Old title', 'one', 1)))).toBe(true);
  });

  it('a replaced text (new contentId, re-anchored highlights) merges with a recolour made elsewhere', () => {
    const laptop = edit(base(), 'laptop', 1, (d) => {
      d.contentId = 'sha-2';
      Object.assign(h(d, 'h1')!, { start: 7, end: 11, prefix: 'new ' });
    });
    const desktop = edit(base(), 'desktop', 2, (d) => (h(d, 'h1')!.color = 'blue'));
    const merged = mergeDocs(laptop, desktop);
    expect(merged.contentId).toBe('sha-2');
    expect(h(merged, 'h1')).toMatchObject({ start: 7, end: 11, prefix: 'new ', color: 'blue' });
  });

  it('prunes tombstones after TOMBSTONE_KEEP_MS, not before', () => {
    const deleted = edit(base(), 'laptop', 1, (d) => (d.highlights = d.highlights.filter((x) => x.id !== 'h2')));
    expect(pruneDoc(deleted, T0 + TOMBSTONE_KEEP_MS - 60_000).tombstones).toHaveLength(1);
    expect(pruneDoc(deleted, T0 + TOMBSTONE_KEEP_MS + 120_000).tombstones).toHaveLength(0);
  });
});

describe('conflict copies', () => {
  const known = new Set(['notebook', 'AbC-dEf_1234', 'plainid12345']);
  const isKnown = (stem: string) => known.has(stem);

  it.each([
    ['AbC-dEf_1234.sync-conflict-20261201-101010-ABCDEFG.json', 'AbC-dEf_1234.json', 'syncthing', 'ABCDEFG'],
    ['notebook.sync-conflict-20261207-163005-7QXJ2LM.json', 'notebook.json', 'syncthing', '7QXJ2LM'],
    ['plainid12345 (conflicted copy).json', 'plainid12345.json', 'dropbox', undefined],
    ["plainid12345 (Ada Lovelace's conflicted copy 2026-12-01).json", 'plainid12345.json', 'dropbox', 'Ada Lovelace, 2026-12-01'],
    ["notebook (Ada's conflicted copy 2026-12-01 (1)).json", 'notebook.json', 'dropbox', 'Ada, 2026-12-01'],
    ['plainid12345 2.json', 'plainid12345.json', 'icloud', undefined],
    ['notebook 3.json', 'notebook.json', 'icloud', undefined],
    ['AbC-dEf_1234-DESKTOP-7H2K.json', 'AbC-dEf_1234.json', 'onedrive', 'DESKTOP-7H2K'],
    ['notebook-LAPTOP.json', 'notebook.json', 'onedrive', 'LAPTOP'],
  ])('%s is a conflict copy of %s (%s)', (name, original, engine, from) => {
    expect(conflictCopyOf(name, isKnown)).toEqual({ original, engine, ...(from && { from }) });
  });

  it.each(['AbC-dEf_1234.json', 'notebook.json', 'unknown 2.json', 'someone-HOST.json', 'plainid12345.json.tmp'])('%s is an ordinary file', (name) => {
    expect(conflictCopyOf(name, isKnown)).toBeUndefined();
  });

  it('sees sync engines’ temporary files', () => {
    expect(isSyncTempFile('.syncthing.abc.json.tmp')).toBe(true);
    expect(isSyncTempFile('~syncthing~abc.json.tmp')).toBe(true);
    expect(isSyncTempFile('.abc.json.icloud')).toBe(true);
    expect(isSyncTempFile('abc.json')).toBe(false);
  });
});

describe('what a changed file is to the notebook (the watcher)', () => {
  const sha = 'a'.repeat(64);
  const isArticle = (id: string) => id === 'AbC-dEf_1234';
  it.each([
    ['articles/AbC-dEf_1234.json', { kind: 'article', id: 'AbC-dEf_1234' }],
    ['articles/AbC-dEf_1234.sync-conflict-20261201-101010-ABCDEFG.json', { kind: 'article-copy', id: 'AbC-dEf_1234' }],
    ['articles/AbC-dEf_1234-DESKTOP.json', { kind: 'article-copy', id: 'AbC-dEf_1234' }],
    ['notebook.json', { kind: 'settings' }],
    ["notebook (Ada's conflicted copy 2026-12-01).json", { kind: 'settings-copy' }],
    [`content/${sha}.json`, { kind: 'content', contentId: sha }],
    [`pdfs/${sha}.pdf`, { kind: 'pdf', sha256: sha }],
  ])('%s', (file, expected) => {
    expect(classify(file, isArticle)).toMatchObject(expected);
  });

  it.each(['local/ui.json', 'articles/.syncthing.AbC-dEf_1234.json.tmp', 'articles/.gloss-1a2b.tmp', 'content/notahash.json', 'gloss-index.json', '.stignore', 'articles/sub/x.json'])(
    '%s is nothing the notebook reads',
    (file) => {
      expect(classify(file, isArticle)).toBeUndefined();
    },
  );
});

