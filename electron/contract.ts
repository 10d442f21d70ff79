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

export type ImportFormat = 'text' | 'markdown' | 'html' | 'url' | 'pdf' | 'epub';

/**
 * What kind of document an article is. Absent means a web page or text (HTML + text); 'pdf' is drawn by pdf.js; 'epub'
 * is a book shown as HTML (one section per chapter) with its table of contents (`Article.toc`).
 */
export type DocumentKind = 'pdf' | 'epub';

/** One entry of a document's table of contents: `start` is the offset in `text` where it begins. */
export interface TocEntry {
  label: string;
  start: number;
  /** 0 for top-level entries, 1 for their children, ... */
  depth: number;
}

/** What an EPUB's package says about the book, beyond the article's title, byline and language. */
export interface BookInfo {
  creators: string[];
  /** The package's unique identifier (a URN, a UUID, an ISBN...). */
  identifier?: string;
  /** An ISBN-13 or ISBN-10 found among the identifiers, digits only. */
  isbn?: string;
  language?: string;
  publisher?: string;
  /** The spine's page-progression-direction: 'rtl' for a right-to-left book. */
  pageProgression?: 'ltr' | 'rtl';
  /** The book's CSS asks for vertical writing (the reader shows it horizontally). */
  writingMode?: 'vertical-rl' | 'vertical-lr';
}

/**
 * One page of a PDF in the article's canonical text: `text.slice(start, end)` is that page's text as pdf.js reads it
 * (electron/pdf-text.ts builds it, in the import worker and in the reader alike). Pages are joined by a blank line.
 */
export interface PdfPage {
  /** 1-based page number. */
  number: number;
  /** The PDF's own page label ("xii", "A-3") when it has one that differs from the number. */
  label?: string;
  start: number;
  end: number;
}

/** The original PDF, stored content-addressed beside the notebook's articles and never rewritten. */
export interface PdfFileInfo {
  /** SHA-256 of the original bytes (hex): the stored file's name, so the same file twice is one copy. */
  sha256: string;
  bytes: number;
  fileName?: string;
  pageCount: number;
  /** False for a scan: pages are images with no text to select until the PDF gets a text layer (OCR). */
  hasTextLayer: boolean;
  /** The file is encrypted. `password` is what opened it (kept in this notebook only, so the reader can open it). */
  encrypted?: boolean;
  password?: string;
}

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
  /** The user consented to load this article's remote images (off by default: nothing remote loads unasked). */
  loadRemoteImages?: boolean;
  /** 'pdf' for a PDF (see `Article.pdf`, `Article.pages`); absent for web pages and text. */
  kind?: DocumentKind;
  /** A DOI found in the document's metadata or on its first page, as `10.xxxx/...` (no `https://doi.org/`). */
  doi?: string;
  // --- Citation metadata (issue 16): what a reference manager needs. All optional; exports fall back (see citation.ts).
  /** Authors as a list, each as written ("Jane Q. Doe" or "Doe, Jane"); `byline` stays the line the page showed. */
  authors?: string[];
  /** ISBN-13 or ISBN-10, digits (and a final X) only, no hyphens. */
  isbn?: string;
  /** Where the work appeared: a journal's name, a newspaper, a website, a book's series. */
  container?: string;
  publisher?: string;
  volume?: string;
  issue?: string;
  /** Page range in the container, as printed ("117-128"): not `pages`, which is a PDF's page table. */
  pageRange?: string;
  /** The kind of work for citations (a CSL type); absent means it is guessed (ISBN: book; DOI, journal: article...). */
  workType?: WorkType;
  /**
   * The citation key exports use (`[@key]`, BibTeX). Made once, the first time the article is exported, then kept:
   * a key that was written into someone's document must not change when a title is corrected (export/citekey.ts).
   */
  citekey?: string;
}

/** CSL types Gloss distinguishes (the subset BibTeX maps cleanly). */
export const WORK_TYPES = ['article-journal', 'article-newspaper', 'article-magazine', 'webpage', 'post-weblog', 'book', 'chapter', 'paper-conference', 'report', 'thesis', 'document'] as const;
export type WorkType = (typeof WORK_TYPES)[number];

/** What importArticle answers: the new article, and how many annotations already in the file became highlights. */
export interface ImportedArticleSummary extends ArticleSummary {
  /** Highlights made from annotations already in the file (a PDF's Highlight/Underline/StrikeOut/Squiggly). */
  importedHighlights?: number;
  /** Web pages: the images kept with the article, and those not kept, counted by reason (issue 17). */
  images?: ImportedImages;
}

