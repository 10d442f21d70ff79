/**
 * The PDF reader end to end: a real PDF imported through the API into a real browser-mode server, drawn by pdf.js in
 * Chromium, selected with the real mouse over its text layer, highlighted with h, saved, and painted again after a
 * reload. Also: a selection across a page break, go to page, Show in text for a highlight on a page not drawn, the
 * outline and page labels (a PDF made here with pdf-lib), find, the scan banner, a PDF that fails to load, and
 * screenshots in light and dark at two widths.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { PDFDocument, PDFName, PDFNumber, PDFString, StandardFonts, type PDFRef } from 'pdf-lib';
import type { Page } from '@playwright/test';
import type { Article } from '../../electron/contract';
import { test, expect, fixturesDir, type GlossServer } from './fixtures';

const SHOTS = process.env.PDF_SHOTS_DIR ?? path.join(__dirname, '../../test-results/pdf-reader');

async function importPdf(gloss: GlossServer, bytes: Uint8Array, fileName: string): Promise<string> {
  const summary = (await gloss.api('importArticle', { format: 'pdf', contentBase64: Buffer.from(bytes).toString('base64'), fileName })) as { id: string };
  return summary.id;
}

const fixture = (name: string): Promise<Buffer> => readFile(path.join(fixturesDir, 'pdf', name));

/** Opens the article and waits for page `n` to be drawn with its text layer and highlights. */
async function openPdf(page: Page, gloss: GlossServer, id: string, n = 1): Promise<void> {
  await page.goto(`${gloss.url}#/article/${id}`);
  await expect(page.locator(`.pdf-page[data-page-number="${n}"]`)).toHaveAttribute('data-rendered', 'true');
}

/** The text layer span on page `n` whose text contains `needle` (the first one). */
function span(page: Page, n: number, needle: string) {
  return page.locator(`.pdf-page[data-page-number="${n}"] .textLayer span`, { hasText: needle }).first();
}

/** A real mouse drag from just inside the start of `from`'s box to just inside the end of `to`'s. */
async function drag(page: Page, from: ReturnType<typeof span>, to: ReturnType<typeof span>): Promise<void> {
  const a = (await from.boundingBox())!;
  const b = (await to.boundingBox())!;
  await page.mouse.move(a.x + 1, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x + b.width) / 2, (a.y + b.y) / 2 + a.height / 2, { steps: 5 });
  await page.mouse.move(b.x + b.width - 1, b.y + b.height / 2, { steps: 10 });
  await page.mouse.up();
}

/** How many ranges each painted layer holds now (the CSS Custom Highlight registry). */
function layerSize(page: Page, name: string): Promise<number> {
  return page.evaluate((n) => CSS.highlights.get(n)?.size ?? 0, name);
}

/**
 * What the page says about pdf.js going wrong: errors, and pdf.js's own warnings (it logs them as "Warning: ..."),
 * such as a fake worker (the PDF parsed on the main thread) or a page whose text differs from the imported text.
 */
function watchConsole(page: Page): string[] {
  const said: string[] = [];
  page.on('console', (m) => {
    const text = m.text();
    if (m.type() === 'error' || m.type() === 'warning' || /^Warning:|gloss:/.test(text)) said.push(text);
  });
  page.on('pageerror', (e) => said.push(e.message));
  return said;
}

async function article(gloss: GlossServer, id: string): Promise<Article> {
  return (await gloss.api('getArticle', id)) as Article;
}

