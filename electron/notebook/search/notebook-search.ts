/**
 * The notebook's search: a derived index (postings.ts) over article titles and text, highlights (quote, note, tags)
 * and article notes, kept up to date from the Notebook's change events and a loader, saved to the machine's cache
 * folder and loaded at open. Never the truth: a missing, stale or damaged cache is rebuilt from the articles in the
 * background, in small slices so the notebook keeps answering, and until an article is indexed it is searched by a
 * scan, so search always answers in full.
 */
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Article, ArticleSummary, HighlightColor, Highlight, NotebookEvent, SearchFilters, SearchMatch, SearchPage, SearchResult } from '../../contract';
import { writeFileDurably } from '../store/durable-file';
import { CACHE_DIR } from '../store/layout';
import { hasTag } from '../tags';
import { foldText, termCounts, tokensOf } from './fold';
import { FoldedSource, snippet } from './locate';
import { Postings, type Unit, type UnitKind } from './postings';
import { isEmptyQuery, parseQuery, requiredWords, type ParsedQuery } from './query';

export interface SearchSource {
  /** Every live article, in library order (ids, titles and `updatedAt`, the index's staleness stamp). */
  listArticles(): Promise<ArticleSummary[]>;
  /** One article whole (text, note, highlights); rejects if it is gone. */
  loadArticle(id: string): Promise<Article>;
  /** The user's colour labels, so `color:<label>` works. */
  colorLabels(): Promise<Partial<Record<HighlightColor, string>>>;
  /**
   * An article's annotations as they are now, from memory and without its text (null when gone). `contentKey` names
   * its immutable text: while it and the title stay, a change (a note, a tag, a citation key) is re-indexed from this
   * alone, never by reading and tokenizing the whole text again (a 3 MB novel takes ~150 ms of one thread for that).
   */
  peekAnnotations?(id: string): AnnotationsNow | null;
  /**
   * While the notebook writes a file (a user's edit waiting to be acknowledged), a promise that resolves when it is
   * done; undefined when nothing is being written. Building the index (seconds at 10,000 articles) steps aside for it.
   */
  writesInFlight?(): Promise<void> | undefined;
}

export interface AnnotationsNow {
  title: string;
  note: string;
  updatedAt: string;
  contentKey: string;
  highlights: readonly Highlight[];
}

interface ArticleRecord {
  id: string;
  title: string;
  /** The article's updatedAt when indexed; null when a later event changed it in place (refreshed on save). */
  stamp: string | null;
  units: number[];
  /** The content the 'article' unit was made from (SearchSource.peekAnnotations); absent in older saved indexes. */
  contentKey?: string;
}

/** The saved index, in the machine's own cache folder (never synced: it is rebuilt from the articles anywhere). */
export const SEARCH_INDEX_FILE = path.join(CACHE_DIR, 'search-index.bin');
const FORMAT = 3;
const DEFAULT_LIMIT = 20;
/** Work done before yielding to the event loop while building: the notebook answers between slices. */
const SLICE_MS = 12;
const SAVE_DELAY_MS = 5_000;
/** How long a search may spend reading texts to check phrases before it answers with an upper bound (see search()). */
const VERIFY_BUDGET_MS = 80;
const VERIFY_BATCH = 8;
/** How long a search may spend reading articles not indexed yet (while the index is built). */
const SCAN_BUDGET_MS = 150;
const BM25_K1 = 1.2;
const BM25_B = 0.75;

export class NotebookSearch {
  private postings = new Postings();
  private readonly articles = new Map<string, ArticleRecord>();
  /** Articles to (re)index; searched by a scan meanwhile. */
  private readonly pending = new Set<string>();
  private order = new Map<string, number>();
  private nextOrder = 0;
  private building: Promise<void> | null = null;
  private started: Promise<void> | null = null;
  private dirty = false;
  private saveTimer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;

