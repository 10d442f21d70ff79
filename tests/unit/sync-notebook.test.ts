/**
 * The sync side of a real notebook on a real folder: a file a sync engine replaced while Gloss was open is merged,
 * never overwritten by Gloss's older copy (on the next write, and by the watcher as it arrives); a conflict copy left
 * while Gloss was closed is merged at open and removed only then; another machine's new article and notebook.json
 * labels are taken in. Files are changed the way sync engines change them: a temp file renamed into place.
 */
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NotebookEvent } from '../../electron/contract';
import { Notebook } from '../../electron/notebook/notebook';
import { recordWrite } from '../../electron/notebook/sync/merge';

let dir: string;
const open: Notebook[] = [];

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gloss-sync-nb-'));
});
afterEach(async () => {
  for (const n of open.splice(0)) await n.close();
  await rm(dir, { recursive: true, force: true });
});

async function openNotebook(options: { watch?: boolean } = {}): Promise<Notebook> {
  const notebook = await Notebook.open(dir, { owner: 'the sync test', ...options });
  open.push(notebook);
  return notebook;
}

const TEXT = 'Tides\n\nThe tide came in over the flats at dawn, and the ships waited.';

/**
 * What another machine's Gloss does to an article's file (its edit recorded as its write path records it, a second
 * later), arriving as a whole new file renamed into place, as a sync engine delivers it.
 */
async function editElsewhere(id: string, edit: (doc: any) => void, name = `${id}.json`): Promise<void> {
  const file = path.join(dir, 'articles', `${id}.json`);
  const before = JSON.parse(await readFile(file, 'utf8'));
  const draft = structuredClone(before);
  edit(draft);
  draft.article.updatedAt = new Date(Date.parse(before.article.updatedAt) + 1000).toISOString();
  const doc = recordWrite(before, draft, 'desktop');
  const temp = path.join(dir, 'articles', `.syncthing.${name}.tmp`);
  await writeFile(temp, JSON.stringify(doc));
  await rename(temp, path.join(dir, 'articles', name));
}

function otherMachinesHighlight(articleId: string, now: string) {
  return { id: 'fromElsewhere', articleId, start: 4, end: 8, quote: 'tide', prefix: 'The ', suffix: ' came', color: 'pink', tags: ['remote'], note: 'typed on the desktop', createdAt: now, updatedAt: now };
}

