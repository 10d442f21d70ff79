import { randomBytes } from 'node:crypto';
import { open, rename, unlink, readFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Adapter } from 'lowdb';
import type { RollingBackups } from './backups';

/**
 * Writes `content` to `file` so that after the promise resolves the new bytes survive a crash or power loss, and at
 * no moment can a reader (or a crash) see a half-written file: write a temp file beside it, fsync it, rename it over
 * the target (atomic on POSIX and NTFS), then fsync the folder so the rename itself is on disk. steno (lowdb's
 * default writer) renames but never fsyncs, which is why Gloss has this small adapter. Content that arrives in pieces
 * (a whole-notebook backup, never one string) is written as it comes, ~1 MiB at a time; if the pieces fail, the temp
 * file goes and the old file is untouched.
 */
export async function writeFileDurably(file: string, content: DurableContent, steps: AroundRename = {}): Promise<void> {
  const dir = path.dirname(file);
  // A short, fixed-length random name: it fits wherever the target's name fits (export file names can be long), and
  // 'wx' guarantees no two writers share it. Leftovers of killed writes (".gloss-*.tmp") are swept on open.
  const temp = path.join(dir, `.gloss-${randomBytes(6).toString('hex')}.tmp`);
  // Both finish before the rename (the other step never rejects); a failed write fails the call once both are done.
  const [written] = await Promise.allSettled([writeAndSync(temp, content), steps.beforeRename]);
  if (written.status === 'rejected') throw written.reason;
  try {
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await Promise.all([fsyncDirectory(dir), steps.afterRename?.()]);
}

/**
 * Work a caller does beside a durable write (keeping backups), on libuv's other threads rather than after it:
 * `beforeRename` (already started, must not reject) is waited for before the new file replaces the old one;
 * `afterRename` starts once it has, beside the folder's fsync, and the write resolves when both are done.
 */
export interface AroundRename {
  beforeRename?: Promise<unknown>;
  afterRename?: () => Promise<unknown>;
}

/** A file's bytes, its text, or its text in pieces. */
export type DurableContent = string | Uint8Array | AsyncIterable<string>;

async function writeAndSync(temp: string, content: DurableContent): Promise<void> {
  const handle = await open(temp, 'wx', 0o600);
  try {
    if (typeof content === 'string' || content instanceof Uint8Array) await handle.writeFile(content);
    else await writePieces(handle, content);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(temp).catch(() => undefined); // ours ('wx'): a half-written copy left outside a notebook is never swept
    throw error;
  }
  await handle.close();
}

/** Pieces joined into ~1 MiB writes, each appended from the handle's position (FileHandle.writeFile). */
async function writePieces(handle: FileHandle, pieces: AsyncIterable<string>): Promise<void> {
  let pending: string[] = [];
  let length = 0;
  for await (const piece of pieces) {
    pending.push(piece);
    length += piece.length;
    if (length < 1 << 20) continue;
    await handle.writeFile(pending.join(''));
    pending = [];
    length = 0;
  }
  if (pending.length > 0) await handle.writeFile(pending.join(''));
}


export async function fsyncDirectory(dir: string): Promise<void> {
  // Windows cannot open a directory for fsync; NTFS journals the rename, so skipping there is the accepted practice.
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Thrown when a file exists but its bytes are not the JSON we wrote. The store moves it aside and restores a backup. */
export class DamagedFileError extends Error {
  constructor(
    readonly file: string,
    override readonly cause: unknown,
  ) {
    super(`${file} is damaged: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'DamagedFileError';
  }
}

export interface DurableJsonFileOptions<T> {
  /** The file's bytes for `data` (JSON.stringify by default); UTF-8 bytes when the caller keeps them between writes. */
  serialize?: (data: T) => string | Uint8Array;
  /** Keep the previous versions of the file (see backups.ts) so a damaged file can be restored. */
  backups?: RollingBackups;
}

/**
 * A lowdb adapter for one JSON file with durable, atomic writes. Writes are queued so they reach the disk in call
 * order, and writes requested while another is in flight coalesce into one: each caller's promise resolves only once
 * a write that includes its change is on disk. With `backups`, the version being replaced is kept first.
 */
export class DurableJsonFile<T> implements Adapter<T> {
  private inFlight: Promise<void> | null = null;
  private queued: { promise: Promise<void>; data: T } | null = null;

  private readonly serialize: (data: T) => string | Uint8Array;
  private readonly backups: RollingBackups | undefined;

  constructor(readonly file: string, options: DurableJsonFileOptions<T> | ((data: T) => string | Uint8Array) = {}) {
    const opts = typeof options === 'function' ? { serialize: options } : options;
    this.serialize = opts.serialize ?? ((data) => JSON.stringify(data));
    this.backups = opts.backups;
  }

  async read(): Promise<T | null> {
    let raw: string;
    try {
      raw = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    try {
      return JSON.parse(raw) as T;
    } catch (error) {
      throw new DamagedFileError(this.file, error);
    }
  }

  write(data: T): Promise<void> {
    if (this.queued) {
      // A write is already waiting to start: it will serialize the latest data, which includes this change.
      this.queued.data = data;
      return this.queued.promise;
    }
    if (!this.inFlight) return this.start(data);
    const queued: { promise: Promise<void>; data: T } = { data, promise: Promise.resolve() };
    queued.promise = this.inFlight
      .catch(() => undefined)
      .then((): Promise<void> => {
        this.queued = null;
        return this.start(queued.data);
      });
    this.queued = queued;
    return queued.promise;
  }

  private start(data: T): Promise<void> {
    const run = this.replace(this.serialize(data));
    const tracked = run.finally(() => {
      if (this.inFlight === tracked) this.inFlight = null;
    });
    this.inFlight = tracked;
    return tracked;
  }

  private async replace(content: string | Uint8Array): Promise<void> {
    // A backup is a safety net: if keeping one fails (a full disk, a read-only backups folder), the user's change is
    // still written and acknowledged, and the failure is logged rather than turned into a lost edit.
    const backups = this.backups;
    if (!backups) return writeFileDurably(this.file, content);
    // The version on disk is kept while the new one is written and synced (before the rename replaces it), and the new
    // one linked while the rename is synced: the backup's file operations overlap the write's instead of following it.
    let hadPrevious = true;
    await writeFileDurably(this.file, content, {
      beforeRename: backups.beforeReplace().then(
        (had) => (hadPrevious = had),
        (error: unknown) => backupFailed(this.file, error),
      ),
      afterRename: () => backups.afterReplace(!hadPrevious).catch((error: unknown) => backupFailed(this.file, error)),
    });
  }
}

function backupFailed(file: string, error: unknown): true {
  console.warn(`gloss: could not keep a backup of ${file}: ${error instanceof Error ? error.message : String(error)}`);
  return true;
}