  constructor(
    private readonly source: SearchSource,
    /** Where the index is saved (`local/cache/search-index.bin`), or null to keep it in memory only. */
    private readonly cacheFile: string | null,
    private readonly options: { verifyBudgetMs?: number; scanBudgetMs?: number } = {},
  ) {}

  /** Loads the saved index (if any, if sound), queues what is missing or stale, and starts catching up. */
  start(): Promise<void> {
    this.started ??= this.load().then(() => this.kick());
    return this.started;
  }

  /** Resolves when every article is indexed (tests, the bench). */
  async whenIdle(): Promise<void> {
    await this.start();
    while (this.building) await this.building;
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.saveTimer) clearTimeout(this.saveTimer);
    await this.started?.catch(() => undefined);
    if (this.dirty) await this.save().catch(() => undefined);
  }

  onEvent(event: NotebookEvent): void {
    switch (event.type) {
      case 'article-added':
      case 'article-changed':
        if (!this.order.has(event.articleId)) this.order.set(event.articleId, this.nextOrder++);
        if (event.type === 'article-changed' && this.refreshInPlace(event.articleId)) break;
        this.queue(event.articleId);
        break;
      case 'article-deleted':
        this.drop(event.articleId);
        this.pending.delete(event.articleId);
        this.changed();
        break;
      case 'highlight-changed':
        this.reindexHighlight(event.articleId, event.highlight);
        break;
      case 'highlight-deleted':
        this.removeHighlight(event.articleId, event.highlightId);
        break;
      default:
        break;
    }
  }

  // --- Keeping the index -----------------------------------------------------------------------------------------

  private async load(): Promise<void> {
    const summaries = await this.source.listArticles();
    this.order = new Map(summaries.map((s, i) => [s.id, i]));
    this.nextOrder = summaries.length;
    if (this.cacheFile) {
      try {
        const { postings, extra } = Postings.deserialize(await readFile(this.cacheFile));
        const saved = extra as { format: number; articles: ArticleRecord[] };
        if (saved?.format !== FORMAT || !Array.isArray(saved.articles)) throw new Error('other format');
        this.postings = postings;
        this.highlightUnits = new WeakMap();
        for (const record of saved.articles) this.articles.set(record.id, record);
      } catch {
        // Missing, damaged or of another format: it is only a cache. Start empty; everything is queued below.
        this.postings = new Postings();
        this.highlightUnits = new WeakMap();
        this.articles.clear();
      }
    }
    const live = new Set(summaries.map((s) => s.id));
    for (const id of [...this.articles.keys()]) if (!live.has(id)) this.drop(id);
    for (const s of summaries) {
      const record = this.articles.get(s.id);
      if (!record || record.stamp !== s.updatedAt) this.queue(s.id);
    }
  }

  /** How many changes each article has had while waiting to be indexed (build reads again after one). */
  private readonly changes = new Map<string, number>();

  private touch(id: string): void {
    this.changes.set(id, (this.changes.get(id) ?? 0) + 1);
  }

  private queue(id: string): void {
    this.touch(id);
    this.drop(id);
    this.pending.add(id);
    this.changed();
    this.kick();
  }

  private drop(id: string): void {
    this.titleWords.delete(id);
    const record = this.articles.get(id);
    if (!record) return;
    for (const u of record.units) this.postings.remove(u);
    this.articles.delete(id);
  }

  private kick(): void {
    if (this.building || this.closed || !this.started || this.pending.size === 0) return;
    this.building = this.build().finally(() => {
      this.building = null;
      if (this.pending.size && !this.closed) this.kick();
    });
  }

  private async build(): Promise<void> {
    // Too many dead units (edits, deletions): start over from the articles rather than carry them.
    if (this.postings.dead > 1000 && this.postings.dead > this.postings.liveUnits()) {
      for (const id of this.articles.keys()) this.pending.add(id);
      this.articles.clear();
      this.postings = new Postings();
      this.highlightUnits = new WeakMap();
    }
    let sliceStart = performance.now();
    while (this.pending.size && !this.closed) {
      // A user's write in flight goes first: indexing between its steps would add milliseconds to each of them.
      if (await this.afterWrites()) {
        sliceStart = performance.now();
        continue;
      }
      const id = this.pending.values().next().value as string;
      const seen = this.changes.get(id);
      // Deleted meanwhile (its event will come) or unreadable: nothing to index.
      const keyBefore = this.source.peekAnnotations?.(id)?.contentKey;
      const article = await this.source.loadArticle(id).catch(() => null);
      // A write that started while it loaded goes first too: tokenizing the article is the slow part.
      await this.afterWrites();
      // Changed while it loaded (or while the write went first): the copy read may predate that change, read it again.
      if (this.changes.get(id) !== seen && this.pending.has(id)) continue;
      // Deleted meanwhile: nothing to index.
      if (!this.pending.delete(id)) continue;
      // Its text replaced while it loaded: keep no key, so the next change indexes it whole again.
      const now = this.source.peekAnnotations?.(id);
      const keyAfter = now?.contentKey;
      if (article) this.index(article, keyBefore === keyAfter ? keyAfter : undefined, now?.highlights);
      if (performance.now() - sliceStart > SLICE_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
    }
    this.postings.compact();
    this.changed();
  }

  /**
   * Waits while the notebook writes (answering whether it did), and then one turn of the event loop more: the write's
   * caller gets its answer before indexing takes the thread (the write's promise resolves in the same microtask run).
   */
  private async afterWrites(): Promise<boolean> {
    let waited = false;
    for (let writes = this.source.writesInFlight?.(); writes; writes = this.source.writesInFlight?.()) {
      await writes;
      await new Promise((resolve) => setImmediate(resolve));
      waited = true;
    }
    return waited;
  }

  /**
   * An article whose text and title are what the index holds: only its note and highlights are made again, from
   * memory. False when that cannot be said (not indexed yet, other text or title, no way to peek): index it whole.
   */
  private refreshInPlace(id: string): boolean {
    const record = this.articles.get(id);
    const now = this.source.peekAnnotations?.(id);
    if (!record || !now || record.contentKey === undefined || record.contentKey !== now.contentKey || record.title !== now.title) return false;
    // A highlight object is never changed in place (every edit makes a new one, see Notebook.mutate): the same object
    // as indexed is the same quote, note, tags and colour, and keeps its unit. Only the others are tokenized again, so
    // a note written on a book of 2,000 highlights costs that note, not 2,000 highlights.
    const kept = new Set<number>();
    const added: Highlight[] = [];
    for (const h of now.highlights) {
      const u = this.highlightUnits.get(h);
      const unit = u === undefined ? undefined : this.postings.units[u];
      if (unit?.live && unit.kind === 'highlight' && unit.article === id && unit.ref === h.id && !kept.has(u!)) kept.add(u!);
      else added.push(h);
    }
    record.units = record.units.filter((u) => {
      if (this.postings.units[u].kind === 'article' || kept.has(u)) return true;
      this.postings.remove(u);
      return false;
    });
    if (now.note.trim()) record.units.push(this.postings.add({ article: id, kind: 'article-note' }, termCounts(now.note)));
    for (const h of added) record.units.push(this.addHighlightUnit(h));
    record.stamp = now.updatedAt;
    this.changed();
    return true;
  }

  /** `held`: the highlight objects the notebook holds now; those equal to what was indexed are known by their unit. */
  private index(article: Article, contentKey?: string, held?: readonly Highlight[]): void {
    const record: ArticleRecord = { id: article.id, title: article.title, stamp: article.updatedAt, units: [], ...(contentKey && { contentKey }) };
    record.units.push(this.postings.add({ article: article.id, kind: 'article' }, termCounts(`${article.title}\n\n${article.text}`)));
    if (article.note.trim()) record.units.push(this.postings.add({ article: article.id, kind: 'article-note' }, termCounts(article.note)));
    const heldById = new Map(held?.map((h) => [h.id, h]));
    for (const h of article.highlights) {
      const unit = this.addHighlightUnit(h);
      record.units.push(unit);
      const mine = heldById.get(h.id);
      if (mine && indexedAlike(mine, h)) this.highlightUnits.set(mine, unit);
    }
    this.articles.set(article.id, record);
  }

  /** The unit each highlight object was indexed as (in memory only: a loaded index refreshes an article whole once). */
  private highlightUnits = new WeakMap<Highlight, number>();

  private addHighlightUnit(h: Highlight): number {
    const unit = this.postings.add({ article: h.articleId, kind: 'highlight', ref: h.id, color: h.color, tags: h.tags }, termCounts(highlightText(h)));
    this.highlightUnits.set(h, unit);
    return unit;
  }

  private reindexHighlight(articleId: string, h: Highlight): void {
    const record = this.articles.get(articleId);
    if (!record) return this.touch(articleId); // Pending: it will be read whole (again, if being read now).
    this.removeHighlight(articleId, h.id);
    record.units.push(this.addHighlightUnit(h));
  }

  private removeHighlight(articleId: string, highlightId: string): void {
    const record = this.articles.get(articleId);
    if (!record) return this.touch(articleId);
    record.units = record.units.filter((u) => {
      const unit = this.postings.units[u];
      if (unit.kind === 'highlight' && unit.ref === highlightId) {
        this.postings.remove(u);
        return false;
      }
      return true;
    });
    record.stamp = null;
    this.changed();
  }

  private changed(): void {
    this.dirty = true;
    if (!this.cacheFile || this.closed) return;
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      if (this.building) this.changed();
      else void this.save().catch(() => undefined);
    }, SAVE_DELAY_MS);
    this.saveTimer.unref?.();
  }

  /** Writes the index to the cache folder (atomically: a crash leaves the old one or none, never half of one). */
  async save(): Promise<void> {
    if (!this.cacheFile) return;
    this.dirty = false;
    const stale = [...this.articles.values()].filter((r) => r.stamp === null);
    if (stale.length) {
      const now = new Map((await this.source.listArticles()).map((s) => [s.id, s.updatedAt]));
      for (const r of stale) r.stamp = now.get(r.id) ?? null;
    }
    await mkdir(path.dirname(this.cacheFile), { recursive: true });
    const bytes = this.postings.serialize({ format: FORMAT, articles: [...this.articles.values()] });
    await writeFileDurably(this.cacheFile, bytes);
  }

  /** Forgets the saved index (a test, or a user clearing caches). */
  async discardCache(): Promise<void> {
    if (this.cacheFile) await rm(this.cacheFile, { force: true });
  }

  // --- Searching -------------------------------------------------------------------------------------------------

  async search(query: string, filters: SearchFilters = {}, page: SearchPage = {}): Promise<SearchResult> {
    await this.start();
    const offset = page.offset ?? 0;
    const limit = Math.min(200, page.limit ?? DEFAULT_LIMIT);
    const labels = await this.source.colorLabels();
    const byLabel: Record<string, HighlightColor> = {};
    for (const [color, label] of Object.entries(labels)) if (label) byLabel[foldText(label.trim())] = color as HighlightColor;
    const q = parseQuery(query, byLabel);
    const problems = q.unknownColors.map((c) => `"${c}" is not a colour or a colour label; it was left out of the search.`);
    const tags = [...q.tags, ...(filters.tags ?? [])];
    const colors = [...q.colors, ...(filters.colors ?? [])];
    const scope = this.articleScope(q, filters);
    const highlightsOnly = tags.length > 0 || colors.length > 0;
    let unsearched = 0;
    const result = (total: number, matches: SearchMatch[]): SearchResult => ({
      total,
      offset,
      limit,
      matches,
      ...(this.pending.size && { indexing: { pending: this.pending.size, unsearched } }),
      ...(problems.length && { problems }),
    });
    if (isEmptyQuery(q) && !highlightsOnly) return result(0, []);

    const accepts = (unit: Unit): boolean =>
      (!scope || scope.has(unit.article)) &&
      (!highlightsOnly ||
        (unit.kind === 'highlight' &&
          (!colors.length || colors.includes(unit.color as HighlightColor)) &&
          (!tags.length || tags.some((t) => hasTag(unit.tags ?? [], t)))));

    const loaded = new Map<string, Promise<Article | null>>();
    const load = (id: string): Promise<Article | null> => {
      let p = loaded.get(id);
      if (!p) loaded.set(id, (p = this.source.loadArticle(id).catch(() => null)));
      return p;
    };

    let found: Candidate[] = this.fromIndex(q, accepts);
    // The index knows words, not their order: a phrase (or an excluded one) is checked in the text. In rank order,
    // for a bounded time; what is left unchecked stays counted (so `total` is then an upper bound, and says so) and
    // is checked when its page is shown.
    let unchecked = 0;
    if (q.phrases.length > 0 || q.excluded.some((e) => e.length > 1)) {
      found.sort(this.byRank);
      const deadline = performance.now() + (this.options.verifyBudgetMs ?? VERIFY_BUDGET_MS);
      const kept: Candidate[] = [];
      let i = 0;
      while (i < found.length && performance.now() < deadline) {
        const batch = found.slice(i, i + VERIFY_BATCH);
        i += batch.length;
        const holds = await Promise.all(batch.map(async (c) => this.holdsWhole(await load(c.article), c, q)));
        batch.forEach((c, k) => holds[k] && kept.push(c));
      }
      const rest = found.slice(i).map((c) => ({ ...c, unchecked: true }));
      unchecked = rest.length;
      found = [...kept, ...rest];
    }
    // Articles not indexed yet are read and searched directly, for a bounded time (a library indexing from nothing
    // must not make each keystroke read all of it); how many were left unsearched is said, never hidden.
    const scanUntil = performance.now() + (this.options.scanBudgetMs ?? SCAN_BUDGET_MS);
    for (const id of [...this.pending]) {
      if (scope && !scope.has(id)) continue;
      if (performance.now() > scanUntil) {
        unsearched++;
        continue;
      }
      const article = await load(id);
      if (article) found.push(...scanArticle(article, q, accepts));
    }
    found.sort(this.byRank);

    const matches: SearchMatch[] = [];
    const shown = found.slice(offset, offset + limit);
    // The page's articles are read together (from disk, on demand): one wait, not twenty in a row.
    await Promise.all(shown.map((c) => load(c.article)));
    for (const c of shown) {
      const article = await load(c.article);
      if (!article || (c.unchecked && !this.holdsWhole(article, c, q))) continue;
      const match = describe(article, c, q);
      if (match) matches.push(match);
    }
    return { ...result(found.length, matches), ...(unchecked > 0 && { totalIsUpperBound: true }) };
  }

  private readonly byRank = (a: Candidate, b: Candidate): number =>
    a.tier - b.tier || b.score - a.score || this.rank(a.article) - this.rank(b.article) || a.order - b.order;

  private holdsWhole(article: Article | null, c: Candidate, q: ParsedQuery): boolean {
    const text = article && unitText(article, c);
    return text !== null && text !== undefined && matchesWhole(new FoldedSource(text), q);
  }

  /** Folded title words per article, made when first asked: ranking asks of every candidate whether its title holds the query. */
  private readonly titleWords = new Map<string, Set<string>>();

  private titleHolds(articleId: string, q: ParsedQuery): boolean {
    const title = this.articles.get(articleId)?.title;
    if (title === undefined) return false;
    let words = this.titleWords.get(articleId);
    if (!words) this.titleWords.set(articleId, (words = new Set(tokensOf(foldText(title)).map((t) => t.term))));
    if (!q.terms.every((t) => words.has(t)) || !q.phrases.every((p) => p.every((w) => words.has(w)))) return false;
    return q.phrases.length === 0 || titleHolds(title, q);
  }

  private rank(articleId: string): number {
    return this.order.get(articleId) ?? Number.MAX_SAFE_INTEGER;
  }

  /** The article: filter (ids, or words of a title) and the caller's articleIds, as one set; null for no narrowing. */
  private articleScope(q: ParsedQuery, filters: SearchFilters): Set<string> | null {
    let scope: Set<string> | null = filters.articleIds?.length ? new Set(filters.articleIds) : null;
    for (const wanted of q.articles) {
      const words = tokensOf(foldText(wanted)).map((t) => t.term);
      const hits = new Set<string>();
      for (const id of this.order.keys()) {
        if (id === wanted) hits.add(id);
        else {
          const title = this.articles.get(id)?.title;
          if (title && words.length && new FoldedSource(title).has(words)) hits.add(id);
        }
      }
      scope = scope ? new Set([...scope].filter((id) => hits.has(id))) : hits;
    }
    return scope;
  }

  /** Units holding every required word and none of the excluded single words, scored by BM25. */
  private fromIndex(q: ParsedQuery, accepts: (unit: Unit) => boolean): Candidate[] {
    const { units } = this.postings;
    const words = requiredWords(q).sort((a, b) => this.postings.unitFrequency(a) - this.postings.unitFrequency(b));
    const out: Candidate[] = [];
    if (words.length === 0) {
      units.forEach((unit, u) => {
        if (unit.live && accepts(unit)) out.push({ unit: u, article: unit.article, kind: unit.kind, ref: unit.ref, tier: 1, score: 0, order: u });
      });
      return out;
    }
    const hits = new Uint8Array(units.length);
    const scores = new Float64Array(units.length);
    const n = Math.max(1, this.postings.liveUnits());
    words.forEach((word, i) => {
      const df = this.postings.unitFrequency(word);
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      this.postings.forEachPosting(word, (u, tf) => {
        if (hits[u] !== i) return;
        hits[u] = i + 1;
        const unit = units[u];
        const norm = 1 - BM25_B + (BM25_B * unit.length) / this.postings.averageLength(unit.kind);
        scores[u] += (idf * tf * (BM25_K1 + 1)) / (tf + BM25_K1 * norm);
      });
    });
    for (const excluded of q.excluded) if (excluded.length === 1) this.postings.forEachPosting(excluded[0], (u) => (hits[u] = 0));
    const all = words.length;
    for (let u = 0; u < units.length; u++) {
      if (hits[u] !== all) continue;
      const unit = units[u];
      if (!accepts(unit)) continue;
      const inTitle = unit.kind === 'article' && this.titleHolds(unit.article, q);
      out.push({ unit: u, article: unit.article, kind: unit.kind, ref: unit.ref, tier: tierOf(unit.kind, inTitle), score: scores[u], order: u });
    }
    return out;
  }
}

