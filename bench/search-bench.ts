/**
 * Notebook-wide search over 1,000 articles, through the real Notebook (files on disk, opened the way the app opens
 * them). Standalone: `npx jiti bench/search-bench.ts [articles] [words]` (defaults 1000 and 2000). Prints one JSON
 * line per measurement (median and p95 of repeated runs, in ms) so bench/run.* can collect them.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { HighlightFilters, SearchFilters } from '../electron/contract';
import { ARTICLES_DIR, INDEX_FILE, Notebook } from '../electron/notebook/notebook';
import { makeCorpus, RARE_WORD } from './search-corpus';

const RUNS = 15;

async function main(): Promise<void> {
  const articles = Number(process.argv[2] ?? 1000);
  const words = Number(process.argv[3] ?? 2000);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gloss-search-bench-'));
  try {
    const docs = makeCorpus({ articles, words, highlightsPerArticle: 10, seed: 42 });
    await mkdir(path.join(dir, ARTICLES_DIR), { recursive: true });
    for (const doc of docs) await writeFile(path.join(dir, ARTICLES_DIR, `${doc.article.id}.json`), JSON.stringify(doc));
    const index = { schemaVersion: 1, articleIds: docs.map((d) => d.article.id), settings: { colorLabels: {} }, seeded: true };
    await writeFile(path.join(dir, INDEX_FILE), JSON.stringify(index));
    const textChars = docs.reduce((n, d) => n + d.article.text.length, 0);

    const t0 = performance.now();
    const notebook = await Notebook.open(dir);
    report('open notebook', [performance.now() - t0], { articles, textMB: +(textChars / 1e6).toFixed(1) });

    const commonWord = docs[0].article.text.split(' ')[3];
    const searches: [string, string, SearchFilters][] = [
      ['rare word (10 hits)', RARE_WORD, {}],
      ['no match', 'qqqxqqq', {}],
      ['common word (capped at 500)', commonWord, {}],
      ['phrase, mixed case', 'The ZEPHYRINE clause', {}],
      ['non-ASCII', 'genève', {}],
      ['tag filter', 'note', { tags: ['retaliation'] }],
      ['colour filter', 'compare', { colors: ['green', 'blue'] }],
    ];
    for (const [label, query, filters] of searches) {
      let count = 0;
      const times = await repeat(async () => {
        count = (await notebook.search(query, filters)).total;
      });
      report(`search: ${label}`, times, { matches: count });
    }
    const lists: [string, HighlightFilters][] = [
      ['all highlights', {}],
      ['tag', { tags: ['Iran'] }],
      ['tag + colour + text', { tags: ['oil', 'sanctions'], colors: ['pink'], text: 'compare' }],
    ];
    for (const [label, filters] of lists) {
      let count = 0;
      const times = await repeat(async () => {
        count = (await notebook.listHighlights(filters)).length;
      });
      report(`listHighlights: ${label}`, times, { highlights: count });
    }
    let tags = 0;
    report('listTags', await repeat(async () => void (tags = (await notebook.listTags()).length)), { tags });
    await notebook.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function repeat(fn: () => Promise<void>): Promise<number[]> {
  await fn(); // warm-up: the regex compiles, the JIT settles
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return times;
}

function report(name: string, times: number[], extra: Record<string, unknown>): void {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number): number => +sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(1);
  console.log(JSON.stringify({ bench: 'search', name, medianMs: at(0.5), p95Ms: at(0.95), ...extra }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
