/**
 * The folder lock, with real processes: tests/unit/lock-opener.cjs opens a notebook through the BUILT core (run
 * `npx electron-vite build` first; GLOSS_OUT_DIR picks another build folder).
 *
 * 1. Three processes opening a folder with a stale lock at the same moment: exactly one owner, round after round.
 * 2. A holder SIGKILLed and restarted at once by the same parent, before the parent reaps it (a zombie): opens.
 * 3. A lock naming a live process that is not its holder (other start time, other boot: a reused pid): taken over.
 * 4. A lock from another computer (a synced folder): refused naming that computer, taken over once its heartbeat is old.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Notebook } from '../../electron/notebook/notebook';
import { builtCoreChunk } from '../support/built-core';
import { FolderLock, LOCK_FILE, STALE_AFTER_MS } from '../../electron/notebook/store/lock';

const opener = path.join(__dirname, 'lock-opener.cjs');
let coreChunk: string;

beforeAll(async () => {
  coreChunk = await builtCoreChunk('lock');
});

let dir: string;
const children: ChildProcess[] = [];
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gloss-lock-'));
  // A notebook's lock lives in its per-machine folder (local/, never synced).
  await mkdir(path.join(dir, 'local'));
});
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

type Line = { t: 'loaded' } | { t: 'open'; pid: number } | { t: 'refused'; code: string; message: string } | { t: 'restart'; zombieBefore: boolean; zombieAfter: boolean; second: Line[]; stderr: string };

interface Proc {
  child: ChildProcess;
  next(pred: (line: Line) => boolean): Promise<Line>;
}

function run(mode: 'hold' | 'restart'): Proc {
  const child = spawn(process.execPath, [opener, mode, coreChunk, dir], { stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  const lines: Line[] = [];
  const waiters: { pred: (l: Line) => boolean; resolve: (l: Line) => void }[] = [];
  let buffer = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = JSON.parse(buffer.slice(0, nl)) as Line;
      buffer = buffer.slice(nl + 1);
      lines.push(line);
      for (const w of [...waiters]) {
        if (!w.pred(line)) continue;
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  child.on('exit', (code) => {
    if (waiters.length) throw new Error(`the opener exited (${code}) early: ${stderr}`);
  });
  return {
    child,
    next: (pred) => {
      const seen = lines.find(pred);
      return seen ? Promise.resolve(seen) : new Promise((resolve) => waiters.push({ pred, resolve }));
    },
  };
}

const outcome = (l: Line) => l.t === 'open' || l.t === 'refused';

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  return new Promise<number>((resolve) => child.on('exit', () => resolve(child.pid!)));
}

const bootId = () => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
const startTimeOf = (pid: number) => {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return text.slice(text.lastIndexOf(')') + 2).split(' ')[19];
};

async function openAll(procs: Proc[]): Promise<Line[]> {
  await Promise.all(procs.map((p) => p.next((l) => l.t === 'loaded')));
  for (const p of procs) p.child.stdin!.write('go\n');
  return Promise.all(procs.map((p) => p.next(outcome)));
}

async function closeAll(procs: Proc[]): Promise<void> {
  await Promise.all(
    procs.map(
      (p) =>
        new Promise((resolve) => {
          p.child.on('exit', resolve);
          p.child.stdin!.end();
        }),
    ),
  );
}

describe('one owner, with real processes', () => {
  it('three processes opening a folder with a stale lock at once: exactly one owner, 15 rounds out of 15', async () => {
    const gone = await deadPid();
    for (let round = 0; round < 15; round++) {
      await writeFile(path.join(dir, 'local', LOCK_FILE), JSON.stringify({ pid: gone, host: os.hostname(), owner: 'a crashed Gloss', since: '2020-01-01T00:00:00.000Z' }));
      const procs = [run('hold'), run('hold'), run('hold')];
      const results = await openAll(procs);
      const owners = results.filter((r) => r.t === 'open');
      expect(owners, `round ${round}: ${JSON.stringify(results)}`).toHaveLength(1);
      for (const r of results) if (r.t === 'refused') expect(r.code).toBe('conflict');
      // The lock names the one owner.
      expect(JSON.parse(await readFile(path.join(dir, 'local', LOCK_FILE), 'utf8')).pid).toBe((owners[0] as { pid: number }).pid);
      await closeAll(procs);
      // Nothing left behind: no lock, no takeover guard, no temp file.
      expect((await readdir(path.join(dir, 'local'))).filter((n) => n.startsWith(LOCK_FILE))).toEqual([]);
    }
  }, 180_000);

  it.runIf(process.platform === 'linux')('a holder SIGKILLed and restarted at once by the same parent (still a zombie) opens again', async () => {
    const parent = run('restart');
    const result = (await parent.next((l) => l.t === 'restart')) as Extract<Line, { t: 'restart' }>;
    // The first holder was a zombie before and after the restart: the parent had not reaped it.
    expect(result.zombieBefore).toBe(true);
    expect(result.zombieAfter).toBe(true);
    expect(result.second.find(outcome), result.stderr).toMatchObject({ t: 'open' });
  }, 60_000);

  describe.runIf(process.platform === 'linux')('a lock naming a live process that is not its holder (the pid was reused)', () => {
    let stranger: ChildProcess;
    beforeEach(async () => {
      stranger = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
      children.push(stranger);
      await new Promise((resolve) => stranger.on('spawn', resolve));
    });
    const lockNaming = (fields: object) =>
      writeFile(path.join(dir, 'local', LOCK_FILE), JSON.stringify({ pid: stranger.pid, host: os.hostname(), owner: 'Gloss before the reboot', since: '2024-05-01T10:00:00.000Z', ...fields }));

    it('another start time: taken over', async () => {
      await lockNaming({ bootId: bootId(), startTime: String(Number(startTimeOf(stranger.pid!)) + 1) });
      const p = run('hold');
      expect(await openAll([p])).toEqual([{ t: 'open', pid: p.child.pid }]);
      await closeAll([p]);
    });

    it('another boot id: taken over', async () => {
      await lockNaming({ bootId: '00000000-0000-4000-8000-000000000000', startTime: startTimeOf(stranger.pid!) });
      const p = run('hold');
      expect(await openAll([p])).toEqual([{ t: 'open', pid: p.child.pid }]);
      await closeAll([p]);
    });

    it('a lock from an older Gloss (no boot id or start time) written before this machine started: taken over', async () => {
      await lockNaming({});
      const beforeBoot = new Date(Date.now() - os.uptime() * 1000 - 3_600_000);
      await utimes(path.join(dir, 'local', LOCK_FILE), beforeBoot, beforeBoot);
      const p = run('hold');
      expect(await openAll([p])).toEqual([{ t: 'open', pid: p.child.pid }]);
      await closeAll([p]);
    });

    it('the same boot and start time: that is the holder, refused', async () => {
      await lockNaming({ bootId: bootId(), startTime: startTimeOf(stranger.pid!) });
      const p = run('hold');
      const [result] = await openAll([p]);
      expect(result).toMatchObject({ t: 'refused', code: 'conflict', message: expect.stringMatching(/already open in Gloss before the reboot/) });
      await closeAll([p]);
    });
  });
});

describe('a takeover interrupted by a crash', () => {
  it('a guard left by a process that died mid-takeover is itself taken over, and cleaned up', async () => {
    const gone = await deadPid();
    const lockFile = path.join(dir, 'local', LOCK_FILE);
    await writeFile(lockFile, JSON.stringify({ pid: gone, host: os.hostname(), owner: 'a crashed Gloss', since: '2020-01-01T00:00:00.000Z' }));
    // The guard's name is the lock generation it protects: what a taker that then crashed would have left.
    const st = await stat(lockFile);
    const id = createHash('sha256').update(`${st.dev}:${st.ino}:${st.mtimeMs}:`).update(await readFile(lockFile)).digest('hex').slice(0, 16);
    await writeFile(`${lockFile}.${id}.takeover`, JSON.stringify({ pid: await deadPid(), host: os.hostname(), owner: 'a taker that crashed', since: new Date().toISOString() }));
    // And a leftover guard of an older generation, from another crash.
    await writeFile(`${lockFile}.0123456789abcdef.takeover`, JSON.stringify({ pid: gone, host: os.hostname(), owner: 'x', since: '2020-01-01T00:00:00.000Z' }));
    const notebook = await Notebook.open(dir, { owner: 'the lock test' });
    expect(JSON.parse(await readFile(lockFile, 'utf8'))).toMatchObject({ pid: process.pid });
    expect((await readdir(path.join(dir, 'local'))).filter((n) => n.startsWith(LOCK_FILE))).toEqual([LOCK_FILE]);
    await notebook.close();
  });
});

describe('a lock from another computer (a synced folder)', () => {
  const elsewhere = { pid: 4242, host: 'the-other-laptop', owner: 'the Gloss desktop app', since: '2024-05-01T10:00:00.000Z' };

  it('in local/ (a sync engine carried it there) never refuses: local/ is per machine, so it is taken over (issue 18)', async () => {
    await writeFile(path.join(dir, 'local', LOCK_FILE), JSON.stringify(elsewhere));
    const notebook = await Notebook.open(dir, { owner: 'the lock test' });
    expect(JSON.parse(await readFile(path.join(dir, 'local', LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid, host: os.hostname() });
    await notebook.close();
  });

  it('elsewhere than local/ (a folder lock without perMachine) is still refused, naming the computer', async () => {
    await writeFile(path.join(dir, LOCK_FILE), JSON.stringify(elsewhere));
    await expect(FolderLock.acquire(dir, 'the lock test')).rejects.toThrow(
      /open on another computer, "the-other-laptop".*delete .*\.gloss\.lock, or wait: a lock from another computer is taken over once it is 10 minutes old/,
    );
    expect(JSON.parse(await readFile(path.join(dir, LOCK_FILE), 'utf8'))).toEqual(elsewhere);
  });

  it('is taken over once its heartbeat is older than ten minutes', async () => {
    await writeFile(path.join(dir, 'local', LOCK_FILE), JSON.stringify(elsewhere));
    const old = new Date(Date.now() - STALE_AFTER_MS - 60_000);
    await utimes(path.join(dir, 'local', LOCK_FILE), old, old);
    const notebook = await Notebook.open(dir, { owner: 'the lock test' });
    expect(JSON.parse(await readFile(path.join(dir, 'local', LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid, host: os.hostname() });
    await notebook.close();
  });

  it('the holder refreshes its heartbeat', async () => {
    const lock = await FolderLock.acquire(path.join(dir, 'local'), 'the lock test');
    const old = new Date(Date.now() - STALE_AFTER_MS);
    await utimes(path.join(dir, 'local', LOCK_FILE), old, old);
    await lock.refreshHeartbeat();
    expect(Date.now() - (await stat(path.join(dir, 'local', LOCK_FILE))).mtimeMs).toBeLessThan(60_000);
    await lock.release();
  });
});

