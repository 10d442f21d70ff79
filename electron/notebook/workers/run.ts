/**
 * The notebook's one worker pool (see ./pool.ts) and a typed way to run its jobs (./jobs.ts). Shared by every notebook
 * in the process; its workers start on the first job and stop when idle.
 */
import type { NotebookJobs } from './jobs';
import { notebookWorkerEntry, WorkerPool, type JobOptions } from './pool';

/** How long an import or a template render may take once a worker has it. */
export const WORKER_TIME_LIMIT_MS = 20_000;
/**
 * Fuzzy matching of many quotes is legitimately slow (about 20-140 ms a quote on a 1.2 MB text, depending on the
 * machine's load) and the main thread is free meanwhile, so anchoring jobs get longer; the limit still ends a runaway.
 */
export const ANCHORING_TIME_LIMIT_MS = 120_000;

let pool: WorkerPool | undefined;

export type JobName = keyof NotebookJobs;
export type JobInput<N extends JobName> = Parameters<NotebookJobs[N]>[0];
export type JobOutput<N extends JobName> = Awaited<ReturnType<NotebookJobs[N]>>;

export async function runNotebookJob<N extends JobName>(name: N, input: JobInput<N>, options: JobOptions): Promise<JobOutput<N>> {
  pool ??= new WorkerPool({ entry: notebookWorkerEntry() });
  return (await pool.run(name, input, options)) as JobOutput<N>;
}

/** Stops the notebook's workers (tests, and hosts shutting down); the next job starts a new pool. */
export async function stopNotebookWorkers(): Promise<void> {
  const current = pool;
  pool = undefined;
  await current?.close();
}
