/**
 * Property tests of the annotation-file merge (electron/notebook/sync/merge.ts) over random concurrent edit histories:
 * two or three machines start from one file, edit it (highlights added, recoloured, tagged, noted, deleted, undone; the
 * article's note and title), each write recorded the way the notebook's write path records it (recordWrite), and now
 * and then one machine receives another's file and merges it (what a sync engine's copy or conflict copy makes
 * happen). The merge must be commutative, associative and idempotent; every machine must end with the same file once
 * all have seen all; and no acknowledged note may be lost: every note version written is in the end state or was
 * replaced by a later write on a machine that had it (the user saw it).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Highlight } from '../../electron/contract';
import { mergeDocs, normalizeDoc, recordWrite, type SyncDoc, type SyncHighlight } from '../../electron/notebook/sync/merge';
import type { NoteVersion } from '../../electron/notebook/sync/clock';

const DEVICES = ['laptop', 'desktop', 'tablet'];
const COLORS = ['yellow', 'green', 'blue', 'pink'] as const;
const TAGS = ['sea', 'Sea', 'ships', 'tide', 'harbour'];
const NOTES = ['', 'a', 'first thought', 'second thought', 'Ça va 🌊', 'x'.repeat(30)];

type Op =
  | { kind: 'add'; m: number; start: number; color: number }
  | { kind: 'color'; m: number; pick: number; color: number }
  | { kind: 'tags'; m: number; pick: number; tags: string[] }
  | { kind: 'hnote'; m: number; pick: number; note: string; resolve: boolean }
  | { kind: 'delete'; m: number; pick: number }
  | { kind: 'undo'; m: number; pick: number }
  | { kind: 'note'; m: number; note: string; resolve: boolean }
  | { kind: 'title'; m: number; title: string }
  | { kind: 'sync'; from: number; to: number }
  | { kind: 'tick'; ms: number };

function opArb(machines: number): fc.Arbitrary<Op> {
  const m = fc.nat(machines - 1);
  return fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('add' as const), m, start: fc.nat(50), color: fc.nat(3) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('color' as const), m, pick: fc.nat(), color: fc.nat(3) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('tags' as const), m, pick: fc.nat(), tags: fc.subarray(TAGS, { maxLength: 3 }) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('hnote' as const), m, pick: fc.nat(), note: fc.constantFrom(...NOTES), resolve: fc.boolean() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), m, pick: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('undo' as const), m, pick: fc.nat() }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('note' as const), m, note: fc.constantFrom(...NOTES), resolve: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('title' as const), m, title: fc.constantFrom('Tides', 'Ships', 'The sea') }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('sync' as const), from: m, to: m }) },
    // Sometimes no time passes between two machines' edits: equal times must still merge the same way everywhere.
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('tick' as const), ms: fc.constantFrom(0, 1, 5000) }) },
  );
}

const iso = (ms: number): string => new Date(Date.UTC(2026, 11, 1) + ms).toISOString();

function startingDoc(): SyncDoc {
  const h = (id: string, start: number): Highlight => ({
    id,
    articleId: 'art',
    start,
    end: start + 5,
    quote: 'quote',
    prefix: '',
    suffix: '',
    color: 'yellow',
    tags: ['sea'],
    note: 'old note',
    createdAt: iso(0),
    updatedAt: iso(0),
  });
  // A file from before sync (no clock): the first merge or write gives it one.
  return {
    schemaVersion: 2,
    contentId: 'c0',
    article: { id: 'art', title: 'Tides', addedAt: iso(0), updatedAt: iso(0), note: 'the article note', noteUpdatedAt: iso(0) },
    highlights: [h('h0', 0), h('h1', 10)],
    tombstones: [],
  };
}

interface Machine {
  device: string;
  doc: SyncDoc;
  deleted: SyncHighlight[];
  /** Local clock offset: machines' clocks disagree a little. */
  skew: number;
}

interface History {
  machines: Machine[];
  /** Every note version acknowledged (written to a machine's file), by register ('' = article, else highlight id). */
  acknowledged: { register: string; version: NoteVersion }[];
  /** Dots a later write replaced on a machine that had them (so the user had them on screen). */
  replaced: Set<string>;
  states: SyncDoc[];
}

