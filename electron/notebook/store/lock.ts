import { hostname } from 'node:os';
import path from 'node:path';
import { open, readFile, unlink } from 'node:fs/promises';
import { GlossError } from '../errors';

export const LOCK_FILE = '.gloss.lock';

interface LockInfo {
  pid: number;
  host: string;
  owner: string;
  since: string;
}

/**
 * One process owns a notebook folder. The lock file names the owner so a second process can say who holds it; a lock
 * whose process is gone (same host, pid not alive) is stale and taken over.
 */
export class FolderLock {
  private constructor(private readonly file: string) {}

  static async acquire(dir: string, owner: string): Promise<FolderLock> {
    const file = path.join(dir, LOCK_FILE);
    for (let attempt = 0; attempt < 3; attempt++) {
      const info: LockInfo = { pid: process.pid, host: hostname(), owner, since: new Date().toISOString() };
      try {
        const handle = await open(file, 'wx', 0o600);
        try {
          await handle.writeFile(JSON.stringify(info));
          await handle.sync();
        } finally {
          await handle.close();
        }
        return new FolderLock(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = await readLock(file);
      if (holder && isAlive(holder)) {
        throw new GlossError(
          'conflict',
          `The notebook at ${dir} is already open in ${holder.owner} (process ${holder.pid} on ${holder.host}, since ${holder.since}). Close it there first.`,
        );
      }
      await unlink(file).catch(() => undefined); // stale or unreadable: take it over
    }
    throw new GlossError('conflict', `Could not lock the notebook at ${dir}: another process keeps taking the lock.`);
  }

  async release(): Promise<void> {
    const holder = await readLock(this.file);
    if (holder && holder.pid === process.pid && holder.host === hostname()) await unlink(this.file).catch(() => undefined);
  }
}

async function readLock(file: string): Promise<LockInfo | null> {
  try {
    const info = JSON.parse(await readFile(file, 'utf8')) as LockInfo;
    return typeof info.pid === 'number' ? info : null;
  } catch {
    return null;
  }
}

function isAlive(info: LockInfo): boolean {
  if (info.host !== hostname()) return true; // another machine (a synced folder): we cannot tell, so respect it
  if (info.pid === process.pid) return false; // our own leftover, e.g. a notebook reopened in one process
  try {
    process.kill(info.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
