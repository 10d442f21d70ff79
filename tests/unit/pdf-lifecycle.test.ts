/**
 * A PDF article's life in a real notebook folder: highlights carry their page, a newer version of the file re-anchors
 * them (orphans kept), the original goes when its last article is purged, and a backup restores without the file.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ARTICLE_UNDO_MS, type Article } from '../../electron/contract';
import { Notebook, TRASH_DIR } from '../../electron/notebook/notebook';
import { PDFS_DIR } from '../../electron/notebook/pdf/store';
import { stopNotebookWorkers } from '../../electron/notebook/workers/run';
import { pageAtOffset } from '../../electron/pdf-text';
import { makePdf } from '../support/make-pdf';

let dir: string;
let notebook: Notebook;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gloss-pdf-life-'));
  notebook = await Notebook.open(dir);
});

afterEach(async () => {
  vi.useRealTimers();
  await notebook.close();
  await rm(dir, { recursive: true, force: true });
});

afterAll(() => stopNotebookWorkers());

const FOX = 'The quick brown fox jumps over the lazy dog near the river bank.';
const DOOMED = 'Zebras juggle seventeen violet umbrellas beneath frozen waterfalls.';
const INSERTED = 'An inserted sentence now comes first on this page of the paper.';

/** Two versions of a short paper: v2 has a sentence inserted before the fox on page 2, and the zebras removed. */
function paper(version: 1 | 2): Promise<Uint8Array> {
  const page2 = version === 1 ? ['Second page begins here.', FOX, DOOMED, 'Closing words of the page.'] : ['Second page begins here.', INSERTED, FOX, 'Closing words of the page.'];
  return makePdf({
    pages: [{ lines: ['On Foxes and Dogs', 'Opening remarks about animals of the field.'], firstLineSize: 20 }, { lines: page2 }],
    info: { title: 'On Foxes and Dogs' },
  });
}

async function importPdf(bytes: Uint8Array, fileName = 'paper.pdf') {
  return notebook.importFile(bytes, { format: 'pdf', fileName });
}

function highlightOn(article: Article, quote: string) {
  const start = article.text.indexOf(quote);
  expect(start).toBeGreaterThanOrEqual(0);
  return notebook.addHighlight(article.id, { start, end: start + quote.length, note: quote.slice(0, 10) });
}

const stored = async () => (await readdir(path.join(dir, PDFS_DIR)).catch(() => [] as string[])).filter((n) => n.endsWith('.pdf'));

describe('page on PDF highlights', () => {
  it('is set by addHighlight and restoreHighlight, and absent on other articles', async () => {
    const summary = await importPdf(await paper(1));
    const article = await notebook.getArticle(summary.id);
    const onTwo = await highlightOn(article, 'quick brown fox');
    const onOne = await highlightOn(article, 'Opening remarks');
    expect(onTwo.page).toBe(2);
    expect(onOne.page).toBe(1);
    const deleted = await notebook.deleteHighlight(onTwo.id);
    const { page: _page, ...withoutPage } = deleted;
    const restored = await notebook.restoreHighlight(withoutPage);
    expect(restored.page).toBe(2);
    expect((await notebook.getArticle(summary.id)).highlights.map((h) => h.page)).toEqual([1, 2]);

    const text = await notebook.importArticle({ format: 'text', content: 'Plain\n\nJust text.' });
    expect((await notebook.addHighlight(text.id, { start: 0, end: 5 })).page).toBeUndefined();
  });

  it('comes with highlights made from W3C annotations', async () => {
    const summary = await importPdf(await paper(1));
    const article = await notebook.getArticle(summary.id);
    await highlightOn(article, 'lazy dog near');
    const exported = await notebook.exportAnnotations({ articleIds: [summary.id] });
    const h = (await notebook.getArticle(summary.id)).highlights[0];
    await notebook.deleteHighlight(h.id);
    const result = await notebook.importAnnotations(exported, { articleId: summary.id });
    expect(result.imported).toBe(1);
    const [back] = (await notebook.getArticle(summary.id)).highlights;
    expect(back.quote).toBe('lazy dog near');
    expect(back.page).toBe(2);
  });
});