export interface ImportedImages {
  stored: number;
  /**
   * Not kept, by reason: `not-an-image` (the bytes are no PNG/JPEG/GIF/WebP/AVIF/SVG), `too-large` (one image over
   * the limit), `unsafe-svg`, `over-article-limit` (the article's total), `unavailable` (could not be fetched).
   */
  notStored: Partial<Record<'not-an-image' | 'too-large' | 'unsafe-svg' | 'over-article-limit' | 'unavailable', number>>;
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
  /** PDFs only: the 1-based number of the page its `start` is on (kept in step with `start` by the notebook). */
  page?: number;
  /**
   * Other versions of `note`, written on another machine while this one was not synced with it (a synced notebook):
   * both are kept until the user chooses (updateHighlight with `resolvesNoteConflict`). Absent when there are none.
   */
  noteConflicts?: string[];
}

export interface Article extends ArticleSummary {
  text: string;
  /** Sanitized, whitespace-normalized HTML whose text model (see text-model.ts) equals `text`. */
  html?: string;
  note: string;
  /** When `note` last changed: the revision setArticleNote's `ifNoteUpdatedAt` checks, so a stale window cannot overwrite. */
  noteUpdatedAt?: string;
  /**
   * Other versions of `note`, written on another machine while the two were not synced (a synced notebook): kept
   * beside it until the user chooses (setArticleNote with `resolvesConflict`). Absent when there are none.
   */
  noteConflicts?: string[];
  highlights: Highlight[];
  /** PDFs only: where each page's text sits in `text`. */
  pages?: PdfPage[];
  /** PDFs only: the stored original (see articleFilePath for how the reader fetches its bytes). */
  pdf?: PdfFileInfo;
  /** EPUBs: the book's table of contents, as offsets into `text` (content: fixed at import). */
  toc?: TocEntry[];
  /** EPUBs: the package's metadata (content: fixed at import). */
  book?: BookInfo;
}

export interface ImportRequest {
  format: ImportFormat;
  content?: string;
  url?: string;
  title?: string;
  source?: string;
  /** A file's raw bytes (base64) instead of `content`, so the charset is detected from the bytes (BOM, <meta>). */
  contentBase64?: string;
  /** The file's name, named in error messages ("Cannot import "notes.txt": it is empty") and a last-resort title. */
  fileName?: string;
  /** PDFs: the password of an encrypted file. Without it (or with a wrong one) the import fails with `password_required`. */
  password?: string;
  /**
   * HTML: files given with the page (a saved page's `<name>_files` folder, or images picked beside it). `name` is the
   * path relative to the page's folder ("Page_files/fig1.png") or just the file name; an <img> that names it shows it.
   */
  attachments?: ImportAttachment[];
}

export interface ImportAttachment {
  name: string;
  contentBase64: string;
}

/** A PDF replacing an article's PDF (a newer version of the paper): highlights re-anchor by quote, as for text. */
export interface PdfReplacement {
  contentBase64: string;
  fileName?: string;
  password?: string;
}

/** A copy of the original PDF with every Gloss highlight written into it as a standard /Highlight annotation. */
export interface AnnotatedPdf {
  fileName: string;
  contentBase64: string;
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
  /** The note given is the user's choice among the versions in `noteConflicts`: the others are dropped. */
  resolvesNoteConflict?: boolean;
}

export interface ArticleMetaPatch {
  title?: string;
  byline?: string;
  source?: string;
  publishedAt?: string;
  loadRemoteImages?: boolean;
  // Citation metadata: '' (or [] for authors) clears a field. Checked by the input rules below (doiProblem...).
  authors?: string[];
  doi?: string;
  isbn?: string;
  container?: string;
  publisher?: string;
  volume?: string;
  issue?: string;
  pageRange?: string;
  lang?: string;
  workType?: WorkType | '';
  /** A key another article has is refused (conflict); '' clears it (a new one is made at the next export). */
  citekey?: string;
}

/** The citation formats reference managers and pandoc read. */
export type CitationFormat = 'bibtex' | 'csl-json';

export interface CitationExportOptions {
  format: CitationFormat;
  /** These articles, in library order; absent means the whole library. */
  articleIds?: string[];
}

/** The tools people leave, whose exports Gloss reads (see electron/notebook/import/tools/). */
export type ToolImportFormat = 'hypothesis' | 'kindle' | 'readwise' | 'omnivore';
export const TOOL_IMPORT_FORMATS = ['hypothesis', 'kindle', 'readwise', 'omnivore'] as const satisfies readonly ToolImportFormat[];

export interface ToolImportRequest {
  format: ToolImportFormat;
  /** The export as text (Hypothesis JSON, My Clippings.txt, Readwise CSV) ... */
  content?: string;
  /** ... or as bytes (base64): the Omnivore zip, or a text file whose encoding is to be detected. */
  contentBase64?: string;
  /** The file's name, named in messages. */
  fileName?: string;
}

