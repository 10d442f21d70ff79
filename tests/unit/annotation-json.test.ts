/**
 * The annotation file's bytes made from kept pieces (electron/notebook/store/annotation-json.ts) must be exactly
 * JSON.stringify of the doc, write after write, as the notebook's write path changes it (recordWrite keeps unchanged
 * highlights and clocks as the same objects), through merges, deletions and undos; and an object whose bytes are kept
 * cannot be changed in place behind them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Highlight } from '../../electron/contract';
import { annotationFileBytes } from '../../electron/notebook/store/annotation-json';
import { mergeDocs, recordWrite, type SyncDoc } from '../../electron/notebook/sync/merge';

const NOTES = ['', 'a note', 'Natásha’s “note”', 'مَرْحَبًا', '🌊 tide\nline two', 'x'.repeat(40)];
const TAGS = ['sea', 'Zürich', 'ships', 'tide'];
const COLORS = ['yellow', 'green', 'blue', 'pink'] as const;

type Op =
  | { kind: 'add'; start: number; note: number }
  | { kind: 'note'; pick: number; note: number }
  | { kind: 'color'; pick: number; color: number }
  | { kind: 'tags'; pick: number; tags: string[] }
  | { kind: 'delete'; pick: number }
  | { kind: 'undo' }
  | { kind: 'article-note'; note: number }
  | { kind: 'merge-old' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('add' as const), start: fc.nat(5000), note: fc.nat(NOTES.length - 1) }),
  fc.record({ kind: fc.constant('note' as const), pick: fc.nat(), note: fc.nat(NOTES.length - 1) }),
  fc.record({ kind: fc.constant('color' as const), pick: fc.nat(), color: fc.nat(COLORS.length - 1) }),
  fc.record({ kind: fc.constant('tags' as const), pick: fc.nat(), tags: fc.subarray(TAGS, { maxLength: 3 }) }),
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('undo' as const) }),
  fc.record({ kind: fc.constant('article-note' as const), note: fc.nat(NOTES.length - 1) }),
  fc.record({ kind: fc.constant('merge-old' as const) }),
);

function startDoc(): SyncDoc {
  // A file from before sync (no clock), as the bench fixture and older notebooks have.
  const at = '2024-01-01T00:00:00.000Z';
  const highlights: Highlight[] = Array.from({ length: 5 }, (_, i) => ({
    id: `h${i}`,
    articleId: 'a1',
    start: i * 100,
    end: i * 100 + 20,
    quote: `quote ${i} “curly” ā`,
    prefix: 'before ',
    suffix: ' after',
    color: COLORS[i % COLORS.length],
    tags: i % 2 ? ['sea'] : [],
    note: NOTES[i % NOTES.length],
    createdAt: at,
    updatedAt: at,
  }));
  return { schemaVersion: 2, contentId: 'c'.repeat(64), article: { id: 'a1', title: 'T', addedAt: at, updatedAt: at, note: '' }, highlights, tombstones: [] };
}

let tick = 0;
function later(): string {
  tick += 1;
  return new Date(Date.UTC(2025, 0, 1) + tick).toISOString();
}

/** One write as Notebook.mutate makes it: a shallow draft, new objects for what changes, recordWrite. */
function write(doc: SyncDoc, change: (d: SyncDoc) => void): SyncDoc {
  const draft: SyncDoc = { ...doc, article: { ...doc.article }, highlights: [...doc.highlights], tombstones: [...(doc.tombstones ?? [])] };
  change(draft);
  draft.article.updatedAt = later();
  return recordWrite(doc, draft, 'laptop');
}

function apply(doc: SyncDoc, op: Op, old: SyncDoc, deleted: Highlight[]): SyncDoc {
  const pickOf = (n: number): number => (doc.highlights.length ? n % doc.highlights.length : -1);
  const replace = (n: number, patch: Partial<Highlight>) =>
    write(doc, (d) => {
      const i = pickOf(n);
      if (i >= 0) d.highlights[i] = { ...d.highlights[i], ...patch, updatedAt: later() };
    });
  switch (op.kind) {
    case 'add': {
      const at = later();
      const h: Highlight = { id: `n${tick}`, articleId: 'a1', start: op.start, end: op.start + 9, quote: 'new quote', prefix: '', suffix: '', color: 'yellow', tags: [], note: NOTES[op.note], createdAt: at, updatedAt: at };
      // An optional field left undefined: JSON.stringify leaves it out, and so must the pieces.
      if (op.start % 2) (h as Highlight & { page?: number }).page = undefined;
      return write(doc, (d) => (d.highlights = [...d.highlights, h].sort((a, b) => a.start - b.start)));
    }
    case 'note':
      return replace(op.pick, { note: NOTES[op.note] });
    case 'color':
      return replace(op.pick, { color: COLORS[op.color] });
    case 'tags':
      return replace(op.pick, { tags: op.tags });
    case 'delete': {
      const i = pickOf(op.pick);
      if (i < 0) return doc;
      deleted.push(doc.highlights[i]);
      return write(doc, (d) => (d.highlights = d.highlights.filter((_, k) => k !== i)));
    }
    case 'undo': {
      const h = deleted.pop();
      if (!h) return doc;
      return write(doc, (d) => (d.highlights = [...d.highlights, h].sort((a, b) => a.start - b.start)));
    }
    case 'article-note':
      return write(doc, (d) => (d.article.note = NOTES[op.note]));
    case 'merge-old':
      // A sync engine's older copy merged in: new objects throughout (normalized), some equal to kept ones.
      return mergeDocs(doc, old);
  }
}

describe('annotation file bytes from kept pieces', () => {
  it('are JSON.stringify of the doc, byte for byte, write after write', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 30 }), (ops) => {
        const old = startDoc();
        let doc = startDoc();
        const deleted: Highlight[] = [];
        expect(annotationFileBytes(doc).equals(Buffer.from(JSON.stringify(doc)))).toBe(true);
        for (const op of ops) {
          doc = apply(doc, op, old, deleted);
          const bytes = annotationFileBytes(doc);
          expect(bytes.toString('utf8')).toBe(JSON.stringify(doc));
          expect(bytes.equals(Buffer.from(JSON.stringify(doc), 'utf8'))).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('writes an object under a new key with that key, and unknown top-level fields as JSON.stringify does', () => {
    const doc = write(startDoc(), (d) => (d.article.note = 'n')) as SyncDoc & Record<string, unknown>;
    annotationFileBytes(doc);
    const clocks = doc.clock!.highlights;
    const renamed = { ...doc, clock: { ...doc.clock!, highlights: { other: clocks.h0, ...clocks } }, extra: { a: [1, undefined] }, gone: undefined };
    expect(annotationFileBytes(renamed).toString('utf8')).toBe(JSON.stringify(renamed));
  });

  it('freezes what it keeps: a change in place fails instead of leaving the disk behind memory', () => {
    const doc = write(startDoc(), (d) => (d.article.note = 'n'));
    annotationFileBytes(doc);
    const h = doc.highlights[0];
    expect(() => {
      (h as { note: string }).note = 'changed in place';
    }).toThrow(TypeError);
    expect(() => h.tags.push('x')).toThrow(TypeError);
    expect(() => {
      doc.clock!.highlights[h.id].fields.color = 'now';
    }).toThrow(TypeError);
    expect(annotationFileBytes(doc).toString('utf8')).toBe(JSON.stringify(doc));
  });
});
