#!/usr/bin/env node
/**
 * Issue 17: "a page with 50 images opens without waiting for the images". One headless Chromium run against a real
 * browser-mode Gloss:
 *  (i)   open an article with 50 stored images (300x200 PNGs of noise, ~180 KB each, stored at import from data: URLs)
 *        until its last paragraph is in the DOM and the frame after is painted, beside the same article without images;
 *  (ii)  the same with every /images/ reply held back 500 ms (a slow disk or a cold cache): the article must not wait;
 *  (iii) how many images the open fetched (loading="lazy": those near the screen only), and the layout shift summed
 *        over the open and a scroll through the whole article (width/height stored with each image: none expected).
 *
 * Plain JavaScript like the other benches. Run after a build: npx electron-vite build && node bench/images.mjs
 * BENCH_ROUNDS (default 7); results go to stdout and between the images markers in bench/RESULTS.md.
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath, log, machine, median, ms, startGloss } from './common.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const IMAGES = 50;
const DELAY_MS = 500;

/** An RGB PNG of noise (incompressible, so each image costs what a photo would). */
function noisePng(width, height) {
  const chunk = (type, data) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(Buffer.concat([Buffer.from(type, 'latin1'), data])) >>> 0, 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const rows = [];
  for (let y = 0; y < height; y++) rows.push(Buffer.concat([Buffer.from([0]), randomBytes(width * 3)]));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

const PARA = (n) =>
  `<p>Paragraph ${n}. The harbour wakes before dawn, when the boats come in with the night's catch and the gulls follow them home; by seven the market is loud with prices called across the quay, and by nine it is swept and quiet again.</p>`;

function page(withImages) {
  const parts = [];
  for (let i = 0; i < IMAGES; i++) {
    parts.push(PARA(i * 2), PARA(i * 2 + 1));
    if (withImages) parts.push(`<figure><img src="data:image/png;base64,${noisePng(300, 200).toString('base64')}" alt="Figure ${i + 1}"><figcaption>Figure ${i + 1}.</figcaption></figure>`);
    else parts.push(`<figure><figcaption>Figure ${i + 1}.</figcaption></figure>`);
  }
  parts.push('<p>The last paragraph of the harbour essay.</p>');
  return `<html><head><title>Harbour in ${IMAGES} pictures</title></head><body><article><h1>Harbour in ${IMAGES} pictures</h1>${parts.join('\n')}</article></body></html>`;
}

/** Opens the article; resolves with the time from navigation start to the frame after its last paragraph appeared. */
async function open(context, url, { delayImages }) {
  const p = await context.newPage();
  const imageRequests = [];
  p.on('request', (request) => {
    if (new URL(request.url()).pathname.startsWith('/images/')) imageRequests.push(request.url());
  });
  // Only (ii) routes: interception costs every request a trip through the driver, which (i) should not pay.
  if (delayImages) {
    await p.route('**/images/**', async (route) => {
      await new Promise((r) => setTimeout(r, DELAY_MS));
      await route.continue();
    });
  }
  await p.addInitScript(() => {
    window.__shift = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shift += e.value;
    }).observe({ type: 'layout-shift', buffered: true });
  });
  await p.goto(url);
  const opened = await p.evaluate(
    () =>
      new Promise((resolve) => {
        const done = () => {
          const article = document.querySelector('article.reader-article');
          if (!article || !article.textContent.includes('The last paragraph of the harbour essay.')) return false;
          requestAnimationFrame(() => setTimeout(() => resolve(performance.now())));
          return true;
        };
        if (done()) return;
        const observer = new MutationObserver(() => {
          if (done()) observer.disconnect();
        });
        observer.observe(document.body, { childList: true, subtree: true });
      }),
  );
  const atOpen = imageRequests.length;
  return { p, opened, atOpen, imageRequests };
}

/** Scrolls through the article a screen at a time, waiting for the images on each screen; answers the layout shift. */
async function scrollThrough(p) {
  const started = Date.now();
  await p.evaluate(async () => {
    const pane = document.querySelector('main.reader-pane');
    for (let top = 0; top < pane.scrollHeight; top += pane.clientHeight) {
      pane.scrollTop = top;
      const visible = [...document.querySelectorAll('article.reader-article img')].filter((img) => {
        const r = img.getBoundingClientRect();
        return r.bottom > 0 && r.top < innerHeight;
      });
      await Promise.all(visible.map((img) => (img.complete ? null : new Promise((r) => img.addEventListener('load', r, { once: true })))));
    }
  });
  const loaded = await p.evaluate(() => [...document.querySelectorAll('article.reader-article img')].filter((i) => i.complete && i.naturalWidth > 0).length);
  return { loaded, seconds: (Date.now() - started) / 1000, shift: await p.evaluate(() => window.__shift) };
}