test('a mouse drag over a line of page 1 and h make a highlight that is saved with its page and painted again after a reload', async ({ gloss, page }) => {
  const errors = watchConsole(page);
  const id = await importPdf(gloss, await fixture('tracemonkey.pdf'), 'tracemonkey.pdf');
  await openPdf(page, gloss, id);
  await expect(page.locator('article.reader-article.pdf-document .pdf-page')).toHaveCount(14);
  await expect(page.locator('[data-page-indicator]')).toHaveText('Page 1 of 14');

  const line = span(page, 1, 'Dynamic languages such as JavaScript');
  const lineText = (await line.textContent())!.trim();
  await drag(page, line, line);
  await expect.poll(() => page.evaluate(() => document.getSelection()?.toString().trim())).toBe(lineText);
  await page.keyboard.press('h');

  const doc = page.locator('article.pdf-document');
  await expect(doc).toHaveAttribute('data-painted-highlights', '1');
  await expect.poll(() => layerSize(page, 'gloss-yellow')).toBe(1);
  await expect.poll(async () => (await article(gloss, id)).highlights.length).toBe(1);
  const [saved] = (await article(gloss, id)).highlights;
  expect(saved.quote).toBe(lineText);
  expect(saved.page).toBe(1);
  await expect(page.locator('[data-notes-panel]')).toContainText(lineText.slice(0, 30));

  await page.reload();
  await expect(page.locator('.pdf-page[data-page-number="1"]')).toHaveAttribute('data-rendered', 'true');
  await expect(doc).toHaveAttribute('data-painted-highlights', '1');
  expect(await layerSize(page, 'gloss-yellow')).toBe(1);
  // The painted range covers exactly the quote.
  expect(await page.evaluate(() => [...CSS.highlights.get('gloss-yellow')!][0].toString())).toBe(lineText);
  // pdf.js ran its worker from our origin (no fake worker), fetched nothing it could not have (fonts, CMaps), and
  // its text layers read as the import did: nothing said at all.
  expect(errors).toEqual([]);
});

test('a drag across the page break makes one highlight spanning pages 1 and 2', async ({ gloss, page }) => {
  const id = await importPdf(gloss, await fixture('tracemonkey.pdf'), 'tracemonkey.pdf');
  await openPdf(page, gloss, id);
  // Small enough that the foot of page 1 and the head of page 2 are on screen together.
  await page.getByLabel('Zoom', { exact: true }).selectOption('50');
  await expect(page.locator('.pdf-page[data-page-number="2"]')).toHaveAttribute('data-rendered', 'true');
  const { pages, text } = await article(gloss, id);
  const p1 = pages![0];
  const p2 = pages![1];
  // The last words of page 1's text and the first of page 2's, as their spans (item order is text order).
  const lastOfPage1 = page.locator('.pdf-page[data-page-number="1"] .textLayer span:not(:empty)').last();
  const firstOfPage2 = page.locator('.pdf-page[data-page-number="2"] .textLayer span:not(:empty)').first();
  await lastOfPage1.scrollIntoViewIfNeeded();
  await drag(page, lastOfPage1, firstOfPage2);
  await page.keyboard.press('h');
  await expect.poll(async () => (await article(gloss, id)).highlights.length).toBe(1);
  const [h] = (await article(gloss, id)).highlights;
  expect(h.start).toBeGreaterThanOrEqual(p1.start);
  expect(h.start).toBeLessThan(p1.end);
  expect(h.end).toBeGreaterThan(p2.start);
  expect(h.end).toBeLessThanOrEqual(p2.end);
  expect(h.quote).toBe(text.slice(h.start, h.end));
  expect(h.page).toBe(1);
  // Painted on both pages: one Range from page 1 into page 2.
  const painted = await page.evaluate(() => [...CSS.highlights.get('gloss-yellow')!][0]);
  expect(painted).toBeTruthy();
  const ends = await page.evaluate(() => {
    const r = [...CSS.highlights.get('gloss-yellow')!][0] as Range;
    const pageOf = (n: Node) => (n.parentElement?.closest('.pdf-page') as HTMLElement).dataset.pageNumber;
    return [pageOf(r.startContainer), pageOf(r.endContainer)];
  });
  expect(ends).toEqual(['1', '2']);
});