interface Candidate {
  unit: number;
  article: string;
  kind: UnitKind;
  ref?: string;
  /** 0 title, 1 highlight, 2 article note, 3 text: "title and highlight matches first, then relevance". */
  tier: number;
  score: number;
  order: number;
  /** Its phrase not checked in its text yet (the time for checking ran out): checked when shown. */
  unchecked?: boolean;
}

function tierOf(kind: UnitKind, inTitle: boolean): number {
  if (kind === 'highlight') return 1;
  if (kind === 'article-note') return 2;
  return inTitle ? 0 : 3;
}

function titleHolds(title: string, q: ParsedQuery): boolean {
  const source = new FoldedSource(title);
  return q.terms.every((t) => source.has([t])) && q.phrases.every((p) => source.has(p));
}

/** Whether two versions of a highlight make the same unit (text, colour and tags). */
function indexedAlike(a: Highlight, b: Highlight): boolean {
  return a.color === b.color && a.quote === b.quote && a.note === b.note && a.tags.length === b.tags.length && a.tags.every((t, i) => t === b.tags[i]);
}

function highlightText(h: Highlight): string {
  return `${h.quote}\n\n${h.note}\n\n${h.tags.join('\n')}`;
}

function unitText(article: Article, c: { kind: UnitKind; ref?: string }): string | null {
  if (c.kind === 'article') return `${article.title}\n\n${article.text}`;
  if (c.kind === 'article-note') return article.note;
  const h = article.highlights.find((x) => x.id === c.ref);
  return h ? highlightText(h) : null;
}

