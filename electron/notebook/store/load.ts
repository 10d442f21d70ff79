/**
 * Opening a notebook folder's files: read, migrate, and — when a file does not parse or is not a notebook file — move
 * it aside with its bytes kept, restore the newest readable backup, and write down a notice for the user. The rest of
 * the notebook always opens. Only a file from a newer Gloss stops anything: it is refused and left untouched.
 */
import { constants } from 'node:fs';
import { copyFile, lstat, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Notice } from '../../contract';
import { newId } from '../ids';
import { migrateArticleDoc, migrateIndexDoc, NewerSchemaError, SCHEMA_VERSION, type Migrated } from '../migrations';
import type { ArticleDoc, IndexDoc } from '../notebook';
import { backupPath, RollingBackups } from './backups';
import { DurableJsonFile, fsyncDirectory, writeFileDurably } from './durable-file';
import { ARTICLES_DIR, BACKUPS_DIR, DAMAGED_DIR, INDEX_FILE } from './layout';

export interface LoadedNotebook {
  index: IndexDoc;
  /** The index could not be read and no backup could either: it was rebuilt from the article files. */
  indexRebuilt: boolean;
  /** The index file on disk must be rewritten (it was restored, migrated, absent, or notices were added). */
  indexDirty: boolean;
  articles: Map<string, ArticleDoc>;
  /** Articles that exist but cannot be opened by this Gloss (newer format): kept in the index, never rewritten. */
  held: Set<string>;
  /** What happened while opening, also logged; the caller adds them to the index's notices. */
  notices: Notice[];
}

export function indexPath(dir: string): string {
  return path.join(dir, INDEX_FILE);
}

export function articlePath(dir: string, id: string): string {
  return path.join(dir, ARTICLES_DIR, `${id}.json`);
}

/** The index's lowdb adapter: durable writes, rolling backups, indented JSON (people read it when debugging). */
export function indexAdapter(dir: string): DurableJsonFile<IndexDoc> {
  const file = indexPath(dir);
  return new DurableJsonFile<IndexDoc>(file, { serialize: pretty, backups: new RollingBackups(dir, file) });
}

export function articleAdapter(dir: string, id: string): DurableJsonFile<ArticleDoc> {
  const file = articlePath(dir, id);
  return new DurableJsonFile<ArticleDoc>(file, { backups: new RollingBackups(dir, file) });
}

export function emptyIndex(): IndexDoc {
  return { schemaVersion: SCHEMA_VERSION, articleIds: [], settings: { colorLabels: {} }, seeded: false };
}