test('go to page, Show in text for a highlight on a page not drawn yet, and find', async ({ gloss, page }) => {
  const id = await importPdf(gloss, await fixture('tracemonkey.pdf'), 'tracemonkey.pdf');
  const { pages, text } = await article(gloss, id);
  const p12 = pages![11];
  // A highlight on page 12, made through the API: ten words from the middle of the page.
  const start = text.indexOf(' ', p12.start + Math.floor((p12.end - p12.start) / 2)) + 1;
  const end = start + 60;
  const made = (await gloss.api('addHighlight', id, { start, end, color: 'green' })) as { id: string };
  await openPdf(page, gloss, id);
  await expect(page.locator('.pdf-page[data-page-number="12"]')).toHaveAttribute('data-rendered', 'false');

  const go = page.getByLabel('Go to page');
  await go.fill('10');
  await go.press('Enter');
  await expect(page.locator('[data-page-indicator]')).toHaveText('Page 10 of 14');
  await expect(page.locator('.pdf-page[data-page-number="10"]')).toHaveAttribute('data-rendered', 'true');
  await go.fill('99');
  await go.press('Enter');
  await expect(go).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('[data-page-indicator]')).toHaveText('Page 10 of 14');

  const card = page.locator(`[data-highlight-id="${made.id}"]`);
  await card.getByRole('button', { name: /show in text/i }).click();
  await expect(page.locator('.pdf-page[data-page-number="12"]')).toHaveAttribute('data-rendered', 'true');
  await expect(page.locator('[data-page-indicator]')).toHaveText('Page 12 of 14');
  await expect.poll(() => layerSize(page, 'gloss-focus')).toBe(1);
  // (A Range's text has no line breaks between text layer spans: compare without white space.)
  expect(await page.evaluate(() => [...CSS.highlights.get('gloss-focus')!][0].toString().replace(/\s+/g, ''))).toBe(text.slice(start, end).replace(/\s+/g, ''));
  // The emphasised passage is on screen.
  const onScreen = await page.evaluate(() => {
    const r = ([...CSS.highlights.get('gloss-focus')!][0] as Range).getBoundingClientRect();
    const box = document.querySelector('article.pdf-document')!.getBoundingClientRect();
    return r.top >= box.top && r.bottom <= box.bottom;
  });
  expect(onScreen).toBe(true);

  // Find: a phrase from page 13 jumps there and is shown with the find layer.
  const p13 = pages![12];
  const phrase = text.slice(p13.start, p13.end).split('\n').find((l) => l.length > 30)!.slice(0, 24);
  await page.locator('article.pdf-document').focus();
  await page.keyboard.press('Control+f');
  await page.getByRole('searchbox', { name: 'Find in article' }).fill(phrase);
  await expect(page.locator('.find-count')).toHaveText(/^1 of \d+$/);
  await expect(page.locator('[data-page-indicator]')).toHaveText('Page 13 of 14');
  await expect.poll(() => layerSize(page, 'gloss-find')).toBe(1);
  expect((await page.evaluate(() => [...CSS.highlights.get('gloss-find')!][0].toString())).toLowerCase().replace(/\s+/g, '')).toBe(
    phrase.toLowerCase().replace(/\s+/g, ''),
  );
});

test('a drag from the left column into the right one, 1-5, Enter, a click on a highlight and Escape work as in the HTML reader', async ({ gloss, page }) => {
  const id = await importPdf(gloss, await fixture('tracemonkey.pdf'), 'tracemonkey.pdf');
  await openPdf(page, gloss, id);
  const { text } = await article(gloss, id);
  // The last line of the abstract (left column) into the first line of the right column.
  const left = span(page, 1, 'have measured speedups');
  const right = span(page, 1, 'and is used for the application logic');
  const leftText = (await left.textContent())!;
  const rightText = (await right.textContent())!;
  await drag(page, left, right);
  await page.keyboard.press('3');
  await expect.poll(async () => (await article(gloss, id)).highlights.length).toBe(1);
  const [h] = (await article(gloss, id)).highlights;
  expect(h.color).toBe('blue');
  expect(h.start).toBe(text.indexOf(leftText));
  expect(h.end).toBe(text.indexOf(rightText) + rightText.trimEnd().length);
  expect(h.quote).toBe(text.slice(h.start, h.end));
  await expect.poll(() => layerSize(page, 'gloss-blue')).toBe(1);

  // Enter right after h opens the popover of the highlight just made (the caret stays at its end), saved or not yet.
  await page.keyboard.press('Enter');
  const popover = page.getByRole('dialog', { name: 'Edit highlight' }).or(page.locator('.highlight-popover'));
  await expect(popover).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(popover).toHaveCount(0);

  // Escape drops a selection without highlighting; a click on painted text opens its popover, and recolours there.
  const other = span(page, 1, 'Compilers for statically typed languages');
  await drag(page, other, other);
  await page.keyboard.press('Escape');
  expect(await page.evaluate(() => document.getSelection()?.isCollapsed ?? true)).toBe(true);
  const box = (await left.boundingBox())!;
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await expect(popover).toBeVisible();
  await popover.getByRole('button', { name: /Recolour pink/i }).click();
  await expect.poll(async () => (await article(gloss, id)).highlights[0].color).toBe('pink');
  await expect.poll(() => layerSize(page, 'gloss-pink')).toBe(1);
  expect(await layerSize(page, 'gloss-blue')).toBe(0);
});

