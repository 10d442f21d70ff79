/**
 * The notebook's search (electron/notebook/search/notebook-search.ts): what it finds and where, ranking, the true total
 * and paging, the syntax end to end, updates from events, and the index as a cache (saved, reloaded, stale, damaged).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Article, Highlight, SearchResult } from '../../electron/contract';
import { NotebookSearch, type SearchSource } from '../../electron/notebook/search/notebook-search';
import { makeCorpus, RARE_WORD } from '../../bench/search-corpus';
import { foldText } from '../../electron/notebook/search/fold';

const now = '2024-01-01T00:00:00.000Z';

/** An in-memory notebook behind the search's seam, counting loads. */
class Library implements SearchSource {
  articles = new Map<string, Article>();
  loads = 0;
  gate: Promise<void> | null = null;
  labels: Partial<Record<Highlight['color'], string>> = {};
  async listArticles() {
    return [...this.articles.values()].map(({ text: _t, html: _h, note: _n, highlights: _hl, ...summary }) => summary);
  }
  async loadArticle(id: string): Promise<Article> {
    this.loads++;
    if (this.gate) await this.gate;
    const a = this.articles.get(id);
    if (!a) throw new Error(`no article ${id}`);
    return structuredClone(a);
  }
  async colorLabels() {
    return this.labels;
  }
  put(id: string, title: string, text: string, extra: Partial<Article> = {}): Article {
    const article: Article = { id, title, text, note: '', addedAt: now, updatedAt: now, highlightCount: 0, highlights: [], ...extra };
    this.articles.set(id, article);
    return article;
  }
}

function hl(article: Article, quote: string, extra: Partial<Highlight> = {}): Highlight {
  const start = article.text.indexOf(quote);
  if (start < 0) throw new Error(`no "${quote}"`);
  const h: Highlight = {
    id: `${article.id}-h${article.highlights.length}`, articleId: article.id, start, end: start + quote.length, quote,
    prefix: '', suffix: '', color: 'yellow', tags: [], note: '', createdAt: now, updatedAt: now, ...extra,
  };
  article.highlights.push(h);
  return h;
}

const shown = (r: SearchResult) => r.matches.map((m) => `${m.articleId}:${m.kind}`);

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gloss-search-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function sampleLibrary(): Library {
  const lib = new Library();
  const war = lib.put('war', 'War and Peace (excerpt)', 'Natásha ran into the drawing room. “Man’s greed,” said Pierre, “is the stranding of the whale of state.”\n\nNatásha laughed.');
  hl(war, 'Man’s greed', { color: 'green', tags: ['method'], note: 'Compare the Māori saying.' });
  lib.put('reo', 'Te reo Māori', 'Ko te reo Māori te reo taketake o Aotearoa. A whale stranding on the beach.', { note: 'Natasha: look up whakataukī.' });
  lib.put('cafe', 'Whales of the café', 'Nothing here but coffee and a café crème.');
  return lib;
}

