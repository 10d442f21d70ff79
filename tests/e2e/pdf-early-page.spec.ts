/**
 * A PDF reopened at its top (a reload, the last route put back) has its page 1 drawn before the app is mounted
 * (reader/pdf/early-box.ts, early-page.ts), where the reader will have it, and the reader takes that page in as its
 * own. Watched frame by frame: the page is shown before the app, with its highlights, and from then on in every frame,
 * never moved; the reader then works on it (a real mouse drag and h). A reading place further down, or another window
 * size, opens the ordinary way, where it was read.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from '@playwright/test';
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
  await expect.poll(() => page.evaluate(() => JSON.parse(localStorage.getItem('gloss.pdf.box') ?? 'null')?.articleId ?? null)).toBe(id);
}

/** Records, from the first frame showing a drawn page 1, each frame's view of it (an init script: from navigation on). */
async function watchPageOne(page: Page): Promise<void> {
  await page.addInitScript((selector) => {
    const frames: { early: boolean; app: boolean; shown: boolean; x: number; y: number; w: number; h: number; ranges: number; notesSay: string | null }[] = [];
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
  await expect(page.locator('.pdf-early')).toHaveCount(0);
  expect(await page.evaluate(() => performance.getEntriesByName('gloss:pdf-early-page').length)).toBe(1);
  await expect(page.locator('[data-page-indicator]')).toHaveText('Page 1 of 14');
  await expect(reader).toHaveAttribute('data-painted-highlights', '2');
  // Focus on the document once its page is there, as when the reader draws page 1 itself.
  await expect(reader).toBeFocused();

  const frames = await page.evaluate(() => (window as unknown as { __frames: { early: boolean; app: boolean; shown: boolean; x: number; y: number; w: number; h: number; ranges: number; notesSay: string | null }[] }).__frames);
  // Drawn early: shown (with both highlights) before the app's bar was there.
  expect(frames[0]).toMatchObject({ early: true, app: false, shown: true });
  expect(frames[0].ranges).toBeGreaterThanOrEqual(2);
  // From that frame on, in every frame, at the same place and size: the reader took the page as it was.
  expect(frames.some((f) => !f.early)).toBe(true);
  for (const f of frames) expect({ shown: f.shown, x: f.x, y: f.y, w: f.w, h: f.h }).toEqual({ shown: true, x: frames[0].x, y: frames[0].y, w: frames[0].w, h: frames[0].h });
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

test('a reading place further down, or another window size, opens the ordinary way, where it was read', async ({ gloss, page }) => {
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

  // Back at the top (the reader saves it), in a window of another size: the box remembered was measured in the other.
  await go.fill('1');
  await go.press('Enter');
  await expect(page.locator('[data-page-indicator]')).toHaveText('Page 1 of 14');
  await expect.poll(async () => ((await gloss.api('getSettings')) as { ui?: { scroll?: Record<string, number> } }).ui?.scroll?.[doc.id] ?? -1).toBe(0);
  await page.setViewportSize({ width: 1000, height: 700 });
  await page.reload();
  await expect(page.locator(`article.pdf-document ${PAGE_ONE}`)).toBeVisible();
  expect(await page.evaluate(() => performance.getEntriesByName('gloss:pdf-early-page').length)).toBe(0);
  // ...and the next start-up at this size draws page 1 early again.
  await expect.poll(() => page.evaluate(() => JSON.parse(localStorage.getItem('gloss.pdf.box') ?? 'null')?.innerWidth ?? 0)).toBe(1000);
  await page.reload();
  await expect(page.locator(`article.pdf-document ${PAGE_ONE}`)).toBeVisible();
  expect(await page.evaluate(() => performance.getEntriesByName('gloss:pdf-early-page').length)).toBe(1);
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
