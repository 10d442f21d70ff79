/**
 * Merging two versions of one article's annotation file (articles/<id>.json) — a sync engine's conflict copy, or a
 * file that changed on disk while this Gloss had an edit in flight — into one that keeps every change.
 *
 * The merge is a join (commutative, associative, idempotent: a state-based CRDT), so any number of machines merging
 * copies in any order, any number of times, end with the same file. What that needs, and why:
 *
 * - Per-field times (`clock.fields`, `clock.highlights[id].fields`). One `updatedAt` per highlight cannot merge a
 *   recolour on one machine with a tag on the other: whichever highlight is newer would win whole and drop the other
 *   change. So every field (a highlight's anchor fields together, its colour, each article field) has its own time, and
 *   the newer one wins per field. Times are the notebook's own (strictly increasing per file on one machine); across
 *   machines they are wall clocks, so a clock far off decides "newest" wrongly between concurrent edits, never loses a
 *   note (notes do not go by time, see clock.ts).
 * - Tags as a set with removals remembered (`tags[key] = {name, at, on}`), so a tag removed on one machine is not put
 *   back by the other's older copy, and tags added on both machines are both kept.
 * - Notes (the article's and each highlight's) as multi-value registers (clock.ts): a note changed on both machines
 *   since they last synced keeps both versions; the newest is `note`, the others `noteConflicts`, and the notes panel
 *   asks the user which to keep.
 * - Deletions as tombstones `{id, deletedAt, highlight}` that keep the deleted highlight for TOMBSTONE_KEEP_MS, so a
 *   machine that has not seen the deletion does not bring it back, while an edit made after the deletion (a note
 *   typed on the other machine) or an undo does bring it back: a highlight is live when something touched it after its
 *   deletion. Keeping the deleted data (not just the id) is what keeps the merge associative.
 *
 * Pure: no files, no clock reads. `recordWrite` is what the notebook's one write path calls to keep the times.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Highlight } from '../../contract';
import { tagKey } from '../tags';
import { byNewest, joinVersions, writeVersion, type NoteVersion } from './clock';

/** How long a deleted highlight's tombstone is kept: long enough for every machine to see the deletion. */
export const TOMBSTONE_KEEP_MS = 60 * 24 * 60 * 60 * 1000;

export interface TagMark {
  name: string;
  at: string;
  on: boolean;
}

export interface HighlightClock {
  /** When it was created or last brought back (undo): a tombstone older than this does not hide it. */
  alive: string;
  fields: Record<string, string>;
  tags: Record<string, TagMark>;
  note: NoteVersion[];
}

export interface DocClock {
  /** Article fields by name; top-level fields of the file (contentId) as `#name`. */
  fields: Record<string, string>;
  note: NoteVersion[];
  highlights: Record<string, HighlightClock>;
}

export interface Tombstone {
  id: string;
  deletedAt: string;
  /** The highlight as it was when deleted (absent once it is live again). */
  highlight?: SyncHighlight;
}

export type SyncHighlight = Highlight & { noteConflicts?: string[] };

export interface SyncArticle {
  id: string;
  title?: string;
  addedAt: string;
  updatedAt: string;
  note: string;
  noteUpdatedAt?: string;
  noteConflicts?: string[];
}

/** The annotation file as merge sees it: any other top-level field (contentId...) merges as a field. */
export interface SyncDoc {
  schemaVersion: number;
  /** The article's content file (store/content.ts): merges like any other field. */
  contentId?: string;
  article: SyncArticle;
  highlights: SyncHighlight[];
  tombstones?: Tombstone[];
  clock?: DocClock;
}

/** Highlight fields that change together when a text is replaced: one time for all of them. */
const ANCHOR_FIELDS = ['start', 'end', 'quote', 'prefix', 'suffix', 'orphaned', 'page'] as const;
const HIGHLIGHT_SPECIAL = new Set(['id', 'articleId', 'createdAt', 'updatedAt', 'note', 'noteConflicts', 'tags', ...ANCHOR_FIELDS]);
const ARTICLE_SPECIAL = new Set(['id', 'addedAt', 'updatedAt', 'note', 'noteUpdatedAt', 'noteConflicts', 'highlightCount']);
const DOC_SPECIAL = new Set(['schemaVersion', 'article', 'highlights', 'tombstones', 'clock']);

