/**
 * A PDF reopened at its top (a reload, the last route put back) has its page 1 drawn before the app is mounted
 * (reader/pdf/early-box.ts, early-page.ts), where the reader will have it, and the reader takes that page in as its
 * own. Watched frame by frame: the page is shown before the app, with its highlights, and from then on in every frame,
 * never moved; the reader then works on it (a real mouse drag and h). Any PDF opens into the box another left, in a
 * window of its width; a reading place further down, another window width, or a scan's banner, the ordinary
 * way.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { PDFDocument } from 'pdf-lib';
import type { Article } from '../../electron/contract';
import { test, expect, fixturesDir, type GlossServer } from './fixtures';

const PAGE_ONE = '.pdf-page[data-page-number="1"][data-rendered="true"]';

async function importTracemonkey(gloss: GlossServer): Promise<Article> {
  const bytes = await readFile(path.join(fixturesDir, 'pdf', 'tracemonkey.pdf'));
  const { id } = (await gloss.api('importArticle', { format: 'pdf', contentBase64: bytes.toString('base64'), fileName: 'tracemonkey.pdf' })) as { id: string };
  return (await gloss.api('getArticle', id)) as Article;
}

/** Opens the PDF and waits until the reader has remembered where its document is (what the next start-up uses). */
async function openAndRemember(page: Page, gloss: GlossServer, id: string): Promise<void> {
  await page.goto(`${gloss.url}#/article/${id}`);
  await expect(page.locator(`article.pdf-document ${PAGE_ONE}`)).toBeVisible();
  await expect.poll(() => page.evaluate(() => [JSON.parse(localStorage.getItem('gloss.pdf.box') ?? '[]')].flat()[0]?.articleId ?? null)).toBe(id);
}