/** What importAnnotationsFrom did: counts, and each thing that could not be matched or kept as it was. */
export interface ToolImportReport {
  /** Articles made: from a URL (Hypothesis), from the export's content (Omnivore), or a stub holding quotes (Kindle). */
  articlesCreated: number;
  /** Articles already in the notebook that received highlights. */
  articlesMatched: number;
  /** Highlights added and anchored in their article's text. */
  highlights: number;
  /** Highlights added but not found in the article's text: kept with quote and note, flagged orphaned. */
  orphaned: number;
  /** Entries not added: already present (a re-import), or nothing to keep (a bookmark). */
  skipped: number;
  /** What could not be matched or was kept differently, one line each (capped at 200; `problemsOmitted` counts more). */
  problems: string[];
  problemsOmitted?: number;
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

/** What `listHighlights` narrows by: the search filters plus a case-insensitive text match on quote, note and tags. */
export interface HighlightFilters extends SearchFilters {
  text?: string;
}

/** One row of the notebook-wide highlight list: the highlight and the title of the article it belongs to. */
export interface HighlightListing {
  highlight: Highlight;
  articleTitle: string;
}

export interface SearchMatch {
  articleId: string;
  articleTitle: string;
  /** Where the match is: the article's text, its title (a word only there), a highlight's quote or note, the article's note. */
  kind: 'text' | 'title' | 'quote' | 'note' | 'article-note';
  highlightId?: string;
  /** UTF-16 offsets of the (first) match in the original article text (kind 'text'), title, quote or note. */
  start: number;
  end: number;
  snippet: string;
  /** Where the match sits in `snippet` ([start, end) into the snippet), to mark it. */
  snippetMatch?: [number, number];
  /** Kind 'text': how many times the query's first phrase or word occurs in the article. */
  occurrences?: number;
}

/** Which page of results: `offset` results skipped (default 0), at most `limit` returned (default 20, at most 200). */
export interface SearchPage {
  offset?: number;
  limit?: number;
}

/**
 * One page of ranked results: title and highlight matches first, then by relevance (BM25). `total` is the true number
 * of results (one per matching article text, highlight, article note), never capped.
 */
export interface SearchResult {
  total: number;
  offset: number;
  limit: number;
  matches: SearchMatch[];
  /**
   * Set while the index is being built or caught up: `pending` articles are not indexed yet; they were read and
   * searched directly, except `unsearched` of them (the time a search may spend reading ran out): not in the results.
   */
  indexing?: { pending: number; unsearched: number };
  /**
   * Set when a phrase matched so many texts that not all were checked in time: `total` then counts texts holding all
   * the words, of which those without the phrase are left out of their page as it is shown. Never set otherwise.
   */
  totalIsUpperBound?: boolean;
  /** What in the query was not understood (an unknown colour), in words for the user; the rest was searched. */
  problems?: string[];
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
  /** How the window looks and where the reader was (issue 8). Kept in the notebook: browser-mode origins change per run. */
  ui?: UiSettings;
}

export type ThemeChoice = 'system' | 'light' | 'dark';
export type Typeface = 'serif' | 'sans' | 'mono';
export type LineWidth = 'narrow' | 'medium' | 'wide';

/**
 * Reading comfort and the reader's place. `updateSettings({ui})` MERGES: fields not given are kept, and `scroll` merges
 * per article (so a theme change never forgets scroll positions, and two windows saving different articles both win).
 */
export interface UiSettings {
  theme?: ThemeChoice;
  /** Reader text size in CSS pixels. */
  fontSize?: number;
  lineWidth?: LineWidth;
  typeface?: Typeface;
  /** The route last shown (`#/article/<id>`, `#/notebook`...), reopened when Gloss starts without one. */
  lastRoute?: string;
  /** Hidden with View > Toggle Notes Panel. */
  notesHidden?: boolean;
  /** The notes panel's width in CSS pixels, as the user dragged it (a narrow window shows less; see NOTES_WIDTH). */
  notesWidth?: number;
  /** Per article id: how far down the reader was, 0 (top) to 1 (end); survives font and window size changes. */
  scroll?: Record<string, number>;
  /**
   * The desktop app's spell checker, off unless the user turns it on: on Windows and Linux Chromium downloads its
   * Hunspell dictionaries from Google's servers for it (macOS uses the system's checker).
   */
  spellcheck?: boolean;
}

export const UI_LIMITS = { minFontSize: 12, maxFontSize: 32, maxRouteChars: 300, minNotesWidth: 240, maxNotesWidth: 1600 } as const;

/**
 * Something the user must know about their notebook that happened without them: a damaged file moved aside and restored
 * from a backup, an article that could not be read. Kept in the notebook until dismissed; shown as a banner.
 */
export interface Notice {
  id: string;
  level: 'info' | 'warning' | 'error';
  message: string;
  /** When it happened (ISO). */
  at: string;
  /** The file concerned, relative to the notebook folder. */
  file?: string;
  /** Where the unreadable bytes were kept, relative to the notebook folder (never deleted by Gloss). */
  keptAt?: string;
  articleId?: string;
}

/** What `exportToFolder` did, file names relative to the folder (see export/folder.ts for the ownership rules). */
export interface FolderExportSummary {
  /** Files created or rewritten. */
  written: string[];
  /** Gloss's own files that already held exactly this export (not touched). */
  unchanged: string[];
  /** Articles whose usual file was edited by the user or is not Gloss's: left alone, written to `writtenTo` instead. */
  conflicts: { file: string; reason: 'edited' | 'not-ours'; writtenTo: string }[];
  /** Older Gloss files of exported articles under another name (the title changed) that the user edited: kept. */
  stale: string[];
  /** Gloss's unedited files of articles whose title changed: removed, the export is now in `to`. */
  renamed?: { from: string; to: string }[];
}

/** Options of the W3C Web Annotation export: the export filters that make sense for annotations. */
export type AnnotationExportOptions = Pick<ExportOptions, 'articleIds' | 'tags' | 'colors'>;

/** A JSON object as it travels (W3C JSON-LD documents are open-ended). */
export type JsonObject = { [key: string]: unknown };

export interface AnnotationImportOptions {
  /** Put every annotation on this article instead of matching articles by the target's source URL. */
  articleId?: string;
}

export interface AnnotationImportResult {
  /** Highlights added and anchored in their article's text. */
  imported: number;
  /** Highlights added but not found in the text: kept (with quote and note) and flagged orphaned. */
  orphaned: number;
  /** Annotations not added: no article matches their source, nothing to anchor, or already present. */
  skipped: number;
}

/** One Markdown file of a Gloss export (a single-file export, or one file of a folder export), as text. */
export interface MarkdownExportFile {
  name: string;
  content: string;
}

/** What importMarkdownExport did, per article of the export and in total. */
export interface MarkdownImportResult {
  articles: {
    id: string;
    title: string;
    /** true: made from the export (its quotes as its text); false: the export's highlights went onto this existing article. */
    created: boolean;
    imported: number;
    orphaned: number;
    skipped: number;
  }[];
  /** Highlights added and anchored. */
  imported: number;
  /** Highlights added but not found in the article's text (kept, flagged orphaned). */
  orphaned: number;
  /** Highlights already there (same id or same passage). */
  skipped: number;
}

/** A whole-notebook backup: every article (text, html, note, highlights) and the settings. Restores exactly. */
export interface NotebookBackup {
  format: 'gloss-notebook-backup';
  version: 1;
  contractVersion: number;
  settings: Settings;
  articles: Article[];
}

export type RestoreMode = 'replace' | 'merge';

export interface RestoreResult {
  /** Articles created or changed by the restore. */
  articles: number;
  /** Highlights added or changed. */
  highlights: number;
  /** Highlights left out in a merge because their id belongs to another article here. */
  skipped: number;
  /** Where the notebook as it was before the restore was saved (inside the notebook folder); absent when it was empty. */
  safetyBackup?: string;
}

/** The v1 API. Every method is async on the wire; the notebook implements it directly. */
export interface GlossApi {
  listArticles(): Promise<ArticleSummary[]>;
  getArticle(id: string): Promise<Article>;
  importArticle(request: ImportRequest): Promise<ImportedArticleSummary>;
  /** Removes an article; what undo needs stays in the notebook's trash for ARTICLE_UNDO_MS, then is purged. */
  deleteArticle(id: string): Promise<void>;
  /** Undo of deleteArticle within ARTICLE_UNDO_MS: the article comes back with its id, highlights and place. */
  restoreArticle(id: string): Promise<ArticleSummary>;
  updateArticleMeta(id: string, patch: ArticleMetaPatch): Promise<ArticleSummary>;
  /**
   * With `ifNoteUpdatedAt`, refuses (conflict) if the note changed since that revision. Returns the new revision. Other
   * versions waiting in `noteConflicts` stay unless `resolvesConflict` (the note given is the user's choice).
   */
  setArticleNote(id: string, note: string, options?: { ifNoteUpdatedAt?: string; resolvesConflict?: boolean }): Promise<{ noteUpdatedAt: string }>;
  addHighlight(articleId: string, highlight: NewHighlight): Promise<Highlight>;
  updateHighlight(highlightId: string, patch: HighlightPatch): Promise<Highlight>;
  deleteHighlight(highlightId: string): Promise<Highlight>;
  /** Puts back a highlight returned by deleteHighlight (undo), keeping its id and dates. */
  restoreHighlight(highlight: Highlight): Promise<Highlight>;
  listTags(): Promise<TagCount[]>;
  renameTag(from: string, to: string): Promise<number>;
  deleteTag(name: string): Promise<number>;
  replaceArticleText(id: string, replacement: { format: Exclude<ImportFormat, 'url' | 'pdf' | 'epub'>; content: string }): Promise<ReanchorResult>;
  /** A PDF article's file replaced by a newer version: text and pages re-read, highlights re-anchored (fuzzy), none dropped. */
  replacePdf(id: string, replacement: PdfReplacement): Promise<ReanchorResult>;
  /** A copy of a PDF article's original with its highlights as /Highlight annotations (colour, note, tags). */
  exportAnnotatedPdf(articleId: string): Promise<AnnotatedPdf>;
  /**
   * Notebook-wide search, ranked and paged. The query syntax (words in any order, "phrases", -exclusions, tag:,
   * color:, article: filters) is in the README; `filters` adds to the query's filters.
   */
  search(query: string, filters?: SearchFilters, page?: SearchPage): Promise<SearchResult>;
  /** Every highlight across the notebook matching the filters, in library order then document order. */
  listHighlights(filters?: HighlightFilters): Promise<HighlightListing[]>;
  exportMarkdown(options?: ExportOptions): Promise<string>;
  getSettings(): Promise<Settings>;
  updateSettings(patch: Partial<Settings>): Promise<Settings>;
  /** What the user should know about their notebook (damaged files, restored backups), oldest first. */
  getNotices(): Promise<Notice[]>;
  /** Removes one notice (the banner's dismiss button). Unknown ids are a 404. */
  dismissNotice(id: string): Promise<void>;
  /** One Markdown file per article into `dir` (an absolute path), updated in place on re-export; never clobbers edits. */
  exportToFolder(dir: string, options?: ExportOptions): Promise<FolderExportSummary>;
  /** The selected highlights as a W3C Web Annotation JSON-LD AnnotationCollection. */
  exportAnnotations(options?: AnnotationExportOptions): Promise<JsonObject>;
  /** Adds W3C annotations (JSON text or parsed; e.g. from Hypothesis) as highlights, anchored in the matching article. */
  importAnnotations(json: unknown, options?: AnnotationImportOptions): Promise<AnnotationImportResult>;
  /**
   * Reads a Gloss Markdown export back (a file, or a folder export's files): each article's highlights go onto the
   * article the export's links name, or one with its source whose text holds the quotes; else the article is made
   * from the export. Quotes, notes, tag names, colours, pages and links are kept.
   */
  importMarkdownExport(files: MarkdownExportFile[]): Promise<MarkdownImportResult>;
  /** The library (or the chosen articles) as BibTeX or CSL-JSON; articles without a citekey get one, kept from then on. */
  exportCitations(options: CitationExportOptions): Promise<string>;
  /** Highlights and notes from another tool's export (Hypothesis, Kindle, Readwise, Omnivore): parsed whole, then added. */
  importAnnotationsFrom(request: ToolImportRequest): Promise<ToolImportReport>;
  backupNotebook(): Promise<NotebookBackup>;
  /** Validates the whole backup first; `replace` makes the notebook exactly the backup, `merge` adds what is missing. */
  restoreNotebook(backup: unknown, options: { mode: RestoreMode }): Promise<RestoreResult>;
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
  'restoreArticle',
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
  'replacePdf',
  'exportAnnotatedPdf',
  'search',
  'listHighlights',
  'exportMarkdown',
  'getSettings',
  'updateSettings',
  'getNotices',
  'dismissNotice',
  'exportToFolder',
  'exportAnnotations',
  'importAnnotations',
  'importMarkdownExport',
  'exportCitations',
  'importAnnotationsFrom',
  'backupNotebook',
  'restoreNotebook',
] as const satisfies readonly ApiMethod[];

export type ErrorCode =
  | 'invalid_input'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'too_large'
  /** The input is within the size limits but would take too long or too much memory (nesting, a template's loops). */
  | 'too_complex'
  /** An encrypted PDF needs a password, or the one given is wrong (the message says which). */
  | 'password_required'
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
  too_complex: 422,
  // Not 401: that one means the browser-mode token was refused, and the page then asks for the printed URL.
  password_required: 423,
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
/** The bridge's importFile: a file's bytes (a Uint8Array, by structured clone) and the import request beside them. */
export const IPC_IMPORT_FILE_CHANNEL = 'gloss:import-file';
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

/** How long a deleted article can be restored (undo); after that, or when the notebook is next opened, it is purged. */
export const ARTICLE_UNDO_MS = 30_000;

/** Limits enforced at every boundary (documented in the README). */
export const LIMITS = {
  /** Largest API request body, bytes. */
  maxBodyBytes: 16 * 1024 * 1024,
  /** Largest article import, bytes of source. */
  maxImportBytes: 15 * 1024 * 1024,
  /** Largest PDF, bytes: sent as raw bytes (IMPORT_FILE_PATH, or the bridge's importFile), never as one JSON string. */
  maxPdfBytes: 256 * 1024 * 1024,
  /** Largest EPUB file, bytes (sent as bytes like a PDF); its unpacked size is bounded too (import/epub/zip.ts). */
  maxEpubBytes: 100 * 1024 * 1024,
  /** Largest backup file a restore reads, bytes (read article by article: a 10,000-article library is ~0.5 GB). */
  maxBackupBytes: 8 * 1024 * 1024 * 1024,
  maxNoteChars: 100_000,
  maxTagChars: 100,
  maxTagsPerHighlight: 50,
  maxTitleChars: 1_000,
} as const;

/**
 * Where the renderer fetches an article's original file (a PDF's bytes), relative to the page's own origin: browser mode
 * serves it with the Bearer token (range requests, so pdf.js streams a large file); the desktop app's gloss-app://
 * scheme serves it from the notebook.
 */
export function articleFilePath(articleId: string): string {
  return `/files/${encodeURIComponent(articleId)}.pdf`;
}

/**
 * Images stored with an article (issue 17): stored HTML names one `gloss-image:<sha256>.<ext>`; the reader shows it
 * from `/images/<sha256>.<ext>` on its own origin (the gloss-app:// scheme in the desktop app; browser mode adds the
 * image key, see imageKeyOf in the web host and the client).
 */
export const IMAGE_REF_PREFIX = 'gloss-image:';
/** `<sha256>.<ext>`: the only names a stored image has. */
export const STORED_IMAGE_NAME = /^([0-9a-f]{64})\.(png|jpg|gif|webp|avif|svg)$/;

export function imageFilePath(name: string): string {
  return `/images/${encodeURIComponent(name)}`;
}

/**
 * Browser mode: an <img> cannot send the Authorization header, and the token never goes in a URL. Images are asked for
 * with `?key=<imageKey>` instead: a key derived from the token (SHA-256 of this context and the token), which opens
 * stored images and nothing else, so a key seen in the page's markup grants no access to the notebook's API.
 */
export async function imageKeyOf(token: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(`gloss-image-key:${token}`));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * A file too large for a JSON body (a 200 MB PDF) is imported as raw bytes: in browser mode `POST` the file to this
 * path (Bearer token, `Content-Type: application/octet-stream`, the ImportRequest's other fields as JSON in the
 * `X-Gloss-Import` header, URI-encoded); under Electron the bridge's `importFile`. The reply is importArticle's.
 */
export const IMPORT_FILE_PATH = '/api/import-file';
export const IMPORT_FILE_HEADER = 'X-Gloss-Import';

/**
 * A whole-notebook backup as a file, never one string (a library of 10,000 articles is ~400 MB of JSON: more than V8
 * can hold in one string). Browser mode: `GET` BACKUP_FILE_PATH streams the backup as a download (the same JSON
 * `backupNotebook` returns, one article per line); `POST` the file's bytes to RESTORE_FILE_PATH`?mode=replace|merge`
 * restores it (restoreNotebook's reply). Under Electron the host's saveBackupFile and restoreBackupFile do both through
 * native dialogs. The CLI's `export --format backup` and `import <backup>` read and write files the same way.
 */
export const BACKUP_FILE_PATH = '/api/backup-file';
export const RESTORE_FILE_PATH = '/api/restore-file';
/** How many articles the streamed backup holds (a header of BACKUP_FILE_PATH's reply, known before it streams). */
export const BACKUP_ARTICLES_HEADER = 'X-Gloss-Articles';

/* ----------------------------------------------------------------------------------------- input rules
 * Pure rules the renderer checks as the user types and the core enforces on every write, so the dialog's message and
 * the API's refusal agree. They validate input only: stored values from older versions still load as they are.
 */

const ISO_DATE = /^(\d{4,})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/;
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
export const DATE_FORM_HINT = 'Use the form YYYY-MM-DD, for example 2017-01-13.';

/**
 * Why `value` is not an acceptable published date, or undefined when it is: an ISO 8601 calendar date `YYYY-MM-DD`
 * or a full date-time (`2017-01-13T09:30:00Z`), a real day of a year from 1000 to 9999 ("2017-02-30" is refused).
 */
export function publishedDateProblem(value: string): string | undefined {
  const m = ISO_DATE.exec(value);
  if (!m) return `"${value}" is not a date. ${DATE_FORM_HINT}`;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 1000 || year > 9999) return `The year ${m[1]} is not between 1000 and 9999. ${DATE_FORM_HINT}`;
  if (month < 1 || month > 12) return `"${m[2]}" is not a month (01 to 12). ${DATE_FORM_HINT}`;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > days) return `${MONTHS[month - 1]} ${year} has no day ${m[3]} (it has ${days} days). ${DATE_FORM_HINT}`;
  if (m[4] !== undefined && (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 59)) {
    return `"${value}" has no such time of day. ${DATE_FORM_HINT}`;
  }
  const zone = m[7] && m[7] !== 'Z' ? m[7] : undefined;
  if (zone && (Number(zone.slice(1, 3)) > 14 || Number(zone.slice(4)) > 59)) return `"${zone}" is not a time zone offset. ${DATE_FORM_HINT}`;
  return undefined;
}

