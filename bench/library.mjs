// The library bench (issue 15): notebooks of 100, 1,000 and 10,000 articles (~20 KB of text each, 300 highlights
// spread over the library, half of them HTML pages), written in the v2 layout by bench/library-fixture.mjs, measured
// side by side in one run:
//   - start to first answer: out/main/web.js spawned on the folder, until its first listArticles is answered (cold: no
//     summary cache yet; warm: the cache the first run left, the sizes started in turn, median of 7), and its resident memory then;
//   - listArticles, in process (the built core), first call and median of 20;
//   - one addHighlight, one updateHighlight and one note write on a 3 MB novel with 2,000 highlights, alone in a notebook
//     and in the 10,000-article one (median of 21);
//   - renameTag and a whole-notebook Markdown export at 10,000, with the memory they take;
//   - a whole-notebook backup to a file at 10,000 and its restore into an empty notebook, with their peak memory;
//   - disk: the notebook folder against the text and stored HTML it holds.
// Results go to bench/RESULTS.md between the library markers. Usage: node bench/library.mjs [--sizes 100,1000,10000]
// `--writes-only` measures only the writes on the novel, alone and among the largest size (printed, not written here).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeLibrary, writeNovel } from './library-fixture.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const outDir = path.resolve(root, process.env.GLOSS_OUT_DIR ?? 'out');
const webJs = path.join(outDir, 'main', 'web.js');
/** Warm starts per size, taken in turn with the other sizes. */
const WARM_ROUNDS = 7;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const log = (...args) => console.log('[library]', ...args);

async function coreChunk() {
  // The chunk named after notebook.ts (the build may put a small runtime chunk before it).
  const match = /require\("\.\/(chunks\/notebook-[^"]+)"\)/.exec(await readFile(webJs, 'utf8'));
  if (!match) throw new Error(`Could not find the notebook core chunk in ${webJs}`);
  return path.join(outDir, 'main', match[1]);
}

