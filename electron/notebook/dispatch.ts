import { HTTP_STATUS, type ApiReply, type GlossApi } from '../contract';
import { ArgsError, isApiMethod, parseArgs } from '../schemas';
import { GlossError } from './errors';
import { newId } from './ids';

/**
 * The one way a host calls the notebook: name, untrusted arguments in, an ApiReply envelope out. Both hosts (IPC and
 * HTTP) use it, so validation and error mapping cannot differ between the desktop app and browser mode.
 */
export async function callApi(api: GlossApi, method: string, rawArgs: unknown): Promise<ApiReply<unknown>> {
  if (!isApiMethod(method)) {
    return { ok: false, error: { code: 'not_found', message: `Unknown API method "${method.slice(0, 100)}".` } };
  }
  try {
    const args = parseArgs(method, rawArgs);
    const fn = api[method] as (...a: unknown[]) => Promise<unknown>;
    const value = await fn.apply(api, args as unknown[]);
    return { ok: true, value: value ?? null };
  } catch (error) {
    if (error instanceof ArgsError) return { ok: false, error: { code: 'invalid_input', message: error.message } };
    if (error instanceof GlossError) return { ok: false, error: error.toApiError() };
    return internalError(method, error);
  }
}

/**
 * An error nobody threw on purpose is a bug: its message may name files, paths or internals, so it goes to the log
 * (stderr) under a fresh id, and the caller gets only that id to quote. Every host answers unexpected errors this way.
 */
export function internalError(where: string, error: unknown): ApiReply<never> {
  const id = newId();
  const workerStack = (error as { workerStack?: unknown })?.workerStack;
  console.error(`gloss: internal error ${id} in ${where}:`, error, ...(workerStack ? ['\nin the worker:', workerStack] : []));
  return { ok: false, error: { code: 'internal', message: `Something went wrong inside Gloss (error id ${id}). It was logged.` } };
}

export function statusOf(reply: ApiReply<unknown>): number {
  return reply.ok ? 200 : HTTP_STATUS[reply.error.code];
}
