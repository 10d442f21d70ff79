/**
 * The notebook's files on a real temp folder: rolling backups, damaged files moved aside and restored, notices for the
 * user, files from a newer Gloss refused untouched, and the folder lock.
 */
import { spawn } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, symlink, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Notebook } from '../../electron/notebook/notebook';
import { RollingBackups, backupPath } from '../../electron/notebook/store/backups';
import { DurableJsonFile } from '../../electron/notebook/store/durable-file';
import { FolderLock, LOCK_FILE } from '../../electron/notebook/store/lock';

let dir: string;
/** Opens and waits for the look at every file that follows an open from the summary cache (damage done in place). */
const open = async (d = dir) => {
  const notebook = await Notebook.open(d, { owner: 'the store test' });
  await notebook.whenChecked();
  return notebook;
};
const articleFile = (id: string) => path.join(dir, 'articles', `${id}.json`);
const TEXT = 'A first paragraph about ships.\n\nA second paragraph about the sea and its tides.';

async function notebookWithArticle(): Promise<{ notebook: Notebook; id: string }> {
  const notebook = await open();
  const { id } = await notebook.importArticle({ format: 'text', content: TEXT, title: 'Ships' });
  return { notebook, id };
}

async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(root, path.join(e.parentPath, e.name))).sort();
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gloss-store-'));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

describe('rolling backups', () => {
  it('keep the live version and the three before it; earlier versions never share the live file’s inode', async () => {
    const file = path.join(dir, 'articles', 'probe.json');
    await import('node:fs/promises').then((fs) => fs.mkdir(path.dirname(file), { recursive: true }));
    const adapter = new DurableJsonFile<{ n: number }>(file, { backups: new RollingBackups(dir, file) });
    for (let n = 1; n <= 6; n++) await adapter.write({ n });
    const versions = await Promise.all(
      [0, 1, 2, 3].map(async (g) => JSON.parse(await readFile(backupPath(dir, file, g), 'utf8')).n as number),
    );
    expect(versions).toEqual([6, 5, 4, 3]);
    const live = (await stat(file)).ino;
    expect((await stat(backupPath(dir, file, 0))).ino).toBe(live);
    for (const g of [1, 2, 3]) expect((await stat(backupPath(dir, file, g))).ino).not.toBe(live);
    expect(await filesUnder(path.join(dir, 'local', 'backups'))).toEqual(['articles/probe.0.json', 'articles/probe.1.json', 'articles/probe.2.json', 'articles/probe.3.json']);
  });

  it('keep the first version of a file as a real copy', async () => {
    const file = path.join(dir, 'first.json');
    await new DurableJsonFile<{ n: number }>(file, { backups: new RollingBackups(dir, file) }).write({ n: 1 });
    expect((await stat(backupPath(dir, file, 0))).ino).not.toBe((await stat(file)).ino);
    expect(JSON.parse(await readFile(backupPath(dir, file, 0), 'utf8'))).toEqual({ n: 1 });
  });
});

