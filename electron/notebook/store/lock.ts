import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { link, open, readdir, unlink, type FileHandle } from 'node:fs/promises';
import { hostname, uptime } from 'node:os';
import path from 'node:path';
import { GlossError } from '../errors';

export const LOCK_FILE = '.gloss.lock';

/** The holder refreshes its lock file's mtime this often (the heartbeat other computers and non-Linux systems read). */
export const HEARTBEAT_MS = 60_000;
/** A lock whose heartbeat is older than this is stale when its holder cannot be checked directly: one written on another
 * computer (a synced folder), or on a system without /proc. Ten heartbeats: a sleeping laptop or a slow sync is not
 * mistaken for a dead holder. */
export const STALE_AFTER_MS = 10 * 60_000;
/** How long an acquirer keeps retrying while another process is in the middle of taking over the same stale lock. */
const CONTENDED_MS = 5_000;

interface LockInfo {
  pid: number;
  host: string;
  owner: string;
  since: string;
  /** Random per lock: tells this lock apart from a later one with the same pid (a release never removes another's). */
  nonce?: string;
  /** Linux: /proc/sys/kernel/random/boot_id of the holder's boot; a different one means the holder died in a reboot. */
  bootId?: string;
  /** Linux: the holder's start time (field 22 of /proc/PID/stat); a different one means the pid was reused. */
  startTime?: string;
}

/** One look at a lock file: what it says and which generation of it this is (content + inode + mtime). */
interface Snapshot {
  info: LockInfo | null;
  mtimeMs: number;
  id: string;
}

type Verdict = { state: 'stale' } | { state: 'held'; info: LockInfo } | { state: 'busy' } | { state: 'elsewhere'; info: LockInfo; mtimeMs: number };

/**
 * One process owns a notebook folder. The lock file names the owner so a second process can say who holds it.
 *
 * Taking the lock is atomic: the content is written to a private temp file and hard-linked into place (the link fails
 * if a lock exists), so nobody ever sees a half-written lock. A stale lock is removed only by the one process that wins
 * a takeover guard named after that lock's exact generation (`.gloss.lock.<id>.takeover`, created the same exclusive
 * way), and only if the lock is still that generation: two processes can never both remove "the" stale lock and both
 * believe they own the folder. A guard left by a process that died in its few-millisecond takeover is itself taken
 * over the same way.
 *
 * A lock is stale when its holder is provably gone. On Linux: another boot id (a reboot), no such process, a zombie
 * (state Z: killed, not yet reaped; `kill(pid, 0)` still says alive), or a process with another start time (the pid was
 * reused). Elsewhere (no /proc): no such pid, or a heartbeat (the file's mtime, refreshed every minute) older than ten
 * minutes or from before this machine booted. A lock written by an older Gloss (no start time) is stale when its
 * process is gone or its mtime is from before this boot. A lock written on another computer (the folder is synced) is refused
 * with a message naming that computer until its heartbeat is ten minutes old.
 *
 * Why not proper-lockfile: it judges a lock by its mtime alone (stale after at least 2 s, 10 s by default), so a
 * SIGKILLed holder blocks a restart for that long and a live holder stuck longer than that loses its lock; and its
 * lock is a bare directory, so a refusal could not name who has the notebook open (the CLI and the app must).
 */
export class FolderLock {
  private readonly heartbeat: ReturnType<typeof setInterval>;

