/**
 * Reading a version 1 notebook (gloss-index.json + one fat file per article + backups/ at the top), as the Gloss of
 * before the v2 layout did, so migrate-v1.ts can move it to v2: read, migrate v0 files to v1, and — when a file does
 * not parse — move it aside with its bytes kept, restore the newest readable backup, and write down a notice. Only a
 * file from a newer Gloss stops anything: it is refused and left untouched.
 */
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Notice } from '../../contract';
import { newId } from '../ids';
import { migrateArticleDoc, migrateIndexDoc, NewerSchemaError, V1_SCHEMA_VERSION } from '../migrations';
import type { V1ArticleDoc, V1IndexDoc } from '../notebook';
import { ARTICLES_DIR, V1_BACKUPS_DIR, V1_DAMAGED_DIR, V1_INDEX_FILE } from './layout';
import { readRecovering, restoreFromBackups, type Loaded, type RecoveryPlaces } from './recover';

export interface LoadedV1Notebook {
  index: V1IndexDoc;
  /** The index could not be read and no backup could either: it was rebuilt from the article files. */
  indexRebuilt: boolean;
  /** The index file on disk must be rewritten (it was restored, migrated, absent, or notices were added). */
  indexDirty: boolean;
  articles: Map<string, V1ArticleDoc>;
  /** Articles that exist but cannot be opened by this Gloss (newer format): kept in the index, never rewritten. */
  held: Set<string>;
  /** What happened while opening, also logged; the caller adds them to the index's notices. */
  notices: Notice[];
}

function indexPath(dir: string): string {
  return path.join(dir, V1_INDEX_FILE);
}

function articlePath(dir: string, id: string): string {
  return path.join(dir, ARTICLES_DIR, `${id}.json`);
}

export function emptyV1Index(): V1IndexDoc {
  return { schemaVersion: V1_SCHEMA_VERSION, articleIds: [], settings: { colorLabels: {} }, seeded: false };
}

/** Where a v1 notebook kept its backups and damaged files: at the top of the folder. */
const V1_PLACES: RecoveryPlaces = { backupsDir: V1_BACKUPS_DIR, damagedDir: V1_DAMAGED_DIR, currentVersion: V1_SCHEMA_VERSION };

