/**
 * Reading one notebook file with recovery: when it does not parse or is not a notebook file, it is moved aside with its
 * bytes kept and the newest readable backup takes its place. A file from a newer Gloss is refused and left untouched.
 * Shared by the v2 loader (load.ts) and the reader of version 1 notebooks (v1.ts) that migrate-v1.ts uses.
 */
import { constants } from 'node:fs';
import { copyFile, lstat, mkdir, open, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { NewerSchemaError, SCHEMA_VERSION, type Migrated } from '../migrations';
import { backupPath, RollingBackups } from './backups';
import { fsyncDirectory, writeFileDurably } from './durable-file';
import { BACKUPS_DIR, DAMAGED_DIR } from './layout';

/** Where a file's backups and damaged copies go (v1 notebooks kept them at the top of the folder). */
export interface RecoveryPlaces {
  backupsDir: string;
  damagedDir: string;
  /** The version files are migrated to on read (v1's chain); an older file is written back migrated. */
  currentVersion: number;
}

/** v2 files are never migrated one by one (an older file is refused by its check): nothing to write back. */
export const V2_PLACES: RecoveryPlaces = { backupsDir: BACKUPS_DIR, damagedDir: DAMAGED_DIR, currentVersion: SCHEMA_VERSION };

export type Decode<T> = (raw: unknown, file: string) => Migrated<T>;

export type Loaded<T> =
  | { state: 'missing' }
  | { state: 'ok'; doc: T; from: number }
  | { state: 'restored'; doc: T; from: number; reason: string; keptAt: string; backupDate: string }
  | { state: 'lost'; reason: string; keptAt: string };

/**
 * Reads one file. If it is from an older version it is migrated and written back at once (the original is kept as
 * `backups/<name>.v<version>.json` first). If it is unreadable, it is moved to `damaged/` and the newest readable
 * backup takes its place. Throws NewerSchemaError for a file from a newer Gloss, touching nothing.
 */
export async function readRecovering<T>(root: string, file: string, decode: Decode<T>, places: RecoveryPlaces = V2_PLACES): Promise<Loaded<T>> {
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
      if (decoded.from < places.currentVersion) await upgradeOnDisk(root, file, bytes, decoded, places);
      return { state: 'ok', ...decoded };
    } catch (error) {
      if (error instanceof NewerSchemaError) throw error;
      reason = bytes.length === 0 ? 'the file is empty' : error instanceof Error ? error.message : String(error);
    }
  }

  const keptAt = await moveAside(root, file, places);
  const restored = await restoreFromBackups(root, file, decode, places);
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
export async function readNotebookFile(file: string): Promise<Buffer> {
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
export async function restoreFromBackups<T>(
  root: string,
  file: string,
  decode: Decode<T>,
  places: RecoveryPlaces = V2_PLACES,
): Promise<{ doc: T; from: number; backupDate: string } | null> {
  const backups = new RollingBackups(root, file, undefined, places.backupsDir);
  for (const candidate of backups.paths) {
    try {
      const backupBytes = await readNotebookFile(candidate);
      const decoded = decode(JSON.parse(backupBytes.toString('utf8')), path.relative(root, candidate));
      const { mtime } = await stat(candidate);
      await writeFileDurably(file, backupBytes);
      // Generation 0 may be the damaged inode itself (damage done in place): make it the restored version, as a copy.
      await backups.afterReplace(true);
      if (decoded.from < places.currentVersion) await upgradeOnDisk(root, file, backupBytes, decoded, places);
      return { ...decoded, backupDate: mtime.toISOString() };
    } catch {
      continue; // missing, unreadable or newer: try the next older one
    }
  }
  return null;
}

/** Moves an unreadable file to `local/damaged/<path>.<timestamp>.json`, bytes untouched. Returns the new relative path. */
export async function moveAside(root: string, file: string, places: RecoveryPlaces = V2_PLACES): Promise<string> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const relative = path.relative(root, file).replace(/\.json$/, '');
  const target = path.join(root, places.damagedDir, `${relative}.${stamp}.json`);
  await mkdir(path.dirname(target), { recursive: true });
  await rename(file, target);
  await fsyncDirectory(path.dirname(target));
  await fsyncDirectory(path.dirname(file));
  return path.relative(root, target);
}

/** Keeps the pre-migration file once (`backups/<name>.v<version>.json`), then writes the migrated document. */
async function upgradeOnDisk<T>(root: string, file: string, original: Buffer, decoded: Migrated<T>, places: RecoveryPlaces): Promise<void> {
  const keep = backupPath(root, file, 1, places.backupsDir).replace(/\.1\.json$/, `.v${decoded.from}.json`);
  await mkdir(path.dirname(keep), { recursive: true });
  try {
    await copyFile(file, keep, constants.COPYFILE_EXCL);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') await writeFileDurably(keep, original);
  }
  await writeFileDurably(file, file.endsWith('.json') && path.basename(file) === 'gloss-index.json' ? pretty(decoded.doc) : JSON.stringify(decoded.doc));
}


export function shorten(message: string): string {
  return message.length > 300 ? `${message.slice(0, 300)}…` : message;
}

/** Small files read by people debugging their notebook: indented. */
export function pretty(data: unknown): string {
  return `${JSON.stringify(data, null, 2)}\n`;
}
