/**
 * THE contract between Gloss's user interface and its notebook.
 *
 * Every action a user can take goes through these methods, whichever host serves them: Electron (ipcMain.handle, exposed
 * by preload as `window.gloss`) or browser mode (`POST /api/<method>`, body = JSON array of the arguments). This file
 * imports nothing so the renderer, both hosts, tests and scripts can share it. Runtime validation lives in
 * `schemas.ts` beside it; a type-level check there keeps the two in step.
 *
 * Offsets (`start`/`end`) are UTF-16 code-unit offsets into an article's canonical `text` (BOM stripped, CRLF -> LF,
 * paragraphs separated by one blank line) — the W3C TextPositionSelector, as Hypothesis stores it.
 */

export const CONTRACT_VERSION = 1;

export const HIGHLIGHT_COLORS = ['yellow', 'green', 'blue', 'pink', 'purple'] as const;
export type HighlightColor = (typeof HIGHLIGHT_COLORS)[number];
export const DEFAULT_COLOR: HighlightColor = 'yellow';

/** Characters of context stored either side of a quote (TextQuoteSelector prefix/suffix). */
export const CONTEXT_CHARS = 32;

export type ImportFormat = 'text' | 'markdown' | 'html' | 'url';

export interface ArticleSummary {
  id: string;
  title: string;
  byline?: string;
  source?: string;
  siteName?: string;
  publishedAt?: string;
  addedAt: string;
  updatedAt: string;
  highlightCount: number;
  lang?: string;
  dir?: 'ltr' | 'rtl' | 'auto';
}

export interface Highlight {
  id: string;
  articleId: string;
  start: number;
  end: number;
  quote: string;
  prefix: string;
  suffix: string;
  color: HighlightColor;
  tags: string[];
  note: string;
  createdAt: string;
  updatedAt: string;
  /** Set when the article's text changed and this highlight's quote could not be found again. Never dropped. */
  orphaned?: boolean;
}

export interface Article extends ArticleSummary {
  text: string;
  /** Sanitized, whitespace-normalized HTML whose text model (see text-model.ts) equals `text`. */
  html?: string;
  note: string;
  highlights: Highlight[];
}

export interface ImportRequest {
  format: ImportFormat;
  content?: string;
  url?: string;
  title?: string;
  source?: string;
}

export interface NewHighlight {
  start: number;
  end: number;
  color?: HighlightColor;
  tags?: string[];
  note?: string;
}

export interface HighlightPatch {
  color?: HighlightColor;
  tags?: string[];
  note?: string;
  /** Optimistic concurrency: if given and the stored highlight's updatedAt differs, the call fails with `conflict`. */
  ifUpdatedAt?: string;
}

export interface ArticleMetaPatch {
  title?: string;
  byline?: string;
  source?: string;
  publishedAt?: string;
}

export interface TagCount {
  name: string;
  count: number;
}

export interface SearchFilters {
  tags?: string[];
  colors?: HighlightColor[];
  articleIds?: string[];
}

export interface SearchMatch {
  articleId: string;
  articleTitle: string;
  kind: 'text' | 'quote' | 'note' | 'article-note';
  highlightId?: string;
  /** Offsets of the match in the article text (kind 'text') or in the quote/note. */
  start: number;
  end: number;
  snippet: string;
}

export type ExportGroupBy = 'document' | 'tag' | 'color';

export interface ExportOptions {
  articleIds?: string[];
  tags?: string[];
  colors?: HighlightColor[];
  groupBy?: ExportGroupBy;
  template?: string;
}

export interface ReanchorResult {
  anchored: number;
  orphaned: number;
}

export interface Settings {
  colorLabels: Partial<Record<HighlightColor, string>>;
}

