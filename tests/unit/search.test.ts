/** Notebook-wide search (electron/notebook/search.ts): what it finds, where, with which offsets, and how fast. */
import { describe, expect, it } from 'vitest';
import type { SearchMatch } from '../../electron/contract';
import { searchNotebook } from '../../electron/notebook/search';
import type { ArticleDoc } from '../../electron/notebook/notebook';
import { makeCorpus, RARE_WORD } from '../../bench/search-corpus';

const now = '2024-01-01T00:00:00.000Z';

function doc(id: string, text: string, extra: Partial<ArticleDoc['article']> = {}, highlights: ArticleDoc['highlights'] = []): ArticleDoc {
  return { schemaVersion: 1, article: { id, title: `Title ${id}`, addedAt: now, updatedAt: now, text, note: '', ...extra }, highlights };
}

function hl(articleId: string, text: string, quote: string, extra: Partial<ArticleDoc['highlights'][number]> = {}) {
  const start = text.indexOf(quote);
  return {
    id: `${articleId}-${start}`,
    articleId,
    start,
    end: start + quote.length,
    quote,
    prefix: '',
    suffix: '',
    color: 'yellow' as const,
    tags: [],
    note: '',
    createdAt: now,
    updatedAt: now,
    ...extra,
  };
}

const kinds = (matches: SearchMatch[]) => matches.map((m) => `${m.articleId}:${m.kind}`);

describe('searchNotebook', () => {
  const textA = 'Soleimani, who headed the Quds Force, was killed.\n\nThe STRIKE came at night.';
  const textB = 'İstanbul and straße: the strike was condemned.';
  const docs = [
    doc('a', textA, { note: 'Follow up on the strike timeline.' }, [
      hl('a', textA, 'the Quds Force', { tags: ['Iran'], color: 'green', note: 'Elite unit; see the strike report.' }),
    ]),
    doc('b', textB, {}, [hl('b', textB, 'the strike was condemned', { tags: ['reaction'] })]),
  ];

  it('finds article text, quotes, notes and article notes, case-insensitively, in library order', () => {
    const found = searchNotebook(docs, 'Strike', {});
    expect(kinds(found)).toEqual(['a:text', 'a:article-note', 'a:note', 'b:text', 'b:quote']);
    expect(found[0]).toMatchObject({ articleTitle: 'Title a', snippet: expect.stringContaining('STRIKE') });
    expect(found.find((m) => m.kind === 'note')?.highlightId).toBe(docs[0].highlights[0].id);
  });

  it('returns offsets into the original strings, even after characters whose case folding changes length', () => {
    for (const m of searchNotebook(docs, 'strike', {})) {
      const source =
        m.kind === 'text' ? docs.find((d) => d.article.id === m.articleId)!.article.text
        : m.kind === 'article-note' ? docs.find((d) => d.article.id === m.articleId)!.article.note
        : (() => {
            const h = docs.flatMap((d) => d.highlights).find((x) => x.id === m.highlightId)!;
            return m.kind === 'quote' ? h.quote : h.note;
          })();
      expect(source.slice(m.start, m.end).toLowerCase()).toBe('strike');
    }
  });

  it('treats the query literally and ignores an empty one', () => {
    expect(searchNotebook(docs, '   ', {})).toEqual([]);
    expect(searchNotebook(docs, '.*', {})).toEqual([]);
    expect(kinds(searchNotebook(docs, 'Force,', {}))).toEqual(['a:text']); // the quote ends before the comma
    expect(kinds(searchNotebook(docs, 'quds force', {}))).toEqual(['a:text', 'a:quote']);
  });

  it('with tag or colour filters, searches only matching highlights; article ids narrow everything', () => {
    expect(kinds(searchNotebook(docs, 'strike', { tags: ['IRAN'] }))).toEqual(['a:note']);
    expect(kinds(searchNotebook(docs, 'strike', { colors: ['yellow'] }))).toEqual(['b:quote']);
    expect(kinds(searchNotebook(docs, 'strike', { articleIds: ['b'] }))).toEqual(['b:text', 'b:quote']);
  });

  it('searches 1,000 articles (2 million words) quickly and finds every planted word', () => {
    const corpus = makeCorpus({ articles: 1000, words: 2000, highlightsPerArticle: 10, seed: 7 });
    searchNotebook(corpus, 'warm up', {});
    const t0 = performance.now();
    const found = searchNotebook(corpus, RARE_WORD.toUpperCase(), {});
    const elapsed = performance.now() - t0;
    expect(found.map((m) => m.articleId)).toEqual(corpus.filter((_, i) => i % 100 === 7).map((d) => d.article.id));
    // Generous bound for a shared 2-core machine; bench/search-bench.ts measures it properly.
    expect(elapsed).toBeLessThan(1500);
    // A common word is capped, not a wall of results.
    expect(searchNotebook(corpus, 'ka', {}).length).toBeLessThanOrEqual(500);
  });
});