test('by keyboard alone: Shift+Arrows select from the first line of the page on screen, h highlights', async ({ gloss, page }) => {
  const id = await importPdf(gloss, await fixture('tracemonkey.pdf'), 'tracemonkey.pdf');
  await openPdf(page, gloss, id);
  await page.locator('article.pdf-document').focus();
  for (let i = 0; i < 12; i++) await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('Shift+ArrowDown');
  await page.keyboard.press('h');
  await expect.poll(async () => (await article(gloss, id)).highlights.map((h) => h.quote)).toEqual(['Trace-based Just-in-Time Type Specialization for Dynamic']);
  await expect(page.locator('article.pdf-document')).toBeFocused();
});

test('a page far down shows its highlight in the same frame as its text (painted before the page is shown)', async ({ gloss, page }) => {
  const id = await importPdf(gloss, await fixture('tracemonkey.pdf'), 'tracemonkey.pdf');
  const { pages } = await article(gloss, id);
  const p11 = pages![10];
  await gloss.api('addHighlight', id, { start: p11.start + 5, end: p11.start + 50, color: 'green' });
  await openPdf(page, gloss, id);
  // Whenever page 11's text layer or canvas enters the DOM, note how many green highlights are registered then.
  // MutationObserver callbacks run before the browser can paint a frame after the mutation: what they see is what
  // that frame shows.
  await page.evaluate(() => {
    const target = document.querySelector('.pdf-page[data-page-number="11"]')!;
    const seen: number[] = [];
    (window as unknown as { seen: number[] }).seen = seen;
    new MutationObserver(() => {
      if (target.querySelector('.textLayer')) seen.push(CSS.highlights.get('gloss-green')?.size ?? 0);
    }).observe(target, { childList: true, attributes: true });
  });
  const go = page.getByLabel('Go to page');
  await go.fill('11');
  await go.press('Enter');
  await expect(page.locator('.pdf-page[data-page-number="11"]')).toHaveAttribute('data-rendered', 'true');
  const seen = await page.evaluate(() => (window as unknown as { seen: number[] }).seen);
  expect(seen.length).toBeGreaterThan(0);
  expect(seen[0]).toBe(1);
});

test('the reading place is kept by page: reopened (and zoomed) it is on the same page; a deep link goes to its highlight', async ({ gloss, page }) => {
  const id = await importPdf(gloss, await fixture('tracemonkey.pdf'), 'tracemonkey.pdf');
  await openPdf(page, gloss, id);
  const go = page.getByLabel('Go to page');
  await go.fill('9');
  await go.press('Enter');
  await expect(page.locator('[data-page-indicator]')).toHaveText('Page 9 of 14');
  // Saved a second after the scroll stops: (page index + fraction of the page) / pages.
  await expect.poll(async () => ((await gloss.api('getSettings')) as { ui?: { scroll?: Record<string, number> } }).ui?.scroll?.[id] ?? -1).toBeGreaterThan(8 / 14 - 0.01);
  const saved = ((await gloss.api('getSettings')) as { ui: { scroll: Record<string, number> } }).ui.scroll[id];
  expect(saved).toBeLessThan(9 / 14);
  await page.reload();
  await expect(page.locator('.pdf-page[data-page-number="9"]')).toHaveAttribute('data-rendered', 'true');
  await expect(page.locator('[data-page-indicator]')).toHaveText('Page 9 of 14');
  await page.getByLabel('Zoom', { exact: true }).selectOption('50');
  await expect(page.locator('.pdf-page[data-page-number="9"]')).toHaveAttribute('data-rendered', 'true');
  await expect(page.locator('[data-page-indicator]')).toHaveText('Page 9 of 14');

  const { pages, text } = await article(gloss, id);
  const p13 = pages![12];
  const start = text.indexOf(' ', p13.start + 200) + 1;
  const made = (await gloss.api('addHighlight', id, { start, end: start + 40, color: 'purple' })) as { id: string };
  await page.goto(`${gloss.url}#/article/${id}/highlight/${made.id}`);
  await expect(page.locator('.pdf-page[data-page-number="13"]')).toHaveAttribute('data-rendered', 'true');
  await expect(page.locator('[data-page-indicator]')).toHaveText('Page 13 of 14');
  await expect.poll(() => layerSize(page, 'gloss-focus')).toBe(1);
});

