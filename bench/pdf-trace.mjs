#!/usr/bin/env node
/**
 * Where an open of the bench's PDF book spends its time, Gloss beside bare pdf.js: a Chromium trace (Playwright's
 * browser.startTracing) of one open of each after a warm-up, summarised as the renderer main thread's tasks on a
 * timeline from navigation start (script evaluation and compilation by file, function calls by file, layout, paint,
 * the app's performance.marks). A profiling aid for bench/pdf-run.mjs's (p1), not a bench: nothing is written to
 * RESULTS.md. Run after a build:  node bench/pdf-trace.mjs   (PDF_TRACE_OUT=dir keeps the raw traces;
 * PDF_TRACE_OPENS=n traces n opens of each, the summary is per open).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath, log, startGloss } from './common.mjs';
import { importPdfBook, writePdfBook } from './pdf-book.mjs';
import { pageOneWatcher, startFloorServer } from './pdf-run.mjs';

const OPENS = Number(process.env.PDF_TRACE_OPENS ?? 1);
const OUT = process.env.PDF_TRACE_OUT;

/** Top-level main-thread slices (RunTask children worth naming), as [start, duration, label] from navigation start. */
function summarise(trace, label) {
  const events = trace.traceEvents;
  // The renderer main thread of the page: the thread named CrRendererMain whose process navigated to the page.
  const nav = events.find((e) => e.name === 'navigationStart' && e.args?.data?.isLoadingMainFrame && /^http/.test(e.args.data.documentLoaderURL ?? ''));
  if (!nav) throw new Error(`${label}: no navigationStart in the trace`);
  const pid = nav.pid;
  const t0 = nav.ts;
  const mainTid = events.find((e) => e.pid === pid && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')?.tid;
  const drawn = events.find((e) => e.pid === pid && e.name === 'gloss:trace-drawn');
  const onMain = events.filter((e) => e.pid === pid && e.tid === mainTid && e.ts >= t0);
  const all = onMain.filter((e) => e.ph === 'X' && (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask'));
  // Tasks nest (a RunTask inside ThreadControllerImpl::RunTask): the outermost only.
  const tasks = all.filter((e) => !all.some((o) => o !== e && o.ts <= e.ts && o.ts + o.dur >= e.ts + e.dur && (o.dur > e.dur || o.name !== 'RunTask')));
  const rows = [];
  const interesting = new Set(['EvaluateScript', 'v8.compile', 'v8.compileModule', 'v8.evaluateModule', 'FunctionCall', 'TimerFire', 'FireAnimationFrame', 'ParseHTML', 'Layout', 'UpdateLayoutTree', 'Paint', 'RunMicrotasks', 'XHRReadyStateChange', 'EventDispatch', 'V8.GC_SCAVENGER', 'MajorGC', 'MinorGC', 'v8.parseOnBackground', 'ResourceReceiveResponse', 'ResourceFinish', 'CommitLoad', 'PrePaint', 'Layerize', 'v8.produceModuleCache', 'v8.run', 'V8.CompileCode']);
  for (const task of tasks) {
    const end = task.ts + task.dur;
    const inside = onMain.filter((e) => e.ph === 'X' && e !== task && e.ts >= task.ts && e.ts < end && interesting.has(e.name));
    // The outermost interesting events of the task.
    const outer = inside.filter((e) => !inside.some((o) => o !== e && o.ts <= e.ts && o.ts + o.dur >= e.ts + e.dur && o.dur > e.dur));
    const what = outer
      .filter((e) => e.dur > 1000)
      .map((e) => {
        const d = e.args?.data ?? e.args?.beginData ?? {};
        const where = (d.url || d.stackTrace?.[0]?.url || d.functionName || '').split('/').pop();
        return `${e.name}${where ? ` ${where}` : ''}${d.functionName && d.url ? ` ${d.functionName}` : ''} ${(e.dur / 1000).toFixed(0)}`;
      });
    if (task.dur > 3000) rows.push([(task.ts - t0) / 1000, task.dur / 1000, what.join(', ')]);
  }
  const marks = events
    .filter((e) => e.pid === pid && (e.cat ?? '').includes('blink.user_timing') && e.ts >= t0)
    .map((e) => [(e.ts - t0) / 1000, e.name]);
  return { label, rows, marks, drawn: drawn ? (drawn.ts - t0) / 1000 : null };
}

async function traceOpen(browser, context, url, label, before) {
  if (before) await before();
  const page = await context.newPage();
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'v8.execute', 'blink.user_timing', 'loading', 'toplevel', 'blink'] });
  await page.goto(url);
  await page.waitForFunction(() => window.__drawnAt !== undefined, null, { timeout: 120_000, polling: 50 });
  const drawnAt = await page.evaluate(() => window.__drawnAt);
  await page.waitForTimeout(300);
  const buffer = await browser.stopTracing();
  await page.close();
  const trace = JSON.parse(buffer.toString());
  if (OUT) {
    await mkdir(OUT, { recursive: true });
    await writeFile(path.join(OUT, `${label}.json`), buffer);
  }
  const s = summarise(trace, label);
  return { ...s, drawnAt };
}

async function main() {
  const { file, bytes } = await writePdfBook();
  const book = Buffer.from(bytes);
  const gloss = await startGloss();
  const floor = await startFloorServer(book);
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  try {
    const summary = await importPdfBook(gloss, book, file);
    const atTop = () => gloss.api('updateSettings', { ui: { scroll: { [summary.id]: 0 } } });
    const appUrl = `${gloss.origin}/#token=${gloss.token}#/article/${summary.id}`;
    const viewport = { width: 1280, height: 800 };
    const appContext = await browser.newContext({ viewport });
    const floorContext = await browser.newContext({ viewport });
    await appContext.addInitScript(pageOneWatcher);
    await floorContext.addInitScript(pageOneWatcher);
    // Warm-up (the HTTP cache, the code cache), then the traced opens.
    for (const [context, url] of [[appContext, appUrl], [floorContext, null]]) {
      const page = await context.newPage();
      await page.goto(url ?? `${floor.origin}/pdfjs-floor.html?width=856`);
      await page.waitForFunction(() => window.__drawnAt !== undefined, null, { timeout: 120_000 });
      await page.close();
    }
    for (let i = 0; i < OPENS; i++) {
      for (const [context, url, label, before] of [
        [appContext, appUrl, `gloss-${i + 1}`, atTop],
        [floorContext, `${floor.origin}/pdfjs-floor.html?width=856`, `floor-${i + 1}`, null],
      ]) {
        const s = await traceOpen(browser, context, url, label, before);
        console.log(`\n== ${s.label}: page 1 drawn (frame after) at ${s.drawnAt.toFixed(0)} ms`);
        for (const [at, name] of s.marks) console.log(`  mark ${at.toFixed(0)} ${name}`);
        for (const [at, dur, what] of s.rows) console.log(`  ${at.toFixed(0).padStart(5)} +${dur.toFixed(0).padStart(4)}  ${what}`);
      }
    }
  } finally {
    await browser.close();
    await floor.close();
    await gloss.stop();
  }
  log('done');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
