/**
 * The renderer's one way to the notebook: `window.gloss` under Electron (preload), HTTP + server-sent events in browser
 * mode. Both satisfy the same GlossClient type, so nothing above this folder knows which host it runs in.
 */
import {
  API_METHODS,
  type ApiError,
  type ApiReply,
  type GlossApi,
  type GlossBridge,
  type MenuCommand,
  type NotebookEvent,
} from '../../../electron/contract';

export interface GlossClient extends GlossApi {
  subscribe(listener: (event: NotebookEvent) => void): () => void;
  onCommand(listener: (command: MenuCommand) => void): () => void;
  readonly host: 'electron' | 'browser';
  readonly platform: string;
}

/** An API refusal, with the contract's error code and the notebook's message for the user. */
export class ApiCallError extends Error {
  constructor(
    readonly code: ApiError['code'],
    message: string,
  ) {
    super(message);
    this.name = 'ApiCallError';
  }
}

declare global {
  interface Window {
    gloss?: GlossBridge;
  }
}

function unwrap<T>(reply: ApiReply<T>): T {
  if (reply.ok) return reply.value;
  throw new ApiCallError(reply.error.code, reply.error.message);
}

function electronClient(bridge: GlossBridge): GlossClient {
  const methods = Object.fromEntries(
    API_METHODS.map((m) => [
      m,
      async (...args: unknown[]) => unwrap(await (bridge[m] as (...a: unknown[]) => Promise<ApiReply<unknown>>)(...args)),
    ]),
  ) as unknown as GlossApi;
  return {
    ...methods,
    subscribe: (listener) => bridge.onEvent(listener),
    onCommand: (listener) => bridge.onCommand(listener),
    host: 'electron',
    platform: bridge.platform,
  };
}

function httpClient(): GlossClient {
  const call = async (method: string, args: unknown[]): Promise<unknown> => {
    // Trailing undefined arguments are dropped: JSON would turn them into null, which the schemas refuse.
    while (args.length > 0 && args[args.length - 1] === undefined) args = args.slice(0, -1);
    let response: Response;
    try {
      response = await fetch(`/api/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(args),
        credentials: 'same-origin',
      });
    } catch {
      throw new ApiCallError('internal', 'Gloss is not reachable: is browser mode still running?');
    }
    let reply: ApiReply<unknown>;
    try {
      reply = (await response.json()) as ApiReply<unknown>;
    } catch {
      throw new ApiCallError('internal', `Gloss answered ${response.status} without a JSON body.`);
    }
    return unwrap(reply);
  };
  const methods = Object.fromEntries(API_METHODS.map((m) => [m, (...args: unknown[]) => call(m, args)])) as unknown as GlossApi;

  const listeners = new Set<(event: NotebookEvent) => void>();
  let source: EventSource | null = null;
  const ensureStream = (): void => {
    if (source) return;
    source = new EventSource('/api/events');
    source.addEventListener('change', (message) => {
      const event = JSON.parse((message as MessageEvent<string>).data) as NotebookEvent;
      for (const listener of listeners) listener(event);
    });
  };
  return {
    ...methods,
    subscribe(listener) {
      listeners.add(listener);
      ensureStream();
      return () => {
        listeners.delete(listener);
      };
    },
    onCommand: () => () => undefined, // no native menu in a browser tab: shortcuts do it all
    host: 'browser',
    platform: navigator.platform.toLowerCase().includes('mac') ? 'darwin' : 'other',
  };
}

export function createClient(): GlossClient {
  return window.gloss ? electronClient(window.gloss) : httpClient();
}
