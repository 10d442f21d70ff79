/**
 * The whole-notebook backup as a file, written and read article by article (export/backup-file.ts, Notebook's
 * writeBackupTo / restoreFromFile / restoreFromStream), on real notebook folders: the file is the JSON backupNotebook
 * returns, a restore from it round-trips, earlier versions' pretty-printed files still restore, bad files are refused
 * whole with a message that names what was wrong, and nothing is half-applied.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupFileArticles, checkBackupFile } from '../../electron/notebook/export/backup-file';
import { Notebook } from '../../electron/notebook/notebook';
import { writeFileDurably } from '../../electron/notebook/store/durable-file';
import { TempDirs } from '../support/temp-dirs';

const temp = new TempDirs();
const tempDir = (prefix: string): Promise<string> => temp.make(prefix);
let notebook: Notebook;
let work: string;

beforeEach(async () => {
  notebook = await Notebook.open(await tempDir('gloss-backupfile-'));
  work = await tempDir('gloss-backupfile-work-');
});
afterEach(async () => {
  await notebook.close().catch(() => undefined);
  await temp.removeAll();
});

/** Three articles: plain text with highlights, a note and tags; HTML (sanitized again on restore); non-Latin text. */
async function fill(nb: Notebook = notebook): Promise<string[]> {
  const plain = await nb.importArticle({ format: 'text', title: 'Plain "one"', content: 'First paragraph here.\n\nSecond paragraph, with “curly” quotes.' });
  await nb.addHighlight(plain.id, { start: 0, end: 5, note: 'a note', tags: ['method'], color: 'green' });
  await nb.addHighlight(plain.id, { start: 23, end: 29 });
  await nb.setArticleNote(plain.id, '# Mine\n\n> quoted');
  const html = await nb.importArticle({ format: 'html', content: '<html><head><title>Page two</title></head><body><h1>Heading</h1><p>Some <em>emphasis</em> here.</p></body></html>' });
  await nb.addHighlight(html.id, { start: 0, end: 7 });
  const arabic = await nb.importArticle({ format: 'text', title: 'عربي', content: 'النص العربي هنا 🎉 and an emoji' });
  await nb.updateSettings({ colorLabels: { green: 'Key idea' } });
  return [plain.id, html.id, arabic.id];
}

