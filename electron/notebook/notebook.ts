import { access, lstat, mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { randomBytes } from 'node:crypto';
import { Low } from 'lowdb';
import type { NotebookFiles } from './file-transfer';
import {
  ARTICLE_UNDO_MS,
  DEFAULT_COLOR,
  LIMITS,
  type Article,
  type ArticleMetaPatch,
  type AnnotatedPdf,
  type ArticleSummary,
  type ExportOptions,
  type PdfReplacement,
  type GlossApi,
  type Highlight,
  type HighlightFilters,
  type HighlightListing,
  type HighlightPatch,
  type ImportFormat,
  type ImportRequest,
  type ImportedArticleSummary,
  type NewHighlight,
  type NotebookEvent,
  type Notice,
  type ReanchorResult,
  type SearchFilters,
  type SearchPage,
  type SearchResult,
  type Settings,
  type TagCount,
  type UiSettings,
  publishedDateProblem,
} from '../contract';
import { GlossError, invalid, notFound } from './errors';
import { newId } from './ids';
import { cleanTag, normalizeTags, tagKey } from './tags';
import {
  articleAdapter,
  articlePath,
  loadNotebookFiles,
  notebookAdapter,
  readArticleFile,
  removeLeftoverTempFiles,
  sameStamp,
  stampArticleFiles,
  stampOf,
  writeSummaryCache,
  type FileStamp,
  type LoadedNotebook,
} from './store/load';
import { ARTICLES_DIR, BACKUPS_DIR, CONTENT_DIR, INDEX_FILE, LOCAL_DIR, NOTEBOOK_FILE, NOTICES_FILE, STIGNORE_FILE, TRASH_DIR, UI_FILE } from './store/layout';
import { checkAnnotationDoc, checkNotebookDoc, SCHEMA_VERSION } from './migrations';
import { ContentCache, readContent, removeContent, storeContent, withHtml, CONTENT_FIELDS, type ArticleContent, type ContentSource } from './store/content';
import { migrateV1, needsV1Migration, V1_GUARD } from './store/migrate-v1';
import { pretty } from './store/recover';
import { DurableJsonFile } from './store/durable-file';
import { mergeUiSettings } from './ui-settings';
import { FolderLock } from './store/lock';
import { deviceIdOf } from './sync/device';
import { recordWrite, sameDoc } from './sync/merge';
import { mergeBeforeWrite, startSync, takeInChange, type SyncPort } from './sync/reconcile';
import { watchNotebookFolder, type FolderWatcher } from './sync/watch';
import { prepareExportFolder } from './export/target';
import { RollingBackups } from './store/backups';
import { describeRange, checkRange } from './anchoring/selectors';
import { reanchorAll } from './anchoring/anchor';
import { importArticleContent, importEpubBytes, importTimeLimitMs, importUrl, type ImportedArticle } from './import';
import { LOOPBACK_RANGES } from './import/address-policy';
import { renderExport } from './export/render';
import type { AnnotationExportOptions, AnnotationImportOptions, AnnotationImportResult, FolderExportSummary, JsonObject, MarkdownExportFile, MarkdownImportResult, NotebookBackup, RestoreMode, RestoreResult } from '../contract';
import { importMarkdownExport } from './import/markdown-export-import';
import { checkTemplate, exportToFolder as writeExportFolder, fromWebAnnotations, makeBackup, parseBackup, toWebAnnotations } from './export';
import { highlightOwners, needsRefit, needsResanitizing, planArticleRestore, restoredSettings, type ArticleRestorePlan, type StoredArticle } from './export/restore';
import { backupCheckTimeLimitMs, backupFileArticles, backupJsonChunks } from './export/backup-file';
import { articlesAddressed, type AnnotationImportPlan } from './export/annotation-import';
import { ANCHORING_TIME_LIMIT_MS, runNotebookJob, WORKER_TIME_LIMIT_MS } from './workers/run';
import { fsyncDirectory, writeFileDurably } from './store/durable-file';
import { NotebookSearch, SEARCH_INDEX_FILE } from './search/notebook-search';
import { listNotebookHighlights } from './highlight-list';
import { pageAtOffset } from '../pdf-text';
import { decodePdfBase64, highlightsFromFile, looksLikePdf, pdfArticleFields, pdfFileInfo, pdfName, readPdfInWorker, type PdfSource } from './pdf/import';
import { assertExportable, exportAnnotatedPdfFile } from './pdf/export-annotated';
import { removePdfIfUnused, storedPdfPath, storedPdfSize, storePdf, sweepUnusedPdfs } from './pdf/store';
import { applyCitationPatch } from './citation-patch';
import { assignCitekeys } from './export/citekey';
import { renderCitations } from './export/citations';
import type { CitationExportOptions, ToolImportReport, ToolImportRequest } from '../contract';
import { importFromTool } from './import/tools';
import { ImageKeeper, importedImagesOf } from './images/keeper';
import { IMAGES_DIR, imagesReferencedBy, storedImageFile, type StoredImageFile } from './images/store';

/** Deleted articles wait in TRASH_DIR for undo (ARTICLE_UNDO_MS), then are purged; the folder is purged on open and close. */
export { SCHEMA_VERSION, INDEX_FILE, NOTEBOOK_FILE, ARTICLES_DIR, TRASH_DIR };

/** An article's metadata and note: everything of Article but its content (store/content.ts) and highlights. */
export type ArticleMeta = Omit<Article, 'highlights' | 'highlightCount' | keyof ArticleContent>;

/** A deleted highlight, remembered so a sync merge does not bring it back from another machine's copy. */
export interface Tombstone {
  id: string;
  deletedAt: string;
}

/**
 * What one article's annotation file (articles/<id>.json) holds: the only file an ordinary edit rewrites. Its text
 * and HTML are in content/<contentId>.json, immutable.
 */
export interface AnnotationDoc {
  schemaVersion: number;
  contentId: string;
  article: ArticleMeta;
  highlights: Highlight[];
  tombstones: Tombstone[];
}

/** An article whole, content and all: what search, export, backup and restore work on. */
export interface ArticleDoc {
  /** Set on version 1 files, which held all of this. */
  schemaVersion?: number;
  article: Omit<Article, 'highlights' | 'highlightCount'>;
  highlights: Highlight[];
}

/** Shared settings (notebook.json): merged per key between machines, each key's last change in `updatedAt`. */
export interface NotebookDoc {
  schemaVersion: number;
  settings: Pick<Settings, 'colorLabels'>;
  seeded: boolean;
  /** `colorLabels.<colour>` and `seeded` -> when it last changed (a removed label keeps its time: the removal merges). */
  updatedAt: Record<string, string>;
}

/** Version 1's article file and index (read by store/v1.ts for the migration). */
export type V1ArticleDoc = ArticleDoc & { schemaVersion: number };
export interface V1IndexDoc {
  schemaVersion: number;
  articleIds: string[];
  settings: Settings;
  seeded: boolean;
  notices?: Notice[];
}

/** What Gloss wrote last to one annotation file: a write can check nobody (a sync engine) replaced it since. */
export type WrittenStamp = FileStamp;

/**
 * The summary cache is written this long after a change (and on close): derived, never on a write's path, and rare
 * (at 10,000 articles it is a few MB to serialize). After a crash the next open finds it stale and looks at each file.
 */
const SUMMARY_CACHE_DELAY_MS = 30_000;
/**
 * A library this big waits BEHIND_OPEN_PAUSE_MS after its open before the check of every file and the folder watcher
 * start (each looks at every file: at 10,000 articles they slowed the first answer by a third, measured). Smaller ones
 * start at once.
 */
const BIG_LIBRARY = 1_000;
const BEHIND_OPEN_PAUSE_MS = 200;

export interface OpenOptions {
  /** Plain-text file whose first line is the title: imported once, into a brand-new notebook. */
  seedArticlePath?: string;
  /** Who holds the folder lock, named in the refusal a second process gets. */
  owner?: string;
  /**
   * URL imports may fetch from 127.0.0.1 and ::1. FOR TESTS ONLY (the e2e suite's local test sites); set by the web
   * host's `--allow-loopback-import`. Every other non-public address stays refused.
   */
  allowLoopbackImport?: boolean;
  /**
   * Watch the folder for changes from outside (a sync engine, issue 18) and take them in. On by default; the command
   * line, which opens the notebook for one call, turns it off (conflict copies are still merged at open).
   */
  watch?: boolean;
}

type Listener = (event: NotebookEvent) => void;

/**
 * A notebook folder (version 2, store/layout.ts): one small annotation file per article (all kept in memory: they are
 * what the library list, tags and highlight lists need), its immutable content loaded on demand into a bounded cache,
 * shared settings in notebook.json, one machine's things under local/. Implements the whole contract; the hosts only
 * validate arguments and carry calls. Every method that changes something resolves only after the change is on disk.
 */
export class Notebook implements GlossApi, NotebookFiles {
  private readonly docs = new Map<string, Low<AnnotationDoc>>();
  /** Article ids in library order (addedAt, then id): derived from the files, kept sorted as articles come and go. */
  private order: string[] = [];
  /** highlight id -> article id, so updateHighlight(hid) finds its file without a scan. */
  private readonly highlightOwner = new Map<string, string>();
  private readonly listeners = new Set<Listener>();
  /** Deleted articles that undo can still bring back: their file (moved to TRASH_DIR) and purge timer. */
  private readonly trash = new Map<string, { low: Low<AnnotationDoc>; timer: ReturnType<typeof setTimeout> }>();
  /** Originals stored by an import or replacement not yet written to its article (sha256 -> how many): in use too. */
  private readonly pendingPdfs = new Map<string, number>();
  /** The derived search index: fed by emit(), reading articles through getArticle, saved under local/cache/. */
  readonly searchIndex: NotebookSearch;
  /** Summaries made once per version of an annotation doc (every change replaces the doc object). */
  private readonly summaries = new WeakMap<AnnotationDoc, ArticleSummary>();
  /**
   * What Gloss last wrote (or read) per article file, and the doc those bytes hold: lastWritten() answers from it, and
   * the summary cache is written from it (never from memory ahead of the disk: a write that never landed is not cached).
   */
  private onDisk = new Map<string, { stamp: FileStamp; doc: AnnotationDoc }>();
  /** Articles of a newer format: listed nowhere, never rewritten; their content is never removed. */
  private held = new Set<string>();
  private readonly contents: ContentCache;
  /** Articles with a write of Gloss's own in flight: a reload then would read our own half-way state. */
  private readonly writing = new Map<string, number>();
  private cacheTimer: ReturnType<typeof setTimeout> | undefined;
  /** This machine's id in the notes' version history (sync/clock.ts). */
  private device = 'local';
  /** The folder watcher (sync/watch.ts), while open. */
  private watcher: FolderWatcher | undefined;
  /** The watcher getting ready, behind the open (see watchInBackground). */
  private watching: Promise<void> | undefined;
  private closing = false;
  /** Set while close() waits for the work behind the open: an image sweep in it stops reading (storedHtmls). */
  private stopSweeps = false;
  private port: SyncPort | undefined;
  /** Stored images (images/): written before their article, removed when no article's HTML names them. */
  private readonly images: ImageKeeper;

  private constructor(
    readonly dir: string,
    private readonly shared: Low<NotebookDoc>,
    private readonly ui: Low<{ ui?: UiSettings }>,
    private readonly noticeFile: Low<{ notices: Notice[] }>,
    private readonly lock: FolderLock,
    private readonly options: OpenOptions,
  ) {
    this.searchIndex = new NotebookSearch(
      {
        listArticles: () => this.listArticles(),
        loadArticle: (id) => this.getArticle(id),
        colorLabels: async () => this.shared.data.settings.colorLabels,
        writesInFlight: () => this.whenNoWrites(),
        peekAnnotations: (id) => {
          const doc = this.docs.get(id)?.data;
          if (!doc) return null;
          const { title, note, updatedAt } = doc.article;
          return { title, note, updatedAt, contentKey: doc.contentId, highlights: doc.highlights };
        },
      },
      path.join(dir, SEARCH_INDEX_FILE),
    );
    this.contents = new ContentCache((contentId) => readContent(this.dir, contentId));
    this.images = new ImageKeeper(dir, () => this.storedHtmls());
  }

  static async open(dir: string, options: OpenOptions = {}): Promise<Notebook> {
    await mkdir(path.join(dir, LOCAL_DIR), { recursive: true });
    const lock = await FolderLock.acquire(path.join(dir, LOCAL_DIR), options.owner ?? 'another Gloss process', { perMachine: true });
    try {
      if (await needsV1Migration(dir)) {
        // A Gloss of before v2 holds its lock at the top of the folder: never migrate under a running one.
        const v1Lock = await FolderLock.acquire(dir, options.owner ?? 'another Gloss process');
        try {
          await migrateV1(dir);
        } finally {
          await v1Lock.release();
        }
      }
      await mkdir(path.join(dir, ARTICLES_DIR), { recursive: true });
      await writeSyncFiles(dir);
      // Unreadable files are moved aside and restored from backups here; only a newer-format notebook.json stops the open.
      // A notebook that stays open answers from the summary cache and checks each file's stamp behind the open (see
      // checkBehindOpen); a one-call open (the command line) has no "behind": it looks at every file first.
      const checkLater = options.watch !== false;
      const files = await loadNotebookFiles(dir, { checkLater });
      const shared = new Low<NotebookDoc>(notebookAdapter(dir), files.notebook);
      const ui = new Low<{ ui?: UiSettings }>(new DurableJsonFile<{ ui?: UiSettings }>(path.join(dir, UI_FILE), pretty), (await readLocalJson<{ ui?: UiSettings }>(dir, UI_FILE)) ?? {});
      const storedNotices = (await readLocalJson<{ notices?: Notice[] }>(dir, NOTICES_FILE))?.notices ?? [];
      const noticeFile = new Low<{ notices: Notice[] }>(new DurableJsonFile<{ notices: Notice[] }>(path.join(dir, NOTICES_FILE), pretty), { notices: storedNotices });
      const notebook = new Notebook(dir, shared, ui, noticeFile, lock, options);
      await notebook.loadArticles(files);
      if (!checkLater) {
        notebook.checked = notebook.checkBehindOpen(files);
        await notebook.checked;
      }
      if (!shared.data.seeded) await notebook.seed();
      // Sync (issue 18): conflict copies made while Gloss was closed are merged now; then the folder is watched.
      notebook.device = await deviceIdOf(dir);
      await startSync(notebook.syncPort(), { watch: false });
      // The work behind the open starts once the open has returned and, in a big library, after a short pause: the
      // host's first answers (a window's library list) then go before 10,000 stats and the watcher's walk of the folder.
      const pause = checkLater && files.articles.size >= BIG_LIBRARY ? BEHIND_OPEN_PAUSE_MS : 0;
      notebook.settled = new Promise<void>((resolve) => setTimeout(resolve, pause));
      if (checkLater) notebook.checked = notebook.checkBehindOpen(files);
      if (options.watch !== false) notebook.watching = notebook.watchInBackground();
      return notebook;
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  /**
   * Starts the folder watcher behind the open: chokidar looks at every file before it is ready (~2 s at 10,000
   * articles, measured: most of the open's time), and the notebook answers meanwhile. What changed in that gap is
   * found by a look at every file's stamp once the watcher is ready.
   */
  private async watchInBackground(): Promise<void> {
    await this.settled;
    if (this.closing) return;
    const port = this.syncPort();
    const watcher = watchNotebookFolder(this.dir, (id) => port.isArticle(id), (change) => takeInChange(port, change));
    try {
      await watcher.ready;
    } catch (error) {
      console.error('gloss: the notebook folder could not be watched', error);
      await watcher.close().catch(() => undefined);
      return;
    }
    if (this.closing) {
      await watcher.close();
      return;
    }
    this.watcher = watcher;
    // After the check behind the open (two looks at once would take one change in twice).
    await this.checked;
    await this.rescan().catch((error: unknown) => console.warn('gloss: could not look for changes made while the watcher started', error));
  }

  /** Resolves once the folder is watched (tests that change files from outside right after an open). */
  async whenWatching(): Promise<void> {
    await this.watching;
  }

  async close(): Promise<void> {
    this.closing = true;
    // The work behind the open stops at its next step (it never rejects); an image sweep stops before removing.
    this.stopSweeps = true;
    await this.checked;
    this.stopSweeps = false; // the trash purged below sweeps the images of its articles
    await this.watching?.catch(() => undefined);
    await this.watcher?.close();
    this.listeners.clear();
    await this.searchIndex.close();
    for (const entry of this.trash.values()) clearTimeout(entry.timer);
    const deleted = [...this.trash.values()].map((entry) => entry.low.data);
    this.trash.clear();
    for (const doc of deleted) await this.purgeArticle(doc).catch(() => undefined);
    await rm(path.join(this.dir, TRASH_DIR), { recursive: true, force: true });
    if (this.cacheTimer) clearTimeout(this.cacheTimer);
    await this.writeCache().catch(() => undefined);
    await this.lock.release();
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    // What the check behind the open took in, told again to a listener that comes later: a window may have had its
    // first answers (from the summary cache) before that, and subscribed only after (browser mode's event stream is a
    // request of its own). A window that read after the change loads the same thing once more: harmless.
    if (this.checkEvents.size) {
      const told = [...this.checkEvents.values()];
      setImmediate(() => {
        for (const event of told) if (this.listeners.has(listener)) listener(event);
      });
    }
    return () => this.listeners.delete(listener);
  }

  /** The events the check behind the open sent (the last per article, and tags-changed), for later listeners. */
  private readonly checkEvents = new Map<string, NotebookEvent>();
  private recordingCheck = false;

  // --- Articles -------------------------------------------------------------------------------------------------

  /**
   * The library list: made once and kept until an article changes (10,000 summaries are not rebuilt per call). The
   * summaries are frozen, shared by every caller until the next change: read them, never edit them.
   */
  async listArticles(): Promise<ArticleSummary[]> {
    this.listCache ??= this.order.map((id) => this.frozenSummaryOf(this.docs.get(id)!.data));
    return this.listCache.slice();
  }

  private listCache: ArticleSummary[] | null = null;

  async getArticle(id: string): Promise<Article> {
    const { article, highlights } = await this.fullDoc(id);
    return { ...article, highlightCount: highlights.length, highlights: highlights.map((h) => ({ ...h })) };
  }

  /**
   * For the sync watcher (issue 18): reads an article's annotation file again after it changed on disk, takes it as the
   * article (a removed file removes the article) and tells every window. Resolves with what changed.
   */
  async reloadArticle(id: string): Promise<'changed' | 'added' | 'deleted' | 'unchanged'> {
    const file = articlePath(this.dir, id);
    for (let attempt = 0; attempt < 5; attempt++) {
      if (this.writing.has(id)) return 'unchanged'; // our own write: it merges the file in (mergeBeforeWrite) and records what it wrote
      const stamp = await stampOf(file);
      const current = this.docs.get(id);
      const before = current?.data;
      if (stamp && current && sameStamp(stamp, this.onDisk.get(id)?.stamp)) return 'unchanged';
      // As an open reads it: damaged -> moved aside and restored from its backups; newer -> held; each with a notice.
      const notices: Notice[] = [];
      const notify = (n: Omit<Notice, 'id' | 'at'>): void => {
        console.warn(`gloss: ${n.message}`);
        notices.push({ id: newId(), at: new Date().toISOString(), ...n });
      };
      // Not a plain file yet there (a symbolic link): read as an open reads it, which reports it and restores the backup.
      const present = stamp !== undefined || (await lstat(file).then(() => true, () => false));
      const read = present ? await readArticleFile(this.dir, id, notify) : ({ state: 'gone' } as const);
      if (notices.length) this.articleNoticesSeen++;
      if (notices.length) await this.addNotices(notices);
      // A write began, or the article changed in memory, while the file was read: taking the file now would undo that
      // change (a write merges the file in itself). Look again.
      if (this.writing.has(id) || this.docs.get(id) !== current || current?.data !== before) continue;
      if (read.state !== 'read') {
        if (read.state === 'held') this.held.add(id);
        if (!current) return 'unchanged';
        this.forgetArticle(id);
        this.emit({ type: 'article-deleted', articleId: id });
        if (current.data.highlights.some((h) => h.tags.length > 0)) this.emit({ type: 'tags-changed' });
        return 'deleted';
      }
      const { doc } = read;
      if (read.stamp) this.onDisk.set(id, { stamp: read.stamp, doc });
      if (current) {
        for (const h of current.data.highlights) this.highlightOwner.delete(h.id);
        current.data = doc;
        this.listCache = null;
      } else {
        this.docs.set(id, new Low<AnnotationDoc>(articleAdapter(this.dir, id), doc));
        this.insertInOrder(id);
      }
      for (const h of doc.highlights) this.highlightOwner.set(h.id, id);
      this.scheduleCacheWrite();
      this.emit({ type: current ? 'article-changed' : 'article-added', articleId: id });
      this.emit({ type: 'tags-changed' });
      return current ? 'changed' : 'added';
    }
    return 'unchanged'; // kept changing under us: its next change event (or write) takes it in
  }

  /**
   * What Gloss last wrote to (or read from) an article's file: its size, mtime and inode. The sync helper compares it
   * with the file on disk before a write (`changedOnDisk`) so a newer file from another machine is merged, not lost.
   */
  lastWritten(id: string): WrittenStamp | undefined {
    const stamp = this.onDisk.get(id)?.stamp;
    return stamp && { ...stamp };
  }

  /** True when the article's file on disk is not the one Gloss last wrote or read (a sync engine replaced it). */
  async changedOnDisk(id: string): Promise<boolean> {
    return !sameStamp(await stampOf(articlePath(this.dir, id)), this.onDisk.get(id)?.stamp);
  }

  async importArticle(request: ImportRequest): Promise<ImportedArticleSummary> {
    if (request.format === 'pdf') {
      const bytes = decodePdfBase64(request.contentBase64, pdfName(request));
      return this.importPdf({ ...request, bytes });
    }
    if (request.format === 'url') {
      const fetched = await importUrl(request, this.urlImportOptions());
      if (fetched.kind === 'pdf') {
        return this.importPdf({ bytes: fetched.bytes, fileName: fetched.fileName, title: request.title, source: fetched.url, password: request.password });
      }
      return this.addImported(fetched.article);
    }
    if (request.format === 'epub') {
      if (typeof request.contentBase64 !== 'string') throw invalid(`Cannot import ${pdfName(request)}: an EPUB is sent as bytes (contentBase64), not text.`);
      return this.addImported(await importEpubBytes(Buffer.from(request.contentBase64, 'base64'), request));
    }
    const imported = await importArticleContent(request, this.urlImportOptions());
    const summary = await this.addImported(imported);
    return summary;
  }

  private urlImportOptions(): { allowPrivateRanges?: readonly string[] } {
    return this.options.allowLoopbackImport ? { allowPrivateRanges: LOOPBACK_RANGES } : {};
  }

  async deleteArticle(id: string): Promise<void> {
    const doc = this.docOf(id);
    // One rename: the article file leaves articles/ (so the list, derived from that folder, no longer has it).
    await mkdir(path.join(this.dir, TRASH_DIR), { recursive: true });
    await rename(articleFile(this.dir, id), trashFile(this.dir, id));
    this.forgetArticle(id);
    const timer = setTimeout(() => void this.purgeTrashed(id), ARTICLE_UNDO_MS);
    timer.unref?.();
    this.trash.set(id, { low: doc, timer });
    this.emit({ type: 'article-deleted', articleId: id });
    if (doc.data.highlights.some((h) => h.tags.length > 0)) this.emit({ type: 'tags-changed' });
  }

  async restoreArticle(id: string): Promise<ArticleSummary> {
    const entry = this.trash.get(id);
    if (!entry) {
      throw notFound(`The article "${id}" cannot be restored: it was not deleted, or its ${ARTICLE_UNDO_MS / 1000} s undo window has passed.`);
    }
    clearTimeout(entry.timer);
    this.trash.delete(id);
    await rename(trashFile(this.dir, id), articleFile(this.dir, id));
    this.adopt(id, entry.low);
    await this.recordOnDisk(id, entry.low.data);
    this.emit({ type: 'article-added', articleId: id });
    if (entry.low.data.highlights.some((h) => h.tags.length > 0)) this.emit({ type: 'tags-changed' });
    return this.summaryOf(entry.low.data);
  }

  private async purgeTrashed(id: string): Promise<void> {
    const entry = this.trash.get(id);
    if (!entry || !this.trash.delete(id)) return;
    await this.purgeArticle(entry.low.data).catch((error: unknown) => console.error('gloss: could not purge a deleted article', error));
  }

  /**
   * A deleted article past its undo window: its original and its content first (unless another article, live or
   * deleted, uses them), then its file and backups: a stop in between leaves the trash file, which the next open
   * purges, and never a file nothing names.
   */
  private async purgeArticle(doc: AnnotationDoc): Promise<void> {
    const sha = doc.article.pdf?.sha256;
    if (sha) await removePdfIfUnused(this.dir, sha, (s) => this.pdfInUse(s)).catch((error: unknown) => console.error('gloss: could not remove a PDF', error));
    if (!this.contentInUse(doc.contentId)) {
      // The images its content names go with it (unless another article's content names them too).
      const html = await readContent(this.dir, doc.contentId).then((c) => c.html ?? undefined, () => undefined);
      this.contents.forget(doc.contentId);
      await removeContent(this.dir, doc.contentId).catch((error: unknown) => console.error('gloss: could not remove content', error));
      await this.images.sweep(imagesReferencedBy(html)).catch((error: unknown) => console.error('gloss: could not remove images', error));
    }
    await purgeDeletedArticle(this.dir, doc.article.id);
  }

  /**
   * The work that follows an open, behind it (the notebook answers meanwhile), in this order:
   * 1. the check: when articles were taken from the summary cache unchecked, every file's stamp is compared with the
   *    cache's and what differs is taken in as a watcher change is (rescan -> reloadArticle: read as an open reads it,
   *    damaged -> restored, newer -> held, with notices; memory updated; article-changed/added/deleted and
   *    tags-changed emitted, so windows and the search index follow). Until then answers come from the cache, and a
   *    write to an article not checked yet still merges with the file on disk (mutate -> mergeBeforeWrite compares the
   *    file with the cache's stamp), never overwrites it;
   * 2. the sweeps that decide from what the articles name (leftover trash, unused originals, unused images): only
   *    after the check, since an article changed on disk may name what its cached copy does not;
   * 3. temp files killed writes left in the big folders (only those older than the open).
   * Stops early when the notebook closes (close() waits for it).
   */
  private async checkBehindOpen(files: LoadedNotebook): Promise<void> {
    const openedAt = Date.now() - 1_000; // a margin for file systems with coarse times
    await this.settled; // see open(): the host answers first
    let damaged = files.notices.length > 0;
    try {
      if (files.unchecked && !this.closing) {
        const noticesBefore = this.articleNoticesSeen;
        this.recordingCheck = true;
        try {
          await this.rescan();
        } finally {
          this.recordingCheck = false;
        }
        damaged ||= this.articleNoticesSeen !== noticesBefore;
      }
    } catch (error) {
      damaged = true; // what the files hold is not known: nothing is swept below
      console.warn('gloss: could not check the article files after opening', error);
    }
    if (this.closing) return;
    // The search index loads and catches up in the background, once the articles are checked (not competing with the
    // open's first answers); a search made before then starts it at once and waits for it (NotebookSearch.search).
    this.searchIndex.start().catch((error: unknown) => console.error('gloss: the search index could not start', error));
    try {
      // Whatever a previous session left for undo is past its undo window now.
      await this.purgeLeftoverTrash(damaged);
      // Originals whose article an earlier session purged without removing the file (a stop in between). Not when some
      // article file is of a newer format or was found damaged: it may name an original this Gloss cannot see.
      if (this.held.size === 0 && !damaged && !this.closing) {
        await sweepUnusedPdfs(this.dir, (sha) => this.pdfInUse(sha), openedAt);
        // Images are named by content files, read one by one (a close stops the reading, and so the sweep: storedHtmls).
        if ((await readdir(path.join(this.dir, IMAGES_DIR)).catch(() => [])).length > 0 && !this.closing) {
          await this.images.sweep(undefined, openedAt).catch((error: unknown) => {
            if (!this.closing) console.error('gloss: could not sweep images', error);
          });
        }
      }
      if (this.closing) return;
      await removeLeftoverTempFiles(this.dir, [ARTICLES_DIR, CONTENT_DIR, `${BACKUPS_DIR}/${ARTICLES_DIR}`], openedAt);
    } catch (error) {
      console.warn('gloss: the check after opening did not finish', error);
    }
  }

  /** Resolves when the work behind the open may begin (see open). */
  private settled: Promise<void> = Promise.resolve();

  /** Article files found damaged (or newer) and reported since the open: the sweeps hold back when any was. */
  private articleNoticesSeen = 0;

  /** Trash left by an earlier session (stopped within an undo window): purged now. */
  private async purgeLeftoverTrash(damaged: boolean): Promise<void> {
    const folder = path.join(this.dir, TRASH_DIR);
    const names = await readdir(folder).catch(() => [] as string[]);
    for (const name of names) {
      const id = name.replace(/\.json$/, '');
      if (!name.endsWith('.json') || this.docs.has(id)) {
        await rm(path.join(folder, name), { force: true });
        continue;
      }
      let doc: AnnotationDoc | undefined;
      try {
        doc = checkAnnotationDoc(JSON.parse(await readFile(path.join(folder, name), 'utf8')), name, id).doc;
      } catch {
        doc = undefined; // unreadable: its file goes, its content stays (harmless)
      }
      // Content of a purged article goes only when nothing here could name it (no held or damaged article files).
      if (doc && this.held.size === 0 && !damaged) await this.purgeArticle(doc);
      else await purgeDeletedArticle(this.dir, id);
    }
    await rm(folder, { recursive: true, force: true });
  }

  async updateArticleMeta(id: string, patch: ArticleMetaPatch): Promise<ArticleSummary> {
    const doc = await this.mutate(id, (d) => {
      for (const key of ['title', 'byline', 'source', 'publishedAt'] as const) {
        const value = patch[key];
        if (value === undefined) continue;
        const trimmed = value.trim();
        if (key === 'title') {
          if (!trimmed) throw invalid('A title cannot be empty.');
          d.article.title = trimmed;
        } else if (trimmed) {
          // The reader links the source: only a web address may become a link (never javascript: or file:).
          if (key === 'source' && !isWebUrl(trimmed)) throw invalid(`The source "${trimmed}" is not a web address (http or https).`);
          const dateProblem = key === 'publishedAt' ? publishedDateProblem(trimmed) : undefined;
          if (dateProblem) throw invalid(`The published date was not saved: ${dateProblem}`);
          d.article[key] = trimmed;
        } else delete d.article[key];
      }
      if (patch.loadRemoteImages === true) d.article.loadRemoteImages = true;
      else if (patch.loadRemoteImages === false) delete d.article.loadRemoteImages;
      applyCitationPatch(d.article, patch, (key) => this.citekeyOwner(key, id) !== undefined);
    });
    this.emit({ type: 'article-changed', articleId: id });
    return this.summaryOf(doc);
  }

  async setArticleNote(id: string, note: string, options: { ifNoteUpdatedAt?: string; resolvesConflict?: boolean } = {}): Promise<{ noteUpdatedAt: string }> {
    const doc = await this.mutate(id, (d) => {
      const current = d.article.noteUpdatedAt ?? '';
      if (options.ifNoteUpdatedAt !== undefined && options.ifNoteUpdatedAt !== current) {
        throw new GlossError(
          'conflict',
          `The note on "${d.article.title}" was changed elsewhere${current ? ` at ${current}` : ''}; reload it before saving.`,
        );
      }
      d.article.note = note;
      d.article.noteUpdatedAt = laterTimestamp(current);
      // The user chose among the versions two machines wrote (sync/merge.ts): the others go.
      if (options.resolvesConflict) delete d.article.noteConflicts;
    });
    this.emit({ type: 'article-changed', articleId: id });
    return { noteUpdatedAt: doc.article.noteUpdatedAt! };
  }

  async replaceArticleText(
    id: string,
    replacement: { format: Exclude<ImportFormat, 'url'>; content: string },
  ): Promise<ReanchorResult> {
    const current = this.docOf(id).data;
    if (current.article.kind === 'pdf') {
      throw invalid(`"${current.article.title}" is a PDF: its text is read from the file. Give the new version of the file with replacePdf.`);
    }
    if (current.article.kind === 'epub') {
      // Its table of contents points into this text: a new text would leave the outline and the export's chapters wrong.
      throw invalid(`"${current.article.title}" is a book (EPUB): its text and table of contents come from the file. Import the new edition as a new article.`);
    }
    const imported = await importArticleContent(
      { format: replacement.format, content: replacement.content, title: current.article.title },
      {},
    );
    const release = await this.images.write(imported.images); // data: images of the new text (the old ones: the purge's or next open's sweep)
    let result: ReanchorResult;
    try {
      result = await this.replaceText(id, { text: imported.text, html: imported.html }, 'the new text', () => undefined);
    } finally {
      release();
    }
    this.emit({ type: 'article-changed', articleId: id });
    return result;
  }

  /**
   * Puts `text` in the article's place with its highlights re-anchored on it (position, exact quote, fuzzy quote; what
   * cannot be found is orphaned, never dropped) and whatever else `alongside` changes. Fuzzy re-anchoring can take
   * seconds on a long text: it runs in the worker, on the highlights as they are now, and again if they change meanwhile.
   */
  private async replaceText(id: string, source: ContentSource, what: string, alongside: (doc: AnnotationDoc) => void): Promise<ReanchorResult> {
    let result: ReanchorResult = { anchored: 0, orphaned: 0 };
    const { text } = source;
    // The new content is written first (immutable, content-addressed): the old one stays for the rolling backups of
    // the annotation file that still name it, and goes with the article.
    const { contentId, content: stored } = await storeContent(this.dir, source);
    this.contents.put(contentId, stored);
    await this.whileUnchanged(
      [id],
      () =>
        runNotebookJob('reanchor', { text, highlights: this.docOf(id).data.highlights }, {
          timeoutMs: ANCHORING_TIME_LIMIT_MS,
          what: `Re-anchoring the highlights on ${what}`,
        }),
      (reanchored) =>
        this.mutate(id, (d) => {
          d.contentId = contentId;
          alongside(d);
          d.highlights = sortHighlights(reanchored.highlights);
          result = { anchored: reanchored.anchored, orphaned: reanchored.orphaned };
        }),
    );
    return result;
  }

  /**
   * importArticle for a file sent as bytes (IMPORT_FILE_PATH, the bridge's importFile): a PDF up to LIMITS.maxPdfBytes
   * (format 'pdf', or bytes that are one); any other format goes the ordinary way, with its own size limit.
   */
  async importFile(bytes: Uint8Array, request: Omit<ImportRequest, 'content' | 'contentBase64' | 'url'>): Promise<ImportedArticleSummary> {
    if (request.format === 'pdf' || looksLikePdf(bytes)) return this.importPdf({ ...request, bytes });
    if (request.format === 'epub') return this.addImported(await importEpubBytes(bytes, request));
    return this.importArticle({ ...request, contentBase64: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64') });
  }

  /**
   * A PDF: read in the worker (nothing is stored when it is refused), then the original stored (content-addressed),
   * then the article file, then the index. Should the article not be written, an original no article uses is removed.
   */
  private async importPdf(source: PdfSource & Pick<ImportRequest, 'title' | 'source'>): Promise<ImportedArticleSummary> {
    const extracted = await readPdfInWorker(source);
    const release = this.holdPdf(extracted.sha256);
    try {
      await storePdf(this.dir, extracted.sha256, source.bytes);
      const id = newId();
      const now = new Date().toISOString();
      const { text, pages, ...fields } = pdfArticleFields(extracted, source);
      const highlights = highlightsFromFile(id, text, pages, extracted.annotations, now, newId);
      const summary = await this.addArticle({ id, ...fields, addedAt: now, updatedAt: now }, { text, pages }, highlights);
      release();
      return { ...summary, importedHighlights: highlights.length };
    } catch (error) {
      release();
      await removePdfIfUnused(this.dir, extracted.sha256, (sha) => this.pdfInUse(sha)).catch(() => undefined);
      throw error;
    }
  }

  /** Marks an original as in use while its article is being written (a concurrent failure must not remove it). */
  private holdPdf(sha256: string): () => void {
    this.pendingPdfs.set(sha256, (this.pendingPdfs.get(sha256) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.pendingPdfs.get(sha256) ?? 1) - 1;
      if (left > 0) this.pendingPdfs.set(sha256, left);
      else this.pendingPdfs.delete(sha256);
    };
  }

  /** Every article's stored HTML, listed or deleted but still undoable: what the image sweep reads references from. */
  private async *storedHtmls(): AsyncIterable<string | undefined> {
    // HTML lives in the immutable content files (v2): each distinct content read once, never kept (this is a sweep,
    // off every path a user waits on). One that cannot be read stops the sweep: its images may be in use.
    const contentIds = new Set<string>();
    for (const doc of this.docs.values()) contentIds.add(doc.data.contentId);
    for (const entry of this.trash.values()) contentIds.add(entry.low.data.contentId);
    for (const contentId of contentIds) {
      // Closing: stop, which stops the sweep before it removes anything (the next open sweeps again).
      if (this.stopSweeps) throw new Error('the notebook is closing');
      const cached = this.contents.peek(contentId);
      yield (cached ?? (await readContent(this.dir, contentId))).html ?? undefined;
    }
  }

  /** Some article, listed or deleted but still undoable, has this original. */
  private pdfInUse(sha256: string): boolean {
    if (this.pendingPdfs.has(sha256)) return true;
    for (const doc of this.docs.values()) if (doc.data.article.pdf?.sha256 === sha256) return true;
    for (const entry of this.trash.values()) if (entry.low.data.article.pdf?.sha256 === sha256) return true;
    return false;
  }

  /** Some article, listed or deleted but still undoable, reads this content; or an article this Gloss cannot read exists. */
  private contentInUse(contentId: string): boolean {
    if (this.held.size > 0) return true;
    for (const doc of this.docs.values()) if (doc.data.contentId === contentId) return true;
    for (const entry of this.trash.values()) if (entry.low.data.contentId === contentId) return true;
    return false;
  }

  /** Where a stored image is on disk (imageFilePath), for the hosts to serve to the reader: images/store.ts. */
  async imageFile(name: string): Promise<StoredImageFile> {
    return storedImageFile(this.dir, name);
  }

  /** Where a PDF article's stored original is on disk, for the hosts to serve to the reader (articleFilePath). */
  async articleFile(id: string): Promise<{ path: string; bytes: number }> {
    const { article } = this.docOf(id).data;
    if (!article.pdf) throw notFound(`"${article.title}" is not a PDF: it has no stored file.`);
    const bytes = await storedPdfSize(this.dir, article.pdf.sha256);
    if (bytes === undefined) {
      throw notFound(
        `The original PDF of "${article.title}" is missing from this notebook (a backup restores articles and highlights, not PDF files). Give the file again with replacePdf.`,
      );
    }
    return { path: storedPdfPath(this.dir, article.pdf.sha256), bytes };
  }

  /**
   * A newer version of a PDF article's file: read in the worker, its original stored, the highlights re-anchored by
   * quote on the new text (fuzzy, in the worker; what cannot be found is orphaned, never dropped), then the article's
   * text, pages and file info replaced. The old original goes once no article uses it.
   */
  async replacePdf(id: string, replacement: PdfReplacement): Promise<ReanchorResult> {
    const current = this.docOf(id).data.article;
    if (current.kind !== 'pdf' || !current.pdf) {
      throw invalid(`"${current.title}" is not a PDF; replace its text with replaceArticleText.`);
    }
    const fileName = replacement.fileName ?? current.pdf.fileName;
    const source: PdfSource = { bytes: decodePdfBase64(replacement.contentBase64, pdfName({ fileName })), fileName, password: replacement.password };
    const extracted = await readPdfInWorker(source);
    const oldSha = current.pdf.sha256;
    const release = this.holdPdf(extracted.sha256);
    let result: ReanchorResult;
    try {
      await storePdf(this.dir, extracted.sha256, source.bytes);
      result = await this.replaceText(id, { text: extracted.text, pages: extracted.pages }, 'the new version of the PDF', (d) => {
        d.article.pdf = pdfFileInfo(extracted, source);
        if (extracted.doi) d.article.doi = extracted.doi;
      });
    } catch (error) {
      release();
      await removePdfIfUnused(this.dir, extracted.sha256, (sha) => this.pdfInUse(sha)).catch(() => undefined);
      throw error;
    }
    release();
    if (oldSha !== extracted.sha256) await removePdfIfUnused(this.dir, oldSha, (sha) => this.pdfInUse(sha));
    this.emit({ type: 'article-changed', articleId: id });
    return result;
  }

  /** A copy of a PDF article's original with its highlights written in (pdf/export-annotated.ts); the original is only read. */
  async exportAnnotatedPdf(articleId: string): Promise<AnnotatedPdf> {
    const article = await this.getArticle(articleId);
    assertExportable(article);
    const file = await this.articleFile(articleId);
    return exportAnnotatedPdfFile(article, file.path, this.settings);
  }

  // --- Highlights -----------------------------------------------------------------------------------------------

  async addHighlight(articleId: string, input: NewHighlight): Promise<Highlight> {
    const content = await this.contentOf(articleId);
    const text = content.text;
    checkRange(text, input.start, input.end);
    const now = new Date().toISOString();
    const highlight: Highlight = {
      id: newId(),
      articleId,
      start: input.start,
      end: input.end,
      ...describeRange(text, input.start, input.end),
      color: input.color ?? DEFAULT_COLOR,
      tags: normalizeTags(input.tags ?? []),
      note: input.note ?? '',
      createdAt: now,
      updatedAt: now,
    };
    pinPage(content, highlight);
    await this.mutate(articleId, (d) => {
      d.highlights = sortHighlights([...d.highlights, highlight]);
    });
    this.highlightOwner.set(highlight.id, articleId);
    this.emit({ type: 'highlight-changed', articleId, highlight });
    if (highlight.tags.length) this.emit({ type: 'tags-changed' });
    return { ...highlight };
  }

  async updateHighlight(highlightId: string, patch: HighlightPatch): Promise<Highlight> {
    const articleId = this.ownerOf(highlightId);
    let updated: Highlight | undefined;
    await this.mutate(articleId, (d) => {
      const i = d.highlights.findIndex((h) => h.id === highlightId);
      const current = d.highlights[i];
      if (patch.ifUpdatedAt !== undefined && patch.ifUpdatedAt !== current.updatedAt) {
        throw new GlossError(
          'conflict',
          `This highlight was changed elsewhere at ${current.updatedAt}; reload it before saving (your copy is from ${patch.ifUpdatedAt}).`,
        );
      }
      updated = {
        ...current,
        ...(patch.color !== undefined && { color: patch.color }),
        ...(patch.tags !== undefined && { tags: normalizeTags(patch.tags) }),
        ...(patch.note !== undefined && { note: patch.note }),
        updatedAt: laterTimestamp(current.updatedAt),
      };
      if (patch.resolvesNoteConflict) delete updated.noteConflicts;
      d.highlights[i] = updated;
    });
    const result = updated as Highlight;
    this.emit({ type: 'highlight-changed', articleId, highlight: result });
    if (patch.tags !== undefined) this.emit({ type: 'tags-changed' });
    return { ...result };
  }

  async deleteHighlight(highlightId: string): Promise<Highlight> {
    const articleId = this.ownerOf(highlightId);
    let removed: Highlight | undefined;
    await this.mutate(articleId, (d) => {
      removed = d.highlights.find((h) => h.id === highlightId);
      d.highlights = d.highlights.filter((h) => h.id !== highlightId);
      d.tombstones = [...d.tombstones.filter((t) => t.id !== highlightId), { id: highlightId, deletedAt: new Date().toISOString() }];
    });
    this.highlightOwner.delete(highlightId);
    const result = removed as Highlight;
    this.emit({ type: 'highlight-deleted', articleId, highlightId });
    if (result.tags.length) this.emit({ type: 'tags-changed' });
    return result;
  }

  async restoreHighlight(highlight: Highlight): Promise<Highlight> {
    if (this.highlightOwner.has(highlight.id)) throw new GlossError('conflict', `Highlight ${highlight.id} already exists.`);
    const content = await this.contentOf(highlight.articleId);
    if (this.highlightOwner.has(highlight.id)) throw new GlossError('conflict', `Highlight ${highlight.id} already exists.`);
    const text = content.text;
    // A restored highlight must still point at its quote; if the text changed meanwhile, re-anchor it.
    const restored: Highlight =
      text.slice(highlight.start, highlight.end) === highlight.quote
        ? { ...highlight, tags: normalizeTags(highlight.tags, { lenient: true }) }
        : reanchorAll(text, [highlight]).highlights[0];
    pinPage(content, restored);
    await this.mutate(highlight.articleId, (d) => {
      d.highlights = sortHighlights([...d.highlights, restored]);
      d.tombstones = d.tombstones.filter((t) => t.id !== restored.id);
    });
    this.highlightOwner.set(restored.id, restored.articleId);
    this.emit({ type: 'highlight-changed', articleId: restored.articleId, highlight: restored });
    if (restored.tags.length) this.emit({ type: 'tags-changed' });
    return { ...restored };
  }

  // --- Tags -----------------------------------------------------------------------------------------------------

  async listTags(): Promise<TagCount[]> {
    const counts = new Map<string, TagCount>();
    // Library order, so the spelling shown for a tag (the first seen) does not depend on the order files were read.
    for (const doc of this.allDocs()) {
      for (const h of doc.highlights) {
        for (const tag of h.tags) {
          const key = tagKey(tag);
          const entry = counts.get(key);
          if (entry) entry.count += 1;
          else counts.set(key, { name: tag, count: 1 });
        }
      }
    }
    return [...counts.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  async renameTag(from: string, to: string): Promise<number> {
    const typed = cleanTag(to);
    if (!typed) throw invalid('The new tag name cannot be empty.');
    // Renaming onto another existing tag merges into it, keeping that tag's spelling ("Iran" stays "Iran" when "iran"
    // is typed); a rename onto the same tag (a change of case) takes the new spelling.
    const merged =
      tagKey(typed) === tagKey(from.trim()) ? undefined : (await this.listTags()).find((t) => tagKey(t.name) === tagKey(typed));
    const target = merged?.name ?? typed;
    return this.rewriteTags(from, (tags) => tags.map((t) => (tagKey(t) === tagKey(from.trim()) ? target : t)));
  }

  async deleteTag(name: string): Promise<number> {
    return this.rewriteTags(name, (tags) => tags.filter((t) => tagKey(t) !== tagKey(name.trim())));
  }

  private async rewriteTags(name: string, rewrite: (tags: string[]) => string[]): Promise<number> {
    const key = tagKey(name.trim());
    let changed = 0;
    const now = new Date().toISOString();
    const affected = this.order.filter((id) => this.docs.get(id)!.data.highlights.some((h) => h.tags.some((t) => tagKey(t) === key)));
    // One small file per article: written side by side (each write is durable on its own; a failure rejects the call).
    await Promise.all(affected.map(async (articleId) => {
      const touched: Highlight[] = [];
      await this.mutate(articleId, (d) => {
        d.highlights = d.highlights.map((h) => {
          if (!h.tags.some((t) => tagKey(t) === key)) return h;
          changed += 1;
          const next = { ...h, tags: normalizeTags(rewrite(h.tags)), updatedAt: now > h.updatedAt ? now : laterTimestamp(h.updatedAt) };
          touched.push(next);
          return next;
        });
      });
      for (const highlight of touched) this.emit({ type: 'highlight-changed', articleId, highlight });
    }));
    if (changed === 0) throw notFound(`No highlight has the tag "${name.trim()}".`);
    this.emit({ type: 'tags-changed' });
    return changed;
  }

  // --- Search, export, settings -----------------------------------------------------------------------------------

  async search(query: string, filters: SearchFilters = {}, page: SearchPage = {}): Promise<SearchResult> {
    return this.searchIndex.search(query, filters, page);
  }

  async listHighlights(filters: HighlightFilters = {}): Promise<HighlightListing[]> {
    return listNotebookHighlights(this.allDocs(), filters);
  }

  /** The article's content (text, HTML, pages), from the bounded cache or its file. */
  private async contentOf(id: string): Promise<ArticleContent> {
    for (;;) {
      const contentId = this.docOf(id).data.contentId;
      const content = await this.contents.get(contentId);
      if (this.docOf(id).data.contentId === contentId) return content; // not replaced while it was read
    }
  }

  /** An article whole (annotations + content, HTML made from the text when not stored), as it is now. */
  private async fullDoc(id: string): Promise<ArticleDoc> {
    return (await this.fullDocOf(id)).whole;
  }

  /** fullDoc, and the annotations it was made from (a later write replaces them: see applyRestore). */
  private async fullDocOf(id: string): Promise<{ whole: ArticleDoc; from: AnnotationDoc }> {
    const content = withHtml(await this.contentOf(id));
    const doc = this.docOf(id).data;
    const article = { ...doc.article } as ArticleDoc['article'];
    for (const field of CONTENT_FIELDS) {
      const value = content[field];
      if (value !== undefined) (article as unknown as Record<string, unknown>)[field] = value;
    }
    return { whole: { article, highlights: doc.highlights }, from: doc };
  }

  async exportMarkdown(options: ExportOptions = {}): Promise<string> {
    // A template that does not parse is refused before anything happens (keys are stored at the first export).
    if (options.template !== undefined) checkTemplate(options.template);
    const articles = await this.withCitekeys(await this.articlesForExport(options.articleIds));
    return renderExport(articles, this.settings, options);
  }

  /**
   * Articles as the Markdown and folder exports read them: metadata, note, highlights and a PDF's pages, WITHOUT their
   * text and HTML (text '', no html): those exports never show an article's text, and a 10,000-article export must not
   * load every text. An export that starts to need the text must use articlesFor.
   */
  private async articlesForExport(ids?: string[]): Promise<Article[]> {
    const chosen = ids ?? this.order;
    const missing = chosen.filter((id) => !this.docs.has(id));
    if (missing.length) throw notFound(`No article with id ${missing.join(', ')}.`);
    const out: Article[] = [];
    for (const id of chosen) {
      const doc = this.docOf(id).data;
      // A PDF's page table and a book's table of contents name pages and chapters in the export; no text is loaded.
      const content = doc.article.kind === 'pdf' || doc.article.kind === 'epub' ? await this.contentOf(id) : undefined;
      const pages = content?.pages;
      const toc = content?.toc;
      const current = this.docOf(id).data;
      out.push({ ...current.article, text: '', ...(pages && { pages }), ...(toc && { toc }), highlightCount: current.highlights.length, highlights: current.highlights.map((h) => ({ ...h })) });
    }
    return out;
  }

  /** Articles with their citation key (made and kept at the first export, citekeysFor), for `[@key]` in Markdown. */
  private async withCitekeys(articles: Article[]): Promise<Article[]> {
    const keys = await this.citekeysFor(articles.map((a) => a.id));
    return articles.map((a) => ({ ...a, citekey: keys.get(a.id) }));
  }

  /** Whole articles (with highlights) in library order; unknown ids are a 404 naming them. */
  async articlesFor(ids?: string[]): Promise<Article[]> {
    const chosen = ids ?? this.order;
    const missing = chosen.filter((id) => !this.docs.has(id));
    if (missing.length) throw notFound(`No article with id ${missing.join(', ')}.`);
    return Promise.all(chosen.map((id) => this.getArticle(id)));
  }

  /** Shared settings from notebook.json, the window's from this machine's local/ui.json. */
  async getSettings(): Promise<Settings> {
    const settings: Settings = structuredClone(this.shared.data.settings);
    if (this.ui.data.ui) settings.ui = structuredClone(this.ui.data.ui);
    return settings;
  }

  private get settings(): Settings {
    return { ...this.shared.data.settings, ...(this.ui.data.ui && { ui: this.ui.data.ui }) };
  }

  async updateSettings(patch: Partial<Settings>): Promise<Settings> {
    await this.updateSettingsQuietly(patch);
    this.emit({ type: 'settings-changed' });
    return this.getSettings();
  }

  private async updateSettingsQuietly(patch: Partial<Settings>): Promise<void> {
    if (patch.colorLabels && Object.keys(patch.colorLabels).length > 0) {
      const labels = { ...this.shared.data.settings.colorLabels };
      const updatedAt = { ...this.shared.data.updatedAt };
      const at = laterTimestamp(Object.values(updatedAt).sort().pop() ?? '');
      for (const [color, label] of Object.entries(patch.colorLabels)) {
        const trimmed = (label ?? '').trim();
        if (trimmed) labels[color as keyof typeof labels] = trimmed;
        else delete labels[color as keyof typeof labels];
        updatedAt[`colorLabels.${color}`] = at;
      }
      const before = this.shared.data;
      this.shared.data = { ...before, settings: { ...before.settings, colorLabels: labels }, updatedAt };
      try {
        await this.shared.write();
      } catch (error) {
        this.shared.data = before;
        throw error;
      }
    }
    if (patch.ui) {
      this.ui.data = { ui: mergeUiSettings(this.ui.data.ui, patch.ui, (id) => this.docs.has(id)) };
      await mkdir(path.join(this.dir, LOCAL_DIR), { recursive: true });
      await this.ui.write();
    }
  }

  // --- Notices (damaged files, restored backups) ----------------------------------------------------------------

  async getNotices(): Promise<Notice[]> {
    return structuredClone(this.noticeFile.data.notices);
  }

  private async addNotices(notices: Notice[]): Promise<void> {
    this.noticeFile.data = { notices: [...this.noticeFile.data.notices, ...notices] };
    await this.noticeFile.write();
    for (const notice of notices) this.emit({ type: 'notice', level: notice.level, message: notice.message });
  }

  async dismissNotice(id: string): Promise<void> {
    const notices = this.noticeFile.data.notices;
    if (!notices.some((n) => n.id === id)) throw notFound(`No notice with id "${id}".`);
    this.noticeFile.data = { notices: notices.filter((n) => n.id !== id) };
    try {
      await this.noticeFile.write();
    } catch (error) {
      this.noticeFile.data = { notices };
      throw error;
    }
  }

  // --- Internals ------------------------------------------------------------------------------------------------

  /** Every article's annotations in library order (no content: what tags and highlight lists need). */
  private allDocs(): AnnotationDoc[] {
    return this.order.map((id) => this.docs.get(id)!.data);
  }

  private frozenSummaryOf(doc: AnnotationDoc): ArticleSummary {
    let summary = this.summaries.get(doc);
    if (!summary) {
      summary = Object.freeze(summaryOf(doc));
      this.summaries.set(doc, summary);
    }
    return summary;
  }

  private summaryOf(doc: AnnotationDoc): ArticleSummary {
    return { ...this.frozenSummaryOf(doc) };
  }

  /** Takes an article into the library (its annotations in memory, its place in the order, its highlights' owner). */
  private adopt(id: string, low: Low<AnnotationDoc>): void {
    this.listCache = null;
    this.docs.set(id, low);
    for (const h of low.data.highlights) this.highlightOwner.set(h.id, id);
    this.insertInOrder(id);
    this.scheduleCacheWrite();
  }

  private forgetArticle(id: string): void {
    const low = this.docs.get(id);
    if (!low) return;
    this.listCache = null;
    this.docs.delete(id);
    for (const h of low.data.highlights) this.highlightOwner.delete(h.id);
    const at = this.order.indexOf(id);
    if (at >= 0) this.order.splice(at, 1);
    this.onDisk.delete(id);
    this.scheduleCacheWrite();
  }

  private insertInOrder(id: string): void {
    const key = orderKey(this.docs.get(id)!.data);
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (orderKey(this.docs.get(this.order[mid])!.data) <= key) lo = mid + 1;
      else hi = mid;
    }
    this.order.splice(lo, 0, id);
  }

  /** The summary cache is derived: written a while after the last change and on close, never on a write's path. */
  private scheduleCacheWrite(): void {
    if (this.cacheTimer) return;
    this.cacheTimer = setTimeout(() => {
      this.cacheTimer = undefined;
      void this.writeCache().catch((error: unknown) => console.warn('gloss: could not write the summary cache', error));
    }, SUMMARY_CACHE_DELAY_MS);
    this.cacheTimer.unref?.();
  }

  private async writeCache(): Promise<void> {
    await writeSummaryCache(this.dir, this.onDisk);
  }

  /** After a write (or a read) of an article's file: what is there now, for lastWritten() and the summary cache. */
  private async recordOnDisk(id: string, doc: AnnotationDoc): Promise<void> {
    const stamp = await stampOf(articleFile(this.dir, id));
    if (stamp && this.docs.get(id)?.data === doc) this.onDisk.set(id, { stamp, doc });
  }

  private docOf(id: string): Low<AnnotationDoc> {
    const doc = this.docs.get(id);
    if (!doc) throw notFound(`No article with id "${id}".`);
    return doc;
  }

  private ownerOf(highlightId: string): string {
    const articleId = this.highlightOwner.get(highlightId);
    if (!articleId) throw notFound(`No highlight with id "${highlightId}".`);
    return articleId;
  }

  /**
   * Runs `work` (a worker job computed from these articles as they are now) and hands its result to `apply` only if
   * none of the articles changed meanwhile (every change replaces an article's data object, see mutate); otherwise
   * runs it again on the new state, a few times, then gives up with a conflict, having written nothing.
   */
  private async whileUnchanged<T, R>(ids: string[], work: () => Promise<T>, apply: (result: T) => Promise<R>): Promise<R> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const before = ids.map((id) => this.docs.get(id)?.data);
      const result = await work();
      // Their content in the cache before the check, so apply's first step (mutate) finds it without waiting.
      await Promise.all(ids.map((id) => (this.docs.has(id) ? this.contentOf(id).catch(() => undefined) : undefined)));
      // apply() starts in this same synchronous run as the check (mutate applies its change before its first await).
      if (ids.every((id, i) => this.docs.get(id)?.data === before[i])) return apply(result);
    }
    throw new GlossError('conflict', 'The article kept changing while Gloss was matching highlights to it; nothing was changed. Try again.');
  }

  /**
   * Applies `change` to an article and resolves once it is on disk. If `change` throws, nothing changes. If the write
   * fails, the in-memory copy is put back to what is on disk so memory never claims what the disk does not hold.
   */
  private async mutate(id: string, change: (doc: AnnotationDoc) => void): Promise<AnnotationDoc> {
    const low = this.docOf(id);
    const before = low.data;
    const draft: AnnotationDoc = { ...low.data, article: { ...low.data.article }, highlights: [...low.data.highlights], tombstones: [...low.data.tombstones] };
    change(draft);
    // A PDF highlight's page follows its start, whatever moved it (a re-anchoring, an import, a restore). Callers that
    // move highlights have the content loaded (peek never waits: this stays one synchronous step before the write).
    const pages = draft.article.kind === 'pdf' ? this.contents.peek(draft.contentId)?.pages : undefined;
    if (pages?.length) draft.highlights = draft.highlights.map((h) => withPage({ pages }, h));
    draft.article.updatedAt = laterTimestamp(low.data.article.updatedAt);
    // Sync: each field's time, tombstones and the notes' version history, so another machine's copy merges (merge.ts).
    let written = recordWrite(before, draft, this.device);
    low.data = written;
    this.listCache = null;
    let mergedIn = false;
    this.beginWrite(id);
    try {
      // A file a sync engine replaced since Gloss last wrote or read it is merged in, never overwritten.
      const merged = (await mergeBeforeWrite(this.syncPort(), id, written)) as AnnotationDoc;
      if (merged !== written && low.data === written) {
        low.data = written = merged;
        this.listCache = null;
        mergedIn = true;
        for (const h of merged.highlights) this.highlightOwner.set(h.id, id);
      }
      try {
        await low.write();
      } catch (error) {
        if (low.data === written) {
          low.data = before;
          this.listCache = null;
        }
        throw error;
      }
      // What is on disk now, for lastWritten() (a later write queued meanwhile records its own). Still our write until
      // recorded: the watcher, seeing the new file before that, would take it for another machine's and merge it.
      await this.recordOnDisk(id, written);
    } finally {
      this.endWrite(id);
    }
    this.scheduleCacheWrite();
    if (mergedIn) {
      this.emit({ type: 'article-changed', articleId: id });
      this.emit({ type: 'tags-changed' });
    }
    return written;
  }

  private beginWrite(id: string): void {
    this.writing.set(id, (this.writing.get(id) ?? 0) + 1);
  }

  private endWrite(id: string): void {
    const left = (this.writing.get(id) ?? 1) - 1;
    if (left > 0) this.writing.set(id, left);
    else this.writing.delete(id);
    if (this.writing.size === 0 && this.writesSettled) {
      this.writesSettled.resolve();
      this.writesSettled = undefined;
    }
  }

  /** Resolves when no write of Gloss's own is in flight (undefined when none is): background work waits for it. */
  private whenNoWrites(): Promise<void> | undefined {
    if (this.writing.size === 0) return undefined;
    if (!this.writesSettled) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.writesSettled = { promise, resolve };
    }
    return this.writesSettled.promise;
  }

  private writesSettled: { promise: Promise<void>; resolve: () => void } | undefined;

  /** What the sync side (sync/reconcile.ts) may see and do of this notebook. */
  private syncPort(): SyncPort {
    if (this.port) return this.port;
    const port: SyncPort = {
      dir: this.dir,
      isArticle: (id) => this.docs.has(id) || this.held.has(id) || this.trash.has(id),
      currentDoc: (id) => this.docs.get(id)?.data,
      changedOnDisk: (id) => this.changedOnDisk(id),
      ownWrites: () => this.whenNoWrites(),
      checkDoc: (raw, file, id) => checkAnnotationDoc(raw, file, id).doc,
      adoptDoc: async (id, current, doc, write, read) => {
        const low = this.docs.get(id);
        if (!low || low.data !== current) return false;
        const next = doc as AnnotationDoc;
        low.data = next;
        this.listCache = null;
        if (write) {
          this.beginWrite(id);
          try {
            await low.write();
          } catch (error) {
            if (low.data === next) {
              low.data = current as AnnotationDoc;
              this.listCache = null;
            }
            throw error;
          } finally {
            this.endWrite(id);
          }
        }
        const stamp = write ? await stampOf(articleFile(this.dir, id)) : read;
        if (stamp && low.data === next) this.onDisk.set(id, { stamp, doc: next });
        for (const h of (current as AnnotationDoc).highlights) if (this.highlightOwner.get(h.id) === id) this.highlightOwner.delete(h.id);
        for (const h of next.highlights) this.highlightOwner.set(h.id, id);
        if (!sameDoc(current, next)) {
          this.scheduleCacheWrite();
          this.emit({ type: 'article-changed', articleId: id });
          this.emit({ type: 'tags-changed' });
        }
        return true;
      },
      reloadArticle: (id) => this.reloadArticle(id),
      currentSettings: () => this.shared.data,
      checkSettings: (raw, file) => checkNotebookDoc(raw, file).doc,
      settingsChangedOnDisk: async () => true, // notebook.json is small: read and merged each time it changes
      adoptSettings: async (current, doc, write) => {
        if (this.shared.data !== current) return false;
        const next = doc as NotebookDoc;
        this.shared.data = next;
        if (write) {
          try {
            await this.shared.write();
          } catch (error) {
            if (this.shared.data === next) this.shared.data = current as NotebookDoc;
            throw error;
          }
        }
        if (!isDeepStrictEqual(current, next)) this.emit({ type: 'settings-changed' });
        return true;
      },
      fileArrived: (kind, name) => {
        for (const [id, low] of this.docs) {
          const uses = kind === 'content' ? low.data.contentId === name : low.data.article.pdf?.sha256 === name;
          if (uses) this.emit({ type: 'article-changed', articleId: id });
        }
      },
      notify: (message, level = 'info') => this.emit({ type: 'notice', level, message }),
    };
    this.port = port;
    return port;
  }

  private async addImported(imported: ImportedArticle): Promise<ImportedArticleSummary> {
    // Its images first, held until the article that names them is written: an article never names a missing image.
    const release = await this.images.write(imported.images);
    try {
      const summary = await this.addImportedArticle(imported);
      const images = importedImagesOf(imported.images);
      return images ? { ...summary, images } : summary;
    } finally {
      release();
    }
  }

  private async addImportedArticle(imported: ImportedArticle): Promise<ArticleSummary> {
    const id = newId();
    const now = new Date().toISOString();
    const article: ArticleMeta = {
      id,
      title: imported.title,
      ...(imported.byline && { byline: imported.byline }),
      ...(imported.source && { source: imported.source }),
      ...(imported.siteName && { siteName: imported.siteName }),
      ...(imported.publishedAt && { publishedAt: imported.publishedAt }),
      ...(imported.lang && { lang: imported.lang }),
      ...(imported.dir && { dir: imported.dir }),
      ...imported.citation,
      addedAt: now,
      updatedAt: now,
      ...(imported.kind && { kind: imported.kind }),
      note: '',
    };
    return this.addArticle(article, pickImported(imported), []);
  }

  /** Content first (immutable, maybe already there), then the article's file: the file's presence is the article. */
  private async addArticle(article: ArticleMeta, source: ContentSource, highlights: Highlight[]): Promise<ArticleSummary> {
    const id = article.id;
    const { contentId, content } = await storeContent(this.dir, source);
    this.contents.put(contentId, content);
    const doc: AnnotationDoc = { schemaVersion: SCHEMA_VERSION, contentId, article, highlights: highlights.map((h) => withPage(content, h)), tombstones: [] };
    const low = new Low<AnnotationDoc>(articleAdapter(this.dir, id), doc);
    await low.write();
    this.adopt(id, low);
    await this.recordOnDisk(id, doc);
    this.emit({ type: 'article-added', articleId: id });
    if (highlights.some((h) => h.tags.length > 0)) this.emit({ type: 'tags-changed' });
    return this.summaryOf(low.data);
  }

  private async loadArticles(files: LoadedNotebook): Promise<void> {
    this.held = files.held;
    for (const [id, doc] of files.articles) {
      this.docs.set(id, new Low<AnnotationDoc>(articleAdapter(this.dir, id), doc));
      for (const h of doc.highlights) this.highlightOwner.set(h.id, id);
    }
    this.onDisk = files.onDisk;
    // Library order (addedAt, then id: as orderKey), compared in place: no key string per article.
    const byOrder = [...files.articles.values()].map((doc) => doc.article);
    byOrder.sort((a, b) => (a.addedAt < b.addedAt ? -1 : a.addedAt > b.addedAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    this.order = byOrder.map((article) => article.id);
    if (files.notices.length) {
      this.noticeFile.data = { notices: [...this.noticeFile.data.notices, ...files.notices] };
      await this.noticeFile.write();
    }
    if (files.notebookDirty) await this.shared.write();
    if (files.cacheStale) this.scheduleCacheWrite();
  }

  /**
   * Resolves once the work that follows an open is done (checkBehindOpen: the check of every file against the cache,
   * the sweeps) and the folder is watched: for tests and benches.
   */
  whenChecked(): Promise<void> {
    // And the folder watcher's start with its look at every file: a write measured before that races them.
    return Promise.all([this.checked, this.watching]).then(() => undefined);
  }

  private checked: Promise<void> = Promise.resolve();

  /**
   * Compares every article file with what Gloss holds (one readdir, a stat each) and reloads what differs: a file
   * changed, added or removed while Gloss was not looking (an edit in place; a sync engine while Gloss was closed).
   * Runs after an open from the summary cache; the sync helper may call it too. Resolves with the ids reloaded.
   */
  async rescan(): Promise<string[]> {
    // Articles added by Gloss itself while the folder is listed are not "changed" (their write records its stamp).
    const known = new Set(this.docs.keys());
    const onFolder = await stampArticleFiles(this.dir);
    const changed: string[] = [];
    for (const [id, stamp] of onFolder) {
      if (this.held.has(id) || this.trash.has(id) || (this.docs.has(id) && !known.has(id))) continue;
      if (!sameStamp(stamp, this.onDisk.get(id)?.stamp)) changed.push(id);
    }
    for (const id of known) if (this.docs.has(id) && !onFolder.has(id)) changed.push(id);
    const reloaded: string[] = [];
    for (const id of changed) {
      if (this.closing) break;
      try {
        if ((await this.reloadArticle(id)) !== 'unchanged') reloaded.push(id);
      } catch (error) {
        console.warn(`gloss: ${ARTICLES_DIR}/${id}.json could not be read again: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return reloaded;
  }

  private async seed(): Promise<void> {
    if (this.options.seedArticlePath) {
      const raw = await readFile(this.options.seedArticlePath, 'utf8');
      const imported = await importArticleContent({ format: 'text', content: raw }, {});
      await this.addImported(imported);
    }
    this.shared.data = { ...this.shared.data, seeded: true, updatedAt: { ...this.shared.data.updatedAt, seeded: new Date().toISOString() } };
    await this.shared.write();
  }

  // --- Export to a folder, W3C annotations, backup and restore (issue 6) -------------------------------------------

  async exportToFolder(dir: string, options: ExportOptions = {}): Promise<FolderExportSummary> {
    if (options.template !== undefined) checkTemplate(options.template);
    const chosen = await this.articlesForExport(options.articleIds);
    const target = await prepareExportFolder(this.dir, dir); // refuses the notebook, inside it, its parents (real paths)
    const articles = await this.withCitekeys(chosen); // only once the export is sure to go ahead
    return writeExportFolder(target, articles, this.settings, options);
  }

  async exportAnnotations(options: AnnotationExportOptions = {}): Promise<JsonObject> {
    // Quotes, notes, tags and a PDF's pages: no article's text is loaded (a whole notebook of 10,000 stays small).
    return toWebAnnotations(await this.articlesForExport(options.articleIds), options);
  }

  async importAnnotations(json: unknown, options: AnnotationImportOptions = {}): Promise<AnnotationImportResult> {
    const parsed = fromWebAnnotations(json); // refuses malformed input whole, naming the place
    if (options.articleId) this.docOf(options.articleId);
    // Anchoring hundreds of quotes approximately can take seconds: it runs in the worker, which gets only the articles
    // the annotations address, as they are now.
    // Only id and source choose the articles: the annotation docs do, and only those articles' content is loaded.
    const addressed = articlesAddressed(this.allDocs() as unknown as StoredArticle[], parsed, options.articleId).map((d) => d.article.id);
    let tagged = false;
    const plan: AnnotationImportPlan = await this.whileUnchanged(
      addressed,
      async () =>
        runNotebookJob(
          'planAnnotations',
          {
            articles: await Promise.all(addressed.filter((id) => this.docs.has(id)).map((id) => this.fullDoc(id))),
            annotations: parsed,
            articleId: options.articleId,
            now: new Date().toISOString(),
            idsInUse: [...this.highlightOwner.keys()],
          },
          { timeoutMs: ANCHORING_TIME_LIMIT_MS, what: 'Matching the annotations to their articles' },
        ),
      async (planned) => {
        for (const [articleId, added] of planned.additions) {
          const content = this.contents.peek(this.docOf(articleId).data.contentId);
          for (const h of added) if (content) pinPage(content, h);
          await this.mutate(articleId, (d) => {
            d.highlights = sortHighlights([...d.highlights, ...added]);
          });
          for (const h of added) {
            this.highlightOwner.set(h.id, articleId);
            tagged ||= h.tags.length > 0;
            this.emit({ type: 'highlight-changed', articleId, highlight: { ...h } });
          }
        }
        return planned;
      },
    );
    if (tagged) this.emit({ type: 'tags-changed' });
    return { imported: plan.imported, orphaned: plan.orphaned, skipped: plan.skipped };
  }

  /** A Gloss Markdown export back in (import/markdown-export-import.ts): parsed in the worker, applied through this API. */
  async importMarkdownExport(files: MarkdownExportFile[]): Promise<MarkdownImportResult> {
    return importMarkdownExport(this, this.settings, files);
  }

  // --- Citations and other tools' exports (issue 16) -------------------------------------------------------------

  async exportCitations(options: CitationExportOptions): Promise<string> {
    const articles = await this.articlesForExport(options.articleIds); // metadata only: no text loaded
    const keys = await this.citekeysFor(articles.map((a) => a.id));
    return renderCitations(
      articles.map((a) => ({ ...a, citekey: keys.get(a.id) })),
      options.format,
    );
  }

  /**
   * The citation key of each of these articles, making and storing one for each that has none yet (export/citekey.ts
   * says why a key, once it has left Gloss, never changes). Every export that writes keys calls this.
   */
  async citekeysFor(ids: readonly string[]): Promise<Map<string, string>> {
    const docs = ids.map((id) => this.docOf(id).data.article);
    const taken = this.allDocs().flatMap((d) => d.article.citekey ?? []);
    const made = assignCitekeys(docs, taken);
    // One small write per article that had no key (a first export of a big library), 64 files at a time: each write
    // is a dozen steps on the disk, and while the search index is built (a first open) each step waits for one of its
    // slices, so more writes in flight is what keeps 10,000 keys at ~2 ms each (16 at a time: ~24 ms, measured).
    const pending = [...made];
    for (let i = 0; i < pending.length; i += 64) {
      await Promise.all(
        pending.slice(i, i + 64).map(async ([id, key]) => {
          await this.mutate(id, (d) => {
            d.article.citekey = key;
          });
          this.emit({ type: 'article-changed', articleId: id });
        }),
      );
    }
    return new Map(docs.map((a) => [a.id, a.citekey ?? made.get(a.id)!]));
  }

  /** The article (other than `except`) whose stored citation key is `key`, compared case-insensitively. */
  private citekeyOwner(key: string, except?: string): string | undefined {
    const lower = key.toLowerCase();
    return this.allDocs().find((d) => d.article.id !== except && d.article.citekey?.toLowerCase() === lower)?.article.id;
  }

  async importAnnotationsFrom(request: ToolImportRequest): Promise<ToolImportReport> {
    return importFromTool(request, this);
  }

  /** The whole notebook as one object: for programs and small notebooks (the app and the CLI use writeBackupTo). */
  async backupNotebook(): Promise<NotebookBackup> {
    return makeBackup(await this.articlesFor(), this.settings);
  }

  /**
   * The backup's JSON text in pieces, one article loaded at a time (export/backup-file.ts): what writeBackupTo writes
   * and browser mode's download streams. `count.articles` is how many articles it has given so far.
   */
  backupJson(count: { articles: number } = { articles: 0 }): AsyncGenerator<string> {
    return backupJsonChunks(this.settings, this.eachArticle(count));
  }

  /** Every article whole, in library order, one at a time; one deleted meanwhile is left out. */
  private async *eachArticle(count: { articles: number }): AsyncGenerator<Article> {
    for (const id of [...this.order]) {
      if (!this.docs.has(id)) continue;
      let article: Article;
      try {
        article = await this.getArticle(id);
      } catch (error) {
        if (error instanceof GlossError && error.code === 'not_found') continue; // deleted while the backup was written
        throw error;
      }
      count.articles += 1;
      yield article;
    }
  }

  /**
   * A backup written to `file` (an absolute path) article by article, never the whole notebook in memory; atomic: a
   * failed write leaves no file and the one there before untouched.
   */
  async writeBackupTo(file: string): Promise<BackupFileSummary> {
    const count = { articles: 0 };
    await writeFileDurably(file, this.backupJson(count));
    return { path: file, articles: count.articles, bytes: (await stat(file)).size };
  }

  /**
   * Never half-applies: the backup is validated whole first, then each article is planned against the one here and
   * written to a hidden staging name (ignored by loadArticles) before any of them replaces a live file; only then are
   * the staged files renamed into place, the settings written, and articles the backup does not have removed (with
   * their rolling backups, once that is on disk: the snapshot below holds them). A restore that changes something
   * first saves the notebook as it was to `before-restore/<time>.json` in the notebook folder (a way back); the newest
   * KEEP_BEFORE_RESTORE of those are kept.
   */
  async restoreNotebook(backup: unknown, options: { mode: RestoreMode }): Promise<RestoreResult> {
    const parsed = parseBackup(backup);
    async function* articles(): AsyncGenerator<Article> {
      yield* parsed.articles;
    }
    return this.applyRestore({ settings: parsed.settings, articleIds: parsed.articles.map((a) => a.id), articles: articles() }, options.mode);
  }

  /**
   * restoreNotebook for a backup file (an absolute path), read article by article: checked whole in the worker (it is
   * untrusted bytes), then read again to apply, and refused if its bytes changed between the two reads.
   */
  async restoreFromFile(file: string, options: { mode: RestoreMode }): Promise<RestoreResult> {
    const timeoutMs = await backupCheckTimeLimitMs(file, WORKER_TIME_LIMIT_MS).catch(() => WORKER_TIME_LIMIT_MS);
    const check = await runNotebookJob('checkBackupFile', { file }, { timeoutMs, what: `Checking the backup ${path.basename(file)}` });
    return this.applyRestore({ settings: check.settings, articleIds: check.articleIds, articles: backupFileArticles(file, check) }, options.mode);
  }

  /**
   * restoreFromFile for a backup arriving as bytes (browser mode's upload): written to a temp file in local/ (swept on
   * open if Gloss dies meanwhile), restored from there, then removed. Past LIMITS.maxBackupBytes it is refused.
   */
  async restoreFromStream(bytes: AsyncIterable<Uint8Array>, options: { mode: RestoreMode }): Promise<RestoreResult> {
    const folder = path.join(this.dir, LOCAL_DIR);
    await mkdir(folder, { recursive: true });
    const file = path.join(folder, `.gloss-restore-${randomBytes(6).toString('hex')}.tmp`);
    try {
      const handle = await open(file, 'wx', 0o600);
      try {
        let size = 0;
        for await (const chunk of bytes) {
          size += chunk.byteLength;
          if (size > LIMITS.maxBackupBytes) throw new GlossError('too_large', `The backup is over the ${LIMITS.maxBackupBytes / 1024 ** 3} GiB limit; nothing was restored.`);
          await handle.writeFile(chunk);
        }
      } finally {
        await handle.close();
      }
      return await this.restoreFromFile(file, options);
    } finally {
      await rm(file, { force: true });
    }
  }

  /** How many articles the library holds (a backup made now has them all). */
  get articleCount(): number {
    return this.order.length;
  }

  private async applyRestore(source: RestoreSource, mode: RestoreMode): Promise<RestoreResult> {
    // A merge skips a backup highlight whose id another article here owns: the owners come from the annotations in
    // memory, so no text is loaded for them.
    const owner = mode === 'merge' ? highlightOwners(this.allDocs()) : new Map<string, string>();
    const counts = { articles: 0, highlights: 0, skipped: 0 };
    // By the backup's place, so new articles join the library in the backup's order whatever order staging ends in.
    const stagedAt: (StagedRestore | undefined)[] = [];
    const unstage = () => Promise.all(stagedAt.map((s) => s && rm(s.file, { force: true })));
    const stageOne = async (article: Article, at: number): Promise<void> => {
      const here = this.docs.has(article.id) ? await this.fullDocOf(article.id) : undefined;
      const planned = await this.planRestoredArticle(article, here?.whole, mode, owner);
      counts.skipped += planned.skipped;
      if (!planned.write) return;
      counts.articles += 1;
      counts.highlights += planned.highlights;
      stagedAt[at] = { ...(await this.stageRestoredArticle(planned.write)), plannedOn: here?.from };
    };
    // RESTORE_IN_FLIGHT articles at a time: each is mostly waiting (its file's fsync, the worker sanitizing its HTML),
    // and one at a time a 1,000-article restore took 21 s, nearly all of it idle.
    const inFlight = new Set<Promise<void>>();
    try {
      let at = 0;
      for await (const article of source.articles) {
        const task = stageOne(article, at++);
        inFlight.add(task);
        void task.then(
          () => inFlight.delete(task),
          () => undefined,
        );
        if (inFlight.size >= RESTORE_IN_FLIGHT) await Promise.race(inFlight);
      }
      await Promise.all(inFlight);
    } catch (error) {
      await Promise.allSettled(inFlight);
      await unstage();
      throw error;
    }
    const staged = stagedAt.filter((s): s is StagedRestore => s !== undefined);
    const inBackup = new Set(source.articleIds);
    const removedIds = mode === 'replace' ? this.order.filter((id) => !inBackup.has(id)) : [];
    const settings = restoredSettings(mode, source.settings, this.settings);
    const changesSomething = staged.length > 0 || removedIds.length > 0 || !isDeepStrictEqual(settings, this.settings);
    let safetyBackup: string | undefined;
    try {
      if (this.order.length > 0 && changesSomething) safetyBackup = await saveBeforeRestore(this.dir, this.backupJson());
      // An article written here while the backup was read (a note typed meanwhile) would be overwritten by its staged
      // copy, planned on what it was before: the restore is refused instead, nothing applied.
      const changed = staged.find((s) => this.docs.get(s.doc.article.id)?.data !== s.plannedOn);
      if (changed) {
        throw new GlossError('conflict', `"${changed.doc.article.title.slice(0, 80)}" changed while the backup was being restored; nothing was restored. Try again.`);
      }
    } catch (error) {
      await unstage();
      throw error;
    }
    const articlesDir = path.join(this.dir, ARTICLES_DIR);
    const added = new Set<string>();
    for (const { file, doc } of staged) {
      const id = doc.article.id;
      await rename(file, articleFile(this.dir, id));
      const previous = this.docs.get(id);
      if (previous) {
        this.forgetArticle(id);
        previous.data = doc;
      } else added.add(id);
      this.adopt(id, previous ?? new Low<AnnotationDoc>(articleAdapter(this.dir, id), doc));
      await this.recordOnDisk(id, doc);
    }
    await fsyncDirectory(articlesDir);
    const { ui, ...shared } = settings;
    const labels = shared.colorLabels;
    const cleared = Object.fromEntries(Object.keys(this.shared.data.settings.colorLabels).filter((c) => !(c in labels)).map((c) => [c, '']));
    await this.updateSettingsQuietly({ colorLabels: { ...cleared, ...labels }, ...(ui && { ui }) });
    if (!this.shared.data.seeded) {
      this.shared.data = { ...this.shared.data, seeded: true, updatedAt: { ...this.shared.data.updatedAt, seeded: new Date().toISOString() } };
      await this.shared.write();
    }
    const removedDocs = removedIds.flatMap((id) => this.docs.get(id)?.data ?? []);
    for (const doc of removedDocs) {
      const id = doc.article.id;
      this.forgetArticle(id);
      await rm(articleFile(this.dir, id), { force: true });
      this.emit({ type: 'article-deleted', articleId: id });
    }
    if (removedDocs.length > 0) {
      await fsyncDirectory(articlesDir);
      for (const doc of removedDocs) await this.purgeArticle(doc);
    }
    for (const { doc } of staged) {
      this.emit({ type: added.has(doc.article.id) ? 'article-added' : 'article-changed', articleId: doc.article.id });
    }
    this.emit({ type: 'tags-changed' });
    this.emit({ type: 'settings-changed' });
    return { ...counts, ...(safetyBackup && { safetyBackup }) };
  }

  /**
   * One backup article planned against the one here. Its HTML is sanitized by the importer's own sanitizer, in the
   * worker (a hostile file's HTML must not freeze the notebook, and is stopped at the import's limits); a merge that
   * must fuzzy-match its highlights to a different text here (seconds on a long text) is planned there too.
   */
  private async planRestoredArticle(article: Article, existing: ArticleDoc | undefined, mode: RestoreMode, owner: ReadonlyMap<string, string>): Promise<ArticleRestorePlan> {
    const resanitized = new Map<string, string | null>();
    if (needsResanitizing(article, existing)) {
      const name = `the backup's article "${article.title.slice(0, 80)}"`;
      const input = { html: article.html, text: article.text, source: article.source, name };
      const what = `Restoring ${name}`;
      resanitized.set(article.id, await runNotebookJob('resanitizeStored', input, { timeoutMs: importTimeLimitMs(article.html.length * 2), what }));
    }
    if (!needsRefit(article, existing, mode)) return planArticleRestore(article, existing, mode, owner, resanitized);
    const owners = new Map(article.highlights.flatMap((h) => (owner.has(h.id) ? [[h.id, owner.get(h.id)!] as const] : [])));
    return runNotebookJob(
      'planArticleRestore',
      { article, existing: existing!, mode, owner: owners, resanitized },
      { timeoutMs: ANCHORING_TIME_LIMIT_MS, what: `Matching the backup’s highlights to "${article.title.slice(0, 80)}"` },
    );
  }

  /** A restored article's content stored (content-addressed) and its annotations written under a hidden staging name. */
  private async stageRestoredArticle(stored: StoredArticle): Promise<{ file: string; doc: AnnotationDoc }> {
    const { text, html, pages, ...meta } = stored.article;
    const { contentId, content } = await storeContent(this.dir, { text, html, pages });
    const highlights = stored.highlights.map((h) => withPage(content, h));
    const previous = this.docs.get(meta.id)?.data.tombstones ?? [];
    const doc: AnnotationDoc = { schemaVersion: SCHEMA_VERSION, contentId, article: meta, highlights, tombstones: previous.filter((t) => !highlights.some((h) => h.id === t.id)) };
    const file = path.join(this.dir, ARTICLES_DIR, `.restore-${meta.id}.json`);
    await writeFileDurably(file, JSON.stringify(doc));
    return { file, doc };
  }

  private emit(event: NotebookEvent): void {
    // Only events that carry no state (the listener loads again): told later, they can only make it load once more.
    if (this.recordingCheck && (event.type === 'article-changed' || event.type === 'article-added' || event.type === 'article-deleted')) this.checkEvents.set(event.articleId, event);
    if (this.recordingCheck && event.type === 'tags-changed') this.checkEvents.set('', event);
    this.searchIndex.onEvent(event);
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        console.error('gloss: an event listener failed', error);
      }
    }
  }
}

function articleFile(dir: string, id: string): string {
  return path.join(dir, ARTICLES_DIR, `${id}.json`);
}

/** A deleted article past its undo window: its file in the trash and its backups (which would otherwise stay forever). */
async function purgeDeletedArticle(dir: string, id: string): Promise<void> {
  await rm(trashFile(dir, id), { force: true });
  await removeBackupsOf(dir, id);
}

/** An article's rolling backups and the copies kept before migrating it (`<id>.v<N>.json`). */
async function removeBackupsOf(dir: string, id: string): Promise<void> {
  const rolling = new RollingBackups(dir, articleFile(dir, id)).paths;
  for (const backup of rolling) await rm(backup, { force: true });
  const folder = path.dirname(rolling[0]);
  const premigration = (await readdir(folder).catch(() => [] as string[])).filter((n) => n.startsWith(`${id}.v`) && /^\.v\d+\.json$/.test(n.slice(id.length)));
  for (const name of premigration) await rm(path.join(folder, name), { force: true });
}

/** Backup articles planned and staged at once by a restore (see applyRestore). */
const RESTORE_IN_FLIGHT = 16;

/** What a restore reads: the backup's settings and article ids (known before), then its articles one at a time. */
interface RestoreSource {
  settings: Settings;
  articleIds: string[];
  articles: AsyncIterable<Article>;
}

/** An article's restored annotations waiting under their staging name, and the annotations here they were planned on. */
interface StagedRestore {
  file: string;
  doc: AnnotationDoc;
  plannedOn: AnnotationDoc | undefined;
}

/** Where writeBackupTo wrote, how many articles, how many bytes. */
export interface BackupFileSummary {
  path: string;
  articles: number;
  bytes: number;
}

/** How many `local/before-restore/` snapshots are kept: each is a full copy of the notebook. */
export const KEEP_BEFORE_RESTORE = 5;
const BEFORE_RESTORE_DIR = `${LOCAL_DIR}/before-restore`;
const SNAPSHOT_NAME = /^\d{4}-\d\d-\d\dT[\d-]+Z\.json$/;

/** Writes a snapshot to `before-restore/<time>.json` and removes all but the newest KEEP_BEFORE_RESTORE (ours only). */
async function saveBeforeRestore(dir: string, json: AsyncIterable<string>): Promise<string> {
  const folder = path.join(dir, BEFORE_RESTORE_DIR);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  await mkdir(folder, { recursive: true });
  let file = path.join(folder, `${stamp}.json`);
  // Two restores in one millisecond: the second gets the next name, never the first one's way back.
  for (let n = 1; await exists(file); n++) file = path.join(folder, `${stamp.replace(/Z$/, '')}-${n}Z.json`);
  await writeFileDurably(file, json);
  const snapshots = (await readdir(folder)).filter((name) => SNAPSHOT_NAME.test(name)).sort(); // ISO times sort by age
  for (const name of snapshots.slice(0, -KEEP_BEFORE_RESTORE)) await rm(path.join(folder, name), { force: true });
  return file;
}

/**
 * Syncthing's ignore list (local/ and temp files stay on this machine) and the v1 guard (an older Gloss reads
 * gloss-index.json as a newer index and refuses the folder rather than rewriting it). Written when missing or not ours.
 */
async function writeSyncFiles(dir: string): Promise<void> {
  const ignore = path.join(dir, STIGNORE_FILE);
  const current = await readFile(ignore, 'utf8').catch(() => '');
  if (!current.includes(STIGNORE_MARK)) await writeFileDurably(ignore, `${current}${current && !current.endsWith('\n') ? '\n' : ''}${STIGNORE_LINES}`);
  if (!(await exists(path.join(dir, INDEX_FILE)))) await writeFile(path.join(dir, INDEX_FILE), pretty(V1_GUARD));
}

const STIGNORE_MARK = '// Gloss: this machine only';
/** Per-machine state, temp files of interrupted writes and the v2 migration's staging never sync. */
const STIGNORE_LINES = `${STIGNORE_MARK}\n/local\n/.v2-migration\n.gloss-*.tmp\n.restore-*.json\n/.gloss.lock*\n`;

async function readLocalJson<T>(dir: string, file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path.join(dir, file), 'utf8')) as T;
  } catch {
    return undefined; // missing or damaged: one machine's window state and notices, never a note
  }
}

/** The content fields an importer extracted (CONTENT_FIELDS), as storeContent takes them. */
function pickImported(imported: ImportedArticle): ContentSource {
  const source: Record<string, unknown> = {};
  for (const field of CONTENT_FIELDS) if (imported[field as keyof ImportedArticle] !== undefined) source[field] = imported[field as keyof ImportedArticle];
  return source as ContentSource;
}

/** Library order: when an article was added, then its id (so every machine lists the same order). */
function orderKey(doc: AnnotationDoc): string {
  return `${doc.article.addedAt}\u0000${doc.article.id}`;
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

function trashFile(dir: string, id: string): string {
  return path.join(dir, TRASH_DIR, `${id}.json`);
}

function isWebUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** What the library list leaves out of an article: a PDF's file info and the note are the reader's (getArticle). */
const NOT_IN_SUMMARY = new Set(['note', 'noteUpdatedAt', 'noteConflicts', 'pdf', '__proto__']);

function summaryOf(doc: AnnotationDoc): ArticleSummary {
  // A plain loop: 10,000 of these answer the first listArticles, and a rest pattern costs ~5x more (measured).
  const summary: Record<string, unknown> = {};
  const article = doc.article as unknown as Record<string, unknown>;
  for (const key in article) if (!NOT_IN_SUMMARY.has(key)) summary[key] = article[key];
  summary.highlightCount = doc.highlights.length;
  return summary as unknown as ArticleSummary;
}

/** A highlight on a PDF article with `page` set to the page its start is on; others as they are. */
function withPage(article: Pick<Article, 'pages'>, h: Highlight): Highlight {
  if (!article.pages?.length) return h;
  const page = pageAtOffset(article.pages, h.start);
  return h.page === page ? h : { ...h, page };
}

function pinPage(article: Pick<Article, 'pages'>, h: Highlight): void {
  if (article.pages?.length) h.page = pageAtOffset(article.pages, h.start);
}

function sortHighlights(highlights: Highlight[]): Highlight[] {
  return [...highlights].sort((a, b) => a.start - b.start || a.end - b.end || a.createdAt.localeCompare(b.createdAt));
}

/** An ISO timestamp strictly after `previous`, so two edits in one millisecond still order (sync relies on it). */
function laterTimestamp(previous: string): string {
  const now = Date.now();
  const prev = Date.parse(previous);
  return new Date(Number.isFinite(prev) && prev >= now ? prev + 1 : now).toISOString();
}