/** A DOI as stored: `10.xxxx/...`, from what a person pastes (`doi:10...`, `https://doi.org/10...`); undefined if none. */
export function normalizeDoi(value: string): string | undefined {
  const v = value.trim().replace(/^(?:doi:\s*|https?:\/\/(?:dx\.)?doi\.org\/)/i, '');
  let decoded = v;
  try {
    decoded = decodeURIComponent(v);
  } catch {
    // a stray % is part of the DOI
  }
  return /^10\.\d{4,9}\/\S+$/.test(decoded) ? decoded : undefined;
}

export function doiProblem(value: string): string | undefined {
  return normalizeDoi(value) ? undefined : `"${value.trim()}" is not a DOI. A DOI starts with 10. and a slash, for example 10.1145/1542476.1542528.`;
}

/** An ISBN as stored: digits (a final X for ISBN-10) without hyphens or spaces; undefined when the check digit is wrong. */
export function normalizeIsbn(value: string): string | undefined {
  const v = value.trim().replace(/^isbn(?:-1[03])?:?\s*/i, '').replace(/[\s-]/g, '').toUpperCase();
  if (/^\d{13}$/.test(v)) {
    const sum = [...v].reduce((acc, d, i) => acc + Number(d) * (i % 2 === 0 ? 1 : 3), 0);
    return sum % 10 === 0 ? v : undefined;
  }
  if (/^\d{9}[\dX]$/.test(v)) {
    const sum = [...v].reduce((acc, d, i) => acc + (d === 'X' ? 10 : Number(d)) * (10 - i), 0);
    return sum % 11 === 0 ? v : undefined;
  }
  return undefined;
}

