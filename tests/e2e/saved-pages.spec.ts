/**
 * Saved pages keep what they had (issue 17 items 1 and 2), in Chromium, against a real browser-mode Gloss:
 * - a saved Wikipedia-like page: its source comes from its canonical link; clicking a footnote marker scrolls to the
 *   note, and Back (the button, and Alt+Left) returns to where the reader was; an external link is not navigated
 *   inside the app;
 * - images stored at import (a saved page with its _files picked beside it, and a URL import whose images the test
 *   site serves) show with the network blocked and the test site stopped.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile, mkdir, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, startGloss, test } from './fixtures';
import { makePng } from '../support/make-image';

const PARA = (n: number): string =>
  `<p>Paragraph ${n}. The Pacific Ocean is the largest and deepest of Earth's five oceanic divisions, stretching from the Arctic in the north to the Southern Ocean in the south, and bounded by Asia and Australia in the west and the Americas in the east.</p>`;

const WIKI = `<!DOCTYPE html>
<!-- saved from url=(0044)https://en.wikipedia.org/wiki/Pacific_Ocean -->
<html lang="en"><head><meta charset="utf-8"><title>Pacific Ocean - Wikipedia</title>
<link rel="canonical" href="https://en.wikipedia.org/wiki/Pacific_Ocean"></head>
<body><div id="content"><h1 id="firstHeading">Pacific Ocean</h1><div id="mw-content-text">
<p>The Pacific is the largest ocean.<sup id="cite_ref-area_1-0" class="reference"><a href="#cite_note-area-1">[1]</a></sup>
It borders <a href="/wiki/Asia" title="Asia">Asia</a> and <a href="https://www.britannica.com/place/Pacific-Ocean">Britannica's account</a>.</p>
${Array.from({ length: 40 }, (_, i) => PARA(i + 1)).join('\n')}
<h2 id="References">References</h2>
<ol class="references"><li id="cite_note-area-1"><b>^</b> <span class="reference-text">Area of the Pacific, 165,250,000 square kilometres.</span></li></ol>
</div></div></body></html>`;

test('a footnote scrolls to its note and Back returns; an external link does not navigate the app', async ({ page, gloss }) => {
  await page.goto(gloss.url);
  await page.getByLabel('Choose files to import').setInputFiles({ name: 'Pacific Ocean - Wikipedia.html', mimeType: 'text/html', buffer: Buffer.from(WIKI) });
  await expect(page.locator('h1.reader-title')).toHaveText('Pacific Ocean - Wikipedia');
  const [article] = (await gloss.api('listArticles')).filter((a) => a.title === 'Pacific Ocean - Wikipedia');
  expect(article.source).toBe('https://en.wikipedia.org/wiki/Pacific_Ocean');

  const reader = page.locator('article.reader-article');
  const pane = page.locator('main.reader-pane');
  const marker = reader.getByRole('link', { name: '[1]' });
  const note = reader.locator('#gloss-ref-cite_note-area-1');
  await expect(note).toContainText('165,250,000');
  await expect(note).not.toBeInViewport();
  const hashBefore = await page.evaluate(() => location.hash);
  const scrollBefore = await pane.evaluate((el) => el.scrollTop);

  await marker.click();
  await expect(note).toBeInViewport();
  expect(await page.evaluate(() => location.hash)).toBe(hashBefore); // the route is untouched
  await expect(note).toBeFocused();
  const back = page.getByRole('button', { name: 'Back to where you were' });
  await expect(back).toBeVisible();
  await back.click();
  await expect.poll(() => pane.evaluate((el) => el.scrollTop)).toBe(scrollBefore);
  await expect(marker).toBeFocused();
  await expect(back).toBeHidden();

  // The keyboard way: Enter on the marker, Alt+Left back.
  await marker.press('Enter');
  await expect(note).toBeInViewport();
  await page.keyboard.press('Alt+ArrowLeft');
  await expect(marker).toBeInViewport();
  await expect(marker).toBeFocused();
  expect(page.url()).toContain(`#/article/${article.id}`);

  // Relative links were made absolute against the canonical source; an external link opens outside the app.
  await expect(reader.getByRole('link', { name: 'Asia' })).toHaveAttribute('href', 'https://en.wikipedia.org/wiki/Asia');
  const external = reader.getByRole('link', { name: "Britannica's account" });
  await expect(external).toHaveAttribute('target', '_blank');
  const opened: string[] = [];
  await page.context().route('https://www.britannica.com/**', (route) => {
    opened.push(route.request().url());
    return route.abort();
  });
  const appUrl = page.url();
  const [popup] = await Promise.all([page.waitForEvent('popup'), external.click()]);
  // A new browsing context asked for it (the desktop app hands that to the system browser); the app stays where it was.
  await expect.poll(() => opened).toEqual(['https://www.britannica.com/place/Pacific-Ocean']);
  expect(popup).not.toBe(page);
  expect(page.url()).toBe(appUrl);
  await popup.close();
});

/** Every image in the reader, scrolled to (they load lazily), has loaded: naturalWidth > 0. */
async function expectImagesLoaded(page: Page, count: number): Promise<void> {
  const images = page.locator('article.reader-article img');
  await expect(images).toHaveCount(count);
  for (let i = 0; i < count; i++) {
    const img = images.nth(i);
    await img.scrollIntoViewIfNeeded();
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth), { message: `image ${i}` }).toBeGreaterThan(0);
    await expect(img).toHaveAttribute('src', /\/images\/[0-9a-f]{64}\.\w+\?key=/);
  }
}

