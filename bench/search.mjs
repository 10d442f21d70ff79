// Issue 15's search bench: bench/search-scale.ts at 100, 1,000 and 10,000 articles (one process each, so each size's
// memory is its own), side by side in one run, written into bench/RESULTS.md between the search-scale markers.
// `npm run bench` runs it; alone: `npx electron-vite build && node bench/search.mjs` (SEARCH_SIZES=100,1000 for fewer).
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const jiti = path.join(root, 'node_modules', '.bin', 'jiti');
const sizes = (process.env.SEARCH_SIZES ?? '100,1000,10000').split(',').map(Number);

const runs = {};
for (const n of sizes) {
  const result = spawnSync(process.execPath, ['--expose-gc', jiti, path.join(here, 'search-scale.ts'), String(n)], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`search-scale.ts ${n} failed:\n${result.stdout}\n${result.stderr}`);
  process.stdout.write(result.stdout);
  runs[n] = result.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
}

const get = (n, name) => runs[n].find((r) => r.name === name) ?? {};
const names = runs[sizes[0]].filter((r) => r.name.startsWith('search: ') && r.name !== 'search: all queries').map((r) => r.name);
const cell = (r) => (r.medianMs === undefined ? '—' : `${r.medianMs} / ${r.worstMs} (${r.total})`);
const head = `| measure | ${sizes.map((n) => `${n.toLocaleString('en')} articles`).join(' | ')} |`;
const rule = `| --- | ${sizes.map(() => '---').join(' | ')} |`;
const row = (label, f) => `| ${label} | ${sizes.map((n) => f(n)).join(' | ')} |`;
const lines = [
  `Run ${new Date().toISOString()}, load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores (shared machine: absolute times are inflated; compare columns).`,
  '',
  head,
  rule,
  row('text in the library (MB)', (n) => get(n, 'index build (from nothing)').textMB),
  row('index build from nothing (s, in the background)', (n) => (get(n, 'index build (from nothing)').ms / 1000).toFixed(1)),
  row('saved index (MB)', (n) => get(n, 'reopen with the saved index').indexMB),
  row('reopen: open (ms) / index ready (ms)', (n) => `${get(n, 'reopen with the saved index').openMs} / ${get(n, 'reopen with the saved index').untilIndexReadyMs}`),
  row('**all queries: median / worst (ms)**', (n) => `**${get(n, 'search: all queries').medianMs} / ${get(n, 'search: all queries').worstMs}**`),
  row('**browser-mode server (the real process): resident MB at open / after the queries**', (n) => `**${get(n, 'browser-mode server').rssAtOpenMB} / ${get(n, 'browser-mode server').rssAfterQueriesMB}**`),
  row('(the bench process itself, with its TypeScript loader: resident MB)', (n) => get(n, 'search: all queries').rssMB),
  ...names.map((name) => row(`${name.slice(8)}: \`${get(sizes[0], name).query}\` median / worst (total)`, (n) => cell(get(n, name)))),
];

const file = path.join(here, 'RESULTS.md');
const start = '<!-- search-scale:start -->';
const end = '<!-- search-scale:end -->';
let doc = await readFile(file, 'utf8');
if (!doc.includes(start)) doc += `\n## Search at scale (issue 15)\n\n${start}\n${end}\n`;
doc = `${doc.slice(0, doc.indexOf(start) + start.length)}\n${lines.join('\n')}\n${doc.slice(doc.indexOf(end))}`;
await writeFile(file, doc);
console.log(lines.join('\n'));