describe('a notebook in a synced folder', () => {
  it('a write after a sync engine replaced the file merges that file in instead of overwriting it', async () => {
    const notebook = await openNotebook({ watch: false });
    const article = await notebook.importArticle({ format: 'text', content: TEXT });
    const mine = await notebook.addHighlight(article.id, { start: 25, end: 30 });
    const later = new Date(Date.now() + 1000).toISOString();
    await editElsewhere(article.id, (doc) => {
      doc.highlights.push(otherMachinesHighlight(article.id, later));
      doc.article.title = 'Tides (retitled on the desktop)';
    });
    await notebook.updateHighlight(mine.id, { color: 'green' });
    const onDisk = JSON.parse(await readFile(path.join(dir, 'articles', `${article.id}.json`), 'utf8'));
    expect(onDisk.highlights.map((h: { id: string }) => h.id).sort()).toEqual(['fromElsewhere', mine.id].sort());
    expect(onDisk.highlights.find((h: { id: string }) => h.id === mine.id).color).toBe('green');
    expect(onDisk.article.title).toBe('Tides (retitled on the desktop)');
    expect((await notebook.getArticle(article.id)).highlights).toHaveLength(2);
  });

  it('the watcher takes in a file changed from outside, tells every window, and writes back what the disk lacked', async () => {
    const notebook = await openNotebook();
    const article = await notebook.importArticle({ format: 'text', content: TEXT });
    // The desktop's copy of the file as it was before this machine wrote its note: it never saw that note.
    const file = path.join(dir, 'articles', `${article.id}.json`);
    const desktopsCopy = await readFile(file, 'utf8');
    await notebook.setArticleNote(article.id, 'written here');
    const events: NotebookEvent[] = [];
    const told = new Promise<void>((resolve) =>
      notebook.subscribe((e) => {
        events.push(e);
        if (e.type === 'notice') resolve();
      }),
    );
    const laptopsFile = await readFile(file, 'utf8');
    await writeFile(file, desktopsCopy); // (not renamed: the desktop's write below replaces it at once)
    await editElsewhere(article.id, (doc) => {
      doc.article.note = 'written on the desktop';
      doc.article.noteUpdatedAt = new Date(Date.now() + 1000).toISOString();
      doc.highlights.push(otherMachinesHighlight(article.id, doc.article.noteUpdatedAt));
    });
    expect(laptopsFile).toContain('written here');
    await told;
    const now = await notebook.getArticle(article.id);
    expect(now.highlights.map((h) => h.id)).toEqual(['fromElsewhere']);
    expect(now.note).toBe('written on the desktop');
    expect(now.noteConflicts).toEqual(['written here']);
    expect(events.some((e) => e.type === 'article-changed')).toBe(true);
    // Written back: the file now holds both notes, for the desktop to get.
    await expect.poll(async () => JSON.parse(await readFile(file, 'utf8')).article.noteConflicts).toEqual(['written here']);
    // The user chooses: one note, the other gone everywhere this file goes.
    await notebook.setArticleNote(article.id, 'written here', { resolvesConflict: true });
    expect((await notebook.getArticle(article.id)).noteConflicts).toBeUndefined();
  });

  it('a conflict copy left while Gloss was closed is merged at open, and removed once the merge is on disk', async () => {
    let notebook = await openNotebook({ watch: false });
    const article = await notebook.importArticle({ format: 'text', content: TEXT });
    const h = await notebook.addHighlight(article.id, { start: 25, end: 30, note: 'here' });
    await notebook.close();
    open.splice(0);
    const later = new Date(Date.now() + 1000).toISOString();
    const copy = `${article.id}.sync-conflict-20261207-101010-ABCDEFG.json`;
    await editElsewhere(
      article.id,
      (doc) => {
        doc.highlights[0].color = 'blue';
        doc.highlights[0].updatedAt = later;
        doc.highlights.push(otherMachinesHighlight(article.id, later));
      },
      copy,
    );
    notebook = await openNotebook({ watch: false });
    const merged = await notebook.getArticle(article.id);
    expect(merged.highlights.map((x) => x.id).sort()).toEqual(['fromElsewhere', h.id].sort());
    expect(merged.highlights.find((x) => x.id === h.id)).toMatchObject({ color: 'blue', note: 'here' });
    expect(await readdir(path.join(dir, 'articles'))).not.toContain(copy);
    const onDisk = JSON.parse(await readFile(path.join(dir, 'articles', `${article.id}.json`), 'utf8'));
    expect(onDisk.highlights).toHaveLength(2);
  });

  it('a copy that does not parse is left alone, never moved over the article', async () => {
    const notebook = await openNotebook({ watch: false });
    const article = await notebook.importArticle({ format: 'text', content: TEXT });
    await notebook.close();
    open.splice(0);
    const copy = path.join(dir, 'articles', `${article.id} (Ada's conflicted copy 2026-12-07).json`);
    await writeFile(copy, '{"schemaVersion": 2, "article": ');
    const again = await openNotebook({ watch: false });
    expect((await again.getArticle(article.id)).title).toBe('Tides');
    expect(await readFile(copy, 'utf8')).toBe('{"schemaVersion": 2, "article": ');
  });

  it('an article another machine added, and colour labels it set, appear while open', async () => {
    const notebook = await openNotebook();
    const article = await notebook.importArticle({ format: 'text', content: TEXT });
    const added = new Promise<void>((resolve) => notebook.subscribe((e) => e.type === 'article-added' && e.articleId === 'anotherArtic' && resolve()));
    await editElsewhere(article.id, (doc) => {
      doc.article.id = 'anotherArtic';
      doc.article.title = 'From the desktop';
    }, 'anotherArtic.json');
    await added;
    expect((await notebook.listArticles()).map((a) => a.title).sort()).toEqual(['From the desktop', 'Tides']);

    const labelled = new Promise<void>((resolve) => notebook.subscribe((e) => e.type === 'settings-changed' && resolve()));
    const shared = JSON.parse(await readFile(path.join(dir, 'notebook.json'), 'utf8'));
    shared.settings.colorLabels.pink = 'Questions';
    shared.updatedAt['colorLabels.pink'] = new Date(Date.now() + 1000).toISOString();
    await writeFile(path.join(dir, '.notebook.tmp'), JSON.stringify(shared));
    await rename(path.join(dir, '.notebook.tmp'), path.join(dir, 'notebook.json'));
    await labelled;
    expect((await notebook.getSettings()).colorLabels.pink).toBe('Questions');
  });

  it('an article whose text arrives after its file: named missing, then shown once the content lands (windows told)', async () => {
    // The other machine's notebook: one article, its file and its content.
    const other = await mkdtemp(path.join(os.tmpdir(), 'gloss-sync-other-'));
    try {
      const there = await Notebook.open(other, { owner: 'the other machine', watch: false });
      const article = await there.importArticle({ format: 'text', content: TEXT });
      await there.close();
      const notebook = await openNotebook();
      const contentName = (await readdir(path.join(other, 'content')))[0];
      const added = new Promise<void>((resolve) => notebook.subscribe((e) => e.type === 'article-added' && resolve()));
      await writeFile(path.join(dir, 'articles', '.part'), await readFile(path.join(other, 'articles', `${article.id}.json`)));
      await rename(path.join(dir, 'articles', '.part'), path.join(dir, 'articles', `${article.id}.json`));
      await added;
      await expect(notebook.getArticle(article.id)).rejects.toThrow(/is missing from this notebook\. If the notebook is synced, it may not have arrived yet/);
      const changed = new Promise<void>((resolve) => notebook.subscribe((e) => e.type === 'article-changed' && e.articleId === article.id && resolve()));
      await mkdir(path.join(dir, 'content'), { recursive: true });
      await writeFile(path.join(dir, 'content', '.part'), await readFile(path.join(other, 'content', contentName)));
      await rename(path.join(dir, 'content', '.part'), path.join(dir, 'content', contentName));
      await changed;
      expect((await notebook.getArticle(article.id)).text).toContain('the ships waited');
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  it('while open, a conflict copy arriving in articles/ is merged and removed, and an article deleted elsewhere goes here too', async () => {
    const notebook = await openNotebook();
    await notebook.whenChecked(); // the folder is watched
    const article = await notebook.importArticle({ format: 'text', content: TEXT });
    const other = await notebook.importArticle({ format: 'text', content: 'Another\n\nA second article, deleted on the desktop.' });
    const h = await notebook.addHighlight(article.id, { start: 25, end: 30, note: 'here' });
    const copy = `${article.id}.sync-conflict-20261207-101010-ABCDEFG.json`;
    const later = new Date(Date.now() + 1000).toISOString();
    await editElsewhere(article.id, (doc) => doc.highlights.push(otherMachinesHighlight(article.id, later)), copy);
    // Removed only once the merge is on disk (no event says so: the file's going is what the test waits for).
    await expect.poll(async () => readdir(path.join(dir, 'articles'))).not.toContain(copy);
    expect((await notebook.getArticle(article.id)).highlights.map((x) => x.id).sort()).toEqual(['fromElsewhere', h.id].sort());

    const deleted = new Promise<void>((resolve) => notebook.subscribe((e) => e.type === 'article-deleted' && e.articleId === other.id && resolve()));
    await rm(path.join(dir, 'articles', `${other.id}.json`));
    await deleted;
    expect((await notebook.listArticles()).map((a) => a.id)).toEqual([article.id]);
  });

  it('a conflict copy of notebook.json is merged per key (both machines’ labels kept) and removed', async () => {
    const notebook = await openNotebook({ watch: false });
    await notebook.updateSettings({ colorLabels: { yellow: 'Claims' } });
    await notebook.close();
    open.splice(0);
    const shared = JSON.parse(await readFile(path.join(dir, 'notebook.json'), 'utf8'));
    const copy = 'notebook.sync-conflict-20261207-101010-ABCDEFG.json';
    const later = new Date(Date.now() + 1000).toISOString();
    await writeFile(
      path.join(dir, copy),
      JSON.stringify({ ...shared, settings: { colorLabels: { pink: 'Questions' } }, updatedAt: { ...shared.updatedAt, 'colorLabels.pink': later } }),
    );
    const again = await openNotebook({ watch: false });
    expect((await again.getSettings()).colorLabels).toEqual({ yellow: 'Claims', pink: 'Questions' });
    expect(await readdir(dir)).not.toContain(copy);
    expect(JSON.parse(await readFile(path.join(dir, 'notebook.json'), 'utf8')).settings.colorLabels).toEqual({ pink: 'Questions', yellow: 'Claims' });
  });
});


describe('an open from the summary cache (the check of every file runs behind it)', () => {
  /** An article with a note, the notebook closed (which writes the summary cache), then changed by another machine. */
  async function changedWhileClosed(): Promise<string> {
    const notebook = await openNotebook();
    const article = await notebook.importArticle({ format: 'text', content: TEXT });
    await notebook.setArticleNote(article.id, 'written here');
    await notebook.close();
    open.splice(0);
    await editElsewhere(article.id, (doc) => {
      doc.article.title = 'Tides (retitled on the desktop)';
      doc.highlights.push(otherMachinesHighlight(article.id, new Date(Date.now() + 1000).toISOString()));
    });
    return article.id;
  }

  it('a file changed while Gloss was closed is taken in after the first answer, with the events a watcher change sends', async () => {
    const id = await changedWhileClosed();
    const notebook = await openNotebook();
    const events: NotebookEvent[] = [];
    notebook.subscribe((e) => events.push(e));
    // The first answer comes from the cache, without a look at the file...
    expect((await notebook.listArticles()).map((a) => [a.title, a.highlightCount])).toEqual([['Tides', 0]]);
    // ...and the look behind the open brings the new version, and tells every window.
    await notebook.whenChecked();
    expect((await notebook.listArticles()).map((a) => [a.title, a.highlightCount])).toEqual([['Tides (retitled on the desktop)', 1]]);
    const now = await notebook.getArticle(id);
    expect(now.highlights.map((h) => h.id)).toEqual(['fromElsewhere']);
    expect(now.note).toBe('written here');
    expect(events).toContainEqual({ type: 'article-changed', articleId: id });
    expect(events).toContainEqual({ type: 'tags-changed' });
    expect(await notebook.listTags()).toEqual([{ name: 'remote', count: 1 }]);
    // The search index follows the event: the new title and the other machine's highlight are found.
    await notebook.searchIndex.whenIdle();
    expect((await notebook.search('retitled')).matches.map((m) => m.articleId)).toContain(id);
    expect((await notebook.search('tag:remote')).total).toBe(1);
    expect(await notebook.changedOnDisk(id)).toBe(false);
    // A window that subscribes only now (its first answers may have come from the cache) is told too.
    const late = await new Promise<NotebookEvent[]>((resolve) => {
      const got: NotebookEvent[] = [];
      notebook.subscribe((e) => got.push(e) === 2 && resolve(got));
    });
    expect(late).toContainEqual({ type: 'article-changed', articleId: id });
  });

  it('a write made before the check reaches its article merges the file on disk in, never overwrites it', async () => {
    const id = await changedWhileClosed();
    const notebook = await openNotebook();
    await notebook.setArticleNote(id, 'written before the check');
    await notebook.whenChecked();
    const onDisk = JSON.parse(await readFile(path.join(dir, 'articles', `${id}.json`), 'utf8'));
    expect(onDisk.article.title).toBe('Tides (retitled on the desktop)');
    expect(onDisk.highlights.map((h: { id: string }) => h.id)).toEqual(['fromElsewhere']);
    expect(onDisk.article.note).toBe('written before the check');
    const now = await notebook.getArticle(id);
    expect([now.title, now.note, now.highlights.length]).toEqual(['Tides (retitled on the desktop)', 'written before the check', 1]);
  });

  it('a write made while the check reads its article is neither undone by the check nor lost', async () => {
    const id = await changedWhileClosed();
    const notebook = await openNotebook();
    // The check's reading of this file, and a write beginning while it reads.
    const reading = notebook.reloadArticle(id);
    const writing = notebook.setArticleNote(id, 'written while the check read');
    await Promise.all([reading, writing]);
    await notebook.whenChecked();
    for (const doc of [JSON.parse(await readFile(path.join(dir, 'articles', `${id}.json`), 'utf8')).article, await notebook.getArticle(id)]) {
      expect([doc.title, doc.note]).toEqual(['Tides (retitled on the desktop)', 'written while the check read']);
    }
  });

  it('an article file removed or added while Gloss was closed is seen at open', async () => {
    const id = await changedWhileClosed();
    const other = JSON.parse(await readFile(path.join(dir, 'articles', `${id}.json`), 'utf8'));
    other.article.id = 'anotherArtic';
    other.article.title = 'From the desktop';
    await writeFile(path.join(dir, 'articles', 'anotherArtic.json'), JSON.stringify(other));
    await rm(path.join(dir, 'articles', `${id}.json`));
    const notebook = await openNotebook();
    expect((await notebook.listArticles()).map((a) => a.title)).toEqual(['From the desktop']);
  });
});
