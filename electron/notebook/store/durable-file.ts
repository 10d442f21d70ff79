import { open, rename, unlink, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Adapter } from 'lowdb';

/**
 * Writes `content` to `file` so that after the promise resolves the new bytes survive a crash or power loss, and at
 * no moment can a reader (or a crash) see a half-written file: write a temp file beside it, fsync it, rename it over
 * the target (atomic on POSIX and NTFS), then fsync the folder so the rename itself is on disk. steno (lowdb's
 * default writer) renames but never fsyncs, which is why Gloss has this small adapter.
 */
export async function writeFileDurably(file: string, content: string | Uint8Array): Promise<void> {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${nextTempId++}.tmp`);
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await fsyncDirectory(dir);
}

let nextTempId = 0;

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

/**
 * A lowdb adapter for one JSON file with durable, atomic writes. Writes are queued so they reach the disk in call
 * order, and writes requested while another is in flight coalesce into one: each caller's promise resolves only once
 * a write that includes its change is on disk.
 */
export class DurableJsonFile<T> implements Adapter<T> {
  private inFlight: Promise<void> | null = null;
  private queued: { promise: Promise<void>; data: T } | null = null;

  constructor(
    readonly file: string,
    private readonly serialize: (data: T) => string = (data) => JSON.stringify(data),
  ) {}

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
    const run = writeFileDurably(this.file, this.serialize(data));
    const tracked = run.finally(() => {
      if (this.inFlight === tracked) this.inFlight = null;
    });
    this.inFlight = tracked;
    return tracked;
  }
}
