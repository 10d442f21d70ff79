import { copyFile, link, mkdir, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { fsyncDirectory } from './durable-file';
import { BACKUPS_DIR } from './layout';

/** How many earlier versions of each file are kept under `<notebook>/local/backups/`. */
export const BACKUP_GENERATIONS = 3;

/**
 * `<root>/local/backups/<relative path without .json>.<generation>.json`; generation 0 is the live version.
 * `backupsDir` (relative to root) is v1's `backups` when a version 1 notebook is read before its migration.
 */
export function backupPath(root: string, file: string, generation: number, backupsDir = BACKUPS_DIR): string {
  const relative = path.relative(root, file).replace(/\.json$/, '');
  return path.join(root, backupsDir, `${relative}.${generation}.json`);
}

/**
 * The last few versions of one file, kept so a damaged file can be restored. Cheap by design — a write still costs one
 * article plus a few metadata operations — because versions are kept as hard links, not copies: we never modify a file
 * in place (writeFileDurably writes a new file and renames it over the old), so a link to a version keeps exactly those
 * bytes for as long as it exists.
 *
 *  - generation 0 is a link to the live version: it restores a file that was replaced by something unreadable (a
 *    hand edit gone wrong, a sync tool's conflicted copy);
 *  - generations 1..BACKUP_GENERATIONS are the versions before it, on their own inodes: damage done to the live file
 *    in place (truncation, a bad sector), which also reaches generation 0, cannot reach them;
 *  - the first version of a file is kept as a real copy, once, so an article never edited since its import can be
 *    restored after in-place damage too.
 *
 * On a filesystem without hard links (FAT, some network shares) links fall back to copies.
 */
export class RollingBackups {
  private dirReady = false;

  constructor(
    readonly root: string,
    readonly file: string,
    readonly generations = BACKUP_GENERATIONS,
    readonly backupsDir = BACKUPS_DIR,
  ) {}

  /** Newest first: the live version's link, then the earlier versions. */
  get paths(): string[] {
    return Array.from({ length: this.generations + 1 }, (_, i) => backupPath(this.root, this.file, i, this.backupsDir));
  }

  /**
   * Before the file is replaced: shifts the earlier versions up one generation and keeps the version on disk as
   * generation 1. Resolves false when there is no file yet.
   */
  async beforeReplace(): Promise<boolean> {
    const paths = this.paths;
    const dir = await this.ensureDir();
    const staged = this.stagedPath(dir);
    if (!(await this.keep(staged, 'link'))) return false;
    for (let i = paths.length - 1; i > 1; i--) await rename(paths[i - 1], paths[i]).catch(ignoreMissing);
    await rename(staged, paths[1]);
    return true;
  }

  /** After the file was replaced: generation 0 becomes the new version (a copy if it is the file's first). */
  async afterReplace(first: boolean): Promise<void> {
    const dir = await this.ensureDir();
    const staged = this.stagedPath(dir);
    await this.keep(staged, first ? 'copy' : 'link');
    await rename(staged, this.paths[0]);
    await fsyncDirectory(dir);
  }

  private async keep(staged: string, how: 'link' | 'copy'): Promise<boolean> {
    await unlink(staged).catch(ignoreMissing); // a leftover of a crash
    try {
      if (how === 'link') await link(this.file, staged);
      else await copyFile(this.file, staged);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return false;
      if (how === 'copy') throw error;
      await copyFile(this.file, staged);
      return true;
    }
  }

  private stagedPath(dir: string): string {
    return path.join(dir, `.${path.basename(this.file)}.${process.pid}.backup.tmp`);
  }

  private async ensureDir(): Promise<string> {
    const dir = path.dirname(this.paths[0]);
    if (!this.dirReady) {
      await mkdir(dir, { recursive: true });
      this.dirReady = true;
    }
    return dir;
  }
}

function ignoreMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
}
