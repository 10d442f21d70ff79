#!/usr/bin/env node
/**
 * Where a new highlight's frame spends its time (bench/pdf-run.mjs's (p3)): a Chromium trace of a few mouse-drag-and-`h`
 * highlights in Gloss on the bench's PDF book, each summarised as the renderer main thread's work from the keydown to
 * the end of the frame that shows it (events, style recalcs with their element counts, layout, paint, by duration).
 * A profiling aid, not a bench: nothing is written to RESULTS.md. Run after a build:  node bench/pdf-trace-key.mjs
 * (PDF_TRACE_KEYS=n highlights, default 3; PDF_TRACE_OUT=dir keeps the raw traces; PDF_TRACE_FLOOR=1 traces the
 * bare pdf.js floor page instead, on its page 1).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath, log, startGloss } from './common.mjs';
import { importPdfBook, writePdfBook, BOOK_PAGES } from './pdf-book.mjs';
import { measurePdfNewHighlight, pageOneWatcher, startFloorServer } from './pdf-run.mjs';

const KEYS = Number(process.env.PDF_TRACE_KEYS ?? 3);
const OUT = process.env.PDF_TRACE_OUT;
const FLOOR = process.env.PDF_TRACE_FLOOR === '1';

/** The main thread's events from the keydown's dispatch to `untilMs` after it, outermost first, with durations. */
function summarise(trace, untilMs) {
  const events = trace.traceEvents;
  const key = events.find((e) => e.name === 'EventDispatch' && e.args?.data?.type === 'keydown');
  if (!key) throw new Error('no keydown in the trace');
  const { pid, tid } = key;
  const t0 = key.ts;
  const onMain = events.filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X' && e.ts >= t0 && e.ts <= t0 + untilMs * 1000);
  const names = new Set(['EventDispatch', 'FunctionCall', 'RunMicrotasks', 'FireAnimationFrame', 'UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'TimerFire', 'HitTest', 'ScheduleStyleRecalculation', 'UpdateLayer', 'CompositeLayers', 'Commit', 'IntersectionObserverController::computeIntersections', 'ResizeObserverController::DeliverObservations', 'ParseAuthorStyleSheet', 'MajorGC', 'MinorGC', 'V8.GC_SCAVENGER', 'ProxyMain::BeginMainFrame::commit', 'LocalFrameView::RunPostLifecycleSteps', 'PaintArtifactCompositor::Update', 'LocalFrameView::UpdateAllLifecyclePhases']);
  const picked = onMain.filter((e) => names.has(e.name) && e.dur > 200);
  return picked.map((e) => {
    const d = e.args?.data ?? e.args?.beginData ?? e.args?.elementData ?? {};
    const extra = e.name === 'UpdateLayoutTree' ? ` elements ${e.args?.elementCount ?? d.elementCount ?? '?'}` : e.name === 'Layout' ? ` dirty ${e.args?.beginData?.dirtyObjects ?? '?'}/${e.args?.beginData?.totalObjects ?? '?'}` : d.functionName ? ` ${d.functionName} ${(d.url ?? '').split('/').pop()}:${d.lineNumber ?? ''}` : d.type ? ` ${d.type}` : '';
    return `  ${((e.ts - t0) / 1000).toFixed(1).padStart(6)} +${(e.dur / 1000).toFixed(1).padStart(5)}  ${e.name}${extra}`;
  });
}

async function main() {
  const { file, bytes } = await writePdfBook();
  const book = Buffer.from(bytes);
  const gloss = await startGloss();
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  let floor = null;
  try {
    const { plan, ...summary } = await importPdfBook(gloss, book, file);
    const appUrl = `${gloss.origin}/#token=${gloss.token}#/article/${summary.id}`;
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addInitScript(pageOneWatcher);
    const page = await context.newPage();
    floor = FLOOR ? await startFloorServer(book) : null;
    await page.goto(floor ? `${floor.origin}/pdfjs-floor.html?width=841&mode=key` : appUrl);
    await page.waitForSelector('.pdf-page[data-page-number="1"][data-rendered="true"]', { timeout: 120_000 });
    if (!floor) await page.waitForFunction((n) => document.querySelectorAll('.notes-panel .card').length >= n, plan.length, { timeout: 120_000 });
    await page.waitForTimeout(1000);
    for (let k = 0; k < KEYS; k++) {
      const n = 3 + Math.floor(((k + 0.5) * (BOOK_PAGES - 10)) / KEYS);
      await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink', 'cc', 'v8.execute', 'toplevel', 'blink.user_timing'] });
      const sample = FLOOR ? await measurePdfNewHighlight(page, 1, { toolbar: false, line: k % 10 }) : await measurePdfNewHighlight(page, n);
      await page.waitForTimeout(200);
      const buffer = await browser.stopTracing();
      if (OUT) {
        await mkdir(OUT, { recursive: true });
        await writeFile(path.join(OUT, `key-${k + 1}.json`), buffer);
      }
      console.log(`\n== page ${n}: keydown to frame ${sample.frame.toFixed(1)} ms, frame done ${sample.frameDone.toFixed(1)} ms`);
      for (const row of summarise(JSON.parse(buffer.toString()), sample.frameDone + 2)) console.log(row);
      await page.waitForTimeout(1000);
    }
  } finally {
    await browser.close();
    await floor?.close();
    await gloss.stop();
  }
  log('done');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
