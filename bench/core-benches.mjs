// The notebook-core benchmarks (search over 1,000 articles, export of 10,000 highlights, answering during a hostile
// import), run in one go through the real Notebook on real files, and written into bench/RESULTS.md between the core
// markers. `npm run bench` runs this after bench/run.mjs (the reader benchmarks in Chromium).
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const jiti = path.join(root, 'node_modules', '.bin', 'jiti');

function run(script, args) {
  const result = spawnSync(jiti, [path.join(here, script), ...args], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${script} failed:\n${result.stdout}\n${result.stderr}`);
  process.stdout.write(result.stdout);
  return result.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line));
}

const extras = (r, skip) =>
  Object.entries(r)
    .filter(([k]) => !skip.includes(k))
    .map(([k, v]) => `${k} ${typeof v === 'number' ? v.toLocaleString('en') : v}`)
    .join(', ');
const fmt = (n) => (typeof n === 'number' ? n.toFixed(1) : '—');
const search = run('search-bench.ts', ['1000', '2000']);
const exports = run('export-bench.ts', ['100', '100', '7']);
const hostile = run('hostile-import-bench.ts', []);

const lines = [
  `Run ${new Date().toISOString()}, same machine as above.`,
  '',
  'Notebook-wide search (`search-bench.ts`: 1,000 articles of 2,000 words, 10,000 highlights, through the real Notebook):',
  '',
  '| measure | median (ms) | p95 (ms) | result |',
  '| --- | --- | --- | --- |',
  ...search.map((r) => `| ${r.name} | ${fmt(r.medianMs)} | ${fmt(r.p95Ms)} | ${extras(r, ['bench', 'name', 'medianMs', 'p95Ms'])} |`),
  '',
  'Export (`export-bench.ts`: 100 articles, 10,000 highlights; bar: well under a second):',
  '',
  '| measure | median (ms) | p95 (ms) | min (ms) |',
  '| --- | --- | --- | --- |',
  ...exports.map((r) => `| ${r.name} | ${fmt(r.median ?? r.medianMs)} | ${fmt(r.p95 ?? r.p95Ms)} | ${fmt(r.min ?? r.minMs)} |`),
  '',
  'Answering during hostile work (`hostile-import-bench.ts`: listArticles every 20 ms, latency from when it was due; bar: under 50 ms):',
  '',
  '| measure | calls | median (ms) | p95 (ms) | max (ms) | the work took (ms) | how it ended |',
  '| --- | --- | --- | --- | --- | --- | --- |',
  ...hostile.map((r) => `| ${r.name} | ${r.calls} | ${fmt(r.medianMs)} | ${fmt(r.p95Ms)} | ${fmt(r.maxMs)} | ${r.workMs.toLocaleString('en')} | ${r.outcome.replace(/\|/g, '\\|')} |`),
];

const file = path.join(here, 'RESULTS.md');
const start = '<!-- core:start -->';
const end = '<!-- core:end -->';
let doc = await readFile(file, 'utf8');
if (!doc.includes(start)) doc += `\n## Notebook core\n\n${start}\n${end}\n`;
const before = doc.slice(0, doc.indexOf(start));
const after = doc.slice(doc.indexOf(end) + end.length);
await writeFile(file, `${before}${start}\n${lines.join('\n')}\n${end}${after}`);
console.log(`core benchmarks written to ${path.relative(root, file)}`);
