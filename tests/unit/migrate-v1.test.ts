/**
 * A version 1 notebook (gloss-index.json + fat article files + backups/), written by the Gloss of before the v2 layout
 * (tests/fixtures/v1-notebook/make-v1.cjs ran main's built core), opens in v2: every article, highlight, note, label
 * and window setting as v1 answered them (expected.json, also written by that code), the originals kept byte for byte.
 */
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Article } from '../../electron/contract';
import { Notebook } from '../../electron/notebook/notebook';

const FIXTURE = path.resolve(__dirname, '../fixtures/v1-notebook');
let dir: string;

interface Expected {
  ids: string[];
  articles: Article[];
  settings: { colorLabels: Record<string, string>; ui?: { theme?: string; scroll?: Record<string, number> } };
  tags: unknown[];
  highlights: unknown[];
}

async function digest(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out[path.relative(root, file)] = createHash('sha256').update(await readFile(file)).digest('hex');
  }
  return out;
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gloss-v1-'));
  await cp(path.join(FIXTURE, 'notebook'), dir, { recursive: true });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function expectAsV1(notebook: Notebook): Promise<void> {
  const expected = JSON.parse(await readFile(path.join(FIXTURE, 'expected.json'), 'utf8')) as Expected;
  expect((await notebook.listArticles()).map((a) => a.id)).toEqual(expected.ids);
  for (const article of expected.articles) expect(await notebook.getArticle(article.id)).toEqual(article);
  expect(await notebook.getSettings()).toEqual(expected.settings);
  expect(await notebook.listTags()).toEqual(expected.tags);
  expect(await notebook.listHighlights({})).toEqual(expected.highlights);
}

describe('a version 1 notebook written by the Gloss before the v2 layout', () => {
  it('opens with everything as v1 answered it, split into annotation and content files, originals kept byte for byte', async () => {
    const before = await digest(dir);
    const notebook = await Notebook.open(dir, { seedArticlePath: path.resolve(__dirname, '../../resources/sample-article.txt') });
    await expectAsV1(notebook);
    const notices = await notebook.getNotices();
    expect(notices.map((n) => n.message).join('\n')).toMatch(/moved to Gloss's new folder layout .* kept in local\/backups\/v1/);

    // The originals: every file of the v1 notebook, byte for byte, under local/backups/v1 (the PDFs stay where they were).
    const kept = await digest(path.join(dir, 'local', 'backups', 'v1'));
    for (const [file, hash] of Object.entries(before)) {
      if (file.startsWith('pdfs/')) expect((await digest(path.join(dir, 'pdfs')))[file.slice('pdfs/'.length)]).toBe(hash);
      else expect(kept[file], file).toBe(hash);
    }
    // v2 files: small annotation files without text, one content file per distinct content, plain text without HTML.
    const expected = JSON.parse(await readFile(path.join(FIXTURE, 'expected.json'), 'utf8')) as Expected;
    for (const id of expected.ids) {
      const doc = JSON.parse(await readFile(path.join(dir, 'articles', `${id}.json`), 'utf8'));
      expect(doc).toMatchObject({ schemaVersion: 2, tombstones: [] });
      expect(doc.article.text).toBeUndefined();
      const content = JSON.parse(await readFile(path.join(dir, 'content', `${doc.contentId}.json`), 'utf8'));
      const article = expected.articles.find((a) => a.id === id)!;
      expect(content.text).toBe(article.text);
      if (article.kind !== 'pdf' && !article.html?.startsWith('<p>')) expect(content.html).toBe(article.html);
    }
    expect(await readdir(path.join(dir, 'content'))).toHaveLength(expected.ids.length);
    const rootFiles = (await readdir(dir)).sort();
    expect(rootFiles).toEqual(['.stignore', 'articles', 'content', 'gloss-index.json', 'local', 'notebook.json', 'pdfs']);

    // It works on: an edit, a close, a reopen that does not migrate again.
    const [first] = expected.ids;
    await notebook.setArticleNote(first, 'after the move');
    await notebook.close();
    const again = await Notebook.open(dir);
    expect((await again.getArticle(first)).note).toBe('after the move');
    expect((await again.getNotices()).length).toBe(notices.length);
    await again.close();
  });

  it('a migration stopped before its commit starts again from the v1 files', async () => {
    // What a stop while staging leaves: a half-built .v2-migration folder and stray content.
    await mkdir(path.join(dir, '.v2-migration', 'articles'), { recursive: true });
    await writeFile(path.join(dir, '.v2-migration', 'articles', 'half.json'), '{"schemaVersion": 2, "article": {');
    const notebook = await Notebook.open(dir);
    await expectAsV1(notebook);
    expect(await readdir(dir)).not.toContain('.v2-migration');
    await notebook.close();
  });

  it('an older Gloss is kept out: gloss-index.json now says format 2', async () => {
    const notebook = await Notebook.open(dir);
    await notebook.close();
    const guard = JSON.parse(await readFile(path.join(dir, 'gloss-index.json'), 'utf8'));
    expect(guard.schemaVersion).toBe(2); // v1's loader refuses an index of a newer format, touching nothing
  });
});
