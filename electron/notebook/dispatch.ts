import { HTTP_STATUS, type ApiReply, type GlossApi } from '../contract';
import { ArgsError, isApiMethod, parseArgs } from '../schemas';
import { GlossError } from './errors';

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
    console.error(`gloss: ${method} failed`, error);
    return { ok: false, error: { code: 'internal', message: `${method} failed unexpectedly: ${describe(error)}` } };
  }
}

export function statusOf(reply: ApiReply<unknown>): number {
  return reply.ok ? 200 : HTTP_STATUS[reply.error.code];
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
