/**
 * The bytes of an annotation file (articles/<id>.json): exactly `JSON.stringify(doc)` as UTF-8, made so a write costs
 * what changed. A book with 2,000 highlights is ~1.1 MB of JSON (each highlight and its sync clock); stringifying it
 * whole and encoding it took ~8 ms of a 10 ms budget per write, while a write changes one highlight.
 *
 * Each highlight, tombstone and per-highlight clock is an immutable object (every change makes a new one: see
 * Notebook.mutate and sync/merge.ts recordWrite, which keep the unchanged ones as the very same objects), so its bytes
 * are made once and kept beside it (a WeakMap: they go when the object goes), and a write joins the kept pieces. Once
 * its bytes are kept, an object is frozen, deeply: a later change in place would otherwise write bytes that are not
 * what memory holds; frozen, it fails (strict mode) or does nothing (sloppy), and memory still equals the disk.
 */
import type { SyncDoc } from '../sync/merge';

interface Piece {
  /** The record key it was made under (`"id":` prefixed), or null for an array element. */
  key: string | null;
  bytes: Buffer;
}

const pieces = new WeakMap<object, Piece>();

const COMMA = Buffer.from(',');
const OPEN_OBJECT = Buffer.from('{');
const CLOSE_OBJECT = Buffer.from('}');
const OPEN_ARRAY = Buffer.from('[');
const CLOSE_ARRAY = Buffer.from(']');
const NULL = Buffer.from('null');

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

function deepFreeze(value: unknown): void {
  if (!isObject(value) || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
}

/** The bytes of `value` (an object or array), kept for next time; with `key`, as the record entry `"key":value`. */
function pieceOf(value: object, key: string | null): Buffer {
  const kept = pieces.get(value);
  if (kept && kept.key === key) return kept.bytes;
  const json = JSON.stringify(value);
  const bytes = Buffer.from(key === null ? json : `${JSON.stringify(key)}:${json}`);
  deepFreeze(value);
  pieces.set(value, { key, bytes });
  return bytes;
}

function keyed(key: string, json: string): Buffer {
  return Buffer.from(`${JSON.stringify(key)}:${json}`);
}

/** An array whose object elements are kept pieces (JSON.stringify writes `null` for what it cannot write). */
function pushArray(out: Buffer[], list: readonly unknown[]): void {
  out.push(OPEN_ARRAY);
  list.forEach((item, i) => {
    if (i > 0) out.push(COMMA);
    if (isObject(item)) out.push(pieceOf(item, null));
    else {
      const json = JSON.stringify(item);
      out.push(json === undefined ? NULL : Buffer.from(json));
    }
  });
  out.push(CLOSE_ARRAY);
}

/**
 * An object as JSON.stringify writes it (own enumerable string keys in their order, undefined values left out), with
 * `inner(key, value, out)` writing the values it knows how to keep (answering true), JSON.stringify the others.
 */
function pushObject(out: Buffer[], record: object, inner: (key: string, value: unknown, out: Buffer[]) => boolean): void {
  out.push(OPEN_OBJECT);
  let first = true;
  for (const key of Object.keys(record)) {
    const value = (record as Record<string, unknown>)[key];
    const mark = out.length;
    if (!first) out.push(COMMA);
    if (inner(key, value, out)) {
      first = false;
      continue;
    }
    const json = JSON.stringify(value);
    if (json === undefined) {
      out.length = mark; // left out, as JSON.stringify does
      continue;
    }
    out.push(keyed(key, json));
    first = false;
  }
  out.push(CLOSE_OBJECT);
}

/** `"key":[...]` with kept elements. */
function keyedArray(key: string, value: unknown, out: Buffer[]): boolean {
  if (!Array.isArray(value)) return false;
  out.push(Buffer.from(`${JSON.stringify(key)}:`));
  pushArray(out, value);
  return true;
}

/** The clock: its per-highlight record's entries kept, the rest (article fields, note) written each time (small). */
function clockEntry(key: string, value: unknown, out: Buffer[]): boolean {
  if (key !== 'highlights' || !isObject(value) || Array.isArray(value)) return false;
  out.push(Buffer.from(`${JSON.stringify(key)}:`));
  pushObject(out, value, (id, clock, entries) => {
    if (!isObject(clock)) return false;
    entries.push(pieceOf(clock, id));
    return true;
  });
  return true;
}

/** The UTF-8 bytes of `JSON.stringify(doc)`, made from the pieces kept since the last write. */
export function annotationFileBytes(doc: SyncDoc): Buffer {
  const out: Buffer[] = [];
  pushObject(out, doc, (key, value, parts) => {
    if (key === 'highlights' || key === 'tombstones') return keyedArray(key, value, parts);
    if (key === 'clock' && isObject(value) && !Array.isArray(value)) {
      parts.push(Buffer.from(`${JSON.stringify(key)}:`));
      pushObject(parts, value, clockEntry);
      return true;
    }
    return false;
  });
  return Buffer.concat(out);
}