test('a long PDF keeps about ten pages drawn wherever the reader goes', async ({ gloss, page }) => {
  const said = watchConsole(page);
  const id = await importPdf(gloss, await fixture('pdkids.pdf'), 'pdkids.pdf');
  await openPdf(page, gloss, id);
  const count = (await article(gloss, id)).pdf!.pageCount;
  const go = page.getByLabel('Go to page');
  for (const n of [Math.round(count / 3), count, 2, Math.round(count / 2), count - 5, 1, 6, 12, 18]) {
    await go.fill(String(n));
    await go.press('Enter');
    await expect(page.locator(`.pdf-page[data-page-number="${n}"]`)).toHaveAttribute('data-rendered', 'true');
    expect(await page.locator('.pdf-page canvas').count()).toBeLessThanOrEqual(10);
    expect(await page.locator('.pdf-page .textLayer').count()).toBeLessThanOrEqual(10);
  }
  // Every canvas in the document is a drawn page's (released ones are gone, not hidden).
  const [drawn, canvases] = await page.evaluate(() => [document.querySelectorAll('.pdf-page[data-rendered="true"]').length, document.querySelectorAll('.pdf-page canvas').length]);
  expect(drawn).toBe(canvases);
  // Zoom in and out in a burst: every drawn page ends up drawn at the final zoom (its canvas as wide as its box).
  await page.locator('article.pdf-document').focus();
  for (const key of ['+', '+', '+', '-', '+', '-', '-']) await page.keyboard.press(key);
  await expect
    .poll(() =>
      page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('.pdf-page[data-rendered="true"]')].every((p) => {
          const canvas = p.querySelector('canvas')!;
          return Math.abs(canvas.width / Math.min(devicePixelRatio, 2) - p.getBoundingClientRect().width) < 2;
        }),
      ),
    )
    .toBe(true);
  // Every page drawn read the same text as the import (no "differs" warning), and nothing else went wrong.
  expect(said).toEqual([]);
});