export function isbnProblem(value: string): string | undefined {
  return normalizeIsbn(value)
    ? undefined
    : `"${value.trim()}" is not an ISBN: an ISBN has 13 digits (or 10, the last may be X) and a check digit that matches them.`;
}

/**
 * Citation keys pandoc and BibTeX both accept: a letter, digit or _ first, then letters, digits and _ : . - (pandoc
 * allows more punctuation inside a key, BibTeX chokes on some of it: this is the set both read).
 */
export const CITEKEY_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_:.-]*$/;

export function citekeyProblem(value: string): string | undefined {
  const v = value.trim();
  if (v.length > 100) return 'A citation key is at most 100 characters.';
  if (!CITEKEY_PATTERN.test(v) || /[:.-]$/.test(v)) {
    return `"${v}" cannot be a citation key: use letters, digits and _ (and : . - inside), for example doe2024tides.`;
  }
  return undefined;
}

/** A BCP 47 language tag as pages declare them ("en", "en-GB", "pt-BR", "zh-Hant-TW"). */
export function languageProblem(value: string): string | undefined {
  return /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(value.trim()) ? undefined : `"${value.trim()}" is not a language tag; use a code such as en, de or pt-BR.`;
}

/** Invisible or text-reordering characters a tag may not contain, with their Unicode names for the error message. */
const INVISIBLE_NAMES: Record<number, string> = {
  0x00: 'NULL',
  0x09: 'CHARACTER TABULATION',
  0x0a: 'LINE FEED',
  0x0d: 'CARRIAGE RETURN',
  0x1b: 'ESCAPE',
  0x7f: 'DELETE',
  0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER',
  0x200d: 'ZERO WIDTH JOINER',
  0x2060: 'WORD JOINER',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
};
// C0 and C1 controls (NUL included), DEL, zero-width characters, bidi embeddings, overrides and isolates.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001F\u007F-\u009F\u200B-\u200D\u2060\uFEFF\u202A-\u202E\u2066-\u2069]/gu;
const EMOJI = /\p{Extended_Pictographic}/u;
// What may sit between an emoji and a ZWJ inside one emoji sequence: variation selector 16 and skin-tone modifiers.
const EMOJI_TRAILERS = /(?:\uFE0F|[\u{1F3FB}-\u{1F3FF}])+$/u;

