/**
 * Moving a version 1 notebook (gloss-index.json + one article file holding text, HTML and highlights + backups/,
 * damaged/, trash/ at the top) to version 2 (layout.ts), on open. The originals are kept, untouched, under
 * `local/backups/v1/`. Safe to stop at any point: the new files are built beside the old ones in `.v2-migration/`,
 * then one rename (gloss-index.json into local/backups/v1/) commits the move, and the rest only finishes it: an open
 * that finds `.v2-migration/` and no gloss-index.json completes the renames.
 */
import { access, mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Notice, Settings } from '../../contract';
import { newId } from '../ids';
import { SCHEMA_VERSION } from '../migrations';
import type { AnnotationDoc, NotebookDoc, V1IndexDoc } from '../notebook';
import { storeContent } from './content';
import { fsyncDirectory, writeFileDurably } from './durable-file';
import {
  ARTICLES_DIR,
  DAMAGED_DIR,
  LOCAL_DIR,
  NOTEBOOK_FILE,
  NOTICES_FILE,
  UI_FILE,
  V1_BACKUPS_DIR,
  V1_DAMAGED_DIR,
  V1_INDEX_FILE,
  V1_TRASH_DIR,
} from './layout';
import { pretty } from './recover';
import { loadV1NotebookFiles } from './v1';

/** Where the v1 originals are kept after the move. */
export const V1_KEPT_DIR = `${LOCAL_DIR}/backups/v1`;
const STAGING_DIR = '.v2-migration';
/** Written at the top of a v2 notebook: an older Gloss reads it as a newer index and refuses the folder, untouched. */
export const V1_GUARD = { schemaVersion: SCHEMA_VERSION, note: 'This notebook is in Gloss format 2: its settings are in notebook.json. Update Gloss to open it.' };

/** True when `dir` holds a v1 notebook (or a migration to finish). */
export async function needsV1Migration(dir: string): Promise<boolean> {
  if (await exists(path.join(dir, STAGING_DIR))) return true;
  if (await exists(path.join(dir, NOTEBOOK_FILE))) return false;
  const index = await readJson(path.join(dir, V1_INDEX_FILE));
  if (index === undefined) return await hasV1Articles(dir);
  return !(typeof index === 'object' && index !== null && (index as { schemaVersion?: unknown }).schemaVersion === SCHEMA_VERSION);
}

/**
 * Migrates; what the user should be told goes to local/notices.json. Throws NewerSchemaError (from the v1 reader) for an index of
 * a format this Gloss does not know, touching nothing.
 */
export async function migrateV1(dir: string): Promise<void> {
  const staging = path.join(dir, STAGING_DIR);
  const indexFile = path.join(dir, V1_INDEX_FILE);
  // Not committed yet (the v1 index is still at the top, or nothing was staged): build the v2 files again from scratch.
  if ((await isV1Index(indexFile)) || !(await exists(path.join(staging, NOTEBOOK_FILE)))) {
    await rm(staging, { recursive: true, force: true });
    await build(dir, staging);
  }
  // The commit: the v1 index leaves the top of the folder (kept). From here on, finishing is only renames.
  const kept = path.join(dir, V1_KEPT_DIR);
  await mkdir(kept, { recursive: true });
  if (await isV1Index(indexFile)) await rename(indexFile, path.join(kept, V1_INDEX_FILE));
  await fsyncDirectory(dir);
  for (const [from, to] of [
    [ARTICLES_DIR, path.join(V1_KEPT_DIR, ARTICLES_DIR)],
    [V1_BACKUPS_DIR, path.join(V1_KEPT_DIR, V1_BACKUPS_DIR)],
    [V1_DAMAGED_DIR, path.join(DAMAGED_DIR, 'v1')],
    ['before-restore', path.join(V1_KEPT_DIR, 'before-restore')],
  ] as const) {
    if (!(await exists(path.join(dir, from)))) continue;
    if (from === ARTICLES_DIR && !(await exists(path.join(staging, ARTICLES_DIR)))) continue; // already the new one
    await mkdir(path.dirname(path.join(dir, to)), { recursive: true });
    if (await exists(path.join(dir, to))) await rename(path.join(dir, to), `${path.join(dir, to)}.${Date.now()}`);
    await rename(path.join(dir, from), path.join(dir, to));
  }
  if (await exists(path.join(staging, ARTICLES_DIR))) await rename(path.join(staging, ARTICLES_DIR), path.join(dir, ARTICLES_DIR));
  for (const file of [UI_FILE, NOTICES_FILE]) {
    const staged = path.join(staging, path.basename(file));
    if (await exists(staged)) await rename(staged, path.join(dir, file));
  }
  await writeFileDurably(path.join(dir, V1_INDEX_FILE), pretty(V1_GUARD));
  // notebook.json last: its presence says the notebook is v2.
  await rename(path.join(staging, NOTEBOOK_FILE), path.join(dir, NOTEBOOK_FILE));
  await fsyncDirectory(dir);
  await rm(staging, { recursive: true, force: true });
}

