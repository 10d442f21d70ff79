#!/usr/bin/env node
/**
 * Two (or more) builds of Gloss side by side with bare pdf.js, for bench/pdf-run.mjs's (p1) or (p3): opens the book
 * in each build's browser-mode server and the floor page in turn, interleaved in one Chromium, so a change to the open
 * path is judged on one machine state rather than across runs (the machine these benches run on is shared: single
 * figures move by ±30 % between runs). With PDF_AB_PART=3 it makes new highlights instead (mouse drag and `h`, the
 * same page in every build each round, the floor on its page 1). A tool for working on those paths; nothing is
 * written to RESULTS.md. Each build's book is opened once first until its reader remembers where its document is, so
 * the rounds are reopens (page 1 drawn before the app where a build does that); PDF_AB_FIRST=1 adds first opens.
 *
 *   npx electron-vite build && cp -r out /tmp/out-a   # one build, then the other in out/
 *   PDF_AB_OUT=/tmp/out-a,out BENCH_ROUNDS=15 node bench/pdf-ab.mjs
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath, log, median, repo } from './common.mjs';
import { importPdfBook, writePdfBook } from './pdf-book.mjs';
import { BOOK_PAGES } from './pdf-book.mjs';
import { forgetPdfBox, measureOpen, measurePdfNewHighlight, pageOneWatcher, rememberPdfBox, startFloorServer } from './pdf-run.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 11);
const OUTS = (process.env.PDF_AB_OUT ?? 'out').split(',').map((d) => path.resolve(repo, d));
const FLOOR_QUERY = process.env.PDF_AB_FLOOR_QUERY ?? '';
const PART = process.env.PDF_AB_PART ?? '1';
/** PDF_AB_FIRST=1: each build also opens with the reader's remembered box forgotten (first opens, pdf-run's (p1*)). */
const FIRST = process.env.PDF_AB_FIRST === '1';

async function startServer(outDir) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gloss-ab-'));
  const token = randomBytes(16).toString('hex');
  const child = spawn(process.execPath, [path.join(outDir, 'main/web.js'), '--data-dir', dataDir, '--port', '0', '--token', token, '--no-seed'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const origin = await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /ready at (http:\/\/127\.0\.0\.1:\d+)\//.exec(output);
      if (match) resolve(match[1]);
    });
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('exit', (code) => reject(new Error(`browser mode exited with ${code}:\n${output}`)));
  });
  const api = async (method, ...args) => {
    const response = await fetch(`${origin}/api/${method}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(args) });
    const reply = await response.json();
    if (!reply.ok) throw new Error(`${method}: ${reply.error.message}`);
    return reply.value;
  };
  const stop = async () => {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    await rm(dataDir, { recursive: true, force: true });
  };
  return { origin, token, api, stop };
}

async function main() {
  const { file, bytes } = await writePdfBook();
  const book = Buffer.from(bytes);
  const servers = [];
  const floor = await startFloorServer(book);
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  try {
    const sides = [];
    for (const out of OUTS) {
      const gloss = await startServer(out);
      servers.push(gloss);
      const { plan, ...summary } = await importPdfBook(gloss, book, file);
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await context.addInitScript(pageOneWatcher);
      const url = `${gloss.origin}/#token=${gloss.token}#/article/${summary.id}`;
      const atTop = () => gloss.api('updateSettings', { ui: { scroll: { [summary.id]: 0 } } });
      sides.push({ name: path.relative(repo, out) || out, context, url, atTop, times: [], requests: [], marks: [], cards: plan.length });
      if (FIRST) {
        const firstContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        await firstContext.addInitScript(forgetPdfBox);
        await firstContext.addInitScript(pageOneWatcher);
        sides.push({ name: `${path.relative(repo, out) || out} (first open)`, context: firstContext, url, atTop, times: [], requests: [], marks: [], cards: plan.length });
      }
    }
    const floorContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await floorContext.addInitScript(pageOneWatcher);
    if (PART === '3') return await newHighlights(sides, floorContext, floor);
    await sides[0].atTop();
    const warm = await measureOpen(sides[0].context, sides[0].url);
    // Each build's reader remembers where its document is (a build that does not, after 3 s): later opens are reopens.
    for (const side of sides) {
      await side.atTop();
      await rememberPdfBox(side.context, side.url);
    }
    const floorSide = { name: 'bare pdf.js', context: floorContext, url: `${floor.origin}/pdfjs-floor.html?width=${Math.round(warm.width)}${FLOOR_QUERY}`, times: [], requests: [], marks: [] };
    for (const side of sides.slice(1)) {
      await side.atTop();
      await measureOpen(side.context, side.url);
    }
    await measureOpen(floorContext, floorSide.url);
    const all = [...sides, floorSide];
    const load = [];
    for (let r = 0; r < ROUNDS; r++) {
      load.push(os.loadavg()[0]);
      // Each round in another order, so none of them is always first after the machine's pauses.
      const order = all.map((_, i) => all[(i + r) % all.length]);
      for (const side of order) {
        if (side.atTop) await side.atTop();
        const m = await measureOpen(side.context, side.url);
        side.times.push(m.drawnAt);
        side.requests.push(m.requestAt);
        side.marks.push(m.timeline.filter((t) => t.startsWith('gloss:')).join(', '));
      }
    }
    const floorMedian = median(floorSide.times);
    console.log(`\n${ROUNDS} rounds; load average (1 min) over the rounds: ${Math.min(...load).toFixed(1)}-${Math.max(...load).toFixed(1)}`);
    for (const side of all) {
      console.log(
        `${side.name.padEnd(28)} open ${median(side.times).toFixed(0).padStart(5)} ms  ratio ${(median(side.times) / floorMedian).toFixed(2)}x  PDF asked for at ${median(side.requests).toFixed(0)} ms, then ${median(side.times.map((t, i) => t - side.requests[i])).toFixed(0)} ms  [${side.times.map((t) => t.toFixed(0)).join(' ')}]`,
      );
      // Per-round ratio to the floor's open in the same round: steadier than a ratio of medians when the load moves.
      console.log(`${''.padEnd(28)} per-round ratio median ${median(side.times.map((t, i) => t / floorSide.times[i])).toFixed(2)}x; last marks: ${side.marks.at(-1) ?? ''}`);
    }
  } finally {
    await browser.close();
    await floor.close();
    for (const s of servers) await s.stop();
  }
  log('done');
}

