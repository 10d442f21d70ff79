/**
 * Notebook search at 100, 1,000 and 10,000 articles of ~20 KB of real prose each (windows of Moby-Dick, with planted
 * words in other scripts), 300 highlights, through the real Notebook on real files: time to build the index, time to
 * reopen with the saved index, resident memory, index size, and the median and worst of realistic queries (one word,
 * several words, a phrase, an exclusion, a tag filter, a colour filter, a folded name). One size per process (so
 * memory is that size's alone): `npx jiti bench/search-scale.ts 1000`. Prints one JSON line per measurement.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { HIGHLIGHT_COLORS, type Highlight } from '../electron/contract';
import { Notebook } from '../electron/notebook/notebook';
import { SEARCH_INDEX_FILE } from '../electron/notebook/search/notebook-search';
import { mulberry32 } from './search-corpus';

const FIXTURES = process.env.GLOSS_FIXTURES ?? path.resolve(__dirname, '../../shared/fixtures');
const ROUNDS = 7;
const QUERIES: [string, string][] = [
  ['one common word', 'whale'],
  ['two words, any order', 'harpoon queequeg'],
  ['phrase', '"the white whale"'],
  ['word, -exclusion', 'ahab -starbuck'],
  ['word + tag filter', 'sea tag:method'],
  ['word + colour filter', 'ship color:green'],
  ['folded name (Natásha)', 'natasha'],
  ['no match', 'xylophonic'],
];

async function writeLibrary(dir: string, count: number): Promise<number> {
  const book = (await readFile(path.join(FIXTURES, 'long/moby-dick-2701-0.utf8-bom-crlf.txt'), 'utf8')).replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
  const paragraphs = book.split(/\n{2,}/).map((p) => p.replace(/\n/g, ' ').trim()).filter((p) => p.length > 40);
  const random = mulberry32(15);
  await mkdir(path.join(dir, 'articles'), { recursive: true });
  const ids: string[] = [];
  const now = Date.UTC(2024, 0, 1);
  let textChars = 0;
  let highlightsLeft = 300;
  const pending: Promise<void>[] = [];
  for (let a = 0; a < count; a++) {
    const id = `a${String(a).padStart(5, '0')}`;
    ids.push(id);
    const parts: string[] = [];
    let size = 0;
    for (let p = Math.floor(random() * paragraphs.length); size < 20_000; p = (p + 1) % paragraphs.length) {
      parts.push(paragraphs[p]);
      size += paragraphs[p].length + 2;
    }
    if (a % 100 === 3) parts.splice(1, 0, 'Natásha Rostóva, who had read of Māori whaling, said the café was closed.');
    const text = parts.join('\n\n');
    textChars += text.length;
    const highlights: Highlight[] = [];
    const perArticle = Math.ceil(300 / count);
    for (let h = 0; h < perArticle && highlightsLeft > 0; h++, highlightsLeft--) {
      const start = text.indexOf(' ', Math.floor(random() * (text.length - 200))) + 1;
      const end = start + 60 + Math.floor(random() * 80);
      const at = new Date(now).toISOString();
      highlights.push({
        id: `${id}h${h}`, articleId: id, start, end, quote: text.slice(start, end), prefix: text.slice(Math.max(0, start - 32), start),
        suffix: text.slice(end, end + 32), color: HIGHLIGHT_COLORS[h % HIGHLIGHT_COLORS.length], tags: [['method', 'sea', 'whales'][(a + h) % 3]],
        note: h % 2 ? 'Compare the sea chapters.' : '', createdAt: at, updatedAt: at,
      });
    }
    const at = new Date(now + a * 60_000).toISOString();
    const doc = { schemaVersion: 1, article: { id, title: `${parts[0].slice(0, 50)} (${a})`, addedAt: at, updatedAt: at, text, note: a % 10 === 0 ? `Read again: ${a}` : '' }, highlights };
    pending.push(writeFile(path.join(dir, 'articles', `${id}.json`), JSON.stringify(doc)));
    if (pending.length >= 100) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
  await writeFile(path.join(dir, 'gloss-index.json'), JSON.stringify({ schemaVersion: 1, articleIds: ids, settings: { colorLabels: {} }, seeded: true }));
  return textChars;
}

/**
 * The whole notebook process as the app runs it (the built browser-mode server, not this bench's process with its
 * TypeScript loader): resident memory once open with the saved index loaded, after the queries over HTTP.
 */
async function serverMemory(dir: string): Promise<Record<string, number>> {
  const web = path.resolve(__dirname, '..', process.env.GLOSS_OUT_DIR ?? 'out', 'main/web.js');
  const token = 'bench-token-0123456789abcdef';
  const child = spawn(process.execPath, [web, '--data-dir', dir, '--port', '0', '--token', token], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const origin = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /ready at (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
        if (m) resolve(m[1]);
      });
      child.once('exit', (code) => reject(new Error(`web.js exited with ${code}`)));
    });
    const call = async (method: string, args: unknown[]): Promise<{ indexing?: unknown } | undefined> => {
      const r = await fetch(`${origin}/api/${method}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(args) });
      return ((await r.json()) as { value?: { indexing?: unknown } }).value;
    };
    const rss = async (): Promise<number> => Math.round(Number(/VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${child.pid}/status`, 'utf8'))![1]) / 1000);
    const opened = await rss();
    while ((await call('search', ['whale']))?.indexing) await new Promise((r) => setTimeout(r, 200));
    for (const [, query] of QUERIES) for (let i = 0; i < 3; i++) await call('search', [query]);
    await call('listArticles', []);
    return { rssAtOpenMB: opened, rssAfterQueriesMB: await rss() };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

function rssMB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return Math.round(process.memoryUsage().rss / 1e6);
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 1000);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gloss-search-scale-'));
  const emit = (name: string, extra: Record<string, unknown>): void => console.log(JSON.stringify({ bench: 'search-scale', articles: count, name, ...extra }));
  try {
    const textChars = await writeLibrary(dir, count);
    // First open: migrates the generated (v1) folder, then the index is built from nothing in the background.
    let notebook = await Notebook.open(dir);
    let t = performance.now();
    await notebook.searchIndex.whenIdle();
    emit('index build (from nothing)', { ms: Math.round(performance.now() - t), textMB: +(textChars / 1e6).toFixed(1) });
    await notebook.close();
    const indexBytes = (await stat(path.join(dir, SEARCH_INDEX_FILE))).size;

    // Reopen: the saved index is loaded and checked, nothing re-read.
    t = performance.now();
    notebook = await Notebook.open(dir);
    const opened = performance.now() - t;
    await notebook.searchIndex.whenIdle();
    emit('reopen with the saved index', { openMs: Math.round(opened), untilIndexReadyMs: Math.round(performance.now() - t), indexMB: +(indexBytes / 1e6).toFixed(1) });

    const all: number[] = [];
    for (const [label, query] of QUERIES) {
      let total = 0;
      await notebook.search(query); // warm-up
      const times: number[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        const s = performance.now();
        total = (await notebook.search(query)).total;
        times.push(performance.now() - s);
      }
      all.push(...times);
      times.sort((a, b) => a - b);
      emit(`search: ${label}`, { query, medianMs: +times[Math.floor(times.length / 2)].toFixed(1), worstMs: +times.at(-1)!.toFixed(1), total });
    }
    all.sort((a, b) => a - b);
    emit('search: all queries', { medianMs: +all[Math.floor(all.length / 2)].toFixed(1), worstMs: +all.at(-1)!.toFixed(1), rssMB: rssMB() });
    await notebook.close();
    emit('browser-mode server', await serverMemory(dir));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