/** Aborts every request that is not to Gloss itself: the network is gone. Records what was tried. */
async function blockNetwork(page: Page, origin: string): Promise<string[]> {
  const tried: string[] = [];
  await page.route('**', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/`)) return route.continue();
    tried.push(url);
    return route.abort();
  });
  return tried;
}

test('a saved page with its _files: images are stored and read offline', async ({ page, gloss }) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gloss-saved-'));
  try {
    await mkdir(path.join(dir, 'Harbour_files'));
    await writeFile(path.join(dir, 'Harbour_files', 'quay.png'), makePng(120, 80, [30, 90, 160]));
    await writeFile(path.join(dir, 'Harbour_files', 'nets.png'), makePng(90, 60, [160, 90, 30]));
    const inline = `data:image/png;base64,${makePng(20, 10).toString('base64')}`;
    const html = `<!DOCTYPE html><html><head><title>Harbour</title><link rel="canonical" href="https://paper.example/harbour"></head><body><article><h1>Harbour</h1>
      ${PARA(1)}<figure><img src="Harbour_files/quay.png" alt="The quay"><figcaption>The quay at dawn.</figcaption></figure>${PARA(2)}
      <figure><img src="./Harbour_files/nets.png" alt="Nets"><figcaption>Nets drying.</figcaption></figure>${PARA(3)}
      <p><img src="${inline}" alt="inline"></p>${PARA(4)}</article></body></html>`;
    await writeFile(path.join(dir, 'Harbour.html'), html);
    const tried = await blockNetwork(page, gloss.origin);
    await page.goto(gloss.url);
    await page.getByLabel('Choose files to import').setInputFiles([
      path.join(dir, 'Harbour.html'),
      path.join(dir, 'Harbour_files', 'quay.png'),
      path.join(dir, 'Harbour_files', 'nets.png'),
    ]);
    await expect(page.locator('h1.reader-title')).toHaveText('Harbour');
    await expectImagesLoaded(page, 3);
    // No consent asked: nothing is remote. Nothing left the machine.
    await expect(page.getByRole('button', { name: 'Load images' })).toHaveCount(0);
    expect(tried).toEqual([]);
    expect((await readdir(path.join(gloss.dataDir, 'images'))).length).toBe(3);
    // The picked images did not become articles of their own.
    expect((await gloss.api('listArticles')).map((a) => a.title)).not.toContain('quay.png');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a URL import stores its images under the page\'s address rules; the article reads offline with the site gone', async ({ page }) => {
  const gloss = await startGloss({ args: ['--allow-loopback-import'] });
  const pngs = { '/img/one.png': makePng(200, 100, [10, 120, 60]), '/img/two.png': makePng(64, 64, [200, 20, 90]) };
  const fetched: string[] = [];
  const site = http.createServer((req, res) => {
    fetched.push(req.url ?? '');
    if (req.url === '/story') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html><head><title>Tide tables</title></head><body><article><h1>Tide tables</h1>${PARA(1)}
        <figure><img src="/img/one.png" alt="Chart"><figcaption>The chart.</figcaption></figure>${PARA(2)}
        <figure><img src="img/two.png" srcset="/img/two.png 1x" alt="Buoy"><figcaption>A buoy.</figcaption></figure>${PARA(3)}
        <figure><img src="/img/missing.png" alt="Gone"><figcaption>Missing.</figcaption></figure>${PARA(4)}</article></body></html>`);
    } else if (req.url && req.url in pngs) {
      res.writeHead(200, { 'Content-Type': 'image/png' });
      res.end(pngs[req.url as keyof typeof pngs]);
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  try {
    await page.goto(gloss.url);
    await page.getByRole('button', { name: 'Import from URL…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import from URL' });
    await dialog.getByLabel('Web address').fill(`${base}/story`);
    await dialog.getByRole('button', { name: 'Import' }).click();
    await expect(page.locator('h1.reader-title')).toHaveText('Tide tables');
    // The one the site did not have is said, not hidden.
    await expect(page.getByText('1 image was not kept (1 could not be fetched)')).toBeVisible();
    expect(fetched.sort()).toEqual(['/img/missing.png', '/img/one.png', '/img/two.png', '/story']);

    // The site goes away and the network with it: the article still shows its images, from the notebook.
    site.closeAllConnections();
    site.close();
    const tried = await blockNetwork(page, gloss.origin);
    await page.reload();
    await expect(page.locator('h1.reader-title')).toHaveText('Tide tables');
    const stored = page.locator('article.reader-article img[src*="/images/"]');
    await expect(stored).toHaveCount(2);
    for (const i of [0, 1]) {
      await stored.nth(i).scrollIntoViewIfNeeded();
      await expect.poll(() => stored.nth(i).evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBeGreaterThan(0);
    }
    // Width and height come with the stored image: its box is reserved before it loads.
    await expect(stored.first()).toHaveAttribute('width', '200');
    await expect(stored.first()).toHaveAttribute('height', '100');
    expect(tried).toEqual([]);

    // The image address needs the image key: without it, 401.
    const src = (await stored.first().getAttribute('src'))!;
    expect((await fetch(src)).status).toBe(200);
    expect((await fetch(src.replace(/\?key=.*/, ''))).status).toBe(401);
    // A wrong key: its first character changed (to one it is not: the key may well begin with a 0).
    expect((await fetch(src.replace(/key=(.)/, (_m, c: string) => `key=${c === '0' ? '1' : '0'}`))).status).toBe(401);
  } finally {
    site.close();
    await gloss.stop();
    await rm(gloss.dataDir, { recursive: true, force: true });
  }
});