export async function loadNotebookFiles(dir: string): Promise<LoadedNotebook> {
  await removeLeftoverTempFiles(dir);
  const notices: Notice[] = [];
  const notify = (notice: Omit<Notice, 'id' | 'at'>): void => {
    const full: Notice = { id: newId(), at: new Date().toISOString(), ...notice };
    console.warn(`gloss: ${full.message}`);
    notices.push(full);
  };

  // The index. A newer index stops the open (NewerSchemaError): an older Gloss must not rewrite a newer notebook.
  const indexFile = indexPath(dir);
  const index = await readRecovering(dir, indexFile, (raw, file) => migrateIndexDoc(raw, file));
  let indexDoc: IndexDoc;
  let indexRebuilt = false;
  let indexDirty: boolean;
  if (index.state === 'missing') {
    indexDoc = emptyIndex();
    indexDirty = true;
  } else if (index.state === 'lost') {
    indexDoc = emptyIndex();
    indexRebuilt = true;
    indexDirty = true;
    notify({
      level: 'warning',
      message: `The notebook's index (${INDEX_FILE}) was damaged (${index.reason}) and no backup could be read. It was rebuilt from the article files; colour labels were reset. The damaged file was kept at ${index.keptAt}.`,
      file: INDEX_FILE,
      keptAt: index.keptAt,
    });
  } else {
    indexDoc = index.doc;
    indexDirty = index.state === 'restored' || index.from < SCHEMA_VERSION;
    if (index.state === 'restored') {
      notify({
        level: 'warning',
        message: `The notebook's index (${INDEX_FILE}) was damaged (${index.reason}) and was restored from its backup of ${index.backupDate}. The damaged file was kept at ${index.keptAt}.`,
        file: INDEX_FILE,
        keptAt: index.keptAt,
      });
    }
  }

  // The articles: every file in articles/ is one; the index only orders them.
  const articles = new Map<string, ArticleDoc>();
  const held = new Set<string>();
  const folder = path.join(dir, ARTICLES_DIR);
  const files = (await readdir(folder)).filter((f) => f.endsWith('.json') && !f.startsWith('.'));
  for (const name of files) {
    const id = name.slice(0, -'.json'.length);
    const file = path.join(folder, name);
    const relative = path.relative(dir, file);
    let result: Loaded<ArticleDoc>;
    try {
      result = await readRecovering(dir, file, (raw, f) => migrateArticleDoc(raw, f, id));
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
    const restored = await restoreFromBackups(dir, file, (raw, f) => migrateArticleDoc(raw, f, id)).catch(() => null);
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

type Decode<T> = (raw: unknown, file: string) => Migrated<T>;

type Loaded<T> =
  | { state: 'missing' }
  | { state: 'ok'; doc: T; from: number }
  | { state: 'restored'; doc: T; from: number; reason: string; keptAt: string; backupDate: string }
  | { state: 'lost'; reason: string; keptAt: string };

/**
 * Reads one file. If it is from an older version it is migrated and written back at once (the original is kept as
 * `backups/<name>.v<version>.json` first). If it is unreadable, it is moved to `damaged/` and the newest readable
 * backup takes its place. Throws NewerSchemaError for a file from a newer Gloss, touching nothing.
 */
async function readRecovering<T>(root: string, file: string, decode: Decode<T>): Promise<Loaded<T>> {
  let bytes: Buffer | undefined;
  let reason = '';
  try {
    bytes = await readNotebookFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing' };
    if (!(error instanceof NotAFileError)) throw error;
    reason = error.message; // moved aside and replaced by a backup like a damaged file, never followed
  }
  if (bytes) {
    try {
      const decoded = decode(JSON.parse(bytes.toString('utf8')), path.relative(root, file));
      if (decoded.from < SCHEMA_VERSION) await upgradeOnDisk(root, file, bytes, decoded);
      return { state: 'ok', ...decoded };
    } catch (error) {
      if (error instanceof NewerSchemaError) throw error;
      reason = bytes.length === 0 ? 'the file is empty' : error instanceof Error ? error.message : String(error);
    }
  }

  const keptAt = await moveAside(root, file);
  const restored = await restoreFromBackups(root, file, decode);
  if (restored) return { state: 'restored', ...restored, reason: shorten(reason), keptAt };
  return { state: 'lost', reason: shorten(reason), keptAt };
}

/** A symbolic link, folder or device where a notebook file should be. */
class NotAFileError extends Error {}

/**
 * Reads a notebook file without following a symbolic link: a link inside the notebook (planted, or made by a sync
 * tool) could point anywhere, and a damaged-file notice quotes the start of what it read. lstat says what is there;
 * O_NOFOLLOW (POSIX) closes the gap between that look and the open.
 */
async function readNotebookFile(file: string): Promise<Buffer> {
  const seen = await lstat(file);
  if (seen.isSymbolicLink()) throw new NotAFileError('it is a symbolic link, not a file; Gloss does not follow links inside a notebook');
  if (!seen.isFile()) throw new NotAFileError('it is not a regular file');
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw new NotAFileError('it is a symbolic link, not a file; Gloss does not follow links inside a notebook');
    throw error;
  }
  try {
    if (!(await handle.stat()).isFile()) throw new NotAFileError('it is not a regular file');
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** Puts the newest readable backup of `file` in its place. Null when no backup can be read. */
async function restoreFromBackups<T>(
  root: string,
  file: string,
  decode: Decode<T>,
): Promise<{ doc: T; from: number; backupDate: string } | null> {
  const backups = new RollingBackups(root, file);
  for (const candidate of backups.paths) {
    try {
      const backupBytes = await readNotebookFile(candidate);
      const decoded = decode(JSON.parse(backupBytes.toString('utf8')), path.relative(root, candidate));
      const { mtime } = await stat(candidate);
      await writeFileDurably(file, backupBytes);
      // Generation 0 may be the damaged inode itself (damage done in place): make it the restored version, as a copy.
      await backups.afterReplace(true);
      if (decoded.from < SCHEMA_VERSION) await upgradeOnDisk(root, file, backupBytes, decoded);
      return { ...decoded, backupDate: mtime.toISOString() };
    } catch {
      continue; // missing, unreadable or newer: try the next older one
    }
  }
  return null;
}

/** Moves an unreadable file to `damaged/<path>.<timestamp>.json`, bytes untouched. Returns the new relative path. */
async function moveAside(root: string, file: string): Promise<string> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const relative = path.relative(root, file).replace(/\.json$/, '');
  const target = path.join(root, DAMAGED_DIR, `${relative}.${stamp}.json`);
  await mkdir(path.dirname(target), { recursive: true });
  await rename(file, target);
  await fsyncDirectory(path.dirname(target));
  await fsyncDirectory(path.dirname(file));
  return path.relative(root, target);
}

/** Keeps the pre-migration file once (`backups/<name>.v<version>.json`), then writes the migrated document. */
async function upgradeOnDisk<T>(root: string, file: string, original: Buffer, decoded: Migrated<T>): Promise<void> {
  const keep = backupPath(root, file, 1).replace(/\.1\.json$/, `.v${decoded.from}.json`);
  await mkdir(path.dirname(keep), { recursive: true });
  try {
    await copyFile(file, keep, constants.COPYFILE_EXCL);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') await writeFileDurably(keep, original);
  }
  await writeFileDurably(file, file.endsWith(INDEX_FILE) ? pretty(decoded.doc) : JSON.stringify(decoded.doc));
}

/**
 * A write killed between creating its temp file and renaming it leaves `.<name>.<pid>.<n>.tmp` behind. The folder is
 * locked by us now, so no other writer owns them: they are incomplete copies of changes never acknowledged.
 */
async function removeLeftoverTempFiles(dir: string): Promise<void> {
  for (const folder of [dir, path.join(dir, ARTICLES_DIR), path.join(dir, BACKUPS_DIR), path.join(dir, BACKUPS_DIR, ARTICLES_DIR)]) {
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

function shorten(message: string): string {
  return message.length > 300 ? `${message.slice(0, 300)}…` : message;
}

/** The index is small and read by people debugging their notebook: keep it indented. */
export function pretty(data: unknown): string {
  return `${JSON.stringify(data, null, 2)}\n`;
}
