/**
 * Running untrusted work off the main thread: every parser of untrusted bytes (HTML, Markdown, text decoding, and any
 * future PDF or EPUB reader), the fuzzy anchoring of imported annotations and user templates run here, as named jobs
 * in a worker thread with a time limit and a memory cap. The host's main thread (the Electron main process, the
 * browser-mode server, the CLI) stays free to answer every other call while a hostile file is being chewed on.
 *
 * - Time: a job that has not answered within its limit is stopped with worker.terminate() (it may be stuck in a loop
 *   that never yields, so nothing cooperative would do) and refused with a `too_complex` error naming the limit.
 * - Memory: the worker's V8 heap is capped (resourceLimits); a job that needs more dies with ERR_WORKER_OUT_OF_MEMORY,
 *   which is reported as a `too_complex` error too, instead of taking the whole process down.
 * - Isolation: a worker that timed out, ran out of memory or crashed is thrown away; the next job gets a fresh one.
 *   A worker that finished normally is kept warm for the next job (loading jsdom costs most of a second of CPU); jobs
 *   are pure functions of their input, so nothing a job computed reaches the next one except module-level caches of
 *   immutable things (the jsdom module, a sanitizer instance whose per-call state is reset in `finally`).
 * - Lifetime: idle workers are unref'd (they never keep a CLI run alive) and stopped after `idleMs`.
 *
 * The worker side is `serveJobs` (./serve.ts); the notebook's jobs are in ./jobs.ts and its entry is ./entry.ts.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { GlossError } from '../errors';
import type { JobReply, JobRequest } from './protocol';

export interface PoolOptions {
  /** The worker script: a built .js file, or a .ts source (Vitest, benches), which is compiled on the fly by jiti. */
  entry: string;
  /** Workers running at once; more jobs wait their turn. */
  maxWorkers?: number;
  /** The V8 old-generation heap cap of each worker, MB. */
  memoryMb?: number;
  /** An idle worker is stopped after this long. */
  idleMs?: number;
  /** A worker that has not said it is ready within this long is given up (its start-up is not the job's time). */
  startTimeoutMs?: number;
}

export interface JobOptions {
  /** Wall-clock time the job may take once a worker has it. */
  timeoutMs: number;
  /** What the job is doing, for messages: "Importing \"page.html\"" -> "Importing "page.html" took longer than 20 s...". */
  what: string;
}

export const DEFAULT_MEMORY_MB = 1024;
const DEFAULT_MAX_WORKERS = 2;
const DEFAULT_IDLE_MS = 60_000;
const DEFAULT_START_TIMEOUT_MS = 60_000;

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  /** Rejects the job in progress when the worker dies (error or exit); replaced per job. */
  onDeath?: (error: Error) => void;
  idleTimer?: ReturnType<typeof setTimeout>;
  dead: boolean;
  /** The last job ended as jobs should (a result, or a GlossError it threw on purpose): the worker may be reused. */
  healthy: boolean;
}

export class WorkerPool {
  private readonly idle: Slot[] = [];
  private readonly waiting: (() => void)[] = [];
  private running = 0;
  private nextId = 1;
  private closed = false;
  private readonly memoryMb: number;

  constructor(private readonly options: PoolOptions) {
    this.memoryMb = options.memoryMb ?? DEFAULT_MEMORY_MB;
  }

  /** Runs `job` on `input` in a worker. Resolves with its result; rejects with the job's own GlossError, or a
   * `too_complex` GlossError when it ran out of time or memory, or a plain Error when the worker itself failed. */
  async run(job: string, input: unknown, options: JobOptions): Promise<unknown> {
    if (this.closed) throw new Error('The worker pool is closed.');
    await this.turn();
    let slot: Slot | undefined;
    try {
      slot = this.idle.pop() ?? this.spawn();
      if (slot.idleTimer) clearTimeout(slot.idleTimer);
      slot.worker.ref();
      slot.healthy = false;
      await slot.ready;
      return await this.send(slot, job, input, options);
    } finally {
      if (slot?.healthy) this.release(slot);
      else if (slot) void this.discard(slot);
      this.running -= 1;
      this.waiting.shift()?.();
    }
  }