test('from a PDF to a web article and back, each reader paints its own highlights (the PDF reader leaves nothing behind)', async ({ gloss, page }) => {
  const pdf = await importPdf(gloss, await fixture('tracemonkey.pdf'), 'tracemonkey.pdf');
  const { text } = await article(gloss, pdf);
  const at = text.indexOf('Dynamic languages');
  await gloss.api('addHighlight', pdf, { start: at, end: at + 40, color: 'green' });
  const web = ((await gloss.api('importArticle', { format: 'text', title: 'Plain', content: 'One paragraph of plain words.\n\nAnother paragraph here.' })) as { id: string }).id;
  await openPdf(page, gloss, pdf);
  await expect(page.locator('article.pdf-document')).toHaveAttribute('data-painted-highlights', '1');
  await page.goto(`${gloss.url}#/article/${web}`);
  await expect(page.locator('article.reader-article')).toContainText('Another paragraph');
  const words = page.locator('article.reader-article p').last();
  const box = (await words.boundingBox())!;
  await page.mouse.move(box.x + 1, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + 80, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  await page.keyboard.press('h');
  await expect.poll(() => layerSize(page, 'gloss-yellow')).toBe(1);
  await expect.poll(async () => (await article(gloss, web)).highlights.length).toBe(1);
  // Still painted once the save has answered (the app's painter is the web reader's, not a disposed PDF one).
  await expect(page.locator('[data-notes-panel] [data-highlight-id]')).toHaveCount(1);
  expect(await layerSize(page, 'gloss-yellow')).toBe(1);
  expect(await layerSize(page, 'gloss-green')).toBe(0);
  await page.goto(`${gloss.url}#/article/${pdf}`);
  await expect(page.locator('.pdf-page[data-page-number="1"]')).toHaveAttribute('data-rendered', 'true');
  await expect.poll(() => layerSize(page, 'gloss-green')).toBe(1);
  expect(await layerSize(page, 'gloss-yellow')).toBe(0);
  // And on to another PDF: its own pages, none of the last one's highlights.
  const other = await importPdf(gloss, await fixture('pdkids.pdf'), 'pdkids.pdf');
  const count = (await article(gloss, other)).pdf!.pageCount;
  await page.goto(`${gloss.url}#/article/${other}`);
  await expect(page.locator('.pdf-page[data-page-number="1"]')).toHaveAttribute('data-rendered', 'true');
  await expect(page.locator('.pdf-page')).toHaveCount(count);
  await expect(page.locator('[data-page-indicator]')).toHaveText(`Page 1 of ${count}`);
  expect(await layerSize(page, 'gloss-green')).toBe(0);
});

/** A six-page PDF with an outline (two entries, one nested) and page labels i, ii, then 1.. (made with pdf-lib). */
async function pdfWithOutline(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const refs: PDFRef[] = [];
  for (let i = 0; i < 6; i++) {
    const p = pdf.addPage([400, 500]);
    p.drawText(`This is page ${i + 1} of the outline test.`, { x: 40, y: 440, size: 14, font });
    refs.push(p.ref);
  }
  const ctx = pdf.context;
  const outlinesRef = ctx.nextRef();
  const entry = (title: string, pageIndex: number, parent: PDFRef) =>
    ctx.obj({ Title: PDFString.of(title), Parent: parent, Dest: [refs[pageIndex], 'Fit'] });
  const firstRef = ctx.nextRef();
  const secondRef = ctx.nextRef();
  const childRef = ctx.nextRef();
  const first = entry('Front matter', 0, outlinesRef);
  const second = entry('Results', 4, outlinesRef);
  const child = entry('Table of results', 5, secondRef);
  first.set(PDFName.of('Next'), secondRef);
  second.set(PDFName.of('Prev'), firstRef);
  second.set(PDFName.of('First'), childRef);
  second.set(PDFName.of('Last'), childRef);
  second.set(PDFName.of('Count'), PDFNumber.of(1));
  ctx.assign(firstRef, first);
  ctx.assign(secondRef, second);
  ctx.assign(childRef, child);
  ctx.assign(outlinesRef, ctx.obj({ Type: 'Outlines', First: firstRef, Last: secondRef, Count: PDFNumber.of(3) }));
  pdf.catalog.set(PDFName.of('Outlines'), outlinesRef);
  pdf.catalog.set(PDFName.of('PageLabels'), ctx.obj({ Nums: [0, { S: 'r' }, 2, { S: 'D' }] }));
  return pdf.save();
}

test('the outline panel goes to its entries, and page labels name pages in the indicator and go to page', async ({ gloss, page }) => {
  const said = watchConsole(page);
  const requests: string[] = [];
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  const id = await importPdf(gloss, await pdfWithOutline(), 'outline.pdf');
  await openPdf(page, gloss, id);
  // Its text is in Helvetica, not embedded: pdf.js drew it with the system's font of that name (useSystemFonts, as in
  // pdf.js's own viewer; pdfjs.ts says why), so the standard font data at /pdfjs/ was not needed.
  await expect(span(page, 1, 'This is page 1')).toBeVisible();
  await expect(page.locator('.pdf-page[data-page-number="1"][data-rendered="true"]')).toBeVisible();
  expect(requests.filter((p) => p.startsWith('/pdfjs/standard_fonts/'))).toEqual([]);
  expect(said).toEqual([]);
  await expect(page.locator('[data-page-indicator]')).toHaveText('Page i (1 of 6)');
  await page.getByRole('button', { name: 'Outline' }).click();
  const outline = page.getByRole('navigation', { name: 'Outline' });
  await outline.getByRole('button', { name: /Table of results/ }).click();
  await expect(page.locator('[data-page-indicator]')).toHaveText('Page 4 (6 of 6)');
  await outline.getByRole('button', { name: /Front matter/ }).focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('[data-page-indicator]')).toHaveText('Page i (1 of 6)');
  const go = page.getByLabel('Go to page');
  await go.fill('ii');
  await go.press('Enter');
  await expect(page.locator('[data-page-indicator]')).toHaveText('Page ii (2 of 6)');
  // Keys on the document: End, Home, PageDown.
  await page.locator('article.pdf-document').focus();
  await page.keyboard.press('End');
  await expect(page.locator('[data-page-indicator]')).toHaveText('Page 4 (6 of 6)');
  await page.keyboard.press('Home');
  await expect(page.locator('[data-page-indicator]')).toHaveText('Page i (1 of 6)');
  await page.keyboard.press('PageDown');
  await expect(page.locator('[data-page-indicator]')).toHaveText('Page ii (2 of 6)');
  // tracemonkey has no outline: no Outline button.
  const plain = await importPdf(gloss, await fixture('tracemonkey.pdf'), 'tracemonkey.pdf');
  await openPdf(page, gloss, plain);
  await expect(page.getByRole('button', { name: 'Outline' })).toHaveCount(0);
});

