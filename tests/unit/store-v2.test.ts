/**
 * The v2 folder's seams for the sync helper (issue 18) and the summary cache: a file changed from outside is noticed
 * (changedOnDisk), reloaded (reloadArticle, with its event), and an open from the summary cache checks every file after.
 */
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NotebookEvent } from '../../electron/contract';
import { Notebook } from '../../electron/notebook/notebook';

let dir: string;
let notebook: Notebook;
const file = (id: string) => path.join(dir, 'articles', `${id}.json`);

/** What a sync engine does: a whole new file renamed over the old one. */
async function replaceFromOutside(id: string, edit: (doc: { article: { note: string } }) => void): Promise<void> {
  const doc = JSON.parse(await readFile(file(id), 'utf8'));
  edit(doc);
  await writeFile(`${file(id)}.incoming`, JSON.stringify(doc));
  await rename(`${file(id)}.incoming`, file(id));
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gloss-v2-'));
  notebook = await Notebook.open(dir, { owner: 'the v2 test' });
});
afterEach(async () => {
  await notebook.close();
  await rm(dir, { recursive: true, force: true });
});

describe('changes made from outside', () => {
  it('are seen by changedOnDisk, taken by reloadArticle with an event, and lastWritten follows every write', async () => {
    const { id } = await notebook.importArticle({ format: 'text', content: 'Tides\n\nThe moon pulls the sea.', title: 'Tides' });
    await notebook.setArticleNote(id, 'mine');
    const written = notebook.lastWritten(id)!;
    expect(written.size).toBeGreaterThan(0);
    expect(await notebook.changedOnDisk(id)).toBe(false);

    await replaceFromOutside(id, (doc) => (doc.article.note = 'from the other machine'));
    expect(await notebook.changedOnDisk(id)).toBe(true);
    const events: NotebookEvent[] = [];
    notebook.subscribe((e) => events.push(e));
    expect(await notebook.reloadArticle(id)).toBe('changed');
    expect((await notebook.getArticle(id)).note).toBe('from the other machine');
    expect(events).toContainEqual({ type: 'article-changed', articleId: id });
    expect(await notebook.changedOnDisk(id)).toBe(false);
    expect(await notebook.reloadArticle(id)).toBe('unchanged');

    await rm(file(id));
    expect(await notebook.reloadArticle(id)).toBe('deleted');
    expect(await notebook.listArticles()).toEqual([]);
  });

  it('an open from the summary cache looks at every file behind it: an edit made in place is found and loaded', async () => {
    const { id } = await notebook.importArticle({ format: 'text', content: 'Ships\n\nThey sail north.', title: 'Ships' });
    await notebook.setArticleNote(id, 'before');
    await notebook.close(); // writes the summary cache
    // An edit in place (same inode, folder untouched): the cache alone cannot see it.
    const doc = JSON.parse(await readFile(file(id), 'utf8'));
    doc.article.note = 'edited in place, by hand';
    await writeFile(file(id), JSON.stringify(doc));
    notebook = await Notebook.open(dir, { owner: 'the v2 test' });
    await notebook.whenChecked();
    expect((await notebook.getArticle(id)).note).toBe('edited in place, by hand');
  });

  it('the summary cache is written in ASCII and reads back every character: Arabic, curly quotes, an emoji, a lone surrogate', async () => {
    const title = 'Ibn Khaldūn’s “Muqaddimah” — مقدمة ابن خلدون 📜';
    const note = 'half a pair: \ud83d, and a DEL: \u007f';
    const { id } = await notebook.importArticle({ format: 'text', content: 'Asabiyya\n\nGroup feeling binds.', title });
    await notebook.setArticleNote(id, note);
    await notebook.close(); // writes the summary cache
    const bytes = await readFile(path.join(dir, 'local', 'cache', 'articles.json'));
    expect(bytes.some((b) => b > 0x7f)).toBe(false);
    // The answers before the check behind the open come from the cache alone.
    notebook = await Notebook.open(dir, { owner: 'the v2 test' });
    const [summary] = await notebook.listArticles();
    expect(summary.title).toBe(title);
    expect((await notebook.getArticle(id)).note).toBe(note);
    await notebook.whenChecked();
    expect((await notebook.getArticle(id)).note).toBe(note);
  });
});