  /** Stops every idle worker; jobs in progress finish (or time out) and their workers are then stopped too. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.idle.splice(0).map((slot) => this.discard(slot)));
  }

  private async turn(): Promise<void> {
    const max = this.options.maxWorkers ?? DEFAULT_MAX_WORKERS;
    while (this.running >= max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running += 1;
  }

  private send(slot: Slot, job: string, input: unknown, options: JobOptions): Promise<unknown> {
    const id = this.nextId++;
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        reject(new GlossError('too_complex', `${options.what} took longer than ${seconds(options.timeoutMs)} and was stopped.`));
      }, options.timeoutMs);
      const onMessage = (reply: JobReply): void => {
        if (reply.id !== id) return;
        cleanup();
        slot.healthy = reply.ok || reply.error.code !== undefined;
        if (reply.ok) resolve(reply.value);
        else if (reply.error.code) reject(new GlossError(reply.error.code, reply.error.message));
        else reject(Object.assign(new Error(`Worker job "${job}" failed: ${reply.error.message}`), { workerStack: reply.error.stack }));
      };
      const cleanup = (): void => {
        clearTimeout(timer);
        slot.worker.off('message', onMessage);
        slot.onDeath = undefined;
      };
      slot.onDeath = (error) => {
        cleanup();
        reject(
          (error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new GlossError('too_complex', `${options.what} needed more than ${this.memoryMb} MB of memory and was stopped.`)
            : error,
        );
      };
      slot.worker.on('message', onMessage);
      try {
        slot.worker.postMessage({ id, job, input } satisfies JobRequest);
      } catch (error) {
        cleanup(); // an input that cannot be cloned (a function, a class instance with private state): a caller's bug
        reject(error);
      }
    });
  }

  private spawn(): Slot {
    const resourceLimits: ResourceLimits = { maxOldGenerationSizeMb: this.memoryMb };
    const worker = startWorker(this.options.entry, resourceLimits);
    const slot: Slot = { worker, dead: false, healthy: false, ready: Promise.resolve() };
    slot.ready = new Promise<void>((resolve, reject) => {
      const limit = this.options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
      const timer = setTimeout(() => reject(new Error(`The worker did not start within ${seconds(limit)}.`)), limit);
      const onReady = (message: { ready?: boolean }): void => {
        if (message?.ready !== true) return;
        clearTimeout(timer);
        worker.off('message', onReady);
        resolve();
      };
      worker.on('message', onReady);
      const died = (error: Error): void => {
        clearTimeout(timer);
        slot.dead = true;
        reject(error);
        slot.onDeath?.(error);
        this.forget(slot);
      };
      worker.on('error', died);
      worker.on('exit', (code) => died(new Error(`The worker stopped unexpectedly (exit code ${code}).`)));
    });
    slot.ready.catch(() => undefined); // observed by run(); this only keeps an early death from being "unhandled"
    return slot;
  }

  private release(slot: Slot): void {
    if (slot.dead) return;
    // One idle worker is kept (each holds a parser's heap); a second only while jobs wait for a turn, which then take
    // it: discarding it meant a new worker (1-2 s to start) for each of a restore's many jobs.
    if (this.closed || (this.idle.length >= 1 && this.waiting.length === 0)) {
      void this.discard(slot);
      return;
    }
    slot.worker.unref();
    slot.idleTimer = setTimeout(() => {
      this.forget(slot);
      void this.discard(slot);
    }, this.options.idleMs ?? DEFAULT_IDLE_MS);
    slot.idleTimer.unref();
    this.idle.push(slot);
  }

  private forget(slot: Slot): void {
    const at = this.idle.indexOf(slot);
    if (at !== -1) this.idle.splice(at, 1);
  }

  private async discard(slot: Slot): Promise<void> {
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    this.forget(slot);
    if (slot.dead) return;
    slot.dead = true;
    slot.worker.removeAllListeners('exit');
    slot.worker.on('error', () => undefined);
    await slot.worker.terminate();
  }
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${Math.round(ms / 100) / 10} s`;
}

/**
 * A built entry runs as it is. A .ts entry (the sources, under Vitest or the benches' jiti) cannot be loaded by a
 * worker directly in Node 20, so a three-line loader in the worker compiles it with jiti, the same tool the benches
 * use; jiti is a devDependency and this path is never taken by a built app.
 */
function startWorker(entry: string, resourceLimits: ResourceLimits): Worker {
  if (!entry.endsWith('.ts')) return new Worker(entry, { resourceLimits });
  const jiti = createRequire(import.meta.url).resolve('jiti');
  const loader = [
    "const { workerData } = require('node:worker_threads');",
    'const { createJiti } = require(workerData.jiti);',
    'createJiti(workerData.entry).import(workerData.entry).catch((error) => { setImmediate(() => { throw error; }); });',
  ].join('\n');
  return new Worker(loader, { eval: true, workerData: { jiti, entry }, resourceLimits });
}

/**
 * Where the notebook's worker entry is: next to the running bundle (out/main/notebook-worker.js, built by
 * electron-vite as its own main entry; shared code sits in out/main/chunks/, so look one folder up too), or, when
 * the sources run directly (tests, benches), the TypeScript entry beside this file.
 */
export function notebookWorkerEntry(): string {
  const here = fileURLToPath(import.meta.url);
  const dir = path.dirname(here);
  if (here.endsWith('.ts')) return path.join(dir, 'entry.ts');
  for (const candidate of [path.join(dir, 'notebook-worker.js'), path.join(dir, '..', 'notebook-worker.js')]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`The notebook worker (notebook-worker.js) is missing next to ${dir}: rebuild with electron-vite.`);
}
