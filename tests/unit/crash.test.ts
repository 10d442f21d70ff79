/**
 * Crash safety, with real processes and real SIGKILLs.
 *
 * 1. A writer process (tests/unit/crash-writer.cjs, running the BUILT notebook core) adds and updates highlights and
 *    sets article notes as fast as it can; it is SIGKILLed at a random moment, round after round, on one folder. After
 *    every round: every JSON file in the folder parses, nothing was moved to damaged/, the notebook reopens, and every
 *    change the writer saw acknowledged is there (a change in flight at the kill may or may not be).
 * 2. Browser mode (the built web.js) takes 200 concurrent writes over HTTP, is SIGKILLed, restarts, and has them all.
 *
 * Both need the build (`npx electron-vite build`; `npm test` builds first). GLOSS_OUT_DIR picks another build folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Highlight } from '../../electron/contract';
import { Notebook } from '../../electron/notebook/notebook';
import { builtCoreChunk, webJs } from '../support/built-core';

let coreChunk: string;

beforeAll(async () => {
  coreChunk = await builtCoreChunk('crash');
});

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

// --- The writer process -------------------------------------------------------------------------------------------

type Op =
  | { op: 'add'; articleId: string; start: number; end: number; color: string; note: string }
  | { op: 'update'; id: string; color: string; note: string }
  | { op: 'note'; articleId: string; note: string };
type Line = { t: 'loaded' } | { t: 'open'; articles: string[] } | ({ t: 'start'; seq: number } & Op) | { t: 'ack'; seq: number; id?: string } | { t: 'refused'; seq: number } | { t: 'error'; message: string };

interface Writer {
  child: ChildProcess;
  lines: Line[];
  /** Resolves when a line matching `pred` has arrived. */
  until(pred: (line: Line, all: Line[]) => boolean): Promise<void>;
}

function spawnWriter(dataDir: string): Writer {
  const child = spawn(process.execPath, [path.join(__dirname, 'crash-writer.cjs'), coreChunk, dataDir, '4'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: Line[] = [];
  const waiters: { pred: (line: Line, all: Line[]) => boolean; resolve: () => void }[] = [];
  let buffer = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = JSON.parse(buffer.slice(0, nl)) as Line;
      buffer = buffer.slice(nl + 1);
      lines.push(line);
      if (line.t === 'error') throw new Error(`the writer failed: ${line.message}`);
      for (const w of [...waiters]) {
        if (w.pred(line, lines)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      }
    }
  });
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  return {
    child,
    lines,
    until: (pred) =>
      new Promise<void>((resolve, reject) => {
        if (lines.some((l) => pred(l, lines))) return resolve();
        waiters.push({ pred, resolve });
        child.once('exit', (code, signal) => reject(new Error(`the writer exited (${code ?? signal}) early:\n${stderr}`)));
      }),
  };
}

async function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

// --- What must be on disk -----------------------------------------------------------------------------------------

interface Model {
  highlights: Map<string, { articleId: string; start: number; end: number; color: string; note: string }>;
  notes: Map<string, string>;
}

async function jsonFilesIn(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.json')).map((e) => path.join(e.parentPath, e.name));
}

/** Checks the folder against the acknowledged changes of one round, then returns the model of what is on disk now. */
async function verifyRound(dataDir: string, model: Model, lines: Line[]): Promise<{ model: Model; acked: number }> {
  const unparseable: string[] = [];
  for (const file of await jsonFilesIn(dataDir)) {
    try {
      JSON.parse(await readFile(file, 'utf8'));
    } catch {
      unparseable.push(path.relative(dataDir, file));
    }
  }
  expect(unparseable, 'every JSON file in the notebook folder parses').toEqual([]);
  expect(existsSync(path.join(dataDir, 'local', 'damaged')), 'nothing had to be moved aside').toBe(false);

  // Replay the writer's log: acknowledged changes must be on disk; those in flight may be either way.
  const expected: Model = { highlights: new Map(model.highlights), notes: new Map(model.notes) };
  const inFlight = new Map<number, Op>();
  let acked = 0;
  for (const line of lines) {
    if (line.t === 'open') for (const id of line.articles) if (!expected.notes.has(id)) expected.notes.set(id, '');
    if (line.t === 'start') {
      const { t: _t, seq: _seq, ...op } = line;
      inFlight.set(line.seq, op as Op);
    }
    if (line.t === 'refused') inFlight.delete(line.seq);
    if (line.t !== 'ack') continue;
    acked += 1;
    const op = inFlight.get(line.seq)!;
    inFlight.delete(line.seq);
    if (op.op === 'add') expected.highlights.set(line.id!, { articleId: op.articleId, start: op.start, end: op.end, color: op.color, note: op.note });
    if (op.op === 'update') expected.highlights.set(op.id, { ...expected.highlights.get(op.id)!, color: op.color, note: op.note });
    if (op.op === 'note') expected.notes.set(op.articleId, op.note);
  }
  const pending = [...inFlight.values()];

  const notebook = await Notebook.open(dataDir, { owner: 'the crash-test verifier' });
  // The writer changed files since this verifier's last close wrote the summary cache: read once they are checked.
  await notebook.whenChecked();
  try {
    const onDisk = new Map<string, Highlight>();
    const notes = new Map<string, string>();
    for (const summary of await notebook.listArticles()) {
      const article = await notebook.getArticle(summary.id);
      notes.set(article.id, article.note);
      for (const h of article.highlights) onDisk.set(h.id, h);
    }
    for (const [articleId, note] of expected.notes) {
      const allowed = [note, ...pending.flatMap((p) => (p.op === 'note' && p.articleId === articleId ? [p.note] : []))];
      expect(allowed, `the note of article ${articleId}`).toContain(notes.get(articleId));
    }
    for (const [id, want] of expected.highlights) {
      const got = onDisk.get(id);
      expect(got, `acknowledged highlight ${id}`).toBeDefined();
      const allowed = [want, ...pending.flatMap((p) => (p.op === 'update' && p.id === id ? [{ ...want, color: p.color, note: p.note }] : []))];
      expect(allowed, `highlight ${id}`).toContainEqual({ articleId: got!.articleId, start: got!.start, end: got!.end, color: got!.color, note: got!.note });
    }
    // Anything else on disk is an add that was in flight when the writer died.
    const extra = [...onDisk.values()].filter((h) => !expected.highlights.has(h.id));
    for (const h of extra) {
      expect(pending, `unexpected highlight ${h.id}`).toContainEqual({ op: 'add', articleId: h.articleId, start: h.start, end: h.end, color: h.color, note: h.note });
    }
    const next: Model = { highlights: new Map(), notes };
    for (const h of onDisk.values()) next.highlights.set(h.id, { articleId: h.articleId, start: h.start, end: h.end, color: h.color, note: h.note });
    return { model: next, acked };
  } finally {
    await notebook.close();
  }
}