async function main() {
  const gloss = await startGloss();
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  try {
    const t0 = Date.now();
    const withImages = await gloss.api('importArticle', { format: 'html', content: page(true) });
    const importSeconds = (Date.now() - t0) / 1000;
    const without = await gloss.api('importArticle', { format: 'html', content: page(false) });
    if (withImages.images?.stored !== IMAGES) throw new Error(`expected ${IMAGES} stored images, got ${JSON.stringify(withImages.images)}`);
    const urlOf = (id) => `${gloss.origin}/#token=${gloss.token}#/article/${id}`;
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    // Warm-up (the app's scripts into the cache), not measured.
    for (const id of [without.id, withImages.id]) (await open(context, urlOf(id), { delayImages: false })).p.close();
    const rows = { none: [], images: [], delayed: [], fetchedAtOpen: [], shift: [], allLoaded: [], loaded: [] };
    for (let round = 0; round < ROUNDS; round++) {
      // Interleaved, so a busy moment on the machine falls on all three alike.
      const a = await open(context, urlOf(without.id), { delayImages: false });
      rows.none.push(a.opened);
      await a.p.close();
      const b = await open(context, urlOf(withImages.id), { delayImages: false });
      rows.images.push(b.opened);
      rows.fetchedAtOpen.push(b.atOpen);
      const through = await scrollThrough(b.p);
      rows.shift.push(through.shift);
      rows.allLoaded.push(through.seconds);
      rows.loaded.push(through.loaded);
      await b.p.close();
      const c = await open(context, urlOf(withImages.id), { delayImages: true });
      rows.delayed.push(c.opened);
      await c.p.close();
      log(`round ${round + 1}: none ${ms(a.opened)}, images ${ms(b.opened)}, images held ${DELAY_MS} ms ${ms(c.opened)}; fetched at open ${b.atOpen}; shift ${through.shift.toFixed(4)}`);
    }
    const results = {
      machine: await machine(browser.version()),
      importSeconds,
      storedBytes: withImages.images,
      none: median(rows.none),
      images: median(rows.images),
      delayed: median(rows.delayed),
      fetchedAtOpen: median(rows.fetchedAtOpen),
      maxShift: Math.max(...rows.shift),
      allLoaded: median(rows.allLoaded),
      loaded: Math.min(...rows.loaded),
      rows,
    };
    console.log(JSON.stringify(results, null, 2));
    await writeResults(results);
  } finally {
    await browser.close();
    await gloss.stop();
  }
}

async function writeResults(r) {
  const file = path.join(here, 'RESULTS.md');
  const m = r.machine;
  const lines = [
    `Run ${m.date} on ${m.nproc} CPUs (${m.cpu}), ${m.memoryGiB} GiB memory, ${m.platform}; Chromium ${m.chromium} headless; Node ${m.node}. ${ROUNDS} rounds, interleaved.`,
    '',
    `Article: ${IMAGES} figures (300x200 PNGs of noise, ~180 KB each, stored at import from data: URLs; the import took ${r.importSeconds.toFixed(1)} s) between 101 paragraphs; the same article without images beside it.`,
    '',
    '| measure | with 50 images | reference | ratio | bar |',
    '| --- | --- | --- | --- | --- |',
    `| (i) open until the last paragraph is in the DOM and the next frame is done (median, from navigation start) | ${ms(r.images)} | ${ms(r.none)} without images | **${(r.images / r.none).toFixed(2)}x** | opens without waiting for the images |`,
    `| (ii) the same, every /images/ reply held back ${DELAY_MS} ms (had the open waited for an image, this would be (i) + ${DELAY_MS} ms or more) | ${ms(r.delayed)} | ${ms(r.images)}: (i) | ${(r.delayed - r.images).toFixed(0)} ms later | under ${DELAY_MS} ms later: ${r.delayed - r.images < DELAY_MS ? 'met, the open did not wait' : 'NOT met'} |`,
    `| (iii) images requested by the open (loading="lazy": near the screen only) | ${r.fetchedAtOpen} of ${IMAGES} | | | |`,
    `| (iii) layout shift over the open and a scroll through the article (CLS sum, worst round; width/height stored with each image) | ${r.maxShift.toFixed(4)} | | | 0 expected |`,
    `| scroll through, a screen at a time, each screen's images loaded (median) | ${r.allLoaded.toFixed(1)} s, ${r.loaded} of ${IMAGES} loaded | | | |`,
    '',
    `Per-round open times (ms): without images ${r.rows.none.map((x) => x.toFixed(0)).join(', ')}; with ${r.rows.images.map((x) => x.toFixed(0)).join(', ')}; held back ${r.rows.delayed.map((x) => x.toFixed(0)).join(', ')}.`,
  ];
  let text = await readFile(file, 'utf8');
  const block = `<!-- images:start -->\n${lines.join('\n')}\n<!-- images:end -->`;
  if (text.includes('<!-- images:start -->')) text = text.replace(/<!-- images:start -->[\s\S]*<!-- images:end -->/, block);
  else text += `\n## Images (issue 17): a page with 50 images\n\n\`node bench/images.mjs\` (part of \`npm run bench\`).\n\n${block}\n`;
  await writeFile(file, text);
  log('bench/RESULTS.md updated (images)');
}

await main();
