/**
 * A compact inverted index: for each folded term, the units (an article's title and text, one highlight, one article
 * note) that contain it, with how often. Postings are delta- and varint-encoded in one growable byte array per term,
 * about 2 bytes a posting, so 10,000 articles of 20 KB (≈15 million postings) fit in tens of MB where MiniSearch's
 * Map-per-term layout took 528 MB of heap (measured: README, Search). Units are only ever appended: an edited unit is
 * marked dead and added again, and the whole index is rebuilt when dead units outweigh live ones.
 */

export type UnitKind = 'article' | 'highlight' | 'article-note';

export interface Unit {
  article: string;
  kind: UnitKind;
  /** The highlight's id (kind 'highlight'). */
  ref?: string;
  /** Words in the unit (BM25's document length). */
  length: number;
  live: boolean;
  /** Highlights: what the tag and colour filters look at. */
  color?: string;
  tags?: string[];
}

class PostingList {
  bytes: Uint8Array;
  size = 0;
  last = -1;
  count = 0;
  constructor(capacity = 8) {
    this.bytes = new Uint8Array(capacity);
  }

  push(unit: number, tf: number): void {
    if (this.size + 10 > this.bytes.length) {
      const grown = new Uint8Array(Math.max(16, this.bytes.length * 2));
      grown.set(this.bytes.subarray(0, this.size));
      this.bytes = grown;
    }
    this.writeVarint(unit - this.last);
    this.writeVarint(tf);
    this.last = unit;
    this.count++;
  }

  private writeVarint(n: number): void {
    while (n >= 0x80) {
      this.bytes[this.size++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    this.bytes[this.size++] = n;
  }

  forEach(visit: (unit: number, tf: number) => void): void {
    const b = this.bytes;
    let unit = -1;
    for (let i = 0; i < this.size; ) {
      let delta = 0;
      let shift = 0;
      for (;;) {
        const byte = b[i++];
        delta |= (byte & 0x7f) << shift;
        if (byte < 0x80) break;
        shift += 7;
      }
      let tf = 0;
      shift = 0;
      for (;;) {
        const byte = b[i++];
        tf |= (byte & 0x7f) << shift;
        if (byte < 0x80) break;
        shift += 7;
      }
      unit += delta;
      visit(unit, tf);
    }
  }

  /** Trims spare capacity (after a build, before saving). */
  compact(): void {
    if (this.bytes.length > this.size) this.bytes = this.bytes.slice(0, this.size);
  }
}

export class Postings {
  readonly units: Unit[] = [];
  private readonly terms = new Map<string, PostingList>();
  /** Live units and their total length per kind, for BM25's average length. */
  private readonly liveCount: Record<UnitKind, number> = { article: 0, highlight: 0, 'article-note': 0 };
  private readonly liveLength: Record<UnitKind, number> = { article: 0, highlight: 0, 'article-note': 0 };
  dead = 0;

  add(unit: Omit<Unit, 'live' | 'length'>, { counts, words: length }: { counts: Map<string, number>; words: number }): number {
    const id = this.units.length;
    for (const [term, tf] of counts) {
      let list = this.terms.get(term);
      if (!list) this.terms.set(term, (list = new PostingList()));
      list.push(id, Math.min(tf, 0xffff));
    }
    this.units.push({ ...unit, length, live: true });
    this.liveCount[unit.kind]++;
    this.liveLength[unit.kind] += length;
    return id;
  }

  remove(id: number): void {
    const unit = this.units[id];
    if (!unit?.live) return;
    unit.live = false;
    this.dead++;
    this.liveCount[unit.kind]--;
    this.liveLength[unit.kind] -= unit.length;
  }

  /** Live units containing the term, with its frequency. */
  forEachPosting(term: string, visit: (unit: number, tf: number) => void): void {
    this.terms.get(term)?.forEach((u, tf) => {
      if (this.units[u].live) visit(u, tf);
    });
  }

  /** How many units (live or dead) hold the term: for IDF, an estimate that errs only while dead units wait. */
  unitFrequency(term: string): number {
    return this.terms.get(term)?.count ?? 0;
  }

  averageLength(kind: UnitKind): number {
    return this.liveCount[kind] ? this.liveLength[kind] / this.liveCount[kind] : 1;
  }

  liveUnits(): number {
    return this.units.length - this.dead;
  }

  get termCount(): number {
    return this.terms.size;
  }

  // --- Saving and loading: a JSON header and the posting bytes, one after another --------------------------------

  serialize(extra: unknown): Buffer {
    const names: string[] = [];
    const meta: number[] = [];
    const chunks: Uint8Array[] = [];
    for (const [term, list] of this.terms) {
      names.push(term);
      meta.push(list.size, list.count, list.last);
      chunks.push(list.bytes.subarray(0, list.size));
    }
    const header = Buffer.from(JSON.stringify({ units: this.units, names, meta, extra }), 'utf8');
    const prefix = Buffer.alloc(8);
    prefix.write('GLSI', 0, 'latin1');
    prefix.writeUInt32LE(header.length, 4);
    return Buffer.concat([prefix, header, ...chunks]);
  }

  static deserialize(bytes: Buffer): { postings: Postings; extra: unknown } {
    if (bytes.length < 8 || bytes.toString('latin1', 0, 4) !== 'GLSI') throw new Error('not a Gloss search index');
    const headerLength = bytes.readUInt32LE(4);
    const header = JSON.parse(bytes.toString('utf8', 8, 8 + headerLength)) as { units: Unit[]; names: string[]; meta: number[]; extra: unknown };
    const postings = new Postings();
    let at = 8 + headerLength;
    header.names.forEach((term, i) => {
      const [size, count, last] = header.meta.slice(i * 3, i * 3 + 3);
      if (at + size > bytes.length) throw new Error('search index truncated');
      const list = new PostingList(0);
      list.bytes = new Uint8Array(bytes.subarray(at, at + size));
      list.size = size;
      list.count = count;
      list.last = last;
      postings.terms.set(term, list);
      at += size;
    });
    if (at !== bytes.length) throw new Error('search index has trailing bytes');
    for (const unit of header.units) {
      postings.units.push(unit);
      if (unit.live) {
        postings.liveCount[unit.kind]++;
        postings.liveLength[unit.kind] += unit.length;
      } else postings.dead++;
    }
    return { postings, extra: header.extra };
  }

  compact(): void {
    for (const list of this.terms.values()) list.compact();
  }
}