describe('replacePdf', () => {
  it('re-anchors highlights on the new version: moved ones follow their quote, one on deleted text is orphaned, none dropped', async () => {
    const v1 = await paper(1);
    const summary = await importPdf(v1);
    const before = await notebook.getArticle(summary.id);
    const fox = await highlightOn(before, 'quick brown fox jumps over');
    const doomed = await highlightOn(before, 'seventeen violet umbrellas');
    const title = await highlightOn(before, 'Opening remarks');
    const [oldFile] = await stored();

    const v2 = await paper(2);
    const result = await notebook.replacePdf(summary.id, { contentBase64: Buffer.from(v2).toString('base64'), fileName: 'paper-v2.pdf' });
    expect(result).toEqual({ anchored: 2, orphaned: 1 });

    const after = await notebook.getArticle(summary.id);
    expect(after.text).toContain(INSERTED);
    expect(after.text).not.toContain(DOOMED);
    expect(after.pdf?.fileName).toBe('paper-v2.pdf');
    expect(after.highlights).toHaveLength(3);
    const moved = after.highlights.find((h) => h.id === fox.id)!;
    expect(moved.start).toBeGreaterThan(fox.start);
    expect(after.text.slice(moved.start, moved.end)).toBe('quick brown fox jumps over');
    expect(moved.page).toBe(2);
    expect(moved.orphaned).toBeFalsy();
    const orphan = after.highlights.find((h) => h.id === doomed.id)!;
    expect(orphan.orphaned).toBe(true);
    expect(orphan.note).toBe(doomed.note);
    expect(orphan.page).toBe(pageAtOffset(after.pages!, orphan.start));
    expect(after.highlights.find((h) => h.id === title.id)!.page).toBe(1);

    // The new original is stored; the old one, used by no article now, is gone.
    const files = await stored();
    expect(files).toEqual([`${after.pdf!.sha256}.pdf`]);
    expect(files).not.toContain(oldFile);
    expect((await notebook.articleFile(summary.id)).bytes).toBe(v2.byteLength);
  });

  it('keeps the old original while another article uses it, and refuses a bad file changing nothing', async () => {
    const v1 = await paper(1);
    const a = await importPdf(v1, 'a.pdf');
    const b = await importPdf(v1, 'b.pdf');
    await notebook.replacePdf(a.id, { contentBase64: Buffer.from(await paper(2)).toString('base64') });
    expect(await stored()).toHaveLength(2);
    expect(existsSync((await notebook.articleFile(b.id)).path)).toBe(true);

    const before = await notebook.getArticle(b.id);
    await expect(notebook.replacePdf(b.id, { contentBase64: Buffer.from('not a pdf').toString('base64'), fileName: 'x.pdf' })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringMatching(/"x\.pdf".*not a PDF/),
    });
    expect(await notebook.getArticle(b.id)).toEqual(before);
    expect(await stored()).toHaveLength(2);
  });

  it('replaceArticleText refuses a PDF, pointing to replacePdf', async () => {
    const summary = await importPdf(await paper(1));
    await expect(notebook.replaceArticleText(summary.id, { format: 'text', content: 'New text' })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringMatching(/is a PDF.*replacePdf/),
    });
  });
});

