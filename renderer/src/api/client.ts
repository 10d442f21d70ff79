/**
 * The renderer's one way to the notebook: `window.gloss` under Electron (preload), HTTP + server-sent events in browser
 * mode. Both satisfy the same GlossClient type, so nothing above this folder knows which host it runs in.
 */
import {
  API_METHODS,
  articleFilePath,
  imageFilePath,
  imageKeyOf,
  IMPORT_FILE_HEADER,
  IMPORT_FILE_PATH,
  BACKUP_ARTICLES_HEADER,
  BACKUP_FILE_PATH,
  RESTORE_FILE_PATH,
  type ApiError,
  type ApiReply,
  type GlossApi,
  type GlossBridge,
  type ImportedArticleSummary,
  type ImportRequest,
  type MenuCommand,
  type NotebookEvent,
  type RestoreMode,
  type RestoreResult,
} from '../../../electron/contract';
import { createParser } from 'eventsource-parser';
import { authorizationHeaders, currentToken, forgetToken } from './token';

export interface GlossClient extends GlossApi {
  subscribe(listener: (event: NotebookEvent) => void): () => void;
  onCommand(listener: (command: MenuCommand) => void): () => void;
  readonly host: 'electron' | 'browser';
  readonly platform: string;
  /**
   * Where the reader fetches an article's stored PDF (pdf.js's `url` and `httpHeaders`): browser mode needs the token
   * in a header (never in the URL); the desktop app serves it on its own gloss-app:// origin.
   */
  documentSource(articleId: string): DocumentSource;
  /** importArticle for a file sent as raw bytes (a PDF up to LIMITS.maxPdfBytes): never a base64 string. */
  importFile(file: Blob, request: ImportFileRequest): Promise<ImportedArticleSummary>;
  /**
   * Where the reader shows a stored image (`gloss-image:<name>` in an article's HTML) from: the gloss-app:// scheme in
   * the desktop app; in browser mode this origin's /images/ with the image key (an <img> cannot send the token).
   */
  imageUrls(): Promise<(name: string) => string>;
  /**
   * A whole-notebook backup file, streamed article by article (contract.ts BACKUP_FILE_PATH): in browser mode the
   * download's body, to be saved under a name; the desktop app saves through its own dialog (host.saveBackupFile).
   */
  downloadBackup?(): Promise<{ blob: Blob; articles: number }>;
  /** A backup file restored by the notebook reading it article by article: browser mode uploads the file. */
  restoreBackupFile?(file: Blob, mode: RestoreMode): Promise<RestoreResult>;
}

export interface DocumentSource {
  url: string;
  httpHeaders?: Record<string, string>;
}

export type ImportFileRequest = Omit<ImportRequest, 'content' | 'contentBase64' | 'url'>;

/** The desktop app's page origin (index.ts main registers it); the dev server's page fetches files from it too. */
const APP_ORIGIN = 'gloss-app://renderer';

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
    documentSource: (articleId) => ({ url: `${APP_ORIGIN}${articleFilePath(articleId)}` }),
    imageUrls: async () => (name) => `${APP_ORIGIN}${imageFilePath(name)}`,
    // Structured clone carries the Uint8Array to main as bytes.
    importFile: async (file, request) => unwrap(await bridge.importFile(new Uint8Array(await file.arrayBuffer()), request)),
  };
}

