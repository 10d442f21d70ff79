import type { ApiArgs, ApiMethod } from '../../../electron/contract';
import type { GlossClient } from '../api/client';
import { authorizationHeaders } from '../api/token';

/** keepalive requests may carry at most 64 KiB in Chromium; a larger body goes through the ordinary client. */
const KEEPALIVE_MAX_BYTES = 60 * 1024;

/**
 * A call that must outlive the page: a note flushed from `pagehide` while the tab closes. In browser mode a
 * keepalive fetch (the browser finishes it after the page is gone), with the tab's token in its Authorization header
 * like every other call; under Electron the IPC message is posted before the window unloads, so the ordinary client
 * call is enough.
 */
export function callOnUnload<M extends ApiMethod>(client: GlossClient, method: M, ...args: ApiArgs<M>): void {
  const body = JSON.stringify(args);
  if (client.host === 'browser' && new Blob([body]).size <= KEEPALIVE_MAX_BYTES) {
    void fetch(`/api/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...authorizationHeaders() },
      body,
      credentials: 'omit',
      keepalive: true,
    }).catch(() => undefined);
    return;
  }
  const fn = client[method] as (...a: unknown[]) => Promise<unknown>;
  void fn.apply(client, args as unknown[]).catch(() => undefined);
}