describe('damaged files', () => {
  it('a truncated article: the notebook opens, the article comes back from a backup, the damaged bytes are kept', async () => {
    const { notebook, id } = await notebookWithArticle();
    const other = await notebook.importArticle({ format: 'text', content: 'Another article, untouched.', title: 'Other' });
    const first = await notebook.addHighlight(id, { start: 2, end: 7, note: 'kept' });
    await notebook.setArticleNote(id, 'the latest note');
    await notebook.close();

    // Damage in place (as a crash of a naive writer or a bad disk would): the live inode loses its tail.
    const size = (await stat(articleFile(id))).size;
    await truncate(articleFile(id), Math.floor(size / 2));
    const damagedBytes = await readFile(articleFile(id));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);

    const reopened = await open();
    const titles = (await reopened.listArticles()).map((a) => a.title).sort();
    expect(titles).toEqual(['Other', 'Ships']);
    const restored = await reopened.getArticle(id);
    // Generation 0 shares the damaged inode, so the newest intact version is the one before the last write.
    expect(restored.highlights.map((h) => h.id)).toEqual([first.id]);
    expect(restored.text).toBe(TEXT);
    expect((await reopened.getArticle(other.id)).title).toBe('Other');

    const kept = (await readdir(path.join(dir, 'local', 'damaged', 'articles'))).filter((f) => f.startsWith(id));
    expect(kept).toHaveLength(1);
    expect((await readFile(path.join(dir, 'local', 'damaged', 'articles', kept[0]))).equals(damagedBytes)).toBe(true);

    const notices = await reopened.getNotices();
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ level: 'warning', articleId: id, file: `articles/${id}.json`, keptAt: `local/damaged/articles/${kept[0]}` });
    expect(notices[0].message).toMatch(/"Ships" was damaged .* restored from its backup/);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/Ships" was damaged/));

    // The restored article takes new writes, and the notice stays until dismissed — across a restart too.
    await reopened.setArticleNote(id, 'after the repair');
    await reopened.close();
    const again = await open();
    expect((await again.getArticle(id)).note).toBe('after the repair');
    expect(await again.getNotices()).toEqual(notices);
    await again.dismissNotice(notices[0].id);
    await expect(again.dismissNotice(notices[0].id)).rejects.toMatchObject({ code: 'not_found' });
    await again.close();
    expect(await (await open()).getNotices()).toEqual([]);
  });

  it('a file replaced by garbage comes back whole from the link to its live version', async () => {
    const { notebook, id } = await notebookWithArticle();
    await notebook.setArticleNote(id, 'the latest note');
    await notebook.close();
    // A hand edit gone wrong: the editor writes a new file and renames it over the old one.
    await writeFile(`${articleFile(id)}.new`, '{"schemaVersion": 1, "article": {"id": ');
    await rename(`${articleFile(id)}.new`, articleFile(id));
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const reopened = await open();
    expect((await reopened.getArticle(id)).note).toBe('the latest note');
    expect(await readdir(path.join(dir, 'local', 'damaged', 'articles'))).toHaveLength(1);
    await reopened.close();
  });

  it('JSON that is not an article (an empty object, null, wrong types) counts as damaged too', async () => {
    const { notebook, id } = await notebookWithArticle();
    await notebook.close();
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    for (const junk of ['{}', 'null', '{"schemaVersion":2,"article":{"id":"x"},"highlights":"no"}']) {
      await writeFile(articleFile(id), junk);
      const reopened = await open();
      expect((await reopened.getArticle(id)).text).toBe(TEXT);
      await reopened.close();
    }
    expect(await readdir(path.join(dir, 'local', 'damaged', 'articles'))).toHaveLength(3);
  });

  it('an unreadable article with no readable backup is listed as damaged, never silently dropped', async () => {
    const { notebook, id } = await notebookWithArticle();
    await notebook.close();
    await rm(path.join(dir, 'local', 'backups'), { recursive: true });
    await writeFile(articleFile(id), '');
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const reopened = await open();
    expect(await reopened.listArticles()).toEqual([]);
    const [notice] = await reopened.getNotices();
    expect(notice).toMatchObject({ level: 'error', articleId: id });
    expect(notice.message).toMatch(/is damaged \(the file is empty\) and no backup could be read.*Nothing was deleted/);
    expect(await filesUnder(path.join(dir, 'local', 'damaged'))).toEqual([notice.keptAt!.slice('local/damaged/'.length)]);
    await reopened.close();
  });

  it('a symbolic link where an article file should be is reported as one, never read through', async () => {
    const outside = await mkdtemp(path.join(os.tmpdir(), 'gloss-outside-'));
    try {
      const { notebook, id } = await notebookWithArticle();
      const secondId = (await notebook.importArticle({ format: 'text', content: 'Another page.', title: 'Other' })).id;
      await notebook.close();
      // One link to a private file, one to a valid-looking article outside the notebook: neither may be read.
      await writeFile(path.join(outside, 'secret.txt'), 'SECRET-TOKEN=hunter2 and more private text');
      await writeFile(path.join(outside, 'article.json'), await readFile(articleFile(secondId)));
      await rm(articleFile(id));
      await symlink(path.join(outside, 'secret.txt'), articleFile(id));
      await rm(articleFile(secondId));
      await symlink(path.join(outside, 'article.json'), articleFile(secondId));
      vi.spyOn(console, 'warn').mockImplementation(() => undefined);
      const reopened = await open();
      const notices = await reopened.getNotices();
      for (const n of notices) {
        expect(n.message).toMatch(/it is a symbolic link, not a file; Gloss does not follow links inside a notebook/);
        expect(n.message).not.toMatch(/SECRET|hunter2/);
      }
      expect(notices.map((n) => n.articleId).sort()).toEqual([id, secondId].sort());
      // Both came back from their backups (regular files now); the links were moved aside, their targets untouched.
      expect((await reopened.listArticles()).map((a) => a.title).sort()).toEqual(['Other', 'Ships']);
      for (const n of notices) expect((await lstat(path.join(dir, n.keptAt!))).isSymbolicLink()).toBe(true);
      expect((await lstat(articleFile(id))).isFile()).toBe(true);
      expect(await readFile(path.join(outside, 'secret.txt'), 'utf8')).toMatch(/^SECRET/);
      await reopened.close();
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('an article file removed from outside (by hand, or a sync engine) is a deleted article; its backups stay', async () => {
    const { notebook, id } = await notebookWithArticle();
    await notebook.addHighlight(id, { start: 2, end: 7, note: 'keep me' });
    await notebook.close();
    await rm(articleFile(id));
    const reopened = await open();
    expect(await reopened.listArticles()).toEqual([]);
    // Nothing of it was thrown away by Gloss: its last version is still under local/backups for a person to put back.
    const kept = JSON.parse(await readFile(backupPath(dir, articleFile(id), 0), 'utf8'));
    expect(kept.highlights.map((h: { note: string }) => h.note)).toEqual(['keep me']);
    await reopened.close();
  });

  it('a damaged notebook.json is restored from its backup, or reset without re-adding the sample', async () => {
    const { notebook, id } = await notebookWithArticle();
    await notebook.updateSettings({ colorLabels: { green: 'Evidence' } });
    await notebook.updateSettings({ colorLabels: { blue: 'Method' } });
    await notebook.close();
    const settingsFile = path.join(dir, 'notebook.json');
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);

    await writeFile(settingsFile, '{"schemaVersion": 2, "settings": [');
    let reopened = await open();
    expect((await reopened.listArticles()).map((a) => a.id)).toEqual([id]);
    // Damaged in place, so the link to the live version is damaged too: the version before the last write comes back.
    expect((await reopened.getSettings()).colorLabels).toEqual({ green: 'Evidence' });
    expect((await reopened.getNotices())[0].message).toMatch(/settings \(notebook.json\) were damaged .* restored from their backup/);
    await reopened.close();

    await rm(path.join(dir, 'local', 'backups', 'notebook.0.json'));
    await rm(path.join(dir, 'local', 'backups', 'notebook.1.json'));
    await rm(path.join(dir, 'local', 'backups', 'notebook.2.json'), { force: true });
    await rm(path.join(dir, 'local', 'backups', 'notebook.3.json'), { force: true });
    await writeFile(settingsFile, 'garbage');
    reopened = await Notebook.open(dir, { seedArticlePath: path.resolve(__dirname, '../../resources/sample-article.txt') });
    expect((await reopened.listArticles()).map((a) => a.id)).toEqual([id]);
    const notices = await reopened.getNotices();
    expect(notices.at(-1)!.message).toMatch(/no backup could be read; colour labels were reset/);
    expect(await readdir(path.join(dir, 'local', 'damaged'))).toHaveLength(2);
    await reopened.close();
  });
});