const maxOf = (a: string, b: string): string => (a >= b ? a : b);
const minOf = (a: string, b: string): string => (a <= b ? a : b);

// --- Fields ----------------------------------------------------------------------------------------------------

function highlightFieldNames(h: SyncHighlight | undefined): string[] {
  if (!h) return [];
  return ['anchor', ...Object.keys(h).filter((k) => !HIGHLIGHT_SPECIAL.has(k))];
}

function highlightField(h: SyncHighlight, name: string): unknown {
  if (name !== 'anchor') return (h as unknown as Record<string, unknown>)[name];
  const out: Record<string, unknown> = {};
  for (const k of ANCHOR_FIELDS) if (h[k] !== undefined) out[k] = h[k];
  return out;
}

function setHighlightField(h: Record<string, unknown>, name: string, value: unknown): void {
  if (name === 'anchor') {
    for (const k of ANCHOR_FIELDS) delete h[k];
    Object.assign(h, value as object);
  } else if (value === undefined) delete h[name];
  else h[name] = value;
}

type Fields = Record<string, unknown>;

function articleFieldNames(doc: SyncDoc): string[] {
  return [
    ...Object.keys(doc.article).filter((k) => !ARTICLE_SPECIAL.has(k)),
    ...Object.keys(doc)
      .filter((k) => !DOC_SPECIAL.has(k))
      .map((k) => `#${k}`),
  ];
}

function articleField(doc: SyncDoc, name: string): unknown {
  return name.startsWith('#') ? (doc as unknown as Fields)[name.slice(1)] : (doc.article as unknown as Fields)[name];
}

function setArticleField(doc: SyncDoc, name: string, value: unknown): void {
  const target = (name.startsWith('#') ? doc : doc.article) as unknown as Fields;
  const key = name.startsWith('#') ? name.slice(1) : name;
  if (value === undefined) delete target[key];
  else target[key] = value;
}

/** Newer time wins; equal times (two machines in one millisecond) are decided by the values, the same way everywhere. */
function pick<T>(aAt: string | undefined, aValue: T, bAt: string | undefined, bValue: T): { at: string; value: T } {
  const x = aAt ?? '';
  const y = bAt ?? '';
  if (x !== y) return x > y ? { at: x, value: aValue } : { at: y, value: bValue };
  return (JSON.stringify(aValue) ?? '') >= (JSON.stringify(bValue) ?? '') ? { at: x, value: aValue } : { at: y, value: bValue };
}

// --- Notes -----------------------------------------------------------------------------------------------------

/** A note with no register yet (a file from before sync, or edited by hand): one version named by its content. */
function versionsOf(register: NoteVersion[] | undefined, note: string, at: string): NoteVersion[] {
  if (register && register.length > 0) {
    if (register.some((v) => v.value === note)) return register;
    // The file's note is none of the register's versions: written by something that did not keep the register (an
    // older Gloss, a person with an editor). It replaces what the register had, as that writer saw only that.
    return writeVersion(register, note, at, `ext-${fingerprint(note + at)}`);
  }
  if (note === '') return [];
  return [{ value: note, at, dot: `ext-${fingerprint(note + at)}:1`, seen: { vv: {} } }];
}

/** The note shown (newest version) and the others, waiting for the user to choose. */
function noteOf(versions: NoteVersion[]): { note: string; at?: string; conflicts?: string[] } {
  if (versions.length === 0) return { note: '' };
  const [main, ...rest] = [...versions].sort(byNewest);
  const conflicts = [...new Set(rest.map((v) => v.value).filter((v) => v !== main.value))];
  return { note: main.value, at: main.at, ...(conflicts.length > 0 && { conflicts }) };
}