/** Every word and phrase present, no exclusion present: the whole query against one unit's text. */
function matchesWhole(source: FoldedSource, q: ParsedQuery): boolean {
  return q.terms.every((t) => source.has([t])) && q.phrases.every((p) => source.has(p)) && !q.excluded.some((e) => source.has(e));
}

/** An article not yet indexed, searched directly. */
function scanArticle(article: Article, q: ParsedQuery, accepts: (unit: Unit) => boolean): Candidate[] {
  const out: Candidate[] = [];
  const consider = (kind: UnitKind, text: string, unit: Unit, ref?: string, inTitle = false): void => {
    if (!accepts(unit)) return;
    if (isEmptyQuery(q) ? q.excluded.some((e) => new FoldedSource(text).has(e)) : !matchesWhole(new FoldedSource(text), q)) return;
    out.push({ unit: -1, article: article.id, kind, ref, tier: tierOf(kind, inTitle), score: 0, order: out.length });
  };
  const base = { article: article.id, length: 0, live: true };
  consider('article', `${article.title}\n\n${article.text}`, { ...base, kind: 'article' }, undefined, titleHolds(article.title, q));
  if (article.note.trim()) consider('article-note', article.note, { ...base, kind: 'article-note' });
  for (const h of article.highlights) consider('highlight', highlightText(h), { ...base, kind: 'highlight', ref: h.id, color: h.color, tags: h.tags }, h.id);
  return out;
}

