/**
 * Every earlier file format migrates to the current one, on a real notebook folder; a newer one is refused.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Notebook } from '../../electron/notebook/notebook';
import {
  ARTICLE_STEPS,
  INDEX_STEPS,
  migrateArticleDoc,
  migrateIndexDoc,
  NewerSchemaError,
  SCHEMA_VERSION,
  UnreadableShapeError,
  V1_SCHEMA_VERSION,
} from '../../electron/notebook/migrations';

const TEXT = 'Ships sail.\n\nThe sea is wide and the tide is high.';

/** One sample file per earlier version: index = the version. Add one here with each new migration step. */
const ARTICLE_SAMPLES: Record<number, unknown> = {
  // v0: before schemaVersion. Highlights had no articleId, prefix/suffix or updatedAt; the article no note/updatedAt.
  0: {
    article: { id: 'art0', title: 'Old ships', text: TEXT, addedAt: '2023-01-01T00:00:00.000Z' },
    highlights: [
      { id: 'h1', start: 0, end: 5, quote: 'Ships', createdAt: '2023-01-02T00:00:00.000Z' },
      { id: 'h2', start: 17, end: 20, color: 'green', tags: ['sea'], note: 'wide', createdAt: '2023-01-03T00:00:00.000Z' },
      // Its offsets no longer point at its quote: kept and flagged, not dropped.
      { id: 'h3', start: 0, end: 4, quote: 'Boats', createdAt: '2023-01-04T00:00:00.000Z' },
    ],
  },
};
const INDEX_SAMPLES: Record<number, unknown> = {
  0: { articleIds: ['art0'], settings: { colorLabels: { green: 'Evidence' } } },
};

describe('the migration chain', () => {
  it('has a step and a sample for every earlier version', () => {
    // The per-file chain ends at version 1; version 2 splits the notebook and is made by store/migrate-v1.ts.
    expect(ARTICLE_STEPS).toHaveLength(V1_SCHEMA_VERSION);
    expect(INDEX_STEPS).toHaveLength(V1_SCHEMA_VERSION);
    for (let v = 0; v < V1_SCHEMA_VERSION; v++) {
      expect(ARTICLE_SAMPLES[v], `article sample v${v}`).toBeDefined();
      expect(INDEX_SAMPLES[v], `index sample v${v}`).toBeDefined();
    }
  });

  it.each(Object.keys(ARTICLE_SAMPLES).map(Number))('migrates an article file from version %i', (version) => {
    const { doc, from } = migrateArticleDoc(structuredClone(ARTICLE_SAMPLES[version]), 'articles/art0.json', 'art0');
    expect(from).toBe(version);
    expect(doc.schemaVersion).toBe(V1_SCHEMA_VERSION);
    expect(doc.article).toMatchObject({ id: 'art0', note: '', updatedAt: '2023-01-01T00:00:00.000Z' });
    const [h1, h2, h3] = doc.highlights;
    expect(h1).toMatchObject({ articleId: 'art0', quote: 'Ships', prefix: '', suffix: ' sail.\n\nThe sea is wide and the ', color: 'yellow', tags: [], note: '', updatedAt: h1.createdAt });
    expect(h1.orphaned).toBeUndefined();
    expect(h2).toMatchObject({ quote: 'sea', prefix: 'Ships sail.\n\nThe ', color: 'green', tags: ['sea'], note: 'wide' });
    expect(h3).toMatchObject({ quote: 'Boats', orphaned: true });
  });

  it.each(Object.keys(INDEX_SAMPLES).map(Number))('migrates an index file from version %i', (version) => {
    const { doc, from } = migrateIndexDoc(structuredClone(INDEX_SAMPLES[version]), 'gloss-index.json');
    expect(from).toBe(version);
    expect(doc).toMatchObject({ schemaVersion: V1_SCHEMA_VERSION, articleIds: ['art0'], seeded: true, settings: { colorLabels: { green: 'Evidence' } } });
  });

  it('refuses a newer version and anything that is not a notebook file, saying which', () => {
    expect(() => migrateArticleDoc({ schemaVersion: SCHEMA_VERSION + 1 }, 'articles/x.json')).toThrow(NewerSchemaError);
    expect(() => migrateArticleDoc({ schemaVersion: SCHEMA_VERSION + 1 }, 'articles/x.json')).toThrow(/articles\/x.json was written by a newer version/);
    expect(() => migrateArticleDoc([], 'a.json')).toThrow(UnreadableShapeError);
    expect(() => migrateArticleDoc({ schemaVersion: 'one' }, 'a.json')).toThrow(/invalid schemaVersion "one"/);
    expect(() => migrateIndexDoc({ schemaVersion: 1, articleIds: 'nope' }, 'gloss-index.json')).toThrow(/articleIds/);
  });
});

describe('opening a notebook of an earlier version', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'gloss-migrate-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each(Object.keys(ARTICLE_SAMPLES).map(Number))('opens a version %i folder, upgrades its files and keeps the originals', async (version) => {
    await mkdir(path.join(dir, 'articles'));
    const originalArticle = JSON.stringify(ARTICLE_SAMPLES[version]);
    const originalIndex = JSON.stringify(INDEX_SAMPLES[version]);
    await writeFile(path.join(dir, 'articles', 'art0.json'), originalArticle);
    await writeFile(path.join(dir, 'gloss-index.json'), originalIndex);

    const notebook = await Notebook.open(dir, { seedArticlePath: path.resolve(__dirname, '../../resources/sample-article.txt') });
    // No sample added to a notebook that was in use; the old highlights are all there.
    expect((await notebook.listArticles()).map((a) => [a.id, a.highlightCount])).toEqual([['art0', 3]]);
    expect(await notebook.getSettings()).toEqual({ colorLabels: { green: 'Evidence' } });
    const h = await notebook.updateHighlight('h1', { note: 'edited after the upgrade' });
    expect(h.quote).toBe('Ships');
    await notebook.close();

    const onDisk = JSON.parse(await readFile(path.join(dir, 'articles', 'art0.json'), 'utf8'));
    expect(onDisk.schemaVersion).toBe(SCHEMA_VERSION);
    // The originals, byte for byte, under local/backups/v1/ (v1's own backups/ folder moved there whole).
    const kept = path.join(dir, 'local', 'backups', 'v1', 'backups');
    expect(await readFile(path.join(kept, 'articles', `art0.v${version}.json`), 'utf8')).toBe(originalArticle);
    expect(await readFile(path.join(kept, `gloss-index.v${version}.json`), 'utf8')).toBe(originalIndex);
    // gloss-index.json now only tells an older Gloss that this folder is newer than it.
    expect(JSON.parse(await readFile(path.join(dir, 'gloss-index.json'), 'utf8')).schemaVersion).toBe(SCHEMA_VERSION);
  });
});
