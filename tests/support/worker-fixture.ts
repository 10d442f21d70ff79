/**
 * A worker entry for tests of the pool itself (tests/unit/workers.test.ts): jobs that misbehave the ways a hostile
 * input makes a parser misbehave (never return, eat memory, crash), served by the real serveJobs.
 */
import { threadId } from 'node:worker_threads';
import { GlossError } from '../../electron/notebook/errors';
import { serveJobs } from '../../electron/notebook/workers/serve';

let jobsRun = 0;

void serveJobs({
  echo: (input: unknown) => ({ input, threadId, jobsRun: ++jobsRun }),
  spin: () => {
    for (;;) {
      // a loop that never yields: only terminate() stops it
    }
  },
  allocate: () => {
    const hoard: string[][] = [];
    for (;;) hoard.push(Array.from({ length: 1e5 }, (_, i) => `${i}-${hoard.length}`));
  },
  refuse: () => {
    throw new GlossError('invalid_input', 'This input is refused on purpose.');
  },
  crash: () => {
    throw new TypeError('a bug inside the job, with a private path /home/someone/secret');
  },
  deep: () => {
    const recurse = (n: number): number => recurse(n + 1) + 1;
    return recurse(0);
  },
});