function registerOf(doc: SyncDoc, register: string): NoteVersion[] {
  return register === '' ? (doc.clock?.note ?? []) : (doc.clock?.highlights[register]?.note ?? []);
}

function run(ops: Op[], machineCount: number): History {
  let clock = 1000;
  const machines: Machine[] = Array.from({ length: machineCount }, (_, i) => ({
    device: DEVICES[i],
    doc: startingDoc(),
    deleted: [],
    skew: (i * 7) % 5,
  }));
  const acknowledged: History['acknowledged'] = [];
  const replaced = new Set<string>();
  const states: SyncDoc[] = [];
  let ids = 0;

  const write = (mc: Machine, change: (d: SyncDoc, now: string) => void): void => {
    const before = normalizeDoc(mc.doc);
    const at = Math.max(clock + mc.skew, Date.parse(before.article.updatedAt) + 1);
    const now = new Date(at).toISOString();
    const draft: SyncDoc = structuredClone(before);
    delete draft.clock;
    draft.clock = before.clock;
    change(draft, now);
    draft.article.updatedAt = now;
    const after = recordWrite(before, draft, mc.device);
    // What this write acknowledged and what it replaced, register by register.
    const registers = new Set(['', ...Object.keys(after.clock!.highlights)]);
    for (const r of registers) {
      const was = registerOf(before, r);
      const is = registerOf(after, r);
      for (const v of is) if (!was.some((w) => w.dot === v.dot)) acknowledged.push({ register: r, version: v });
      for (const w of was) if (!is.some((v) => v.dot === w.dot)) replaced.add(w.dot);
    }
    mc.doc = after;
    states.push(after);
  };

  for (const op of ops) {
    clock += 1;
    if (op.kind === 'tick') {
      clock += op.ms;
      continue;
    }
    if (op.kind === 'sync') {
      if (op.from === op.to) continue;
      const merged = mergeDocs(machines[op.to].doc, machines[op.from].doc);
      machines[op.to].doc = merged;
      states.push(merged);
      continue;
    }
    const mc = machines[op.m];
    const live = mc.doc.highlights;
    const target = 'pick' in op && live.length > 0 ? live[op.pick % live.length] : undefined;
    switch (op.kind) {
      case 'add':
        write(mc, (d, now) => {
          d.highlights.push({
            id: `${mc.device}-${ids++}`,
            articleId: 'art',
            start: op.start,
            end: op.start + 3,
            quote: 'abc',
            prefix: '',
            suffix: '',
            color: COLORS[op.color],
            tags: [],
            note: '',
            createdAt: now,
            updatedAt: now,
          });
        });
        break;
      case 'color':
      case 'tags':
      case 'hnote':
        if (!target) break;
        write(mc, (d, now) => {
          const h = d.highlights.find((x) => x.id === target.id)!;
          if (op.kind === 'color') h.color = COLORS[op.color];
          if (op.kind === 'tags') h.tags = op.tags.filter((t, i, all) => all.findIndex((u) => u.toLowerCase() === t.toLowerCase()) === i);
          if (op.kind === 'hnote') {
            h.note = op.note;
            if (op.resolve) delete h.noteConflicts;
          }
          h.updatedAt = now;
        });
        break;
      case 'delete':
        if (!target) break;
        mc.deleted.push(target);
        write(mc, (d) => {
          d.highlights = d.highlights.filter((h) => h.id !== target.id);
        });
        break;
      case 'undo': {
        const back = mc.deleted.splice(op.pick % Math.max(1, mc.deleted.length), 1)[0];
        if (!back || mc.doc.highlights.some((h) => h.id === back.id)) break;
        write(mc, (d) => {
          d.highlights.push(back);
        });
        break;
      }
      case 'note':
        write(mc, (d, now) => {
          d.article.note = op.note;
          d.article.noteUpdatedAt = now;
          if (op.resolve) delete d.article.noteConflicts;
        });
        break;
      case 'title':
        write(mc, (d) => {
          d.article.title = op.title;
        });
        break;
    }
  }
  return { machines, acknowledged, replaced, states };
}

const mergeAll = (docs: SyncDoc[]): SyncDoc => docs.reduce((acc, d) => mergeDocs(acc, d));