test('an Arabic (CID TrueType) PDF: its text layer reads as the import did, with nothing fetched from elsewhere', async ({ gloss, page }) => {
  const said = watchConsole(page);
  const id = await importPdf(gloss, await fixture('ArabicCIDTrueType.pdf'), 'ArabicCIDTrueType.pdf');
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await openPdf(page, gloss, id);
  const { text } = await article(gloss, id);
  const layer = await page.locator('.pdf-page[data-page-number="1"] .textLayer').textContent();
  expect(layer!.replace(/\s+/g, '')).toBe(text.replace(/\s+/g, ''));
  expect(said).toEqual([]);
  // Everything the page asked for (the worker and the file among it) came from this origin.
  expect(requests.some((u) => u.includes('/files/'))).toBe(true);
  expect(requests.filter((u) => /^https?:/.test(u) && new URL(u).origin !== gloss.origin)).toEqual([]);
});

test('a scanned PDF says why it cannot be highlighted, and a PDF whose file is gone says so', async ({ gloss, page }) => {
  // A "scan": pages with only pictures on them (here drawn shapes), no text at all.
  const scanned = await PDFDocument.create();
  for (let i = 0; i < 2; i++) scanned.addPage([300, 400]).drawRectangle({ x: 30, y: 30, width: 240, height: 340, borderWidth: 2 });
  const scan = await importPdf(gloss, await scanned.save(), 'scan.pdf');
  expect((await article(gloss, scan)).pdf!.hasTextLayer).toBe(false);
  await openPdf(page, gloss, scan);
  await expect(page.getByRole('note')).toContainText('This PDF is a scan: its pages are images with no text');

  const id = await importPdf(gloss, await fixture('pdkids.pdf'), 'pdkids.pdf');
  const { pdf } = await article(gloss, id);
  const { rm } = await import('node:fs/promises');
  await rm(path.join(gloss.dataDir, 'pdfs', `${pdf!.sha256}.pdf`));
  await page.goto(`${gloss.url}#/article/${id}`);
  await expect(page.getByRole('alert')).toContainText(/could not be loaded|could not be opened/);
});

test('a password-protected PDF opens with the password it was imported with', async ({ gloss, page }) => {
  let qpdf = true;
  try {
    execFileSync('qpdf', ['--version'], { stdio: 'ignore' });
  } catch {
    qpdf = false;
  }
  test.skip(!qpdf, 'qpdf is not installed (apt-get install qpdf), so no encrypted PDF can be made for this test');
  const locked = path.join(await mkdtemp(path.join(os.tmpdir(), 'gloss-pdf-')), 'locked.pdf');
  execFileSync('qpdf', ['--encrypt', 'user-pw', 'owner-pw', '256', '--', path.join(fixturesDir, 'pdf/tracemonkey.pdf'), locked]);
  const bytes = await readFile(locked);
  const summary = (await gloss.api('importArticle', { format: 'pdf', contentBase64: bytes.toString('base64'), fileName: 'locked.pdf', password: 'user-pw' })) as { id: string };
  await openPdf(page, gloss, summary.id);
  await expect(page.locator('[data-page-indicator]')).toHaveText('Page 1 of 14');
  await expect(span(page, 1, 'Dynamic languages such as JavaScript')).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
});