describe('files from a newer Gloss', () => {
  it('a newer index stops the open with a clear message and is left byte for byte', async () => {
    const { notebook } = await notebookWithArticle();
    await notebook.close();
    const settingsFile = path.join(dir, 'notebook.json');
    const newer = JSON.stringify({ ...JSON.parse(await readFile(settingsFile, 'utf8')), schemaVersion: 7 });
    await writeFile(settingsFile, newer);
    await expect(open()).rejects.toThrow(/notebook.json was written by a newer version of Gloss \(file format 7; this Gloss reads up to 2\)/);
    expect(await readFile(settingsFile, 'utf8')).toBe(newer);
    // The refusal released the lock: nothing holds the folder.
    expect(await readdir(path.join(dir, 'local'))).not.toContain(LOCK_FILE);
  });

  it('a newer article is not shown, not rewritten, and its content is kept for a newer Gloss', async () => {
    const { notebook, id } = await notebookWithArticle();
    await notebook.close();
    const newer = JSON.stringify({ ...JSON.parse(await readFile(articleFile(id), 'utf8')), schemaVersion: 3, future: true });
    await writeFile(articleFile(id), newer);
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const reopened = await open();
    expect(await reopened.listArticles()).toEqual([]);
    expect((await reopened.getNotices())[0].message).toMatch(/newer version of Gloss/);
    await reopened.importArticle({ format: 'text', content: 'Another.', title: 'Another' });
    await reopened.close();
    expect(await readFile(articleFile(id), 'utf8')).toBe(newer);
    const { contentId } = JSON.parse(newer);
    expect(await readdir(path.join(dir, 'content'))).toContain(`${contentId}.json`);
  });
});

describe('one owner per folder', () => {
  it('takes over a lock left by a process that is gone', async () => {
    const child = spawn(process.execPath, ['-e', '']);
    const deadPid = await new Promise<number>((resolve) => child.on('exit', () => resolve(child.pid!)));
    await mkdir(path.join(dir, 'local'));
    await writeFile(path.join(dir, 'local', LOCK_FILE), JSON.stringify({ pid: deadPid, host: os.hostname(), owner: 'a crashed Gloss', since: '2020-01-01T00:00:00.000Z' }));
    const notebook = await open();
    const lock = JSON.parse(await readFile(path.join(dir, 'local', LOCK_FILE), 'utf8'));
    expect(lock).toMatchObject({ pid: process.pid, owner: 'the store test' });
    await notebook.close();
    expect(await readdir(path.join(dir, 'local'))).not.toContain(LOCK_FILE);
  });

  it('refuses while the owner lives, naming it, and leaves its lock alone', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      await mkdir(path.join(dir, 'local'));
      const owner = { pid: child.pid, host: os.hostname(), owner: 'Gloss browser mode (port 4321)', since: '2024-05-01T10:00:00.000Z' };
      await writeFile(path.join(dir, 'local', LOCK_FILE), JSON.stringify(owner));
      await expect(open()).rejects.toThrow(
        new RegExp(`already open in Gloss browser mode \\(port 4321\\) \\(process ${child.pid} on ${os.hostname()}`),
      );
      await expect(FolderLock.acquire(path.join(dir, 'local'), 'x')).rejects.toMatchObject({ code: 'conflict' });
      expect(JSON.parse(await readFile(path.join(dir, 'local', LOCK_FILE), 'utf8'))).toEqual(owner);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
