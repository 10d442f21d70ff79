#!/usr/bin/env node
/**
 * A V8 CPU profile (CDP Profiler, 100 µs sampling) of the main thread while Gloss opens the bench's PDF book to its
 * drawn page 1, after a warm-up: self time by script and function, split at the app's performance marks. A profiling
 * aid for bench/pdf-run.mjs's (p1), not a bench: nothing is written to RESULTS.md.  node bench/pdf-profile.mjs
 * (PDF_PROFILE_OPENS=n opens, summed; PDF_PROFILE_TOP=n rows; PDF_PROFILE_FIRST=1 profiles first opens: the reader's
 * remembered box forgotten before each page's scripts, as pdf-run.mjs's (p1*)).
 */
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath, log, startGloss } from './common.mjs';
import { importPdfBook, writePdfBook } from './pdf-book.mjs';
import { forgetPdfBox, pageOneWatcher } from './pdf-run.mjs';

const OPENS = Number(process.env.PDF_PROFILE_OPENS ?? 3);
const TOP = Number(process.env.PDF_PROFILE_TOP ?? 40);

async function main() {
  const { file, bytes } = await writePdfBook();
  const book = Buffer.from(bytes);
  const gloss = await startGloss();
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  try {
    const summary = await importPdfBook(gloss, book, file);
    const url = `${gloss.origin}/#token=${gloss.token}#/article/${summary.id}`;
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addInitScript(pageOneWatcher);
    if (process.env.PDF_PROFILE_FIRST === '1') await context.addInitScript(forgetPdfBox);
    const open = async (profile) => {
      await gloss.api('updateSettings', { ui: { scroll: { [summary.id]: 0 } } });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      if (profile) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
        await cdp.send('Profiler.start');
      }
      await page.goto(url);
      await page.waitForFunction(() => window.__drawnAt !== undefined, null, { timeout: 120_000, polling: 50 });
      const info = await page.evaluate(() => ({
        drawnAt: window.__drawnAt,
        timeOrigin: performance.timeOrigin,
        marks: performance.getEntriesByType('mark').map((m) => [m.name, m.startTime]),
        res: performance.getEntriesByType('resource').map((r) => [r.name.split('/').pop().split('?')[0], r.startTime, r.responseEnd]),
      }));
      const result = profile ? (await cdp.send('Profiler.stop')).profile : null;
      await page.close();
      return { info, profile: result };
    };
    await open(false);
    const bySelf = new Map();
    const byPhase = new Map();
    for (let i = 0; i < OPENS; i++) {
      const { info, profile } = await open(true);
      console.log(`open ${i + 1}: drawn ${info.drawnAt.toFixed(0)} ms; marks ${info.marks.map(([n, t]) => `${n.replace('gloss:', '')} ${t.toFixed(0)}`).join(', ')}`);
      console.log(`  resources ${info.res.map(([n, s, e]) => `${n} ${s.toFixed(0)}-${e.toFixed(0)}`).join(', ')}`);
      // Profile timestamps are µs on the monotonic clock; performance.timeOrigin is ms since the epoch: align by the
      // profile's start against the first sample... use timeDeltas and the profile's startTime, mapped to page time by
      // assuming the profile started just before navigation (t=0). Phase edges are the marks.
      const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
      const phases = [['start', 0], ...info.marks.filter(([n]) => n.startsWith('gloss:')), ['drawn', info.drawnAt]].sort((a, b) => a[1] - b[1]);
      let t = profile.startTime;
      // Navigation begins a little after Profiler.start: take the first sample in the page's scripts as ~ its time.
      const firstScript = profile.samples.findIndex((id) => (nodes.get(id).callFrame.url || '').includes('/assets/'));
      let tFirst = profile.startTime;
      for (let k = 0; k <= firstScript; k++) tFirst += profile.timeDeltas[k];
      const resIndex = info.res.find(([n]) => n.startsWith('index'));
      const offset = tFirst / 1000 - (resIndex ? resIndex[2] : 0);
      const totals = new Map();
      for (let k = 0; k < profile.samples.length; k++) {
        t += profile.timeDeltas[k];
        const dt = (profile.timeDeltas[k + 1] ?? 0) / 1000;
        const at = t / 1000 - offset;
        if (at > info.drawnAt) break;
        const n = nodes.get(profile.samples[k]);
        const f = n.callFrame;
        if (f.functionName === '(idle)' || f.functionName === '(program)') continue;
        const key = `${(f.url || '').split('/').pop() || f.functionName} ${f.url ? f.functionName || '(anon)' : ''}`;
        bySelf.set(key, (bySelf.get(key) ?? 0) + dt);
        let phase = phases[0][0];
        for (const [name, pt] of phases) if (at >= pt) phase = name;
        const file = `${phase} | ${(f.url || '').split('/').pop().replace(/-[\w]+\.js$/, '.js') || f.functionName}`;
        byPhase.set(file, (byPhase.get(file) ?? 0) + dt);
        totals.set(phase, (totals.get(phase) ?? 0) + dt);
      }
      console.log(`  busy per phase (from): ${[...totals].map(([p, v]) => `${p} ${v.toFixed(0)}`).join(', ')}`);
    }
    console.log('\nself time by phase and script (ms per open):');
    for (const [k, v] of [...byPhase].sort((a, b) => a[0].localeCompare(b[0]))) if (v / OPENS >= 1) console.log(`  ${k}: ${(v / OPENS).toFixed(1)}`);
    console.log('\nself time by function (ms per open):');
    for (const [k, v] of [...bySelf].sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(`  ${(v / OPENS).toFixed(1).padStart(6)}  ${k}`);
  } finally {
    await browser.close();
    await gloss.stop();
  }
  log('done');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
