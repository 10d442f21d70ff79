import type { ErrorCode } from '../../contract';

/** What the pool posts to a worker: run `job` on `input` and answer with the same id. */
export interface JobRequest {
  id: number;
  job: string;
  input: unknown;
}

/**
 * What a worker answers. A GlossError travels as its code and message (the user's words); anything else is a bug or a
 * crash inside the job, and travels as a message and stack for the log, never for the user.
 */
export type JobReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { code?: ErrorCode; message: string; stack?: string } };

/** The first message a worker sends, once its modules are loaded: jobs' time limits start after this. */
export interface ReadyMessage {
  ready: true;
}
