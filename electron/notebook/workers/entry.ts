/**
 * The notebook worker's entry point: built by electron-vite as out/main/notebook-worker.js (electron.vite.config.ts),
 * started by ./pool.ts. It only serves the jobs of ./jobs.ts.
 */
import { notebookJobs, prepareNotebookWorker } from './jobs';
import { serveJobs } from './serve';

void serveJobs(notebookJobs, prepareNotebookWorker);