/** Every file under the notebook folder but local/ (this machine's caches) and its bytes. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const rel = path.relative(dir, path.join(e.parentPath, e.name));
    if (e.isFile() && !rel.startsWith('local')) out[rel] = await readFile(path.join(e.parentPath, e.name), 'utf8');
  }
  return out;
}

describe('a backup file', () => {
  it('is the JSON backupNotebook returns, one article per line, and restores into a fresh notebook exactly', async () => {
    const ids = await fill();
    const file = path.join(work, 'backup.json');
    const written = await notebook.writeBackupTo(file);
    expect(written).toMatchObject({ path: file, articles: 3 });
    const text = await readFile(file, 'utf8');
    expect(written.bytes).toBe(Buffer.byteLength(text));
    const backup = await notebook.backupNotebook();
    expect(JSON.parse(text)).toEqual(backup);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(ids.length + 2); // the backup's fields, one line per article, the closing brackets
    expect(JSON.parse(lines[2].replace(/,$/, '')).id).toBe(backup.articles[1].id);
    expect(await readdir(work)).toEqual(['backup.json']); // no temp file left

    const fresh = await Notebook.open(await tempDir('gloss-backupfile-fresh-'));
    try {
      const result = await fresh.restoreFromFile(file, { mode: 'replace' });
      expect(result).toEqual({ articles: 3, highlights: 3, skipped: 0 });
      expect(await fresh.backupNotebook()).toEqual(backup);
      // Merging the same file again changes nothing.
      expect(await fresh.restoreFromFile(file, { mode: 'merge' })).toEqual({ articles: 0, highlights: 0, skipped: 0 });
    } finally {
      await fresh.close();
    }
  });

  it('written in pieces that fail part-way: no file, no temp file, the one there before untouched', async () => {
    const file = path.join(work, 'backup.json');
    await writeFile(file, 'the backup before');
    async function* failing(): AsyncGenerator<string> {
      yield 'x'.repeat(3 << 20); // past one write, so part of it is on disk when the next piece fails
      throw new Error('an article could not be read');
    }
    await expect(writeFileDurably(file, failing())).rejects.toThrow('an article could not be read');
    expect(await readFile(file, 'utf8')).toBe('the backup before');
    expect(await readdir(work)).toEqual(['backup.json']);
  });

  it('restores a pretty-printed backup an earlier Gloss saved exactly as restoreNotebook restores the object', async () => {
    await fill();
    const backup = await notebook.backupNotebook();
    const file = path.join(work, 'old.json');
    await writeFile(file, `${JSON.stringify(backup, null, 2)}\n`);
    const fromFile = await Notebook.open(await tempDir('gloss-backupfile-a-'));
    const fromObject = await Notebook.open(await tempDir('gloss-backupfile-b-'));
    try {
      expect(await fromFile.restoreFromFile(file, { mode: 'merge' })).toEqual(await fromObject.restoreNotebook(structuredClone(backup), { mode: 'merge' }));
      expect(await fromFile.backupNotebook()).toEqual(await fromObject.backupNotebook());
      expect(await fromFile.backupNotebook()).toEqual(backup);
    } finally {
      await fromFile.close();
      await fromObject.close();
    }
  });

  it('replaces the notebook from a file, keeping the notebook as it was in before-restore/, and merges highlights', async () => {
    const [plainId] = await fill();
    const file = path.join(work, 'backup.json');
    await notebook.writeBackupTo(file);
    const backup = await notebook.backupNotebook();
    // Changes after the backup: a new article, a highlight removed, a note changed.
    const extra = await notebook.importArticle({ format: 'text', title: 'Added later', content: 'Not in the backup.' });
    const plain = await notebook.getArticle(plainId);
    await notebook.deleteHighlight(plain.highlights[1].id);
    await notebook.setArticleNote(plainId, 'changed here');
    const merged = await notebook.restoreFromFile(file, { mode: 'merge' });
    expect(merged).toMatchObject({ articles: 1, highlights: 1, skipped: 0 });
    const afterMerge = await notebook.getArticle(plainId);
    expect(afterMerge.highlights).toHaveLength(2); // the deleted one is back
    expect(afterMerge.note).toBe('changed here\n\n# Mine\n\n> quoted'); // neither note dropped
    expect((await notebook.listArticles()).map((a) => a.id)).toContain(extra.id);

    const replaced = await notebook.restoreFromFile(file, { mode: 'replace' });
    expect(replaced.safetyBackup).toMatch(/before-restore/);
    expect(await notebook.backupNotebook()).toEqual(backup);
    // The snapshot is itself a backup file of the notebook as it was: it restores the article added later.
    const safety = JSON.parse(await readFile(replaced.safetyBackup!, 'utf8'));
    expect(safety.articles.map((a: { id: string }) => a.id)).toContain(extra.id);
    expect(safety.articles.find((a: { id: string }) => a.id === plainId).note).toBe('changed here\n\n# Mine\n\n> quoted');
  });

  it('restores from a byte stream (browser mode\'s upload) and leaves no temp file', async () => {
    await fill();
    const file = path.join(work, 'backup.json');
    await notebook.writeBackupTo(file);
    const fresh = await Notebook.open(await tempDir('gloss-backupfile-stream-'));
    try {
      const bytes = await readFile(file);
      const chunks = Readable.from([bytes.subarray(0, 100), bytes.subarray(100, 5000), bytes.subarray(5000)]);
      expect(await fresh.restoreFromStream(chunks, { mode: 'replace' })).toMatchObject({ articles: 3 });
      expect(await fresh.backupNotebook()).toEqual(await notebook.backupNotebook());
      expect((await readdir(path.join(fresh.dir, 'local'))).filter((n) => n.includes('restore'))).toEqual([]);
    } finally {
      await fresh.close();
    }
  });

  it('refuses a bad file whole, naming what was wrong, and changes nothing', async () => {
    await fill();
    const good = await notebook.backupNotebook();
    const before = await snapshot(notebook.dir);
    const write = async (name: string, content: string): Promise<string> => {
      const file = path.join(work, name);
      await writeFile(file, content);
      return file;
    };
    const fullText = await readFile(await notebook.writeBackupTo(path.join(work, 'full.json')).then((w) => w.path), 'utf8');
    const cases: [string, string, RegExp][] = [
      ['truncated.json', fullText.slice(0, Math.floor(fullText.length * 0.7)), /^Backup is not valid JSON/],
      ['empty.json', '', /^Backup is not valid JSON: the file is empty/],
      ['array.json', JSON.stringify([good]), /\(root\): expected an object/],
      ['not-json.json', '%PDF-1.7\n', /^Backup is not valid JSON/],
      ['newer.json', JSON.stringify({ ...good, version: 9 }), /made by a newer Gloss/],
      ['other-format.json', JSON.stringify({ ...good, format: 'something-else' }), /format/],
      ['no-articles.json', JSON.stringify({ ...good, articles: undefined }), /articles: expected an array/],
    ];
    const quote = structuredClone(good);
    quote.articles[2].highlights = [{ ...good.articles[0].highlights[0], articleId: good.articles[2].id, id: 'hX' }];
    cases.push(['quote.json', JSON.stringify(quote), /articles\[2\]\.highlights\[0\]\.(quote|end)/]);
    const duplicate = structuredClone(good);
    duplicate.articles.push(structuredClone(good.articles[0]));
    cases.push(['duplicate.json', JSON.stringify(duplicate), /articles\[3\]\.id: duplicate article id/]);
    const traversal = structuredClone(good);
    traversal.articles[1].id = '../../evil';
    cases.push(['traversal.json', JSON.stringify(traversal), /articles\[1\]\.id/]);
    for (const [name, content, message] of cases) {
      const file = await write(name, content);
      for (const mode of ['replace', 'merge'] as const) {
        await expect(notebook.restoreFromFile(file, { mode }), name).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(message) });
      }
    }
    await expect(notebook.restoreFromFile(path.join(work, 'missing.json'), { mode: 'merge' })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/Cannot read the backup file/) });
    expect(await snapshot(notebook.dir)).toEqual(before);
    expect(await notebook.backupNotebook()).toEqual(good);
  });

  it('is refused when its bytes change between the check and the second read', async () => {
    await fill();
    const file = path.join(work, 'backup.json');
    await notebook.writeBackupTo(file);
    const check = await checkBackupFile(file);
    expect(check).toMatchObject({ articleIds: (await notebook.listArticles()).map((a) => a.id), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('a note', 'A NOTE'));
    const read = async () => {
      for await (const _ of backupFileArticles(file, check)) void _;
    };
    await expect(read()).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/changed while it was being restored/) });
  });

  it('refuses to apply when an article it restores is edited meanwhile: nothing restored, the edit kept', async () => {
    const [plainId] = await fill();
    const file = path.join(work, 'backup.json');
    await notebook.writeBackupTo(file);
    const backup = await notebook.backupNotebook();
    // After the plain article, one whose large HTML is sanitized again in the worker: the window to type in.
    const big = backup.articles[1];
    const paragraphs = Array.from({ length: 4000 }, (_, i) => `<p>Paragraph ${i} of a long page.</p>`);
    const changed = structuredClone(backup);
    changed.articles[0].note = 'the backup note';
    changed.articles[1] = { ...big, html: `<h1>Heading</h1>${paragraphs.join('')}`, text: `Heading\n\n${paragraphs.map((_, i) => `Paragraph ${i} of a long page.`).join('\n\n')}`, highlights: [] };
    changed.articles = [changed.articles[0], changed.articles[1]];
    const restoring = notebook.restoreNotebook(changed, { mode: 'replace' });
    const articles = path.join(notebook.dir, 'articles');
    // Once the plain article is staged, the user types a note in it.
    while (!(await readdir(articles)).some((n) => n === `.restore-${plainId}.json`)) await new Promise((resolve) => setImmediate(resolve));
    await notebook.setArticleNote(plainId, 'typed during the restore');
    await expect(restoring).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/changed while the backup was being restored; nothing was restored/) });
    expect((await notebook.getArticle(plainId)).note).toBe('typed during the restore');
    expect((await notebook.listArticles()).length).toBe(3);
    expect((await readdir(articles)).filter((n) => n.startsWith('.restore-'))).toEqual([]);
  });
});