/** A result as the user sees it: where exactly the match is, a snippet around it. */
function describe(article: Article, c: Candidate, q: ParsedQuery): SearchMatch | null {
  const base = { articleId: article.id, articleTitle: article.title };
  const patterns = [...q.phrases, ...q.terms.map((t) => [t])];
  const at = (text: string): { start: number; end: number; occurrences: number } | null => {
    if (!patterns.length) return null;
    const source = new FoldedSource(text);
    const best = source.first(patterns);
    // The words standing together as typed ("man's greed" in any case, quotes and accents) is the place to show.
    const together = best && q.sequence.length > 1 ? source.first([q.sequence]) : null;
    return together ? { ...together, occurrences: best!.occurrences } : best;
  };
  const shown = (kind: SearchMatch['kind'], text: string, m: { start: number; end: number }, extra: Partial<SearchMatch> = {}): SearchMatch => {
    const s = snippet(text, m.start, m.end);
    return { ...base, kind, start: m.start, end: m.end, snippet: s.snippet, snippetMatch: s.at, ...extra };
  };
  if (c.kind === 'article') {
    const inText = at(article.text);
    if (inText) return shown('text', article.text, inText, { occurrences: inText.occurrences });
    const inTitle = at(article.title);
    return shown('title', article.title, inTitle ?? { start: 0, end: 0 });
  }
  if (c.kind === 'article-note') return shown('article-note', article.note, at(article.note) ?? { start: 0, end: 0 });
  const h = article.highlights.find((x) => x.id === c.ref);
  if (!h) return null;
  const inQuote = at(h.quote);
  if (inQuote || !patterns.length) return shown('quote', h.quote, inQuote ?? { start: 0, end: 0 }, { highlightId: h.id });
  const inNote = at(h.note);
  return inNote ? shown('note', h.note, inNote, { highlightId: h.id }) : shown('quote', h.quote, { start: 0, end: 0 }, { highlightId: h.id });
}