/** Records, from the first frame showing a drawn page 1, each frame's view of it (an init script: from navigation on). */
async function watchPageOne(page: Page): Promise<void> {
  await page.addInitScript((selector) => {
    const frames: Frame[] = [];
    (window as unknown as { __frames: typeof frames }).__frames = frames;
    const tick = (): void => {
      const p = document.querySelector(selector);
      if (p || frames.length > 0) {
        const r = p?.getBoundingClientRect();
        const ranges = [...CSS.highlights.values()].reduce((n, h) => n + h.size, 0);
        // What the notes panel says of the article's highlights: its count, or its "select a passage" hint.
        const panel = document.querySelector('.notes-panel');
        const notesSay = panel ? (panel.querySelector('p.empty')?.textContent ?? panel.querySelector('.panel-title .count')?.textContent ?? null) : null;
        frames.push({ early: Boolean(p?.closest('.pdf-early')), app: document.querySelector('.app-bar') !== null, shown: Boolean(p), x: r?.x ?? 0, y: r?.y ?? 0, w: r?.width ?? 0, h: r?.height ?? 0, ranges, notesSay });
      }
      if (frames.length < 600) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }, PAGE_ONE);
}

type Frame = { early: boolean; app: boolean; shown: boolean; x: number; y: number; w: number; h: number; ranges: number; notesSay: string | null };

/**
 * The frames watchPageOne recorded say page 1 was drawn early: shown before the app's bar, with `ranges` highlight
 * Ranges or more, and from that frame on in every frame at the same place and size (the reader took it as it was).
 */
async function expectDrawnEarlyInPlace(page: Page, ranges: number): Promise<Frame[]> {
  expect(await page.evaluate(() => performance.getEntriesByName('gloss:pdf-early-page').length)).toBe(1);
  await expect(page.locator('.pdf-early')).toHaveCount(0);
  const frames = await page.evaluate(() => (window as unknown as { __frames: Frame[] }).__frames);
  expect(frames[0]).toMatchObject({ early: true, app: false, shown: true });
  expect(frames[0].ranges).toBeGreaterThanOrEqual(ranges);
  expect(frames.some((f) => !f.early)).toBe(true);
  for (const f of frames) expect({ shown: f.shown, x: f.x, y: f.y, w: f.w, h: f.h }).toEqual({ shown: true, x: frames[0].x, y: frames[0].y, w: frames[0].w, h: frames[0].h });
  return frames;
}

function consoleTrouble(page: Page): string[] {
  const said: string[] = [];
  page.on('console', (m) => (m.type() === 'error' || m.type() === 'warning' || /^Warning:|gloss:/.test(m.text())) && said.push(m.text()));
  page.on('pageerror', (e) => said.push(e.message));
  return said;
}

test('reopened at its top, page 1 is drawn before the app, where the reader has it, and the reader takes it in with its highlights', async ({ gloss, page }) => {
  const said = consoleTrouble(page);
  const doc = await importTracemonkey(gloss);
  const one = doc.pages![0];
  const at = (needle: string): { start: number; end: number } => {
    const start = doc.text.indexOf(needle, one.start);
    expect(start).toBeGreaterThanOrEqual(0);
    expect(start + needle.length).toBeLessThanOrEqual(one.end);
    return { start, end: start + needle.length };
  };
  await gloss.api('addHighlight', doc.id, { ...at('Dynamic languages such as JavaScript'), color: 'green' });
  await gloss.api('addHighlight', doc.id, { ...at('trace trees'), color: 'pink' });
  await openAndRemember(page, gloss, doc.id);
  await watchPageOne(page);

  await page.reload();
  const reader = page.locator('article.reader-article.pdf-document');
  await expect(reader.locator(PAGE_ONE)).toBeVisible();
  await expect(page.locator('[data-page-indicator]')).toHaveText('Page 1 of 14');
  await expect(reader).toHaveAttribute('data-painted-highlights', '2');
  // Focus on the document once its page is there, as when the reader draws page 1 itself.
  await expect(reader).toBeFocused();

  // Drawn early: shown (with both highlights) before the app's bar was there, then in every frame where the reader has it.
  const frames = await expectDrawnEarlyInPlace(page, 2);
  // While its cards wait for the page, the notes panel never says the article has none: no "0", no "select a passage".
  const panelSaid = [...new Set(frames.map((f) => f.notesSay).filter((said) => said !== null))];
  expect(panelSaid).toEqual(['2']);

  // The page taken in is the reader's like any other: a real drag over a line and h make a highlight on page 1.
  const line = page.locator(`${PAGE_ONE} .textLayer span`, { hasText: 'Dynamic languages such as JavaScript' }).first();
  const box = (await line.boundingBox())!;
  await page.mouse.move(box.x + 1, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 });
  await page.mouse.move(box.x + box.width - 1, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  await page.keyboard.press('h');
  await expect.poll(async () => ((await gloss.api('getArticle', doc.id)) as Article).highlights.length).toBe(3);
  await expect(reader).toHaveAttribute('data-painted-highlights', '3');
  expect(said).toEqual([]);
});

test('a reading place further down, or a window width never drawn at, opens the ordinary way; a window resized while a PDF is open, early', async ({ gloss, page }) => {
  const doc = await importTracemonkey(gloss);
  await openAndRemember(page, gloss, doc.id);
  const go = page.getByLabel('Go to page');
  await go.fill('9');
  await go.press('Enter');
  await expect(page.locator('[data-page-indicator]')).toHaveText('Page 9 of 14');
  await expect.poll(async () => ((await gloss.api('getSettings')) as { ui?: { scroll?: Record<string, number> } }).ui?.scroll?.[doc.id] ?? 0).toBeGreaterThan(0.5);

  await page.reload();
  await expect(page.locator('.pdf-page[data-page-number="9"]')).toHaveAttribute('data-rendered', 'true');
  await expect(page.locator('[data-page-indicator]')).toHaveText('Page 9 of 14');
  expect(await page.evaluate(() => performance.getEntriesByName('gloss:pdf-early-page').length)).toBe(0);

  // Back at the top (the reader saves it). A window of another width (a new one here) has no box: the ordinary way.
  await go.fill('1');
  await go.press('Enter');
  await expect(page.locator('[data-page-indicator]')).toHaveText('Page 1 of 14');
  await expect.poll(async () => ((await gloss.api('getSettings')) as { ui?: { scroll?: Record<string, number> } }).ui?.scroll?.[doc.id] ?? -1).toBe(0);
  const narrow = await page.context().newPage();
  await narrow.setViewportSize({ width: 1000, height: 700 });
  await narrow.goto(`${gloss.url}#/article/${doc.id}`);
  await expect(narrow.locator(`article.pdf-document ${PAGE_ONE}`)).toBeVisible();
  expect(await narrow.evaluate(() => performance.getEntriesByName('gloss:pdf-early-page').length)).toBe(0);
  // ...and the next start-up at this width draws page 1 early again.
  await expect.poll(() => narrow.evaluate(() => [JSON.parse(localStorage.getItem('gloss.pdf.box') ?? '[]')].flat()[0]?.innerWidth ?? 0)).toBe(1000);
  await watchPageOne(narrow);
  await narrow.reload();
  await expect(narrow.locator(`article.pdf-document ${PAGE_ONE}`)).toBeVisible();
  await expectDrawnEarlyInPlace(narrow, 0);

  // Resized while the PDF is open (maximised, say): the box at the new width is measured once the resizing stops, and
  // the next start-up at that width draws page 1 early, exactly where the reader has it.
  await narrow.setViewportSize({ width: 1400, height: 900 });
  await expect.poll(() => narrow.evaluate(() => [JSON.parse(localStorage.getItem('gloss.pdf.box') ?? '[]')].flat()[0]?.innerWidth ?? 0)).toBe(1400);
  await narrow.reload();
  await expect(narrow.locator(`article.pdf-document ${PAGE_ONE}`)).toBeVisible();
  await expect(narrow.locator('[data-page-indicator]')).toHaveText('Page 1 of 14');
  await expectDrawnEarlyInPlace(narrow, 0);

  // Back at the first width: its box was kept beside the others.
  await narrow.setViewportSize({ width: 1280, height: 800 });
  await narrow.reload();
  await expect(narrow.locator(`article.pdf-document ${PAGE_ONE}`)).toBeVisible();
  await expectDrawnEarlyInPlace(narrow, 0);
});

test('a PDF this window has never drawn is drawn early too, in the box another PDF left, with its own highlights', async ({ gloss, page }) => {
  const said = consoleTrouble(page);
  const paper = await importTracemonkey(gloss);
  const bytes = await readFile(path.join(fixturesDir, 'pdf', 'pdkids.pdf'));
  const { id } = (await gloss.api('importArticle', { format: 'pdf', contentBase64: bytes.toString('base64'), fileName: 'pdkids.pdf' })) as { id: string };
  const kids = (await gloss.api('getArticle', id)) as Article;
  const one = kids.pages![0];
  const pageText = kids.text.slice(one.start, one.end);
  const start = one.start + pageText.length - pageText.trimStart().length;
  const firstWord = pageText.trim().split(/\s+/)[0];
  await gloss.api('addHighlight', kids.id, { start, end: start + firstWord.length, color: 'blue' });
  await openAndRemember(page, gloss, paper.id);

  // Another page of the same browser (its storage shared) opened straight onto the other PDF, as a link would.
  const second = await page.context().newPage();
  const secondSaid = consoleTrouble(second);
  await watchPageOne(second);
  await second.goto(`${gloss.url}#/article/${kids.id}`);
  const reader = second.locator('article.reader-article.pdf-document');
  await expect(reader.locator(PAGE_ONE)).toBeVisible();
  await expect(second.locator('[data-page-indicator]')).toHaveText(`Page 1 of ${kids.pages!.length}`);
  await expect(reader).toHaveAttribute('data-painted-highlights', '1');
  await expectDrawnEarlyInPlace(second, 1);
  await expect(reader.locator(`${PAGE_ONE} .textLayer`)).toContainText(firstWord);
  // From now on the box is this PDF's (its bytes asked for first on the next start-up onto it).
  await expect.poll(() => second.evaluate(() => [JSON.parse(localStorage.getItem('gloss.pdf.box') ?? '[]')].flat()[0]?.articleId ?? null)).toBe(kids.id);
  expect(said).toEqual([]);
  expect(secondSaid).toEqual([]);
});

test('a scan, whose banner moves its document down, is not drawn in the box of another PDF, nor another PDF in its box', async ({ gloss, page }) => {
  const paper = await importTracemonkey(gloss);
  // A "scan": a page with only a picture on it (here a drawn shape), no text at all.
  const scanned = await PDFDocument.create();
  scanned.addPage([300, 400]).drawRectangle({ x: 30, y: 30, width: 240, height: 340, borderWidth: 2 });
  const bytes = Buffer.from(await scanned.save());
  const { id } = (await gloss.api('importArticle', { format: 'pdf', contentBase64: bytes.toString('base64'), fileName: 'scan.pdf' })) as { id: string };
  await openAndRemember(page, gloss, paper.id);

  const scan = await page.context().newPage();
  await scan.goto(`${gloss.url}#/article/${id}`);
  await expect(scan.locator(`article.pdf-document ${PAGE_ONE}`)).toBeVisible();
  await expect(scan.locator('.pdf-banner')).toBeVisible();
  expect(await scan.evaluate(() => performance.getEntriesByName('gloss:pdf-early-page').length)).toBe(0);
  await expect.poll(() => scan.evaluate(() => [JSON.parse(localStorage.getItem('gloss.pdf.box') ?? '[]')].flat()[0]?.banner ?? null)).toBe(true);

  const back = await page.context().newPage();
  await back.goto(`${gloss.url}#/article/${paper.id}`);
  await expect(back.locator(`article.pdf-document ${PAGE_ONE}`)).toBeVisible();
  expect(await back.evaluate(() => performance.getEntriesByName('gloss:pdf-early-page').length)).toBe(0);
});

test('a PDF replaced since it was last drawn opens the ordinary way, showing the new file', async ({ gloss, page }) => {
  const doc = await importTracemonkey(gloss);
  await openAndRemember(page, gloss, doc.id);
  const next = await readFile(path.join(fixturesDir, 'pdf', 'pdkids.pdf'));
  await gloss.api('replacePdf', doc.id, { contentBase64: next.toString('base64'), fileName: 'pdkids.pdf' });
  const replaced = (await gloss.api('getArticle', doc.id)) as Article;
  expect(replaced.pdf?.sha256).not.toBe(doc.pdf?.sha256);

  await page.reload();
  const reader = page.locator('article.reader-article.pdf-document');
  await expect(reader.locator(PAGE_ONE)).toBeVisible();
  await expect(page.locator('[data-page-indicator]')).toHaveText(`Page 1 of ${replaced.pages!.length}`);
  const first = replaced.text.slice(replaced.pages![0].start, replaced.pages![0].end).split('\n')[0].trim();
  await expect(reader.locator(`${PAGE_ONE} .textLayer`)).toContainText(first);
  expect(await page.evaluate(() => performance.getEntriesByName('gloss:pdf-early-page').length)).toBe(0);
  await expect(page.locator('.pdf-early')).toHaveCount(0);
});