/** Reads the v1 notebook (with v1's recovery), writes content files and the v2 files into the staging folder. */
async function build(dir: string, staging: string): Promise<void> {
  await settleV1Trash(dir);
  await mkdir(path.join(dir, ARTICLES_DIR), { recursive: true });
  const v1 = await loadV1NotebookFiles(dir);
  await mkdir(path.join(staging, ARTICLES_DIR), { recursive: true });
  for (const [id, doc] of v1.articles) {
    const { text, html, pages, ...meta } = doc.article;
    const { contentId } = await storeContent(dir, { text, html, pages });
    const annotations: AnnotationDoc = { schemaVersion: SCHEMA_VERSION, contentId, article: meta, highlights: doc.highlights, tombstones: [] };
    await writeFileDurably(path.join(staging, ARTICLES_DIR, `${id}.json`), JSON.stringify(annotations));
  }
  // Held articles (a newer format) are carried over as they are: a newer Gloss reads them.
  for (const id of v1.held) {
    const bytes = await readFile(path.join(dir, ARTICLES_DIR, `${id}.json`));
    await writeFileDurably(path.join(staging, ARTICLES_DIR, `${id}.json`), bytes);
  }
  const { ui, ...shared } = v1.index.settings as Settings;
  const now = new Date().toISOString();
  const updatedAt: Record<string, string> = { seeded: now };
  for (const color of Object.keys(shared.colorLabels)) updatedAt[`colorLabels.${color}`] = now;
  const notebook: NotebookDoc = { schemaVersion: SCHEMA_VERSION, settings: { colorLabels: { ...shared.colorLabels } }, seeded: v1.index.seeded, updatedAt };
  if (ui) await writeFileDurably(path.join(staging, path.basename(UI_FILE)), pretty({ ui }));
  const notices: Notice[] = [...(v1.index.notices ?? []), ...v1.notices];
  notices.push({
    id: newId(),
    at: now,
    level: 'info',
    message: `This notebook was moved to Gloss's new folder layout (format ${SCHEMA_VERSION}): each article's text is now stored once, apart from its highlights. The files as they were are kept in ${V1_KEPT_DIR}.`,
  });
  await writeFileDurably(path.join(staging, path.basename(NOTICES_FILE)), pretty({ notices }));
  await writeFileDurably(path.join(staging, NOTEBOOK_FILE), pretty(notebook));
  await fsyncDirectory(staging);
}

/** v1's trash at open: an article still listed in the index goes back (a stop mid-delete); the others are gone. */
async function settleV1Trash(dir: string): Promise<void> {
  const trash = path.join(dir, V1_TRASH_DIR);
  const names = await readdir(trash).catch(() => [] as string[]);
  if (names.length === 0) return;
  const index = (await readJson(path.join(dir, V1_INDEX_FILE))) as Partial<V1IndexDoc> | undefined;
  if (!index || !Array.isArray(index.articleIds)) return;
  const listed = new Set(index.articleIds);
  for (const name of names) {
    const id = name.replace(/\.json$/, '');
    if (name.endsWith('.json') && listed.has(id) && !(await exists(path.join(dir, ARTICLES_DIR, `${id}.json`)))) {
      await mkdir(path.join(dir, ARTICLES_DIR), { recursive: true });
      await rename(path.join(trash, name), path.join(dir, ARTICLES_DIR, name));
    }
  }
  await rm(trash, { recursive: true, force: true });
}

async function isV1Index(file: string): Promise<boolean> {
  const index = await readJson(file);
  if (index === undefined) return false;
  return !(typeof index === 'object' && index !== null && (index as { schemaVersion?: unknown }).schemaVersion === SCHEMA_VERSION);
}

/** articles/ holds fat v1 files (a notebook whose index was lost): its first file has `article.text`. */
async function hasV1Articles(dir: string): Promise<boolean> {
  const folder = path.join(dir, ARTICLES_DIR);
  const names = (await readdir(folder).catch(() => [] as string[])).filter((n) => n.endsWith('.json') && !n.startsWith('.'));
  for (const name of names.slice(0, 5)) {
    const doc = (await readJson(path.join(folder, name))) as { schemaVersion?: unknown } | undefined;
    if (doc && typeof doc === 'object' && (doc.schemaVersion === undefined || (typeof doc.schemaVersion === 'number' && doc.schemaVersion < SCHEMA_VERSION))) return true;
  }
  return false;
}

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return null; // unreadable: the v1 reader's recovery deals with it
  }
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
