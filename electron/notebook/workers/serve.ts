/**
 * The worker side of ./pool.ts: answers each job request with the job's result or error. A worker entry calls this once
 * with its table of jobs (see ./entry.ts), after loading whatever every job needs (`prepare`), so that the pool starts a
 * job's clock only once the worker is ready.
 */
import { parentPort } from 'node:worker_threads';
import { GlossError } from '../errors';
import type { JobReply, JobRequest, ReadyMessage } from './protocol';

export type JobTable = Record<string, (input: never) => unknown>;

export async function serveJobs(jobs: JobTable, prepare?: () => Promise<void>): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('serveJobs runs inside a worker thread only.');
  await prepare?.();
  port.on('message', async (request: JobRequest) => {
    let reply: JobReply;
    try {
      const run = Object.hasOwn(jobs, request.job) ? jobs[request.job] : undefined;
      if (!run) throw new Error(`No job named "${request.job}".`);
      reply = { id: request.id, ok: true, value: await run(request.input as never) };
    } catch (error) {
      reply = { id: request.id, ok: false, error: describeError(error) };
    }
    port.postMessage(reply);
  });
  port.postMessage({ ready: true } satisfies ReadyMessage);
}

function describeError(error: unknown): { code?: GlossError['code']; message: string; stack?: string } {
  if (error instanceof GlossError) return { code: error.code, message: error.message };
  // Deep recursion (a parser or the text model walking an absurdly nested tree) is the input's fault, not a bug.
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    return { code: 'too_complex', message: 'This input is nested too deeply to process.' };
  }
  return error instanceof Error ? { message: error.message, stack: error.stack } : { message: String(error) };
}