/** The v1 API. Every method is async on the wire; the notebook implements it directly. */
export interface GlossApi {
  listArticles(): Promise<ArticleSummary[]>;
  getArticle(id: string): Promise<Article>;
  importArticle(request: ImportRequest): Promise<ArticleSummary>;
  deleteArticle(id: string): Promise<void>;
  updateArticleMeta(id: string, patch: ArticleMetaPatch): Promise<ArticleSummary>;
  setArticleNote(id: string, note: string): Promise<void>;
  addHighlight(articleId: string, highlight: NewHighlight): Promise<Highlight>;
  updateHighlight(highlightId: string, patch: HighlightPatch): Promise<Highlight>;
  deleteHighlight(highlightId: string): Promise<Highlight>;
  /** Puts back a highlight returned by deleteHighlight (undo), keeping its id and dates. */
  restoreHighlight(highlight: Highlight): Promise<Highlight>;
  listTags(): Promise<TagCount[]>;
  renameTag(from: string, to: string): Promise<number>;
  deleteTag(name: string): Promise<number>;
  replaceArticleText(id: string, replacement: { format: Exclude<ImportFormat, 'url'>; content: string }): Promise<ReanchorResult>;
  search(query: string, filters?: SearchFilters): Promise<SearchMatch[]>;
  exportMarkdown(options?: ExportOptions): Promise<string>;
  getSettings(): Promise<Settings>;
  updateSettings(patch: Partial<Settings>): Promise<Settings>;
}

export type ApiMethod = keyof GlossApi;
export type ApiArgs<M extends ApiMethod> = Parameters<GlossApi[M]>;
export type ApiResult<M extends ApiMethod> = Awaited<ReturnType<GlossApi[M]>>;

/** Every method name, for hosts that bind them by name (preload, HTTP router). Checked against GlossApi in schemas.ts. */
export const API_METHODS = [
  'listArticles',
  'getArticle',
  'importArticle',
  'deleteArticle',
  'updateArticleMeta',
  'setArticleNote',
  'addHighlight',
  'updateHighlight',
  'deleteHighlight',
  'restoreHighlight',
  'listTags',
  'renameTag',
  'deleteTag',
  'replaceArticleText',
  'search',
  'exportMarkdown',
  'getSettings',
  'updateSettings',
] as const satisfies readonly ApiMethod[];

export type ErrorCode =
  | 'invalid_input'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'too_large'
  | 'internal';

export interface ApiError {
  code: ErrorCode;
  message: string;
}

/** The envelope every call returns, over HTTP and over IPC alike. */
export type ApiReply<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export const HTTP_STATUS: Record<ErrorCode, number> = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  internal: 500,
};

/** Change events, pushed to every window (IPC) and every browser tab (`GET /api/events`, server-sent events). */
export type NotebookEvent =
  | { type: 'article-added'; articleId: string }
  | { type: 'article-changed'; articleId: string }
  | { type: 'article-deleted'; articleId: string }
  | { type: 'highlight-changed'; articleId: string; highlight: Highlight }
  | { type: 'highlight-deleted'; articleId: string; highlightId: string }
  | { type: 'tags-changed' }
  | { type: 'settings-changed' }
  | { type: 'notice'; level: 'info' | 'warning' | 'error'; message: string };

/** IPC channel names (Electron host). */
export const IPC_INVOKE_CHANNEL = 'gloss:invoke';
export const IPC_EVENT_CHANNEL = 'gloss:event';
/** Menu commands (File > Import..., Edit > Undo...) sent from main to the focused window; shortcuts run the same code. */
export const IPC_COMMAND_CHANNEL = 'gloss:command';
export type MenuCommand =
  | 'import'
  | 'import-url'
  | 'export'
  | 'undo'
  | 'redo'
  | 'find'
  | 'toggle-notes'
  | 'toggle-theme'
  | 'shortcuts'
  | 'about';

/** Limits enforced at every boundary (documented in the README). */
export const LIMITS = {
  /** Largest API request body, bytes. */
  maxBodyBytes: 16 * 1024 * 1024,
  /** Largest article import, bytes of source. */
  maxImportBytes: 15 * 1024 * 1024,
  maxNoteChars: 100_000,
  maxTagChars: 100,
  maxTagsPerHighlight: 50,
  maxTitleChars: 1_000,
} as const;

/**
 * What preload exposes as `window.gloss` under Electron: one named function per method, each resolving to the reply
 * envelope (an Error thrown across IPC would lose its code), and a subscription to change events.
 */
export type GlossBridge = {
  [M in ApiMethod]: (...args: ApiArgs<M>) => Promise<ApiReply<ApiResult<M>>>;
} & {
  onEvent(listener: (event: NotebookEvent) => void): () => void;
  onCommand(listener: (command: MenuCommand) => void): () => void;
  /** Host facts the UI may show (platform for shortcut labels). */
  platform: string;
};