  private constructor(
    private readonly file: string,
    private readonly nonce: string,
    private readonly handle: FileHandle,
  ) {
    this.heartbeat = setInterval(() => void this.refreshHeartbeat(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /**
   * `perMachine`: the lock sits in the notebook's per-machine folder (local/), which a sync engine should never carry;
   * one that does anyway (Dropbox without local/ excluded) brings another computer's lock, which says nothing about
   * this one: it is taken over instead of refusing the open for ever.
   */
  static async acquire(dir: string, owner: string, { perMachine = false }: { perMachine?: boolean } = {}): Promise<FolderLock> {
    const file = path.join(dir, LOCK_FILE);
    const info: LockInfo = { pid: process.pid, host: hostname(), owner, since: new Date().toISOString(), nonce: randomBytes(8).toString('hex'), ...linuxIdentity() };
    const deadline = Date.now() + CONTENDED_MS;
    for (;;) {
      const result = await acquireFile(file, info, 0, perMachine);
      if ('handle' in result) {
        await removeLeftovers(dir);
        return new FolderLock(file, info.nonce!, result.handle);
      }
      const verdict = result.verdict;
      if (verdict.state === 'held') {
        const holder = verdict.info;
        throw new GlossError(
          'conflict',
          `The notebook at ${dir} is already open in ${holder.owner} (process ${holder.pid} on ${holder.host}, since ${holder.since}). Close it there first.`,
        );
      }
      if (verdict.state === 'elsewhere') {
        const holder = verdict.info;
        const minutes = Math.max(0, Math.round((Date.now() - verdict.mtimeMs) / 60_000));
        throw new GlossError(
          'conflict',
          `The notebook at ${dir} is open on another computer, "${holder.host}" (${holder.owner}, since ${holder.since}; last seen ${minutes} min ago). ` +
            `Close Gloss there and let the folder sync. If Gloss is not running there, delete ${file}, or wait: ` +
            `a lock from another computer is taken over once it is ${STALE_AFTER_MS / 60_000} minutes old.`,
        );
      }
      // 'busy': another process is taking over a stale lock right now; look again in a moment.
      if (Date.now() > deadline) {
        throw new GlossError('conflict', `Could not lock the notebook at ${dir}: another process keeps taking the lock. Try again.`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 30));
    }
  }

  /** Touches our own lock file (the inode we created, even if someone replaced the path): "still here". */
  async refreshHeartbeat(): Promise<void> {
    const now = new Date();
    await this.handle.utimes(now, now).catch(() => undefined);
  }

  async release(): Promise<void> {
    clearInterval(this.heartbeat);
    await this.handle.close().catch(() => undefined);
    // Only our own lock: if it was taken over (we were judged gone), the new owner's lock stays.
    const holder = (await snapshot(this.file))?.info;
    if (holder && holder.nonce === this.nonce && holder.pid === process.pid) await unlink(this.file).catch(() => undefined);
  }
}

/**
 * Creates `file` holding `info`, exclusively. If it exists and is stale, removes it under a guard for that generation
 * and tries again; otherwise says why not. `depth` bounds guards of guards (each level needs a crash mid-takeover).
 */
async function acquireFile(file: string, info: LockInfo, depth: number, perMachine = false): Promise<{ handle: FileHandle } | { verdict: Verdict }> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const handle = await createExclusive(file, info);
    if (handle) return { handle };
    const seen = await snapshot(file);
    if (!seen) continue; // released in between: try again
    const verdict = judge(seen, perMachine);
    if (verdict.state !== 'stale') return { verdict };
    if (depth >= 3) return { verdict: { state: 'busy' } };
    const guardFile = `${file}.${seen.id}.takeover`;
    const guard = await acquireFile(guardFile, info, depth + 1);
    if (!('handle' in guard)) return { verdict: { state: 'busy' } }; // someone else is taking this one over
    try {
      // We alone may remove this generation; it is still the one we judged stale unless its holder came back to life
      // (a heartbeat) or someone already replaced it.
      const now = await snapshot(file);
      if (now?.id === seen.id) await unlink(file).catch(() => undefined);
    } finally {
      await guard.handle.close();
      await unlink(guardFile).catch(() => undefined);
    }
  }
  return { verdict: { state: 'busy' } };
}

/** Writes `info` to a private temp file, then links it to `file`: atomic, and fails (null) if `file` exists. */
async function createExclusive(file: string, info: LockInfo): Promise<FileHandle | null> {
  const temp = `${file}.${randomBytes(6).toString('hex')}.new`;
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(JSON.stringify(info));
    await handle.sync();
    try {
      await link(temp, file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') {
        await handle.close();
        return null;
      }
      // A file system without hard links (FAT, some network shares): exclusive create, then write. A reader may see
      // it empty for a moment; judge() calls a young unreadable lock busy, not stale.
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EXDEV') throw error;
      await handle.close();
      return await createExclusiveWithoutLink(file, info);
    }
    return handle;
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw error;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

async function createExclusiveWithoutLink(file: string, info: LockInfo): Promise<FileHandle | null> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return null;
    throw error;
  }
  await handle.writeFile(JSON.stringify(info));
  await handle.sync();
  return handle;
}