describe('search', () => {
  it('finds what the issue says it missed: natasha, maori, Man\'s greed, stranding whale (any order)', async () => {
    const search = new NotebookSearch(sampleLibrary(), null);
    await search.whenIdle();
    const natasha = await search.search('natasha');
    expect(shown(natasha).sort()).toEqual(['reo:article-note', 'war:text']);
    const text = natasha.matches.find((m) => m.kind === 'text')!;
    expect(text).toMatchObject({ start: 0, end: 7, occurrences: 2 });
    // The article with Māori in its title comes first (shown at its place in the text), then the highlight's note.
    expect(shown(await search.search('maori'))).toEqual(['reo:text', 'war:note']);
    const greed = await search.search("Man's greed");
    expect(shown(greed)).toEqual(['war:quote', 'war:text']); // the highlight first
    expect(greed.matches[1].snippet.slice(...greed.matches[1].snippetMatch!)).toBe('Man’s greed');
    expect(shown(await search.search('stranding whale')).sort()).toEqual(['reo:text', 'war:text']);
    expect(shown(await search.search('"whale stranding"'))).toEqual(['reo:text']);
  });

  it('ranks title matches first, then highlights, then article notes, then text by relevance', async () => {
    const lib = sampleLibrary();
    lib.put('whaling', 'Logbook', 'whale whale whale whale. The whale again, and a whale.');
    const road = lib.put('road', 'The Whale Road', 'An Old English kenning for the sea.');
    hl(lib.articles.get('reo')!, 'on the beach', { note: 'A WHALE, stranded.' });
    const search = new NotebookSearch(lib, null);
    await search.whenIdle();
    const r = await search.search('whale');
    // Title, highlight, then text by BM25: many occurrences first, then the shorter text. ("Whales" is another word:
    // no stemming, so the café's title does not match.)
    expect(shown(r)).toEqual(['road:title', 'reo:note', 'whaling:text', 'reo:text', 'war:text']);
    expect(r.matches[0]).toMatchObject({ start: 4, end: 9, snippet: road.title });
  });

  it('excludes words and phrases, filters by tag, colour (or its label) and article', async () => {
    const lib = sampleLibrary();
    lib.labels = { green: 'Important' };
    const search = new NotebookSearch(lib, null);
    await search.whenIdle();
    expect(shown(await search.search('whale -pierre'))).toEqual(['reo:text']);
    expect(shown(await search.search('whale -"reo maori"'))).toEqual(['war:text']);
    expect(shown(await search.search('greed tag:METHOD'))).toEqual(['war:quote']);
    expect(shown(await search.search('greed color:important'))).toEqual(['war:quote']);
    expect(shown(await search.search('greed color:blue'))).toEqual([]);
    expect(shown(await search.search('tag:method'))).toEqual(['war:quote']); // filters alone list the highlights
    expect(shown(await search.search('whale article:"te reo"'))).toEqual(['reo:text']);
    expect(shown(await search.search('whale article:war'))).toEqual(['war:text']);
    // Phrases are checked in the text: the words apart are not the phrase.
    lib.put('apart', 'Apart', 'The white cat saw a white whale.');
    search.onEvent({ type: 'article-added', articleId: 'apart' });
    await search.whenIdle();
    expect(shown(await search.search('"white whale"'))).toEqual(['apart:text']);
    expect(await search.search('"the white whale"')).toMatchObject({ total: 0, matches: [] });
    expect(shown(await search.search('whale -"white whale"')).sort()).toEqual(['reo:text', 'war:text']);
    const odd = await search.search('greed color:mauve');
    expect(odd.problems).toEqual([expect.stringContaining('"mauve" is not a colour')]);
  });

  it('tells the true total and pages through every result, never a silent cap', async () => {
    const lib = new Library();
    for (const doc of makeCorpus({ articles: 300, words: 300, highlightsPerArticle: 2, seed: 3 })) {
      lib.put(doc.article.id, doc.article.title, doc.article.text, { note: doc.article.note, highlights: doc.highlights });
    }
    const search = new NotebookSearch(lib, null);
    await search.whenIdle();
    const word = foldText([...lib.articles.values()][0].text.split(/\W+/)[2]);
    const truth = [...lib.articles.values()].filter((a) => foldText(`${a.title} ${a.text}`).split(/[^\p{L}\p{N}]+/u).includes(word)).length;
    const first = await search.search(word, {}, { limit: 50 });
    expect(first.total).toBeGreaterThanOrEqual(truth);
    const seen = new Set<string>();
    for (let offset = 0; offset < first.total; offset += 50) {
      const page = await search.search(word, {}, { offset, limit: 50 });
      expect(page.total).toBe(first.total);
      for (const m of page.matches) seen.add(`${m.articleId}:${m.kind}:${m.highlightId ?? ''}`);
    }
    expect(seen.size).toBe(first.total);
    expect([...seen].filter((k) => k.endsWith(':text:') || k.endsWith(':title:')).length).toBe(truth);
    const rare = await search.search(RARE_WORD.toUpperCase());
    expect(rare.matches.map((m) => m.articleId).sort()).toEqual([...lib.articles.keys()].filter((_, i) => i % 100 === 7));
  });

  it('when checking phrases runs out of time, the total says it is an upper bound and pages still show only true matches', async () => {
    const lib = new Library();
    for (let i = 0; i < 30; i++) lib.put(`p${i}`, `Piece ${i}`, i % 3 ? 'whale, the white one' : 'the white whale');
    const search = new NotebookSearch(lib, null, { verifyBudgetMs: 0 });
    await search.whenIdle();
    const r = await search.search('"the white whale"', {}, { limit: 30 });
    expect(r).toMatchObject({ total: 30, totalIsUpperBound: true });
    expect(r.matches.map((m) => m.articleId).sort()).toEqual(['p0', 'p12', 'p15', 'p18', 'p21', 'p24', 'p27', 'p3', 'p6', 'p9']);
    const checked = await new NotebookSearch(lib, null).search('"the white whale"', {}, { limit: 30 });
    expect(checked.total).toBe(10);
    expect(checked.totalIsUpperBound).toBeUndefined();
  });

  it('follows the notebook: a new highlight, an edited one, a deleted one, a changed and a deleted article', async () => {
    const lib = sampleLibrary();
    const search = new NotebookSearch(lib, null);
    await search.whenIdle();
    const reo = lib.articles.get('reo')!;
    const h = hl(reo, 'taketake', { note: 'indigenous' });
    search.onEvent({ type: 'highlight-changed', articleId: 'reo', highlight: h });
    expect(shown(await search.search('indigenous'))).toEqual(['reo:note']);
    search.onEvent({ type: 'highlight-changed', articleId: 'reo', highlight: { ...h, note: 'native' } });
    expect(shown(await search.search('indigenous'))).toEqual([]);
    search.onEvent({ type: 'highlight-deleted', articleId: 'reo', highlightId: h.id });
    expect(shown(await search.search('native'))).toEqual([]);
    lib.put('cafe', 'Whales of the café', 'Now about tea.');
    search.onEvent({ type: 'article-changed', articleId: 'cafe' });
    expect(shown(await search.search('tea'))).toEqual(['cafe:text']); // answered at once (a scan), then indexed
    await search.whenIdle();
    expect(shown(await search.search('coffee'))).toEqual([]);
    lib.articles.delete('war');
    search.onEvent({ type: 'article-deleted', articleId: 'war' });
    expect(shown(await search.search('greed'))).toEqual([]);
  });

  it('a change to an article re-indexes what changed: the note, a replaced highlight, a removed one; the others keep their units', async () => {
    const lib = new Library();
    const words = Array.from({ length: 40 }, (_, i) => `word${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`);
    const book = lib.put('book', 'A book', words.join(' and '));
    for (const w of words) hl(book, w, { note: `about ${w}` });
    // The notebook's side of the seam: its own highlight objects (never changed in place), no text.
    const withPeek = Object.assign(lib, {
      peekAnnotations: (id: string) => {
        const a = lib.articles.get(id);
        return a ? { title: a.title, note: a.note, updatedAt: a.updatedAt, contentKey: 'k1', highlights: a.highlights } : null;
      },
    });
    const search = new NotebookSearch(withPeek, null);
    await search.whenIdle();
    const dead = () => (search as unknown as { postings: { dead: number } }).postings.dead;
    const before = dead();
    const change = (edit: (a: Article) => void) => {
      edit(book);
      book.updatedAt = new Date(Date.parse(book.updatedAt) + 1000).toISOString();
      search.onEvent({ type: 'article-changed', articleId: 'book' });
    };

    change((a) => (a.note = 'marginalia'));
    expect(dead()).toBe(before); // no highlight was tokenized again
    expect(shown(await search.search('marginalia'))).toEqual(['book:article-note']);
    expect(shown(await search.search('wordba'))).toEqual(['book:quote', 'book:text']);

    change((a) => (a.highlights[3] = { ...a.highlights[3], note: 'rewritten' }));
    expect(dead()).toBe(before + 2); // the note's unit and the replaced highlight's
    expect(shown(await search.search('rewritten'))).toEqual(['book:note']);
    expect((await search.search(`about ${words[3]}`)).total).toBe(0);

    change((a) => (a.highlights = a.highlights.filter((_, i) => i !== 5)));
    expect(shown(await search.search(words[5]))).toEqual(['book:text']);
    expect((await search.search('about')).total).toBe(words.length - 2);
  });

  it('a highlight added while its article is being read for the index is indexed too (the read copy predates it)', async () => {
    const lib = sampleLibrary();
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    // Reads the article as it is when asked, and answers later (a disk read in flight while the user highlights).
    const slow = Object.assign(lib, {
      loadArticle: async (id: string) => {
        lib.loads++;
        const copy = structuredClone(lib.articles.get(id)!);
        await gate;
        return copy;
      },
    });
    const search = new NotebookSearch(slow, null);
    await search.start();
    expect(lib.loads).toBe(1); // the first article's read is in flight
    const war = lib.articles.get('war')!;
    const h = hl(war, 'Pierre', { note: 'indigenous' });
    search.onEvent({ type: 'highlight-changed', articleId: 'war', highlight: h });
    open();
    await search.whenIdle();
    expect(shown(await search.search('indigenous'))).toEqual(['war:note']);
  });

  it('building the index steps aside while the notebook writes a file', async () => {
    const lib = sampleLibrary();
    let done!: () => void;
    let writing: Promise<void> | undefined = new Promise((resolve) => (done = resolve));
    const search = new NotebookSearch(Object.assign(lib, { writesInFlight: () => writing }), null);
    await search.start(); // the build has started: it would have asked for its first article by now
    const idle = search.whenIdle();
    expect(lib.loads).toBe(0);
    expect(search.pendingCount).toBe(3);
    writing = undefined;
    done();
    await idle;
    expect(lib.loads).toBe(3);
    expect(search.pendingCount).toBe(0);
  });

  it('is a cache: saved and reloaded without reading unchanged articles, stale ones re-read, a damaged file rebuilt', async () => {
    const file = path.join(dir, 'local', 'cache', 'search-index.bin');
    const lib = sampleLibrary();
    const first = new NotebookSearch(lib, file);
    await first.whenIdle();
    await first.close();
    const saved = await readFile(file);
    expect(saved.length).toBeGreaterThan(100);

    lib.loads = 0;
    lib.articles.get('cafe')!.updatedAt = '2025-01-01T00:00:00.000Z';
    lib.articles.get('cafe')!.text = 'Rooibos only.';
    const second = new NotebookSearch(lib, file);
    await second.whenIdle();
    expect(lib.loads).toBe(1); // only the stale one
    expect(shown(await second.search('rooibos'))).toEqual(['cafe:text']);
    expect(shown(await second.search('natasha')).sort()).toEqual(['reo:article-note', 'war:text']);
    await second.close();

    await writeFile(file, saved.subarray(0, saved.length - 7)); // truncated
    lib.loads = 0;
    const third = new NotebookSearch(lib, file);
    await third.whenIdle();
    expect(lib.loads).toBe(3);
    expect(shown(await third.search('rooibos'))).toEqual(['cafe:text']);
    await third.close();
  });

  it('while building, a search reads unindexed articles for a bounded time and says how many it did not search', async () => {
    const lib = sampleLibrary();
    let open!: () => void;
    lib.gate = new Promise((resolve) => (open = resolve));
    const search = new NotebookSearch(lib, null, { scanBudgetMs: 0 });
    void search.start();
    const r = await search.search('natasha');
    expect(r).toMatchObject({ total: 0, indexing: { pending: 3, unsearched: 3 } });
    open();
    await search.whenIdle();
    expect((await search.search('natasha')).total).toBe(2);
  });

  it('answers in full while the index is still being built (a scan of what is not indexed yet)', async () => {
    const lib = sampleLibrary();
    let open!: () => void;
    lib.gate = new Promise((resolve) => (open = resolve));
    const search = new NotebookSearch(lib, null);
    void search.start();
    const answer = search.search('natasha');
    open();
    const r = await answer;
    expect(shown(r).sort()).toEqual(['reo:article-note', 'war:text']);
  });
});