export async function loadV1NotebookFiles(dir: string): Promise<LoadedV1Notebook> {
  await removeLeftoverTempFiles(dir);
  const notices: Notice[] = [];
  const notify = (notice: Omit<Notice, 'id' | 'at'>): void => {
    const full: Notice = { id: newId(), at: new Date().toISOString(), ...notice };
    console.warn(`gloss: ${full.message}`);
    notices.push(full);
  };

  // The index. A newer index stops the open (NewerSchemaError): an older Gloss must not rewrite a newer notebook.
  const indexFile = indexPath(dir);
  const index = await readRecovering(dir, indexFile, (raw, file) => migrateIndexDoc(raw, file), V1_PLACES);
  let indexDoc: V1IndexDoc;
  let indexRebuilt = false;
  let indexDirty: boolean;
  if (index.state === 'missing') {
    indexDoc = emptyV1Index();
    indexDirty = true;
  } else if (index.state === 'lost') {
    indexDoc = emptyV1Index();
    indexRebuilt = true;
    indexDirty = true;
    notify({
      level: 'warning',
      message: `The notebook's index (${V1_INDEX_FILE}) was damaged (${index.reason}) and no backup could be read. It was rebuilt from the article files; colour labels were reset. The damaged file was kept at ${index.keptAt}.`,
      file: V1_INDEX_FILE,
      keptAt: index.keptAt,
    });
  } else {
    indexDoc = index.doc;
    indexDirty = index.state === 'restored' || index.from < V1_SCHEMA_VERSION;
    if (index.state === 'restored') {
      notify({
        level: 'warning',
        message: `The notebook's index (${V1_INDEX_FILE}) was damaged (${index.reason}) and was restored from its backup of ${index.backupDate}. The damaged file was kept at ${index.keptAt}.`,
        file: V1_INDEX_FILE,
        keptAt: index.keptAt,
      });
    }
  }

  // The articles: every file in articles/ is one; the index only orders them.
  const articles = new Map<string, V1ArticleDoc>();
  const held = new Set<string>();
  const folder = path.join(dir, ARTICLES_DIR);
  const files = (await readdir(folder)).filter((f) => f.endsWith('.json') && !f.startsWith('.'));
  for (const name of files) {
    const id = name.slice(0, -'.json'.length);
    const file = path.join(folder, name);
    const relative = path.relative(dir, file);
    let result: Loaded<V1ArticleDoc>;
    try {
      result = await readRecovering(dir, file, (raw, f) => migrateArticleDoc(raw, f, id), V1_PLACES);
    } catch (error) {
      if (!(error instanceof NewerSchemaError)) throw error;
      held.add(id);
      notify({ level: 'error', message: `An article could not be opened: ${error.message}`, file: relative, articleId: id });
      continue;
    }
    if (result.state === 'missing') continue; // removed while we listed the folder
    if (result.state === 'lost') {
      notify({
        level: 'error',
        message: `An article file (${relative}) is damaged (${result.reason}) and no backup could be read, so the article is not shown. Nothing was deleted: its bytes were kept at ${result.keptAt}.`,
        file: relative,
        keptAt: result.keptAt,
        articleId: id,
      });
      continue;
    }
    articles.set(id, result.doc);
    if (result.state === 'restored') {
      notify({
        level: 'warning',
        message: `The article "${result.doc.article.title}" was damaged (${result.reason}) and was restored from its backup of ${result.backupDate}; changes made after that may be missing. The damaged file was kept at ${result.keptAt}.`,
        file: relative,
        keptAt: result.keptAt,
        articleId: id,
      });
    }
  }
  // Listed in the index but without a file (deleted by hand, lost by a sync tool): put back the newest backup, or say
  // so. Never drop a listed article silently.
  for (const id of indexDoc.articleIds) {
    if (articles.has(id) || held.has(id)) continue;
    const file = articlePath(dir, id);
    const relative = path.relative(dir, file);
    const restored = await restoreFromBackups(dir, file, (raw, f) => migrateArticleDoc(raw, f, id), V1_PLACES).catch(() => null);
    if (restored) {
      articles.set(id, restored.doc);
      notify({
        level: 'warning',
        message: `The article "${restored.doc.article.title}" had no file (${relative}) and was restored from its backup of ${restored.backupDate}; changes made after that may be missing.`,
        file: relative,
        articleId: id,
      });
    } else {
      notify({
        level: 'error',
        message: `The notebook lists an article (id ${id}) whose file ${relative} is missing, and it has no backup, so it is not shown. If you have a copy of that file, put it back and restart Gloss.`,
        file: relative,
        articleId: id,
      });
    }
  }
  // An index that was lost or is absent while articles exist: this notebook is in use, never add the sample to it.
  if ((index.state === 'missing' || index.state === 'lost') && articles.size + held.size > 0) indexDoc.seeded = true;
  return { index: indexDoc, indexRebuilt, indexDirty: indexDirty || notices.length > 0, articles, held, notices };
}

/**
 * A write killed between creating its temp file and renaming it leaves `.<name>.<pid>.<n>.tmp` behind. The folder is
 * locked by us now, so no other writer owns them: they are incomplete copies of changes never acknowledged.
 */
async function removeLeftoverTempFiles(dir: string): Promise<void> {
  for (const folder of [dir, path.join(dir, ARTICLES_DIR), path.join(dir, V1_BACKUPS_DIR), path.join(dir, V1_BACKUPS_DIR, ARTICLES_DIR)]) {
    let names: string[];
    try {
      names = await readdir(folder);
    } catch {
      continue;
    }
    for (const name of names) {
      if (name.startsWith('.') && name.endsWith('.tmp')) await rm(path.join(folder, name), { force: true });
    }
  }
}