describe('deleting a PDF article', () => {
  it('keeps its original through the undo window, removes it when purged, and keeps one another article uses', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const bytes = await paper(1);
    const a = await importPdf(bytes, 'a.pdf');
    await notebook.deleteArticle(a.id);
    expect(await stored()).toHaveLength(1);
    await notebook.restoreArticle(a.id);
    expect(existsSync((await notebook.articleFile(a.id)).path)).toBe(true);

    const b = await importPdf(bytes, 'b.pdf');
    await notebook.deleteArticle(a.id);
    await vi.advanceTimersByTimeAsync(ARTICLE_UNDO_MS + 10);
    await vi.waitFor(async () => expect(await notebook.restoreArticle(a.id).catch((e: Error) => e.message)).toMatch(/cannot be restored/));
    expect(await stored()).toHaveLength(1); // b still uses it

    await notebook.deleteArticle(b.id);
    await vi.advanceTimersByTimeAsync(ARTICLE_UNDO_MS + 10);
    vi.useRealTimers();
    await vi.waitFor(async () => expect(await stored()).toEqual([]));
  });

  it('keeps an original whose other article is deleted but still undoable when one is purged', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const bytes = await paper(1);
    const a = await importPdf(bytes, 'a.pdf');
    const b = await importPdf(bytes, 'b.pdf');
    await notebook.deleteArticle(b.id);
    await vi.advanceTimersByTimeAsync(ARTICLE_UNDO_MS / 2);
    await notebook.deleteArticle(a.id);
    await vi.advanceTimersByTimeAsync(ARTICLE_UNDO_MS / 2 + 10); // b is purged, a is still in its undo window
    vi.useRealTimers();
    // The purge removes the original (if unused) before the trash file: once that file is gone, the decision is made.
    await vi.waitFor(() => expect(existsSync(path.join(dir, TRASH_DIR, `${b.id}.json`))).toBe(false));
    await notebook.restoreArticle(a.id);
    expect(existsSync((await notebook.articleFile(a.id)).path)).toBe(true);
  });

  it('removes the original of an article deleted just before the notebook closed', async () => {
    const a = await importPdf(await paper(1));
    await notebook.deleteArticle(a.id);
    await notebook.close();
    expect(await stored()).toEqual([]); // by close itself, not only by the next open's sweep
    notebook = await Notebook.open(dir);
  });
});

describe('originals no article names', () => {
  it('are removed at open (a purge cut short), with temp files of killed writes; a used one stays', async () => {
    const kept = await importPdf(await paper(1));
    await notebook.close();
    const orphan = `${'ab'.repeat(32)}.pdf`;
    await writeFile(path.join(dir, PDFS_DIR, orphan), 'left behind');
    await writeFile(path.join(dir, PDFS_DIR, '.gloss-0123456789ab.tmp'), 'half');
    // A killed write's leftover is older than the open (a younger one may be an import writing now, and stays).
    const anHourAgo = new Date(Date.now() - 3_600_000);
    await utimes(path.join(dir, PDFS_DIR, '.gloss-0123456789ab.tmp'), anHourAgo, anHourAgo);
    notebook = await Notebook.open(dir);
    await notebook.whenChecked(); // the sweeps (trash, originals, images) run behind the open
    expect(await readdir(path.join(dir, PDFS_DIR))).toEqual([path.basename((await notebook.articleFile(kept.id)).path)]);
  });

  it('go when a restore (replace) removes their article', async () => {
    const empty = await notebook.backupNotebook();
    await importPdf(await paper(1));
    expect(await stored()).toHaveLength(1);
    await notebook.restoreNotebook(empty, { mode: 'replace' });
    expect(await stored()).toEqual([]);
  });
});

describe('backup and restore of PDF articles', () => {
  it('keeps text, pages, pdf info and highlights; without the original, articleFile says it is missing', async () => {
    const summary = await importPdf(await paper(1));
    await highlightOn(await notebook.getArticle(summary.id), 'quick brown fox');
    const backup = await notebook.backupNotebook();
    const json = JSON.stringify(backup);
    expect(json).not.toContain('%PDF'); // the bytes are not in the backup
    const original = await notebook.getArticle(summary.id);

    await notebook.close();
    await rm(dir, { recursive: true, force: true });
    notebook = await Notebook.open(dir);
    await notebook.restoreNotebook(JSON.parse(json), { mode: 'replace' });
    const restored = await notebook.getArticle(summary.id);
    expect(restored).toMatchObject({ kind: 'pdf', text: original.text, pages: original.pages, pdf: original.pdf, title: original.title });
    expect(restored.highlights).toEqual(original.highlights);
    expect(restored.highlights[0].page).toBe(2);
    await expect(notebook.articleFile(summary.id)).rejects.toMatchObject({
      code: 'not_found',
      message: expect.stringMatching(/original PDF.*missing.*replacePdf/),
    });

    // Giving the file again brings it back.
    await notebook.replacePdf(summary.id, { contentBase64: Buffer.from(await paper(1)).toString('base64') });
    expect((await notebook.articleFile(summary.id)).bytes).toBe(original.pdf!.bytes);
    expect((await notebook.getArticle(summary.id)).highlights[0]).toMatchObject({ start: original.highlights[0].start, page: 2 });
  });
});