function rssOf(pid) {
  const status = spawnSync('cat', [`/proc/${pid}/status`], { encoding: 'utf8' }).stdout;
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** Spawns browser mode on `dir` and times spawn -> first listArticles answered. */
async function startToFirstAnswer(dir) {
  const token = randomBytes(16).toString('hex');
  const started = performance.now();
  const child = spawn(process.execPath, [webJs, '--data-dir', dir, '--port', '0', '--token', token, '--no-seed'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const origin = await new Promise((resolve, reject) => {
    const onData = (chunk) => {
      output += chunk;
      const m = /http:\/\/127\.0\.0\.1:\d+/.exec(output);
      if (m) resolve(m[0]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (c) => (output += c));
    child.on('exit', (code) => reject(new Error(`web.js exited ${code}: ${output}`)));
  });
  const response = await fetch(`${origin}/api/listArticles`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: '[]',
  });
  const list = await response.json();
  const seconds = (performance.now() - started) / 1000;
  const rss = rssOf(child.pid);
  const exited = new Promise((resolve) => child.on('exit', resolve));
  child.kill('SIGTERM'); // closes the notebook (writes the summary cache) and exits
  await exited;
  if (!list.ok) throw new Error(`listArticles: ${JSON.stringify(list.error)}`);
  return { seconds, rssMB: rss, articles: list.value.length };
}

/** Runs the in-process measures in a fresh node (so one library's memory does not weigh on the next). */
function ops(dir, what) {
  const result = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--ops', dir, what], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`ops ${what} failed:\n${result.stdout}\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1));
}

async function runOps(dir, what) {
  const require = createRequire(import.meta.url);
  const { Notebook } = require(await coreChunk());
  const notebook = await Notebook.open(dir, { owner: 'the library bench' });
  await notebook.whenChecked(); // the look at every file that follows an open from the cache
  const out = {};
  const mb = () => process.memoryUsage().rss / 1024 / 1024;
  if (what.includes('list')) {
    let t = performance.now();
    await notebook.listArticles();
    out.listFirstMs = performance.now() - t;
    const times = [];
    for (let i = 0; i < 20; i++) {
      t = performance.now();
      await notebook.listArticles();
      times.push(performance.now() - t);
    }
    out.listMs = median(times);
  }
  if (what.includes('novel')) {
    await notebook.getArticle('novel'); // the reader has it open
    const add = [];
    const update = [];
    const note = [];
    for (let i = 0; i < 21; i++) {
      let t = performance.now();
      const h = await notebook.addHighlight('novel', { start: 5_000 + i * 997, end: 5_060 + i * 997 });
      add.push(performance.now() - t);
      t = performance.now();
      await notebook.updateHighlight(h.id, { note: `a note ${i}` });
      update.push(performance.now() - t);
      t = performance.now();
      await notebook.setArticleNote('novel', `the article note, version ${i}`);
      note.push(performance.now() - t);
    }
    const file = JSON.parse(await readFile(path.join(dir, 'articles', 'novel.json'), 'utf8'));
    out.addHighlightMs = median(add);
    out.updateHighlightMs = median(update);
    out.noteMs = median(note);
    out.annotationFileKB = JSON.stringify(file).length / 1024;
  }
  if (what.includes('tags')) {
    global.gc?.();
    const before = mb();
    let t = performance.now();
    out.renamed = await notebook.renameTag('method', 'approach');
    out.renameTagMs = performance.now() - t;
    t = performance.now();
    const markdown = await notebook.exportMarkdown();
    out.exportMs = performance.now() - t;
    out.exportMB = markdown.length / 1024 / 1024;
    out.exportRssGrowthMB = mb() - before;
  }
  if (what.includes('backup')) {
    await notebook.searchIndex.whenIdle(); // the index's first build (behind the open) is not the backup's memory
    // A whole-notebook backup written to a file and restored from it into an empty notebook, with the peak memory
    // above where each began: both go article by article, so neither peak is anywhere near the file's size.
    const file = path.join(path.dirname(dir), `backup-${path.basename(dir)}.json`);
    let peak = await peakRss(async () => {
      const t = performance.now();
      const written = await notebook.writeBackupTo(file);
      out.backupMs = performance.now() - t;
      out.backupMB = written.bytes / 1024 / 1024;
      out.backupArticles = written.articles;
    });
    out.backupPeakGrowthMB = peak.rss;
    out.backupHeapGrowthMB = peak.heap;
    const fresh = await Notebook.open(`${dir}-restored`, { owner: 'the library bench' });
    peak = await peakRss(async () => {
      const t = performance.now();
      const result = await fresh.restoreFromFile(file, { mode: 'replace' });
      out.restoreMs = performance.now() - t;
      out.restoredArticles = result.articles;
    });
    out.restorePeakGrowthMB = peak.rss;
    out.restoreHeapGrowthMB = peak.heap;
    await fresh.close();
    await rm(`${dir}-restored`, { recursive: true, force: true });
    await rm(file, { force: true });
  }
  global.gc?.();
  out.rssMB = mb();
  await notebook.close();
  console.log(JSON.stringify(out));
}

/**
 * Runs `work` and resolves to how far memory grew above its start while it ran (sampled every 20 ms), MB: the process's
 * resident memory (the worker threads' heaps included) and the main thread's JS heap.
 */
async function peakRss(work) {
  global.gc?.();
  const start = process.memoryUsage();
  let peak = start.rss;
  let heap = start.heapUsed;
  const sample = () => {
    const now = process.memoryUsage();
    peak = Math.max(peak, now.rss);
    heap = Math.max(heap, now.heapUsed);
  };
  const timer = setInterval(sample, 20);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  sample();
  return { rss: (peak - start.rss) / 1024 / 1024, heap: (heap - start.heapUsed) / 1024 / 1024 };
}

async function du(dir, skipLocal) {
  let total = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    if (skipLocal && path.relative(dir, file).startsWith('local')) continue;
    total += (await stat(file)).size;
  }
  return total;
}

const loadAtStart = os.loadavg().map((x) => x.toFixed(2)).join(', ');

async function main() {
  const sizesArg = process.argv.indexOf('--sizes');
  const sizes = sizesArg > 0 ? process.argv[sizesArg + 1].split(',').map(Number) : [100, 1000, 10000];
  if (!existsSync(webJs)) throw new Error(`${webJs} is missing: run npx electron-vite build first`);
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'gloss-library-bench-'));
  const rows = [];
  if (process.argv.includes('--writes-only')) {
    try {
      await writesOnly(tmp, Math.max(...sizes));
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
    return;
  }
  try {
    const novelAlone = path.join(tmp, 'novel-alone');
    await writeNovel(novelAlone);
    log('novel alone: writes');
    const alone = ops(novelAlone, 'novel');
    const libraries = [];
    for (const n of sizes) {
      const dir = path.join(tmp, `lib-${n}`);
      const t = performance.now();
      const lib = await writeLibrary(dir, { articles: n });
      const largest = n === Math.max(...sizes);
      if (largest) await writeNovel(dir);
      const generated = (performance.now() - t) / 1000;
      log(`${n} articles generated in ${generated.toFixed(1)} s; starting browser mode (cold)`);
      libraries.push({ n, dir, lib, largest, generated, cold: await startToFirstAnswer(dir), starts: [] });
    }
    // Warm starts (the usual open), the sizes taken in turn round by round so each ratio is measured side by side under
    // the same load; the median of WARM_ROUNDS kept (one start is at the mercy of the machine).
    for (let round = 0; round < WARM_ROUNDS; round++) {
      for (const library of libraries) library.starts.push(await startToFirstAnswer(library.dir));
    }
    for (const { n, dir, lib, largest, generated, cold, starts } of libraries) {
      const sorted = [...starts].sort((a, b) => a.seconds - b.seconds);
      const warm = { ...sorted[Math.floor(sorted.length / 2)], all: starts.map((s) => Number(s.seconds.toFixed(3))) };
      const inProcess = ops(dir, largest ? 'list,novel,tags,backup' : 'list');
      const held = lib.textChars + lib.htmlChars + (largest ? 3_000_000 : 0);
      const disk = await du(dir, true);
      const diskAll = await du(dir, false);
      rows.push({ n, lib, cold, warm, inProcess, held, disk, diskAll, generated });
      log(JSON.stringify({ ...rows.at(-1), lib: { ...lib, ids: lib.ids.length } }));
    }
    await writeResults(rows, alone);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** The writes on the novel alone and among `n` articles, nothing else; printed only. */
async function writesOnly(tmp, n) {
  const novelAlone = path.join(tmp, 'novel-alone');
  await writeNovel(novelAlone);
  const dir = path.join(tmp, `lib-${n}`);
  await writeLibrary(dir, { articles: n });
  await writeNovel(dir);
  // Hundreds of MB just written: flushed first, so the writes measured do not wait for the kernel's writeback of them.
  spawnSync('sync');
  log(`writes on the novel, alone and among ${n} articles (load ${os.loadavg().map((x) => x.toFixed(2)).join(', ')})`);
  const alone = ops(novelAlone, 'novel');
  const among = ops(dir, 'novel');
  const f1 = (x) => x.toFixed(1);
  console.log(`| write | novel alone | novel among ${n.toLocaleString('en')} articles |`);
  console.log('| --- | --- | --- |');
  console.log(`| addHighlight | ${f1(alone.addHighlightMs)} ms | ${f1(among.addHighlightMs)} ms |`);
  console.log(`| updateHighlight (note) | ${f1(alone.updateHighlightMs)} ms | ${f1(among.updateHighlightMs)} ms |`);
  console.log(`| setArticleNote | ${f1(alone.noteMs)} ms | ${f1(among.noteMs)} ms |`);
  console.log(`annotation file ${among.annotationFileKB.toFixed(0)} KB; load at the end ${os.loadavg().map((x) => x.toFixed(2)).join(', ')}`);
}

async function writeResults(rows, alone) {
  const load = `${loadAtStart} at the start, ${os.loadavg().map((x) => x.toFixed(2)).join(', ')} at the end`;
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const first = rows[0];
  const last = rows.at(-1);
  const f1 = (x) => (x === undefined ? '—' : x.toFixed(1));
  const lines = [
    '<!-- library:start -->',
    `## Library at scale (bench/library.mjs, issue 15) — ${new Date().toISOString().slice(0, 16)}Z`,
    '',
    `${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GB, Node ${process.version}; load average ${load} (other work on the machine inflates every time here).`,
    `Libraries written in the v2 layout by bench/library-fixture.mjs: ~20 KB of text per article, every other one an HTML page, 300 highlights spread over the library; the largest also holds a 3 MB novel with 2,000 highlights.`,
    '',
    `| measure | ${rows.map((r) => `${r.n.toLocaleString('en')} articles`).join(' | ')} | ${last.n.toLocaleString('en')} / ${first.n.toLocaleString('en')} |`,
    `| --- | ${rows.map(() => '---').join(' | ')} | --- |`,
    `| start to first answer, cold (no summary cache) | ${rows.map((r) => `${r.cold.seconds.toFixed(2)} s`).join(' | ')} | ${(last.cold.seconds / first.cold.seconds).toFixed(2)}x |`,
    `| start to first answer, warm (the usual open; median of ${WARM_ROUNDS}, the sizes in turn) | ${rows.map((r) => `${r.warm.seconds.toFixed(2)} s`).join(' | ')} | **${(last.warm.seconds / first.warm.seconds).toFixed(2)}x** (bar 1.5x) |`,
    `| resident memory after open (browser mode) | ${rows.map((r) => `${r.warm.rssMB.toFixed(0)} MB`).join(' | ')} | bar 250 MB |`,
    `| \`listArticles\` in process, first call / median of 20 | ${rows.map((r) => `${f1(r.inProcess.listFirstMs)} / ${f1(r.inProcess.listMs)} ms`).join(' | ')} | bar 30 ms |`,
    `| disk (folder without local/) / text + stored HTML | ${rows.map((r) => `${(r.disk / r.held).toFixed(2)}x`).join(' | ')} | bar 1.6x |`,
    `| disk with local/ (backups, cache) / text + stored HTML | ${rows.map((r) => `${(r.diskAll / r.held).toFixed(2)}x`).join(' | ')} | |`,
    '',
    `Writes on the 3 MB novel with 2,000 highlights (median of 21; the annotation file is ${last.inProcess.annotationFileKB?.toFixed(0)} KB, the text is never rewritten):`,
    '',
    '| write | novel alone | novel among 10,000 articles | bar |',
    '| --- | --- | --- | --- |',
    `| addHighlight | ${f1(alone.addHighlightMs)} ms | ${f1(last.inProcess.addHighlightMs)} ms | 10 ms |`,
    `| updateHighlight (note) | ${f1(alone.updateHighlightMs)} ms | ${f1(last.inProcess.updateHighlightMs)} ms | 10 ms |`,
    `| setArticleNote | ${f1(alone.noteMs)} ms | ${f1(last.inProcess.noteMs)} ms | 10 ms |`,
    '',
    `At ${last.n.toLocaleString('en')} articles: renameTag over the library ${f1(last.inProcess.renameTagMs)} ms (${last.inProcess.renamed} highlights); whole-notebook Markdown export ${f1(last.inProcess.exportMs)} ms (${f1(last.inProcess.exportMB)} MB, memory grew ${f1(last.inProcess.exportRssGrowthMB)} MB while it ran); in-process memory after these ${f1(last.inProcess.rssMB)} MB.`,
    '',
    `Backup and restore at ${last.n.toLocaleString('en')} articles (issue 15: without loading everything at once): the whole-notebook backup written to a file in ${f1(last.inProcess.backupMs / 1000)} s (${f1(last.inProcess.backupMB)} MB, ${last.inProcess.backupArticles} articles), the main thread's JS heap at most ${f1(last.inProcess.backupHeapGrowthMB)} MB above where it began (resident memory ${f1(last.inProcess.backupPeakGrowthMB)} MB); that file restored (replace) into an empty notebook in ${f1(last.inProcess.restoreMs / 1000)} s (${last.inProcess.restoredArticles} articles), the main thread's JS heap at most ${f1(last.inProcess.restoreHeapGrowthMB)} MB above where it began (resident memory ${f1(last.inProcess.restorePeakGrowthMB)} MB, the worker threads that check the file and sanitize each article's HTML included). Heap figures are peaks of heapUsed sampled every 20 ms, garbage not yet collected included.`,
    '<!-- library:end -->',
  ];
  const file = path.join(here, 'RESULTS.md');
  const current = await readFile(file, 'utf8');
  const block = lines.join('\n');
  const next = current.includes('<!-- library:start -->')
    ? current.replace(/<!-- library:start -->[\s\S]*<!-- library:end -->/, block)
    : `${current.trimEnd()}\n\n${block}\n`;
  await writeFile(file, next);
  console.log(block);
}

if (process.argv[2] === '--ops') {
  await runOps(process.argv[3], process.argv[4]);
} else {
  await main();
}