/** (p3) side by side: each build's book open (cards mounted), one new highlight each per round on the same page. */
async function newHighlights(sides, floorContext, floor) {
  for (const side of sides) {
    await side.atTop();
    side.page = await side.context.newPage();
    await side.page.goto(side.url);
    await side.page.waitForSelector('.pdf-page[data-page-number="1"][data-rendered="true"]', { timeout: 120_000 });
    await side.page.waitForFunction((n) => document.querySelectorAll('.notes-panel .card').length >= n, side.cards, { timeout: 120_000 });
  }
  const floorSide = { name: 'bare pdf.js', times: [], page: await floorContext.newPage() };
  await floorSide.page.goto(`${floor.origin}/pdfjs-floor.html?width=841&mode=key`);
  await floorSide.page.waitForSelector('.pdf-page[data-page-number="1"][data-rendered="true"]');
  const all = [...sides, floorSide];
  const load = [];
  for (let r = 0; r < ROUNDS; r++) {
    load.push(os.loadavg()[0]);
    const n = 3 + Math.floor(((r * 7919) % ROUNDS + 0.5) * ((BOOK_PAGES - 10) / ROUNDS));
    for (const side of all.map((_, i) => all[(i + r) % all.length])) {
      const sample = side === floorSide ? await measurePdfNewHighlight(side.page, 1, { toolbar: false, line: r % 10 }) : await measurePdfNewHighlight(side.page, n);
      side.times.push(sample.frameDone);
      await side.page.waitForTimeout(500);
    }
  }
  console.log(`\n${ROUNDS} rounds of new highlights; load average (1 min) over the rounds: ${Math.min(...load).toFixed(1)}-${Math.max(...load).toFixed(1)}`);
  for (const side of all) console.log(`${side.name.padEnd(28)} keydown to frame done ${median(side.times).toFixed(1).padStart(5)} ms  [${side.times.map((t) => t.toFixed(1)).join(' ')}]`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