describe('crash safety', () => {
  it('loses no acknowledged change and leaves every file readable when the writer is SIGKILLed, round after round', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gloss-crash-'));
    dirs.push(dataDir);
    const ROUNDS = 15;
    // Writers are started ahead of their round (they wait for "go"), so Node's start-up overlaps the previous round.
    const ready: Writer[] = Array.from({ length: 4 }, () => spawnWriter(dataDir));
    let model: Model = { highlights: new Map(), notes: new Map() };
    let totalAcked = 0;
    try {
      for (let round = 1; round <= ROUNDS; round++) {
        const writer = ready.shift()!;
        if (round + ready.length < ROUNDS) ready.push(spawnWriter(dataDir));
        await writer.until((l) => l.t === 'loaded');
        writer.child.stdin!.write('go\n');
        // Kill at a random moment once it is writing: after a random number (1-40) of acknowledged changes.
        const after = 1 + Math.floor(Math.random() * 40);
        await writer.until((_l, all) => all.filter((x) => x.t === 'ack').length >= after);
        await killHard(writer.child);
        const result = await verifyRound(dataDir, model, writer.lines);
        model = result.model;
        totalAcked += result.acked;
      }
    } finally {
      for (const w of ready) await killHard(w.child);
    }
    expect(totalAcked).toBeGreaterThan(ROUNDS);
    expect(model.highlights.size).toBeGreaterThan(0);
    console.log(`crash test: ${ROUNDS} SIGKILLs, ${totalAcked} acknowledged changes checked, ${model.highlights.size} highlights on disk`);
  }, 120_000);
});

// --- Browser mode under load --------------------------------------------------------------------------------------

async function startBrowserMode(dataDir: string, token: string): Promise<{ child: ChildProcess; origin: string }> {
  const child = spawn(process.execPath, [webJs, '--data-dir', dataDir, '--port', '0', '--token', token, '--no-seed'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const origin = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      output += c.toString();
      const m = /ready at (http:\/\/127\.0\.0\.1:\d+)\//.exec(output);
      if (m) resolve(m[1]);
    });
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => reject(new Error(`browser mode exited with ${code}:\n${output}`)));
  });
  return { child, origin };
}

describe('browser mode under concurrent writes', () => {
  it('keeps all of 200 concurrent acknowledged writes through a SIGKILL and a restart', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gloss-concurrent-'));
    dirs.push(dataDir);
    const token = 'concurrent-test-token';
    const call = async (origin: string, method: string, args: unknown[]) => {
      const res = await fetch(`${origin}/api/${method}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(args),
      });
      return { status: res.status, body: (await res.json()) as { ok: boolean; value: any } };
    };
    let server = await startBrowserMode(dataDir, token);
    try {
      const text = Array.from({ length: 120 }, (_, i) => `Paragraph ${i} holds words to highlight.`).join('\n\n');
      const [a, b] = await Promise.all(
        ['One', 'Two'].map(async (title) => (await call(server.origin, 'importArticle', [{ format: 'text', content: text, title }])).body.value.id as string),
      );
      const replies = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          call(server.origin, 'addHighlight', [i % 2 ? a : b, { start: i * 7, end: i * 7 + 5, note: `note ${i}`, tags: [`t${i % 5}`] }]),
        ),
      );
      expect(replies.map((r) => r.status)).toEqual(Array(200).fill(200));
      const ids = replies.map((r) => r.body.value.id as string);
      expect(new Set(ids).size).toBe(200);

      await killHard(server.child);
      server = await startBrowserMode(dataDir, token);
      const articles = await Promise.all([a, b].map(async (id) => (await call(server.origin, 'getArticle', [id])).body.value));
      const kept = articles.flatMap((x: { highlights: Highlight[] }) => x.highlights);
      expect(kept.map((h) => h.id).sort()).toEqual([...ids].sort());
      expect(kept.map((h) => h.note).sort()).toEqual(Array.from({ length: 200 }, (_, i) => `note ${i}`).sort());
      expect(articles.map((x: { highlightCount: number }) => x.highlightCount)).toEqual([100, 100]);
    } finally {
      await killHard(server.child);
    }
  }, 60_000);
});