/** Reads a lock file through one descriptor, so what it says and which inode it is belong together. */
async function snapshot(file: string): Promise<Snapshot | null> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch {
    return null;
  }
  try {
    const stat = await handle.stat();
    const raw = await handle.readFile();
    let info: LockInfo | null = null;
    try {
      const parsed = JSON.parse(raw.toString('utf8')) as LockInfo;
      if (Number.isInteger(parsed.pid) && parsed.pid > 0 && typeof parsed.host === 'string') info = parsed;
    } catch {
      // unreadable: judged by age below
    }
    const id = createHash('sha256').update(`${stat.dev}:${stat.ino}:${stat.mtimeMs}:`).update(raw).digest('hex').slice(0, 16);
    return { info, mtimeMs: stat.mtimeMs, id };
  } finally {
    await handle.close();
  }
}

function judge(seen: Snapshot, perMachine = false): Verdict {
  const age = Date.now() - seen.mtimeMs;
  const holder = seen.info;
  if (!holder) return age < 5_000 ? { state: 'busy' } : { state: 'stale' }; // being written, or damaged
  if (holder.host !== hostname()) {
    if (perMachine) return { state: 'stale' }; // another computer's lock, synced here by mistake: not this machine's
    return age > STALE_AFTER_MS ? { state: 'stale' } : { state: 'elsewhere', info: holder, mtimeMs: seen.mtimeMs };
  }
  if (holder.pid === process.pid) return { state: 'stale' }; // our own leftover, e.g. a notebook reopened in one process
  return holderIsGone(holder, seen.mtimeMs) ? { state: 'stale' } : { state: 'held', info: holder };
}

function holderIsGone(holder: LockInfo, mtimeMs: number): boolean {
  const ours = linuxIdentity();
  if (holder.bootId && ours.bootId && holder.bootId !== ours.bootId) return true; // written before a reboot
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return true; // no such process
  }
  const stat = procStat(holder.pid);
  if (stat) {
    if (stat.state === 'Z' || stat.state === 'X') return true; // killed, not yet reaped by its parent
    if (holder.startTime !== undefined) return holder.startTime !== stat.startTime; // the pid now belongs to another process
  }
  // The pid exists, but is it still the holder? Without a start time to compare (no /proc: macOS, Windows; or a lock
  // from a Gloss that did not write one), the file's mtime tells: written before this machine started, or (no /proc)
  // a heartbeat that stopped.
  const bootedAt = Date.now() - uptime() * 1000;
  if (mtimeMs < bootedAt - 60_000) return true;
  return !stat && Date.now() - mtimeMs > STALE_AFTER_MS;
}

/** State (field 3) and start time (field 22) of a process, from /proc; null where there is no /proc or no access. */
function procStat(pid: number): { state: string; startTime: string } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so count fields after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0], startTime: fields[19] };
  } catch {
    return null;
  }
}

let cachedIdentity: Pick<LockInfo, 'bootId' | 'startTime'> | undefined;
function linuxIdentity(): Pick<LockInfo, 'bootId' | 'startTime'> {
  if (cachedIdentity) return cachedIdentity;
  cachedIdentity = {};
  if (process.platform === 'linux') {
    try {
      const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
      const self = procStat(process.pid);
      if (bootId && self) cachedIdentity = { bootId, startTime: self.startTime };
    } catch {
      // no /proc: pid, host and heartbeat only
    }
  }
  return cachedIdentity;
}

/** Removes guard and temp files that a process which died mid-takeover left behind (never a living one's). */
async function removeLeftovers(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(`${LOCK_FILE}.`) || !(name.endsWith('.takeover') || name.endsWith('.new'))) continue;
    const file = path.join(dir, name);
    const seen = await snapshot(file);
    if (seen && judge(seen).state === 'stale' && seen.info?.pid !== process.pid) await unlink(file).catch(() => undefined);
  }
}