function fingerprint(s: string): string {
  // FNV-1a, 32 bits: names a version nobody numbered; a collision only merges two identical-looking legacy notes.
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

// --- Normalizing: a clock for every field, values derived from it ----------------------------------------------

function highlightClockOf(h: SyncHighlight, existing: HighlightClock | undefined): HighlightClock {
  const clock: HighlightClock = existing
    ? { alive: existing.alive, fields: { ...existing.fields }, tags: { ...existing.tags }, note: existing.note }
    : { alive: h.createdAt, fields: {}, tags: {}, note: [] };
  for (const name of highlightFieldNames(h)) clock.fields[name] ??= h.updatedAt;
  const listed = new Set<string>();
  for (const name of h.tags) {
    const key = tagKey(name);
    listed.add(key);
    const mark = clock.tags[key];
    if (!mark || !mark.on || mark.name !== name) clock.tags[key] = { name, at: maxOf(mark?.at ?? '', h.updatedAt), on: true };
  }
  for (const [key, mark] of Object.entries(clock.tags)) {
    if (mark.on && !listed.has(key)) clock.tags[key] = { ...mark, at: maxOf(mark.at, h.updatedAt), on: false };
  }
  clock.note = versionsOf(existing?.note, h.note, h.updatedAt);
  return clock;
}

function materializeHighlight(h: SyncHighlight, clock: HighlightClock): SyncHighlight {
  const out = { ...h } as SyncHighlight;
  const tags = Object.entries(clock.tags)
    .filter(([, m]) => m.on)
    .sort(([ka, a], [kb, b]) => a.at.localeCompare(b.at) || ka.localeCompare(kb))
    .map(([, m]) => m.name);
  out.tags = tags;
  const note = noteOf(clock.note);
  out.note = note.note;
  if (note.conflicts) out.noteConflicts = note.conflicts;
  else delete out.noteConflicts;
  return out;
}

function lastTouched(clock: HighlightClock): string {
  let last = clock.alive;
  for (const at of Object.values(clock.fields)) last = maxOf(last, at);
  for (const mark of Object.values(clock.tags)) last = maxOf(last, mark.at);
  for (const v of clock.note) last = maxOf(last, v.at);
  return last;
}

function sortHighlights(list: SyncHighlight[]): SyncHighlight[] {
  return list.sort((a, b) => a.start - b.start || a.end - b.end || a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}

/**
 * The same file with a time for every field (taken from `updatedAt` where the file has none: a file from before
 * sync) and everything derived from the clock (tag order, note, noteConflicts) in its canonical form.
 */
export function normalizeDoc<D extends SyncDoc>(doc: D): D {
  const old = doc.clock;
  const article = { ...doc.article };
  const out = { ...doc, article } as D;
  const fields: Record<string, string> = { ...(old?.fields ?? {}) };
  for (const name of articleFieldNames(doc)) fields[name] ??= article.updatedAt;
  const noteVersions = versionsOf(old?.note, article.note ?? '', article.noteUpdatedAt ?? article.updatedAt);
  const highlights: Record<string, HighlightClock> = {};
  const live: SyncHighlight[] = [];
  for (const h of doc.highlights) {
    highlights[h.id] = highlightClockOf(h, old?.highlights[h.id]);
    live.push(materializeHighlight(h, highlights[h.id]));
  }
  const tombstones: Tombstone[] = [];
  for (const t of doc.tombstones ?? []) {
    if (t.highlight && !highlights[t.id]) {
      highlights[t.id] = highlightClockOf(t.highlight, old?.highlights[t.id]);
      tombstones.push({ id: t.id, deletedAt: t.deletedAt, highlight: materializeHighlight(t.highlight, highlights[t.id]) });
    } else {
      if (!t.highlight && old?.highlights[t.id] && !highlights[t.id]) highlights[t.id] = old.highlights[t.id];
      tombstones.push({ id: t.id, deletedAt: t.deletedAt });
    }
  }
  out.clock = { fields: sortKeys(fields), note: noteVersions, highlights: sortKeys(highlights) };
  applyNote(out.article, noteVersions);
  out.highlights = sortHighlights(live);
  out.tombstones = tombstones.sort((a, b) => a.id.localeCompare(b.id));
  return out;
}

function applyNote(article: SyncArticle, versions: NoteVersion[]): void {
  const note = noteOf(versions);
  article.note = note.note;
  if (note.at) article.noteUpdatedAt = note.at;
  if (note.conflicts) article.noteConflicts = note.conflicts;
  else delete article.noteConflicts;
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key of Object.keys(record).sort()) out[key] = record[key];
  return out;
}

// --- The merge -------------------------------------------------------------------------------------------------

function joinHighlightClocks(a: HighlightClock, b: HighlightClock): HighlightClock {
  const fields: Record<string, string> = { ...a.fields };
  for (const [k, at] of Object.entries(b.fields)) fields[k] = maxOf(fields[k] ?? '', at);
  const tags: Record<string, TagMark> = { ...a.tags };
  for (const [k, mark] of Object.entries(b.tags)) {
    const mine = tags[k];
    tags[k] = mine ? pick(mine.at, mine, mark.at, mark).value : mark;
  }
  return { alive: maxOf(a.alive, b.alive), fields: sortKeys(fields), tags: sortKeys(tags), note: joinVersions(a.note, b.note) };
}

function mergeHighlightData(a: SyncHighlight, ca: HighlightClock, b: SyncHighlight, cb: HighlightClock): SyncHighlight {
  const out = { ...a } as unknown as Record<string, unknown>;
  const names = new Set([...Object.keys(ca.fields), ...Object.keys(cb.fields)]);
  for (const name of names) {
    const chosen = pick(ca.fields[name], highlightField(a, name), cb.fields[name], highlightField(b, name));
    setHighlightField(out, name, chosen.value);
  }
  out.createdAt = minOf(a.createdAt, b.createdAt);
  out.updatedAt = maxOf(a.updatedAt, b.updatedAt);
  return out as unknown as SyncHighlight;
}

/**
 * One file from two versions of it. Both may be files from before sync (no clock); the result always has one. The
 * result does not depend on the order of the arguments, nor on how many machines merged in which order before.
 */
export function mergeDocs<D extends SyncDoc>(left: D, right: D): D {
  const a = normalizeDoc(left);
  const b = normalizeDoc(right);
  const ca = a.clock!;
  const cb = b.clock!;
  const out = { ...a, article: { ...a.article } } as D;
  out.schemaVersion = Math.max(a.schemaVersion, b.schemaVersion);
  out.article.addedAt = minOf(a.article.addedAt, b.article.addedAt);
  out.article.updatedAt = maxOf(a.article.updatedAt, b.article.updatedAt);

  const fields: Record<string, string> = {};
  for (const name of new Set([...Object.keys(ca.fields), ...Object.keys(cb.fields)])) {
    const chosen = pick(ca.fields[name], articleField(a, name), cb.fields[name], articleField(b, name));
    setArticleField(out, name, chosen.value);
    fields[name] = chosen.at;
  }
  const noteVersions = joinVersions(ca.note, cb.note);
  applyNote(out.article, noteVersions);

  const dataA = new Map<string, SyncHighlight>();
  const dataB = new Map<string, SyncHighlight>();
  const deleted = new Map<string, string>();
  for (const [doc, data] of [[a, dataA], [b, dataB]] as const) {
    for (const h of doc.highlights) data.set(h.id, h);
    for (const t of doc.tombstones ?? []) {
      if (t.highlight) data.set(t.id, t.highlight);
      deleted.set(t.id, maxOf(deleted.get(t.id) ?? '', t.deletedAt));
    }
  }
  const clocks: Record<string, HighlightClock> = {};
  const highlights: SyncHighlight[] = [];
  const tombstones: Tombstone[] = [];
  const ids = new Set([...dataA.keys(), ...dataB.keys(), ...deleted.keys(), ...Object.keys(ca.highlights), ...Object.keys(cb.highlights)]);
  for (const id of ids) {
    const ha = dataA.get(id);
    const hb = dataB.get(id);
    const ka = ca.highlights[id];
    const kb = cb.highlights[id];
    const clock = ka && kb ? joinHighlightClocks(ka, kb) : (ka ?? kb);
    let data: SyncHighlight | undefined;
    if (ha && hb) data = mergeHighlightData(ha, ka, hb, kb);
    else data = ha ?? hb;
    if (clock) clocks[id] = clock;
    if (data && clock) data = materializeHighlight(data, clock);
    const deletedAt = deleted.get(id);
    const live = data && clock && (deletedAt === undefined || lastTouched(clock) > deletedAt);
    if (live) highlights.push(data!);
    if (deletedAt !== undefined) tombstones.push(live || !data ? { id, deletedAt } : { id, deletedAt, highlight: data });
  }
  out.highlights = sortHighlights(highlights);
  out.tombstones = tombstones.sort((x, y) => x.id.localeCompare(y.id));
  out.clock = { fields: sortKeys(fields), note: noteVersions, highlights: sortKeys(clocks) };
  return out;
}

/** Whether two versions hold the same content (after normalizing): nothing to merge or write. */
export function sameDoc(a: SyncDoc, b: SyncDoc): boolean {
  return isDeepStrictEqual(normalizeDoc(a), normalizeDoc(b));
}

// --- Local writes -----------------------------------------------------------------------------------------------

/**
 * What the notebook's write path calls with the file as it was (`before`) and as it is about to be written (`after`,
 * `after.article.updatedAt` already advanced): the clock records what changed, at that time, written by `device`;
 * a highlight that disappeared gets a tombstone keeping it; one that reappeared (undo) is alive again.
 *
 * The note: `after.article.note` replaces the version shown; versions still listed in `after.article.noteConflicts`
 * stay beside it (the user typed in the note but has not chosen yet); a conflict the caller removed from that list is
 * resolved (replaced). Highlight notes the same way.
 */
export function recordWrite<D extends SyncDoc>(before: D, after: D, device: string): D {
  // A file with a clock is used as it is (its unchanged highlights are the very objects in `after`: skipped cheaply).
  const prev = before.clock ? before : normalizeDoc(before);
  const pc = prev.clock!;
  const now = after.article.updatedAt;
  const out = { ...after, article: { ...after.article } } as D;
  const fields: Record<string, string> = { ...pc.fields };
  for (const name of new Set([...articleFieldNames(prev), ...articleFieldNames(out)])) {
    if (!isDeepStrictEqual(articleField(prev, name), articleField(out, name))) fields[name] = now;
  }
  let note = pc.note;
  if (out.article.note !== prev.article.note || !isDeepStrictEqual(out.article.noteConflicts ?? [], prev.article.noteConflicts ?? [])) {
    note = writeNote(note, out.article.note, out.article.noteUpdatedAt ?? now, device, out.article.noteConflicts);
  }
  // No highlight touched (the article's note, its title): the highlights' clocks and the tombstones stay as they are.
  const prevTombstones = prev.tombstones ?? [];
  const outTombstones = out.tombstones ?? [];
  if (
    out.highlights.length === prev.highlights.length &&
    out.highlights.every((h, i) => h === prev.highlights[i] && pc.highlights[h.id] !== undefined) &&
    outTombstones.length === prevTombstones.length &&
    outTombstones.every((t, i) => t === prevTombstones[i]) &&
    !keepsLiveData(outTombstones, out.highlights)
  ) {
    out.tombstones = prevTombstones;
    out.clock = { fields, note, highlights: pc.highlights };
    return out;
  }
  const highlights: Record<string, HighlightClock> = { ...pc.highlights };
  const liveBefore = new Map(prev.highlights.map((h) => [h.id, h]));
  const tombs = new Map((prev.tombstones ?? []).map((t) => [t.id, t]));
  const liveNow = new Set<string>();
  for (const h of out.highlights) {
    liveNow.add(h.id);
    const old = liveBefore.get(h.id) ?? tombs.get(h.id)?.highlight;
    const existing = highlights[h.id];
    if (old === h && existing) continue; // untouched by this write
    if (!old || !existing) {
      // New here (added, imported, restored from a backup): everything about it written now, by this machine.
      const fresh: HighlightClock = { alive: now, fields: {}, tags: {}, note: writeNote([], h.note, now, device, undefined) };
      for (const name of highlightFieldNames(h)) fresh.fields[name] = now;
      for (const name of h.tags) fresh.tags[tagKey(name)] = { name, at: now, on: true };
      highlights[h.id] = fresh;
      continue;
    }
    const clock: HighlightClock = { alive: existing.alive, fields: { ...existing.fields }, tags: { ...existing.tags }, note: existing.note };
    if (!liveBefore.has(h.id)) clock.alive = now; // brought back (undo): alive after its deletion
    for (const name of new Set([...highlightFieldNames(old), ...highlightFieldNames(h)])) {
      if (!isDeepStrictEqual(highlightField(old, name), highlightField(h, name))) clock.fields[name] = now;
    }
    const oldTags = new Map(old.tags.map((t) => [tagKey(t), t]));
    const newTags = new Map(h.tags.map((t) => [tagKey(t), t]));
    for (const [key, name] of newTags) if (oldTags.get(key) !== name || !clock.tags[key]?.on) clock.tags[key] = { name, at: now, on: true };
    for (const [key, name] of oldTags) if (!newTags.has(key)) clock.tags[key] = { name, at: now, on: false };
    if (h.note !== old.note || !isDeepStrictEqual(h.noteConflicts ?? [], old.noteConflicts ?? [])) {
      clock.note = writeNote(clock.note, h.note, now, device, h.noteConflicts);
    }
    highlights[h.id] = clock;
  }
  const tombstones: Tombstone[] = [];
  for (const t of prev.tombstones ?? []) {
    if (liveNow.has(t.id)) tombstones.push({ id: t.id, deletedAt: t.deletedAt });
    else tombstones.push(t);
  }
  for (const h of prev.highlights) {
    if (liveNow.has(h.id)) continue;
    const i = tombstones.findIndex((t) => t.id === h.id);
    const t: Tombstone = { id: h.id, deletedAt: now, highlight: h };
    if (i >= 0) tombstones[i] = t;
    else tombstones.push(t);
  }
  out.tombstones = tombstones.sort((x, y) => x.id.localeCompare(y.id));
  // Keys in insertion order here (a write costs what changed); merges and normalizing sort them.
  out.clock = { fields, note, highlights };
  return out;
}

/** A tombstone still keeping the data of a live highlight (a file written by hand): recordWrite's full path clears it. */
function keepsLiveData(tombstones: readonly Tombstone[], live: readonly SyncHighlight[]): boolean {
  const keeping = new Set(tombstones.filter((t) => t.highlight).map((t) => t.id));
  return keeping.size > 0 && live.some((h) => keeping.has(h.id));
}

function writeNote(versions: NoteVersion[], value: string, at: string, device: string, stillOpen: string[] | undefined): NoteVersion[] {
  const shown = [...versions].sort(byNewest)[0];
  const open = new Set(stillOpen ?? []);
  if (versions.length === 0 && value === '') return versions;
  return writeVersion(versions, value, at, device, (v) => v === shown || !open.has(v.value));
}

// --- Pruning ---------------------------------------------------------------------------------------------------

/**
 * Drops tombstones (and removed-tag marks) older than `keepMs`: the one step that is not part of the join. A machine
 * that comes back after longer than that may bring a deleted highlight back; it never loses one.
 */
export function pruneDoc<D extends SyncDoc>(doc: D, now: number, keepMs = TOMBSTONE_KEEP_MS): D {
  const cutoff = new Date(now - keepMs).toISOString();
  const out = normalizeDoc(doc);
  const clock = out.clock!;
  const gone = new Set((out.tombstones ?? []).filter((t) => t.highlight && t.deletedAt < cutoff).map((t) => t.id));
  if (gone.size === 0 && !Object.values(clock.highlights).some((c) => Object.values(c.tags).some((m) => !m.on && m.at < cutoff))) return out;
  out.tombstones = (out.tombstones ?? []).filter((t) => !gone.has(t.id));
  const highlights: Record<string, HighlightClock> = {};
  for (const [id, c] of Object.entries(clock.highlights)) {
    if (gone.has(id)) continue;
    const tags = Object.fromEntries(Object.entries(c.tags).filter(([, m]) => m.on || m.at >= cutoff));
    highlights[id] = { ...c, tags };
  }
  out.clock = { ...clock, highlights };
  return out;
}
