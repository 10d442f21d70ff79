/** Issue 5's core additions: delete keeps what undo needs (and only that, only for a while); file bytes import. */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ARTICLE_UNDO_MS } from '../../electron/contract';
import { ARTICLES_DIR, Notebook, TRASH_DIR } from '../../electron/notebook/notebook';
import { BACKUPS_DIR } from '../../electron/notebook/store/layout';
import { parseArgs } from '../../electron/schemas';

let dir: string;
let notebook: Notebook;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gloss-lib-'));
  notebook = await Notebook.open(dir);
});

afterEach(async () => {
  vi.useRealTimers();
  await notebook.close();
  await rm(dir, { recursive: true, force: true });
});

const importText = (content: string) => notebook.importArticle({ format: 'text', content });
/** The backup generations kept of one article's file. */
const backupsOf = async (id: string) => (await readdir(path.join(dir, BACKUPS_DIR, ARTICLES_DIR)).catch(() => [] as string[])).filter((f) => f.startsWith(`${id}.`));

describe('deleteArticle and restoreArticle', () => {
  it('restores an article with its id, highlights and place in the list', async () => {
    const a = await importText('First\n\nOne.');
    const b = await importText('Second\n\nTwo words.');
    const c = await importText('Third\n\nThree.');
    await notebook.addHighlight(b.id, { start: 0, end: 3, tags: ['t'] });
    await notebook.deleteArticle(b.id);
    expect((await notebook.listArticles()).map((x) => x.id)).toEqual([a.id, c.id]);
    expect(await notebook.listTags()).toEqual([]);
    await expect(notebook.getArticle(b.id)).rejects.toMatchObject({ code: 'not_found' });
    const back = await notebook.restoreArticle(b.id);
    expect(back).toMatchObject({ id: b.id, highlightCount: 1 });
    expect((await notebook.listArticles()).map((x) => x.id)).toEqual([a.id, b.id, c.id]);
    expect(await notebook.listTags()).toEqual([{ name: 't', count: 1 }]);
    expect(await readdir(path.join(dir, TRASH_DIR))).toEqual([]);
    await expect(notebook.restoreArticle(b.id)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('purges the trash after the undo window and when the notebook is reopened', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const a = await importText('Gone soon\n\nText.');
    await notebook.deleteArticle(a.id);
    expect(existsSync(path.join(dir, TRASH_DIR, `${a.id}.json`))).toBe(true);
    await vi.advanceTimersByTimeAsync(ARTICLE_UNDO_MS + 10);
    vi.useRealTimers();
    await vi.waitFor(() => expect(existsSync(path.join(dir, TRASH_DIR, `${a.id}.json`))).toBe(false));
    await expect(notebook.restoreArticle(a.id)).rejects.toThrow(/cannot be restored/);
    // Its backups go with it: nothing of a purged article stays behind.
    await vi.waitFor(async () => expect(await backupsOf(a.id)).toEqual([]));

    const b = await importText('Gone at close\n\nText.');
    await notebook.addHighlight(b.id, { start: 0, end: 4 }); // a second version, so there are backup generations
    expect((await backupsOf(b.id)).length).toBeGreaterThan(1);
    await notebook.deleteArticle(b.id);
    await notebook.close();
    notebook = await Notebook.open(dir);
    await notebook.whenChecked(); // the sweeps (trash, originals, images) run behind the open
    expect(existsSync(path.join(dir, TRASH_DIR))).toBe(false);
    expect(await notebook.listArticles()).toEqual([]);
    expect(await backupsOf(b.id)).toEqual([]);
  });

  it('a delete is one rename: an article left in the trash by a stopped session is purged at the next open, with content no other article uses', async () => {
    const gone = await importText('Gone\n\nA sentence to forget.');
    const twin = await importText('Twin\n\nThe same words twice.');
    const twin2 = await importText('Twin\n\nThe same words twice.');
    const contentOf = async (id: string) => JSON.parse(await readFile(path.join(dir, ARTICLES_DIR, `${id}.json`), 'utf8')).contentId as string;
    const [goneContent, twinContent] = [await contentOf(gone.id), await contentOf(twin.id)];
    expect(await contentOf(twin2.id)).toBe(twinContent); // identical content is stored once
    await notebook.close();
    // The state a stop during the undo window leaves: the files are in the trash.
    await mkdir(path.join(dir, TRASH_DIR), { recursive: true });
    for (const id of [gone.id, twin.id]) await rename(path.join(dir, ARTICLES_DIR, `${id}.json`), path.join(dir, TRASH_DIR, `${id}.json`));
    notebook = await Notebook.open(dir);
    await notebook.whenChecked(); // the sweeps (trash, originals, images) run behind the open
    expect((await notebook.listArticles()).map((a) => a.id)).toEqual([twin2.id]);
    const contents = await readdir(path.join(dir, 'content'));
    expect(contents).not.toContain(`${goneContent}.json`);
    expect(contents).toContain(`${twinContent}.json`); // still read by twin2
    expect((await notebook.getArticle(twin2.id)).text).toBe('The same words twice.');
    expect(existsSync(path.join(dir, TRASH_DIR))).toBe(false);
    expect(await backupsOf(gone.id)).toEqual([]);
  });
});

describe('importArticle with file bytes', () => {
  it('detects a legacy charset from the bytes and names the file when refusing', async () => {
    const page = Buffer.from(
      `<html><head><meta charset="windows-1252"><title>Caf\xe9</title></head><body><article><p>${'Cr\xe8me br\xfbl\xe9e au caf\xe9 du port, tous les matins. '.repeat(12)}</p></article></body></html>`,
      'latin1',
    );
    const summary = await notebook.importArticle({ format: 'html', contentBase64: page.toString('base64'), fileName: 'cafe.html' });
    expect(summary.title).toBe('Café');
    expect((await notebook.getArticle(summary.id)).text).toContain('Crème brûlée');
    await expect(notebook.importArticle({ format: 'text', contentBase64: '', fileName: 'empty.txt' })).rejects.toThrow('Cannot import "empty.txt": it is empty');
    await expect(
      notebook.importArticle({ format: 'text', contentBase64: Buffer.from([0, 1, 2, 3, 0, 0]).toString('base64'), fileName: 'x.txt' }),
    ).rejects.toThrow(/"x\.txt".*binary/);
    await expect(notebook.importArticle({ format: 'text', content: 'a', contentBase64: 'YQ==', fileName: 'both.txt' })).rejects.toThrow(/either/);
  });

  it('keeps the image choice per article and refuses a source that is not a web address', async () => {
    const a = await importText('Pictures\n\nWords.');
    expect((await notebook.updateArticleMeta(a.id, { loadRemoteImages: true })).loadRemoteImages).toBe(true);
    expect((await notebook.updateArticleMeta(a.id, { loadRemoteImages: false })).loadRemoteImages).toBeUndefined();
    await expect(notebook.updateArticleMeta(a.id, { source: 'javascript:alert(1)' })).rejects.toThrow(/not a web address/);
    expect(() => parseArgs('importArticle', [{ format: 'text', contentBase64: 'not base64!' }])).toThrow(/base64/);
  });
});