for (const theme of ['light', 'dark'] as const) {
  for (const width of [1400, 800]) {
    test(`screenshot: ${theme}, ${width} px, a highlight and the zoom keys`, async ({ gloss, page }) => {
      await page.setViewportSize({ width, height: 900 });
      const id = await importPdf(gloss, await fixture('tracemonkey.pdf'), 'tracemonkey.pdf');
      const { text } = await article(gloss, id);
      const start = text.indexOf('Dynamic languages');
      await gloss.api('addHighlight', id, { start, end: start + 120, color: 'yellow' });
      await gloss.api('updateSettings', { ui: { theme } });
      await openPdf(page, gloss, id);
      await expect(page.locator('article.pdf-document')).toHaveAttribute('data-painted-highlights', '1');
      await page.screenshot({ path: path.join(SHOTS, `pdf-${theme}-${width}.png`) });
      // + and - on the focused document zoom by steps, and the page stays drawn.
      await page.locator('article.pdf-document').focus();
      const before = (await page.locator('.pdf-page').first().boundingBox())!.width;
      await page.keyboard.press('-');
      await expect.poll(async () => (await page.locator('.pdf-page').first().boundingBox())!.width).toBeLessThan(before);
      await expect(page.locator('.pdf-page[data-page-number="1"]')).toHaveAttribute('data-rendered', 'true');
      if (theme === 'dark') {
        await page.getByRole('button', { name: 'Invert pages' }).click();
        await page.screenshot({ path: path.join(SHOTS, `pdf-${theme}-${width}-inverted.png`) });
      }
    });
  }
}

test('axe finds no serious or critical violation in the PDF reader (toolbar, outline, pages with a highlight), light and dark', async ({ gloss, page }) => {
  test.setTimeout(120_000);
  const id = await importPdf(gloss, await pdfWithOutline(), 'outline.pdf');
  await gloss.api('addHighlight', id, { start: 0, end: 10, color: 'pink' });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await openPdf(page, gloss, id);
    const toggle = page.getByRole('button', { name: 'Outline' });
    if ((await toggle.getAttribute('aria-pressed')) !== 'true') await toggle.click();
    await expect(page.getByRole('navigation', { name: 'Outline' })).toBeVisible();
    const { violations } = await new AxeBuilder({ page }).analyze();
    const serious = violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} — ${n.failureSummary ?? v.help}`));
    expect(serious, scheme).toEqual([]);
  }
});

test('every fixture PDF: each page the reader draws reads exactly as the import did (the offsets agree)', async ({ gloss, page }) => {
  test.setTimeout(180_000);
  const said = watchConsole(page);
  const names = ['tracemonkey.pdf', 'pdkids.pdf', 'annotation-highlight.pdf', 'ArabicCIDTrueType.pdf', 'empty_protected.pdf', 'scan-bad.pdf'];
  for (const name of names) {
    const id = await importPdf(gloss, await fixture(name), name);
    const { text, pages } = await article(gloss, id);
    // Through the library, so no page of the previous PDF is still on screen when this one's page 1 is awaited.
    await page.goto(`${gloss.url}#/`);
    await expect(page.locator('article.pdf-document')).toHaveCount(0);
    await openPdf(page, gloss, id);
    const go = page.getByRole('textbox', { name: 'Go to page' });
    for (const p of pages!) {
      if (p.number > 1) {
        await go.fill(String(p.number));
        await go.press('Enter');
      }
      const drawn = page.locator(`.pdf-page[data-page-number="${p.number}"]`);
      await expect(drawn).toHaveAttribute('data-rendered', 'true');
      // The text layer holds one span per pdf.js text item; its text (without the line breaks the import adds) is the
      // page's slice of the article's text, character for character.
      const layer = (await drawn.locator('.textLayer').textContent()) ?? '';
      expect(layer.replace(/\s+/g, ''), `${name} page ${p.number}`).toBe(text.slice(p.start, p.end).replace(/\s+/g, ''));
    }
  }
  // The reader compares each drawn page's own text model with the imported text and warns when they differ. pdf.js's
  // "TT: undefined function" is about a TrueType font's hinting program in annotation-highlight.pdf (Node's pdf.js
  // says it too): the glyphs draw unhinted, the text is unaffected.
  expect(said.filter((m) => !/^Warning: TT: undefined function/.test(m))).toEqual([]);
});