/** Browser mode: every call carries the tab's token (api/token.ts) in an Authorization header; no cookie exists. */
function httpClient(onUnauthorized: () => void): GlossClient {
  /** A 401 to a request that carried `sent`: true if that was still this tab's token (now forgotten, the app locked). */
  const refused = (sent: string | null): boolean => {
    if (!forgetToken(sent)) return false;
    onUnauthorized();
    return true;
  };
  /** One request with the token; 401 (and only 401: a PDF's password_required is 423) means the token. */
  const send = async (path: string, init: RequestInit & { headers?: Record<string, string> }): Promise<Response> => {
    const sent = currentToken();
    let response: Response;
    try {
      response = await fetch(path, { ...init, headers: { ...init.headers, ...authorizationHeaders() }, credentials: 'omit' });
    } catch {
      throw new ApiCallError('internal', 'Gloss is not reachable: is browser mode still running?');
    }
    if (response.status === 401) refused(sent);
    return response;
  };
  /** A reply envelope read and unwrapped (an error reply throws its code and message). */
  const replyOf = async (response: Response): Promise<unknown> => {
    let reply: ApiReply<unknown>;
    try {
      reply = (await response.json()) as ApiReply<unknown>;
    } catch {
      throw new ApiCallError('internal', `Gloss answered ${response.status} without a JSON body.`);
    }
    return unwrap(reply);
  };
  /** One POST, its reply envelope unwrapped. */
  const post = async (path: string, headers: Record<string, string>, body: BodyInit): Promise<unknown> => replyOf(await send(path, { method: 'POST', headers, body }));
  const call = (method: string, args: unknown[]): Promise<unknown> => {
    // Trailing undefined arguments are dropped: JSON would turn them into null, which the schemas refuse.
    while (args.length > 0 && args[args.length - 1] === undefined) args = args.slice(0, -1);
    return post(`/api/${method}`, { 'Content-Type': 'application/json' }, JSON.stringify(args));
  };
  const methods = Object.fromEntries(API_METHODS.map((m) => [m, (...args: unknown[]) => call(m, args)])) as unknown as GlossApi;

  const listeners = new Set<(event: NotebookEvent) => void>();
  let streaming = false;
  const ensureStream = (): void => {
    if (streaming) return;
    streaming = true;
    void streamEvents(
      (event) => {
        for (const listener of listeners) listener(event);
      },
      refused,
    );
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
    documentSource: (articleId) => ({ url: `${location.origin}${articleFilePath(articleId)}`, httpHeaders: authorizationHeaders() }),
    imageUrls: async () => {
      const token = currentToken();
      const key = token === null ? '' : await imageKeyOf(token);
      return (name) => `${location.origin}${imageFilePath(name)}?key=${key}`;
    },
    downloadBackup: async () => {
      const response = await send(BACKUP_FILE_PATH, { cache: 'no-store' });
      if (!response.ok) await replyOf(response); // throws the server's refusal
      const articles = Number(response.headers.get(BACKUP_ARTICLES_HEADER) ?? 0);
      try {
        // Chromium keeps a large blob on disk, not in the page's memory; a download cut off mid-way rejects here.
        return { blob: await response.blob(), articles };
      } catch {
        throw new ApiCallError('internal', 'The backup download was cut off before it ended; nothing was saved.');
      }
    },
    restoreBackupFile: (file, mode) =>
      post(`${RESTORE_FILE_PATH}?mode=${mode}`, { 'Content-Type': 'application/octet-stream' }, file) as Promise<RestoreResult>,
    // The Blob goes as the body itself (the browser streams it); the request's other fields ride in a header.
    importFile: (file, request) =>
      post(
        IMPORT_FILE_PATH,
        { 'Content-Type': 'application/octet-stream', [IMPORT_FILE_HEADER]: encodeURIComponent(JSON.stringify(request)) },
        file,
      ) as Promise<ImportedArticleSummary>,
  };
}

/**
 * GET /api/events read with fetch(), not EventSource: EventSource cannot send an Authorization header, and the other
 * ways around that (a cookie, a token or ticket in the URL) put a secret where other ports or logs see it. The stream
 * is parsed with eventsource-parser and reopened after a pause when it drops (as EventSource would); a 401 to this
 * tab's token stops it.
 */
async function streamEvents(emit: (event: NotebookEvent) => void, refused: (sent: string | null) => boolean): Promise<void> {
  const parser = createParser({
    onEvent: (message) => {
      if (message.event !== 'change') return;
      try {
        emit(JSON.parse(message.data) as NotebookEvent);
      } catch {
        /* a malformed event is skipped; the next one still arrives */
      }
    },
  });
  for (let attempt = 0; ; attempt++) {
    try {
      const sent = currentToken();
      const response = await fetch('/api/events', { headers: { Accept: 'text/event-stream', ...authorizationHeaders() }, credentials: 'omit', cache: 'no-store' });
      // Refused: the stream stops, unless a newer token came meanwhile (then it is opened again with that one).
      if (response.status === 401 && refused(sent)) return;
      if (response.ok && response.body) {
        attempt = 0;
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) parser.feed(chunk.value);
      }
    } catch {
      /* the server went away or the connection dropped: try again below */
    }
    parser.reset();
    await new Promise((resolve) => setTimeout(resolve, Math.min(1000 * 2 ** attempt, 15_000)));
  }
}

/** `onUnauthorized`: browser mode's token was refused (see main.tsx, which then asks for the printed URL). */
export function createClient(onUnauthorized: () => void = () => undefined): GlossClient {
  return window.gloss ? electronClient(window.gloss) : httpClient(onUnauthorized);
}