const history = (machines: number): fc.Arbitrary<Op[]> => fc.array(opArb(machines), { minLength: 1, maxLength: 40 });
const RUNS = Number(process.env.SYNC_PROPERTY_RUNS ?? 1000);

describe('merging annotation files: properties over random concurrent histories', () => {
  it('is commutative, associative and idempotent on every state any history passes through', () => {
    fc.assert(
      fc.property(history(3), fc.nat(), fc.nat(), fc.nat(), (ops, i, j, k) => {
        const { states } = run(ops, 3);
        if (states.length === 0) return;
        const a = states[i % states.length];
        const b = states[j % states.length];
        const c = states[k % states.length];
        expect(mergeDocs(a, b)).toEqual(mergeDocs(b, a));
        expect(mergeDocs(mergeDocs(a, b), c)).toEqual(mergeDocs(a, mergeDocs(b, c)));
        expect(mergeDocs(a, a)).toEqual(normalizeDoc(a));
        expect(mergeDocs(a, mergeDocs(a, b))).toEqual(mergeDocs(a, b));
        expect(normalizeDoc(normalizeDoc(a))).toEqual(normalizeDoc(a));
      }),
      { numRuns: RUNS },
    );
  });

  it('every machine ends with the same file once each has seen the others, whatever order they merge in', () => {
    fc.assert(
      fc.property(history(3), fc.boolean(), (ops, reverse) => {
        const { machines } = run(ops, 3);
        const docs = machines.map((m) => m.doc);
        const expected = mergeAll(docs);
        const order = reverse ? [...docs].reverse() : docs;
        // Each machine merges the others' files, in its own order.
        for (let m = 0; m < docs.length; m++) {
          const others = order.filter((d) => d !== docs[m]);
          expect(others.reduce((acc, d) => mergeDocs(acc, d), docs[m])).toEqual(expected);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('loses no acknowledged note: each is in the merged file or was replaced on a machine that showed it', () => {
    fc.assert(
      fc.property(history(2), (ops) => {
        const h = run(ops, 2);
        const final = mergeAll(h.machines.map((m) => m.doc));
        for (const { register, version } of h.acknowledged) {
          const present = registerOf(final, register).some((v) => v.dot === version.dot);
          if (!present) expect(h.replaced.has(version.dot), `note "${version.value}" (${version.dot}) was lost`).toBe(true);
        }
        // What is shown agrees with the register: the note and every conflicting version are readable.
        const shown = [final.article.note, ...(final.article.noteConflicts ?? [])];
        for (const v of final.clock!.note) expect(shown).toContain(v.value);
        for (const hl of final.highlights) {
          for (const v of final.clock!.highlights[hl.id].note) expect([hl.note, ...(hl.noteConflicts ?? [])]).toContain(v.value);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('the newest colour, title and tag change win; a highlight edited after its deletion elsewhere comes back', () => {
    fc.assert(
      fc.property(history(2), (ops) => {
        const h = run(ops, 2);
        const final = mergeAll(h.machines.map((m) => m.doc));
        const clock = final.clock!;
        for (const hl of final.highlights) {
          // The colour is the one written at the newest time any machine recorded for it.
          const candidates = h.states
            .flatMap((s) => [...s.highlights, ...(s.tombstones ?? []).flatMap((t) => t.highlight ?? [])].filter((x) => x.id === hl.id).map((x) => ({ at: s.clock?.highlights[hl.id]?.fields.color ?? '', color: x.color })))
            .filter((c) => c.at === clock.highlights[hl.id].fields.color);
          if (candidates.length) expect(candidates.map((c) => c.color)).toContain(hl.color);
          for (const t of final.tombstones ?? []) if (t.id === hl.id) expect(t.highlight).toBeUndefined();
        }
        for (const t of final.tombstones ?? []) {
          if (!t.highlight) continue;
          // Dead: nothing touched it after the deletion.
          const c = clock.highlights[t.id];
          const touched = [c.alive, ...Object.values(c.fields), ...Object.values(c.tags).map((m) => m.at), ...c.note.map((v) => v.at)];
          expect(touched.every((at) => at <= t.deletedAt)).toBe(true);
        }
      }),
      { numRuns: Math.ceil(RUNS / 3) },
    );
  });
});