/**
 * A ZWJ (U+200D) is accepted only where it glues two emoji into one (👨‍👩‍👧, 🏳️‍🌈): there it is part of the picture, not a
 * hidden character. Anywhere else (between letters, at an end) it is refused like the other invisible characters.
 */
function isEmojiJoiner(s: string, index: number): boolean {
  const before = s.slice(0, index).replace(EMOJI_TRAILERS, '');
  const last = Array.from(before.slice(-2)).pop();
  const next = String.fromCodePoint(s.codePointAt(index + 1) ?? 0x20);
  return last !== undefined && EMOJI.test(last) && EMOJI.test(next);
}

/** A tag as typed becomes a tag: NFC, trimmed, any leading `#` dropped (people type `#econ`; the chip adds its own). */
export function tagText(raw: string): string {
  return raw.normalize('NFC').trim().replace(/^#+/, '').trim();
}

/** Why a typed tag is refused, or undefined. `raw` is what was typed; only-`#` and invisible characters are refused. */
export function tagProblem(raw: string): string | undefined {
  const typed = raw.normalize('NFC').trim();
  const tag = tagText(raw);
  if (typed && !tag) return `A tag cannot be only "#"; type a name after it (for example #econ).`;
  for (const m of tag.matchAll(INVISIBLE)) {
    const cp = m[0].codePointAt(0) ?? 0;
    if (cp === 0x200d && isEmojiJoiner(tag, m.index)) continue;
    const code = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
    const name = INVISIBLE_NAMES[cp] ?? 'CONTROL CHARACTER';
    const visible = tag.replace(INVISIBLE, '');
    return `Tag "${visible}" contains an invisible control character (${code} ${name}); remove it.`;
  }
  return undefined;
}

/**
 * What preload exposes as `window.gloss` under Electron: one named function per method, each resolving to the reply
 * envelope (an Error thrown across IPC would lose its code), and a subscription to change events.
 */
export type GlossBridge = {
  [M in ApiMethod]: (...args: ApiArgs<M>) => Promise<ApiReply<ApiResult<M>>>;
} & {
  onEvent(listener: (event: NotebookEvent) => void): () => void;
  onCommand(listener: (command: MenuCommand) => void): () => void;
  /** importArticle for a file sent as bytes (a PDF up to LIMITS.maxPdfBytes): no base64 string is ever made of it. */
  importFile(bytes: Uint8Array, request: Omit<ImportRequest, 'content' | 'contentBase64' | 'url'>): Promise<ApiReply<ImportedArticleSummary>>;
  /** Host facts the UI may show (platform for shortcut labels). */
  platform: string;
  /** Desktop-only capabilities outside the notebook (native dialogs). Absent in browser mode. */
  host?: HostBridge;
};

/** IPC channel of the host capabilities (HostBridge); the first argument names the capability. */
export const IPC_HOST_CHANNEL = 'gloss:host';

/**
 * What the desktop host can do that the notebook cannot: ask the user where to put a file. Every call shows a native
 * dialog, so the page can only write where the user chose. Each resolves to a reply envelope, like the API.
 */
export interface HostBridge {
  /** Native save dialog, then an atomic write of `content` (UTF-8). `path` is null when the user cancelled. */
  saveTextFile(suggestedName: string, content: string): Promise<ApiReply<{ path: string | null }>>;
  /** Native save dialog, then an atomic write of the decoded bytes (an annotated PDF). `path` is null when cancelled. */
  saveBinaryFile(suggestedName: string, contentBase64: string): Promise<ApiReply<{ path: string | null }>>;
  /** Native folder picker; null when the user cancelled. */
  chooseFolder(): Promise<ApiReply<{ path: string | null }>>;
  /** Native save dialog, then the whole notebook written there article by article; `path` null when cancelled. */
  saveBackupFile(suggestedName: string): Promise<ApiReply<{ path: string | null; articles: number }>>;
  /** Native open dialog for a backup file, then a restore read from it article by article; `path` null when cancelled. */
  restoreBackupFile(mode: RestoreMode): Promise<ApiReply<{ path: string | null; result?: RestoreResult }>>;
}
export type HostCapability = keyof HostBridge;
