/**
 * Export speed: 10,000 highlights across 100 articles, through the real Notebook (files on disk, opened the way the
 * app opens them). Standalone: `npx jiti bench/export-bench.ts [articles] [highlightsPerArticle] [runs]` (defaults
 * 100, 100, 7). Prints one JSON line per measurement — median, p95 and min of the runs, in ms — so bench/run.* can
 * collect them, then a one-line summary against the bar ("well under a second").
 *
 * Measured: exportMarkdown of the whole notebook (document order, and grouped by tag), of one tag, the W3C export,
 * the backup, and exportToFolder into an empty folder (100 files written, fsync each) and again in place (nothing
 * changed, so nothing written: hashing and comparing only).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { HIGHLIGHT_COLORS, type Highlight } from '../electron/contract';
import { mulberry32 } from './search-corpus';
import { ARTICLES_DIR, INDEX_FILE, Notebook, type ArticleDoc } from '../electron/notebook/notebook';

/** Words that exercise the escaper (Markdown and HTML syntax, RTL, emoji), in prose-like runs. */
const WORDS = 'lorem ipsum *dolor* sit_amet <consectetur> [adipiscing] elit # sed do eiusmod 1. tempor | עברית 🎉 a\\b'.split(' ');
const TAGS = ['method', 'Key claim', 'evidence', 'Iran', 'élection', '東京', 'to read', 'quote'];

function makeNotebookDocs(articles: number, perArticle: number, seed = 6): ArticleDoc[] {
  const random = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const docs: ArticleDoc[] = [];
  for (let a = 0; a < articles; a++) {
    const id = `bench${String(a).padStart(4, '0')}`;
    const paragraphs: string[] = [];
    for (let p = 0; p < perArticle * 2; p++) paragraphs.push(Array.from({ length: 40 }, () => pick(WORDS)).join(' '));
    const text = paragraphs.join('\n\n');
    const highlights: Highlight[] = [];
    let at = 0;
    for (let h = 0; h < perArticle; h++) {
      const start = text.indexOf(' ', at + 10) + 1;
      const end = Math.min(text.length, start + 60 + Math.floor(random() * 200)); // some cross a paragraph boundary
      const quote = text.slice(start, end);
      highlights.push({
        id: `${id}h${String(h).padStart(4, '0')}`,
        articleId: id,
        start,
        end,
        quote,
        prefix: text.slice(Math.max(0, start - 32), start),
        suffix: text.slice(end, end + 32),
        color: pick(HIGHLIGHT_COLORS),
        tags: [pick(TAGS), ...(random() < 0.3 ? [pick(TAGS)] : [])].filter((t, i, all) => all.indexOf(t) === i),
        note: random() < 0.4 ? `A note with **Markdown** and a [link](https://example.com/${h}).` : '',
        createdAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-01T00:00:00.000Z',
      });
      at = end;
    }
    docs.push({
      schemaVersion: 1,
      article: {
        id,
        title: `Article ${a}: "quotes", #hashes & <tags> — עברית`,
        byline: 'A. Writer',
        source: `https://example.com/articles/${a}`,
        addedAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-01T00:00:00.000Z',
        text,
        note: a % 3 === 0 ? `Article note ${a}` : '',
      },
      highlights,
    });
  }
  return docs;
}

function stats(samples: number[]): { median: number; p95: number; min: number } {
  const s = [...samples].sort((x, y) => x - y);
  const q = (p: number): number => {
    const i = (s.length - 1) * p;
    const lo = Math.floor(i);
    return s[lo] + (s[Math.ceil(i)] - s[lo]) * (i - lo);
  };
  const round = (x: number): number => Math.round(x * 10) / 10;
  return { median: round(q(0.5)), p95: round(q(0.95)), min: round(s[0]) };
}

async function time(runs: number, fn: (run: number) => Promise<unknown>): Promise<number[]> {
  await fn(-1); // warm-up: JIT, lazy module state
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn(i);
    samples.push(performance.now() - t0);
  }
  return samples;
}

const results: Record<string, number> = {};
function report(name: string, samples: number[], extra: Record<string, unknown> = {}): void {
  const s = stats(samples);
  results[name] = s.median;
  console.log(JSON.stringify({ bench: 'export', name, runs: samples.length, ...s, ...extra }));
}

export async function runExportBench(articles = 100, perArticle = 100, runs = 7): Promise<Record<string, number>> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'gloss-export-bench-'));
  const dir = path.join(root, 'notebook');
  try {
    const docs = makeNotebookDocs(articles, perArticle);
    await mkdir(path.join(dir, ARTICLES_DIR), { recursive: true });
    for (const doc of docs) await writeFile(path.join(dir, ARTICLES_DIR, `${doc.article.id}.json`), JSON.stringify(doc));
    await writeFile(path.join(dir, INDEX_FILE), JSON.stringify({ schemaVersion: 1, articleIds: docs.map((d) => d.article.id), settings: { colorLabels: {} }, seeded: true }));
    const notebook = await Notebook.open(dir);
    try {
      const total = docs.reduce((n, d) => n + d.highlights.length, 0);
      let chars = 0;
      report('exportMarkdown, whole notebook', await time(runs, async () => (chars = (await notebook.exportMarkdown()).length)), { highlights: total, articles, outputChars: chars });
      report('exportMarkdown, grouped by tag', await time(runs, () => notebook.exportMarkdown({ groupBy: 'tag' })));
      report('exportMarkdown, one tag', await time(runs, () => notebook.exportMarkdown({ tags: ['method'] })));
      report('exportAnnotations (W3C), whole notebook', await time(runs, () => notebook.exportAnnotations()));
      report('backupNotebook', await time(runs, () => notebook.backupNotebook()));
      const fresh: number[] = [];
      const again: number[] = [];
      for (let i = -1; i < runs; i++) {
        const out = path.join(root, `out-${i + 1}`);
        const t0 = performance.now();
        const first = await notebook.exportToFolder(out);
        const t1 = performance.now();
        const second = await notebook.exportToFolder(out);
        const t2 = performance.now();
        if (first.written.length !== articles || second.unchanged.length !== articles) throw new Error('folder export did not write every article');
        if (i >= 0) {
          fresh.push(t1 - t0);
          again.push(t2 - t1);
        }
        await rm(out, { recursive: true, force: true });
      }
      report('exportToFolder, empty folder (100 files, fsync each)', fresh);
      report('exportToFolder, again in place (nothing changed)', again);
    } finally {
      await notebook.close();
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  return results;
}

if (require.main === module || process.argv[1]?.endsWith('export-bench.ts')) {
  const [articles, perArticle, runs] = process.argv.slice(2).map(Number);
  runExportBench(articles || 100, perArticle || 100, runs || 7).then(
    (r) => {
      const markdown = r['exportMarkdown, whole notebook'];
      console.log(`export bench: whole-notebook Markdown ${markdown} ms median (bar: well under 1000 ms: ${markdown < 500 ? 'met' : 'NOT met'})`);
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
