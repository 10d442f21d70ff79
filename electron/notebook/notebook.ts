import { access, mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Low } from 'lowdb';
import {
  ARTICLE_UNDO_MS,
  DEFAULT_COLOR,
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
  type SearchMatch,
  type Settings,
  type TagCount,
  publishedDateProblem,
} from '../contract';
import { GlossError, invalid, notFound } from './errors';
import { newId } from './ids';
import { cleanTag, normalizeTags, tagKey } from './tags';
import { articleAdapter, indexAdapter, loadNotebookFiles, type LoadedNotebook } from './store/load';
import { ARTICLES_DIR, INDEX_FILE } from './store/layout';
import { SCHEMA_VERSION } from './migrations';
import { mergeUiSettings } from './ui-settings';
import { FolderLock } from './store/lock';
import { prepareExportFolder } from './export/target';
import { RollingBackups } from './store/backups';
import { describeRange, checkRange } from './anchoring/selectors';
import { reanchorAll } from './anchoring/anchor';
import { importArticleContent, importEpubBytes, importTimeLimitMs, importUrl, type ImportedArticle } from './import';
import { LOOPBACK_RANGES } from './import/address-policy';
import { renderExport } from './export/render';
import type { AnnotationExportOptions, AnnotationImportOptions, AnnotationImportResult, FolderExportSummary, JsonObject, NotebookBackup, RestoreMode, RestoreResult } from '../contract';
import { exportToFolder as writeExportFolder, fromWebAnnotations, makeBackup, parseBackup, toWebAnnotations } from './export';
import { needsResanitizing, planRestore, type StoredArticle } from './export/restore';
import { articlesAddressed, type AnnotationImportPlan } from './export/annotation-import';
import { ANCHORING_TIME_LIMIT_MS, runNotebookJob } from './workers/run';
import { fsyncDirectory, writeFileDurably } from './store/durable-file';
import { searchNotebook } from './search';
import { listNotebookHighlights } from './highlight-list';
import { pageAtOffset } from '../pdf-text';
import { decodePdfBase64, highlightsFromFile, looksLikePdf, pdfArticleFields, pdfFileInfo, pdfName, readPdfInWorker, type PdfSource } from './pdf/import';
import { assertExportable, exportAnnotatedPdfFile } from './pdf/export-annotated';
import { removePdfIfUnused, storedPdfPath, storedPdfSize, storePdf, sweepUnusedPdfs } from './pdf/store';
import { ImageKeeper, importedImagesOf } from './images/keeper';
import { imagesReferencedBy, storedImageFile, type StoredImageFile } from './images/store';

export { SCHEMA_VERSION, INDEX_FILE, ARTICLES_DIR };
/** Deleted articles wait here for undo (ARTICLE_UNDO_MS), then are purged; the whole folder is purged on open and close. */
export const TRASH_DIR = 'trash';

/** What one article file holds. `article` is everything of Article except what is derived (highlights, count). */
export interface ArticleDoc {
  schemaVersion: number;
  article: Omit<Article, 'highlights' | 'highlightCount'>;
  highlights: Highlight[];
}

export interface IndexDoc {
  schemaVersion: number;
  /** Article ids in the order they were added. The article files are the truth; this is the list of them. */
  articleIds: string[];
  settings: Settings;
  seeded: boolean;
  /** What the user should be told about (damaged files, restored backups) until they dismiss it. */
  notices?: Notice[];
}

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
}

type Listener = (event: NotebookEvent) => void;

/**
 * A notebook folder: one lowdb index plus one lowdb file per article. Implements the whole contract; the hosts only
 * validate arguments and carry calls. Every method that changes something resolves only after the change is on disk.
 */
export class Notebook implements GlossApi {
  private readonly docs = new Map<string, Low<ArticleDoc>>();
  /** highlight id -> article id, so updateHighlight(hid) finds its file without a scan. */
  private readonly highlightOwner = new Map<string, string>();
  private readonly listeners = new Set<Listener>();
  /** Deleted articles that undo can still bring back: their file (moved to TRASH_DIR), place in the list, purge timer. */
  private readonly trash = new Map<string, { low: Low<ArticleDoc>; position: number; timer: ReturnType<typeof setTimeout> }>();
  /** Originals stored by an import or replacement not yet written to its article (sha256 -> how many): in use too. */
  private readonly pendingPdfs = new Map<string, number>();
  /** Stored images (images/): written before their article, removed when no article's HTML names them. */
  private readonly images: ImageKeeper;

  private constructor(
    readonly dir: string,
    private readonly index: Low<IndexDoc>,
    private readonly lock: FolderLock,
    private readonly options: OpenOptions,
  ) {
    this.images = new ImageKeeper(dir, () => this.storedHtmls());
  }

  static async open(dir: string, options: OpenOptions = {}): Promise<Notebook> {
    await mkdir(path.join(dir, ARTICLES_DIR), { recursive: true });
    const lock = await FolderLock.acquire(dir, options.owner ?? 'another Gloss process');
    try {
      // Whatever a previous session left for undo is past its undo window now, unless it is still listed (a crash
      // between moving the file aside and writing the index): that one goes back.
      await settleTrash(dir);
      // Unreadable files are moved aside and restored from backups here; only a newer-format index stops the open.
      const files = await loadNotebookFiles(dir);
      const index = new Low<IndexDoc>(indexAdapter(dir), files.index);
      const notebook = new Notebook(dir, index, lock, options);
      await notebook.loadArticles(files);
      // Originals whose article an earlier session purged without removing the file (a stop in between). Not when some
      // article file is of a newer format or was found damaged: it may name an original this Gloss cannot see.
      if (files.held.size === 0 && files.notices.length === 0) {
        await sweepUnusedPdfs(dir, (sha) => notebook.pdfInUse(sha));
        await notebook.images.sweep();
      }
      if (!index.data.seeded) await notebook.seed();
      return notebook;
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  async close(): Promise<void> {
    this.listeners.clear();
    for (const entry of this.trash.values()) clearTimeout(entry.timer);
    const deleted = [...this.trash.keys()];
    const deletedPdfs = [...this.trash.values()].flatMap((entry) => entry.low.data.article.pdf?.sha256 ?? []);
    this.trash.clear();
    for (const id of deleted) await purgeDeletedArticle(this.dir, id);
    await rm(path.join(this.dir, TRASH_DIR), { recursive: true, force: true });
    for (const sha of deletedPdfs) await removePdfIfUnused(this.dir, sha, (s) => this.pdfInUse(s)).catch(() => undefined);
    await this.lock.release();
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // --- Articles -------------------------------------------------------------------------------------------------

  async listArticles(): Promise<ArticleSummary[]> {
    return this.index.data.articleIds.flatMap((id) => {
      const doc = this.docs.get(id);
      return doc ? [summaryOf(doc.data)] : [];
    });
  }

  async getArticle(id: string): Promise<Article> {
    const doc = this.docOf(id).data;
    return { ...doc.article, highlightCount: doc.highlights.length, highlights: doc.highlights.map((h) => ({ ...h })) };
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
    const position = this.index.data.articleIds.indexOf(id);
    // Move the file aside first: if that fails nothing has changed. If the index write then fails, move it back.
    await mkdir(path.join(this.dir, TRASH_DIR), { recursive: true });
    await rename(articleFile(this.dir, id), trashFile(this.dir, id));
    const before = this.index.data.articleIds;
    this.index.data.articleIds = before.filter((a) => a !== id);
    try {
      await this.index.write();
    } catch (error) {
      this.index.data.articleIds = before;
      await rename(trashFile(this.dir, id), articleFile(this.dir, id));
      throw error;
    }
    this.docs.delete(id);
    for (const h of doc.data.highlights) this.highlightOwner.delete(h.id);
    const timer = setTimeout(() => void this.purgeTrashed(id), ARTICLE_UNDO_MS);
    timer.unref?.();
    this.trash.set(id, { low: doc, position, timer });
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
    this.docs.set(id, entry.low);
    for (const h of entry.low.data.highlights) this.highlightOwner.set(h.id, id);
    const ids = [...this.index.data.articleIds];
    ids.splice(Math.min(Math.max(entry.position, 0), ids.length), 0, id);
    this.index.data.articleIds = ids;
    // Should this write fail, the file is back in articles/ and the next open adopts it: the article is not lost.
    await this.index.write();
    this.emit({ type: 'article-added', articleId: id });
    if (entry.low.data.highlights.some((h) => h.tags.length > 0)) this.emit({ type: 'tags-changed' });
    return summaryOf(entry.low.data);
  }

  private async purgeTrashed(id: string): Promise<void> {
    const entry = this.trash.get(id);
    if (!entry || !this.trash.delete(id)) return;
    // Its original first (unless another article, live or deleted, uses it), then its file: a stop in between leaves
    // the trash file, which the next open purges, and never an original nothing names but the sweep at open.
    const sha = entry.low.data.article.pdf?.sha256;
    if (sha) await removePdfIfUnused(this.dir, sha, (s) => this.pdfInUse(s)).catch((error: unknown) => console.error('gloss: could not remove a PDF', error));
    await this.images.sweep(imagesReferencedBy(entry.low.data.article.html)).catch((error: unknown) => console.error('gloss: could not remove images', error));
    await purgeDeletedArticle(this.dir, id).catch((error: unknown) => console.error('gloss: could not purge a deleted article', error));
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
    });
    this.emit({ type: 'article-changed', articleId: id });
    return summaryOf(doc);
  }

  async setArticleNote(id: string, note: string, options: { ifNoteUpdatedAt?: string } = {}): Promise<{ noteUpdatedAt: string }> {
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
    const release = await this.images.write(imported.images); // data: images of the new text (the old ones: next open's sweep)
    let result: ReanchorResult;
    try {
      result = await this.replaceText(id, imported.text, 'the new text', (d) => {
        d.article.html = imported.html;
      });
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
  private async replaceText(id: string, text: string, what: string, alongside: (doc: ArticleDoc) => void): Promise<ReanchorResult> {
    let result: ReanchorResult = { anchored: 0, orphaned: 0 };
    await this.whileUnchanged(
      [id],
      () =>
        runNotebookJob('reanchor', { text, highlights: this.docOf(id).data.highlights }, {
          timeoutMs: ANCHORING_TIME_LIMIT_MS,
          what: `Re-anchoring the highlights on ${what}`,
        }),
      (reanchored) =>
        this.mutate(id, (d) => {
          d.article.text = text;
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
      const fields = pdfArticleFields(extracted, source);
      const highlights = highlightsFromFile(id, fields.text, fields.pages, extracted.annotations, now, newId);
      const summary = await this.addArticle({ id, ...fields, addedAt: now, updatedAt: now }, highlights);
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
  private *storedHtmls(): Iterable<string | undefined> {
    for (const doc of this.docs.values()) yield doc.data.article.html;
    for (const entry of this.trash.values()) yield entry.low.data.article.html;
  }

  /** Some article, listed or deleted but still undoable, has this original. */
  private pdfInUse(sha256: string): boolean {
    if (this.pendingPdfs.has(sha256)) return true;
    for (const doc of this.docs.values()) if (doc.data.article.pdf?.sha256 === sha256) return true;
    for (const entry of this.trash.values()) if (entry.low.data.article.pdf?.sha256 === sha256) return true;
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
      result = await this.replaceText(id, extracted.text, 'the new version of the PDF', (d) => {
        d.article.pages = extracted.pages;
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
    return exportAnnotatedPdfFile(article, file.path, this.index.data.settings);
  }

  // --- Highlights -----------------------------------------------------------------------------------------------

  async addHighlight(articleId: string, input: NewHighlight): Promise<Highlight> {
    const text = this.docOf(articleId).data.article.text;
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
    pinPage(this.docOf(articleId).data.article, highlight);
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
    });
    this.highlightOwner.delete(highlightId);
    const result = removed as Highlight;
    this.emit({ type: 'highlight-deleted', articleId, highlightId });
    if (result.tags.length) this.emit({ type: 'tags-changed' });
    return result;
  }

  async restoreHighlight(highlight: Highlight): Promise<Highlight> {
    if (this.highlightOwner.has(highlight.id)) throw new GlossError('conflict', `Highlight ${highlight.id} already exists.`);
    const doc = this.docOf(highlight.articleId).data;
    const text = doc.article.text;
    // A restored highlight must still point at its quote; if the text changed meanwhile, re-anchor it.
    const restored: Highlight =
      text.slice(highlight.start, highlight.end) === highlight.quote
        ? { ...highlight, tags: normalizeTags(highlight.tags, { lenient: true }) }
        : reanchorAll(text, [highlight]).highlights[0];
    pinPage(doc.article, restored);
    await this.mutate(highlight.articleId, (d) => {
      d.highlights = sortHighlights([...d.highlights, restored]);
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
    for (const [articleId, doc] of this.docs) {
      if (!doc.data.highlights.some((h) => h.tags.some((t) => tagKey(t) === key))) continue;
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
    }
    if (changed === 0) throw notFound(`No highlight has the tag "${name.trim()}".`);
    this.emit({ type: 'tags-changed' });
    return changed;
  }

  // --- Search, export, settings -----------------------------------------------------------------------------------

  async search(query: string, filters: SearchFilters = {}): Promise<SearchMatch[]> {
    return searchNotebook(this.allDocs(), query, filters);
  }

  async listHighlights(filters: HighlightFilters = {}): Promise<HighlightListing[]> {
    return listNotebookHighlights(this.allDocs(), filters);
  }

  async exportMarkdown(options: ExportOptions = {}): Promise<string> {
    const articles = await this.articlesFor(options.articleIds);
    return renderExport(articles, this.index.data.settings, options);
  }

  /** Whole articles (with highlights) in library order; unknown ids are a 404 naming them. */
  async articlesFor(ids?: string[]): Promise<Article[]> {
    const chosen = ids ?? this.index.data.articleIds;
    const missing = chosen.filter((id) => !this.docs.has(id));
    if (missing.length) throw notFound(`No article with id ${missing.join(', ')}.`);
    return Promise.all(chosen.map((id) => this.getArticle(id)));
  }

  async getSettings(): Promise<Settings> {
    return structuredClone(this.index.data.settings);
  }

  async updateSettings(patch: Partial<Settings>): Promise<Settings> {
    if (patch.colorLabels) {
      const labels = { ...this.index.data.settings.colorLabels };
      for (const [color, label] of Object.entries(patch.colorLabels)) {
        const trimmed = (label ?? '').trim();
        if (trimmed) labels[color as keyof typeof labels] = trimmed;
        else delete labels[color as keyof typeof labels];
      }
      this.index.data.settings = { ...this.index.data.settings, colorLabels: labels };
    }
    if (patch.ui) {
      const ui = mergeUiSettings(this.index.data.settings.ui, patch.ui, (id) => this.docs.has(id));
      this.index.data.settings = { ...this.index.data.settings, ui };
    }
    await this.index.write();
    this.emit({ type: 'settings-changed' });
    return this.getSettings();
  }

  // --- Notices (damaged files, restored backups) ----------------------------------------------------------------

  async getNotices(): Promise<Notice[]> {
    return structuredClone(this.index.data.notices ?? []);
  }

  async dismissNotice(id: string): Promise<void> {
    const notices = this.index.data.notices ?? [];
    if (!notices.some((n) => n.id === id)) throw notFound(`No notice with id "${id}".`);
    this.index.data.notices = notices.filter((n) => n.id !== id);
    try {
      await this.index.write();
    } catch (error) {
      this.index.data.notices = notices;
      throw error;
    }
  }

  // --- Internals ------------------------------------------------------------------------------------------------

  private allDocs(): ArticleDoc[] {
    return this.index.data.articleIds.flatMap((id) => {
      const doc = this.docs.get(id);
      return doc ? [doc.data] : [];
    });
  }

  private docOf(id: string): Low<ArticleDoc> {
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
      // apply() starts in this same synchronous run as the check (mutate applies its change before its first await).
      if (ids.every((id, i) => this.docs.get(id)?.data === before[i])) return apply(result);
    }
    throw new GlossError('conflict', 'The article kept changing while Gloss was matching highlights to it; nothing was changed. Try again.');
  }

  /**
   * Applies `change` to an article and resolves once it is on disk. If `change` throws, nothing changes. If the write
   * fails, the in-memory copy is put back to what is on disk so memory never claims what the disk does not hold.
   */
  private async mutate(id: string, change: (doc: ArticleDoc) => void): Promise<ArticleDoc> {
    const low = this.docOf(id);
    const before = { article: { ...low.data.article }, highlights: low.data.highlights };
    const draft: ArticleDoc = { ...low.data, article: { ...low.data.article }, highlights: [...low.data.highlights] };
    change(draft);
    // A PDF highlight's page follows its start, whatever moved it (a re-anchoring, an import, a restore).
    draft.highlights = draft.highlights.map((h) => withPage(draft.article, h));
    draft.article.updatedAt = laterTimestamp(low.data.article.updatedAt);
    low.data = draft;
    try {
      await low.write();
    } catch (error) {
      if (low.data === draft) low.data = { ...low.data, ...before };
      throw error;
    }
    return draft;
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
    const article: ArticleDoc['article'] = {
      id,
      title: imported.title,
      ...(imported.byline && { byline: imported.byline }),
      ...(imported.source && { source: imported.source }),
      ...(imported.siteName && { siteName: imported.siteName }),
      ...(imported.publishedAt && { publishedAt: imported.publishedAt }),
      ...(imported.lang && { lang: imported.lang }),
      ...(imported.dir && { dir: imported.dir }),
      addedAt: now,
      updatedAt: now,
      text: imported.text,
      html: imported.html,
      ...(imported.kind && { kind: imported.kind }),
      ...(imported.toc && { toc: imported.toc }),
      ...(imported.book && { book: imported.book }),
      note: '',
    };
    return this.addArticle(article, []);
  }

  private async addArticle(article: ArticleDoc['article'], highlights: Highlight[]): Promise<ArticleSummary> {
    const id = article.id;
    const low = new Low<ArticleDoc>(articleAdapter(this.dir, id), { schemaVersion: SCHEMA_VERSION, article, highlights });
    // The article file first, then the index that lists it: a crash between the two leaves an unlisted file that the
    // next open adopts, never a listed article without its file.
    await low.write();
    this.docs.set(id, low);
    for (const h of highlights) this.highlightOwner.set(h.id, id);
    this.index.data.articleIds = [...this.index.data.articleIds, id];
    await this.index.write();
    this.emit({ type: 'article-added', articleId: id });
    if (highlights.some((h) => h.tags.length > 0)) this.emit({ type: 'tags-changed' });
    return summaryOf(low.data);
  }

  private async loadArticles(files: LoadedNotebook): Promise<void> {
    for (const [id, doc] of files.articles) {
      this.docs.set(id, new Low<ArticleDoc>(articleAdapter(this.dir, id), doc));
      for (const h of doc.highlights) this.highlightOwner.set(h.id, id);
    }
    // Articles this Gloss cannot open (a newer format) stay listed, so a newer Gloss finds the notebook as it was.
    const known = (id: string): boolean => this.docs.has(id) || files.held.has(id);
    const listed = this.index.data.articleIds.filter(known);
    const adopted = [...this.docs.keys()]
      .filter((id) => !listed.includes(id))
      .sort((a, b) => this.docs.get(a)!.data.article.addedAt.localeCompare(this.docs.get(b)!.data.article.addedAt));
    if (files.notices.length) this.index.data.notices = [...(this.index.data.notices ?? []), ...files.notices];
    if (files.indexDirty || adopted.length || listed.length !== this.index.data.articleIds.length) {
      this.index.data.articleIds = [...listed, ...adopted];
      await this.index.write();
    }
  }

  private async seed(): Promise<void> {
    if (this.options.seedArticlePath) {
      const raw = await readFile(this.options.seedArticlePath, 'utf8');
      const imported = await importArticleContent({ format: 'text', content: raw }, {});
      await this.addImported(imported);
    }
    this.index.data.seeded = true;
    await this.index.write();
  }

  // --- Export to a folder, W3C annotations, backup and restore (issue 6) -------------------------------------------

  async exportToFolder(dir: string, options: ExportOptions = {}): Promise<FolderExportSummary> {
    const articles = await this.articlesFor(options.articleIds);
    const target = await prepareExportFolder(this.dir, dir); // refuses the notebook, inside it, its parents (real paths)
    return writeExportFolder(target, articles, this.index.data.settings, options);
  }

  async exportAnnotations(options: AnnotationExportOptions = {}): Promise<JsonObject> {
    return toWebAnnotations(await this.articlesFor(options.articleIds), options);
  }

  async importAnnotations(json: unknown, options: AnnotationImportOptions = {}): Promise<AnnotationImportResult> {
    const parsed = fromWebAnnotations(json); // refuses malformed input whole, naming the place
    if (options.articleId) this.docOf(options.articleId);
    // Anchoring hundreds of quotes approximately can take seconds: it runs in the worker, which gets only the articles
    // the annotations address, as they are now.
    const addressed = articlesAddressed(this.allDocs(), parsed, options.articleId);
    let tagged = false;
    const plan: AnnotationImportPlan = await this.whileUnchanged(
      addressed.map((d) => d.article.id),
      () =>
        runNotebookJob(
          'planAnnotations',
          {
            articles: articlesAddressed(this.allDocs(), parsed, options.articleId),
            annotations: parsed,
            articleId: options.articleId,
            now: new Date().toISOString(),
            idsInUse: [...this.highlightOwner.keys()],
          },
          { timeoutMs: ANCHORING_TIME_LIMIT_MS, what: 'Matching the annotations to their articles' },
        ),
      async (planned) => {
        for (const [articleId, added] of planned.additions) {
          for (const h of added) pinPage(this.docOf(articleId).data.article, h);
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

  async backupNotebook(): Promise<NotebookBackup> {
    return makeBackup(await this.articlesFor(), this.index.data.settings);
  }

  /**
   * Never half-applies: the backup is validated whole, the restore planned in memory, and every article file written
   * to a hidden staging name (ignored by loadArticles) before any of them replaces a live file; only then are the
   * staged files renamed into place, the index written, and articles the backup does not have removed (with their
   * rolling backups, once that is on disk: the snapshot below holds them). A restore that changes something first saves
   * the notebook as it was to `before-restore/<time>.json` in the notebook folder (a way back); the newest
   * KEEP_BEFORE_RESTORE of those are kept.
   */
  async restoreNotebook(backup: unknown, options: { mode: RestoreMode }): Promise<RestoreResult> {
    const parsed = parseBackup(backup);
    const current = this.allDocs() as StoredArticle[];
    // A backup's HTML is sanitized by the importer's own sanitizer, in the worker: a hostile file's HTML must not
    // freeze the notebook, and is stopped at the import's limits.
    const here = new Map(current.map((doc) => [doc.article.id, doc]));
    const resanitized = new Map<string, string | null>();
    for (const article of parsed.articles) {
      if (!needsResanitizing(article, here.get(article.id))) continue;
      const name = `the backup's article "${article.title.slice(0, 80)}"`;
      const input = { html: article.html, text: article.text, source: article.source, name };
      const what = `Restoring ${name}`;
      resanitized.set(article.id, await runNotebookJob('resanitizeStored', input, { timeoutMs: importTimeLimitMs(article.html.length * 2), what }));
    }
    // A merge fuzzy-matches the backup's highlights to articles whose text differs here: seconds on a long text with
    // many quotes, so that plan is made in the worker (and made again if one of those articles changes meanwhile).
    const refit = options.mode === 'merge' ? parsed.articles.filter((a) => a.highlights.length > 0 && here.has(a.id) && here.get(a.id)!.article.text !== a.text).map((a) => a.id) : [];
    const plan =
      refit.length === 0
        ? planRestore(current, this.index.data.settings, parsed, options.mode, resanitized)
        : await this.whileUnchanged(
            refit,
            () =>
              runNotebookJob(
                'planRestore',
                { current: this.allDocs() as StoredArticle[], settings: this.index.data.settings, backup: parsed, mode: options.mode, resanitized },
                { timeoutMs: ANCHORING_TIME_LIMIT_MS, what: 'Matching the backup’s highlights to the articles here' },
              ),
            async (planned) => planned,
          );
    const articlesDir = path.join(this.dir, ARTICLES_DIR);
    let safetyBackup: string | undefined;
    const changesSomething =
      plan.writes.length > 0 ||
      plan.removed.length > 0 ||
      !isDeepStrictEqual(plan.articleIds, this.index.data.articleIds) ||
      !isDeepStrictEqual(plan.settings, this.index.data.settings);
    if (this.index.data.articleIds.length > 0 && changesSomething) {
      safetyBackup = await saveBeforeRestore(this.dir, JSON.stringify(await this.backupNotebook()));
    }
    const staged: { file: string; doc: ArticleDoc }[] = [];
    try {
      for (const w of plan.writes) {
        const highlights = w.highlights.map((h) => withPage(w.article, h));
        const doc: ArticleDoc = { schemaVersion: SCHEMA_VERSION, article: w.article, highlights };
        const file = path.join(articlesDir, `.restore-${w.article.id}.json`);
        await writeFileDurably(file, JSON.stringify(doc));
        staged.push({ file, doc });
      }
    } catch (error) {
      await Promise.all(staged.map((s) => rm(s.file, { force: true })));
      throw error;
    }
    for (const { file, doc } of staged) {
      const id = doc.article.id;
      await rename(file, articleFile(this.dir, id));
      const previous = this.docs.get(id);
      for (const h of previous?.data.highlights ?? []) this.highlightOwner.delete(h.id);
      const low = previous ?? new Low<ArticleDoc>(articleAdapter(this.dir, id), doc);
      low.data = doc;
      this.docs.set(id, low);
      for (const h of doc.highlights) this.highlightOwner.set(h.id, id);
    }
    await fsyncDirectory(articlesDir);
    const added = new Set(plan.articleIds.filter((id) => !this.index.data.articleIds.includes(id)));
    this.index.data = { ...this.index.data, articleIds: plan.articleIds, settings: plan.settings, seeded: true };
    await this.index.write();
    const removedPdfs = plan.removed.flatMap((id) => this.docs.get(id)?.data.article.pdf?.sha256 ?? []);
    for (const id of plan.removed) {
      for (const h of this.docs.get(id)?.data.highlights ?? []) this.highlightOwner.delete(h.id);
      this.docs.delete(id);
      await rm(articleFile(this.dir, id), { force: true });
      this.emit({ type: 'article-deleted', articleId: id });
    }
    if (plan.removed.length > 0) {
      await fsyncDirectory(articlesDir);
      for (const id of plan.removed) await removeBackupsOf(this.dir, id);
      for (const sha of removedPdfs) await removePdfIfUnused(this.dir, sha, (s) => this.pdfInUse(s));
    }
    for (const { doc } of staged) {
      this.emit({ type: added.has(doc.article.id) ? 'article-added' : 'article-changed', articleId: doc.article.id });
    }
    this.emit({ type: 'tags-changed' });
    this.emit({ type: 'settings-changed' });
    return { ...plan.counts, ...(safetyBackup && { safetyBackup }) };
  }

  private emit(event: NotebookEvent): void {
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

/** How many `before-restore/` snapshots are kept: each is a full copy of the notebook. */
export const KEEP_BEFORE_RESTORE = 5;
const BEFORE_RESTORE_DIR = 'before-restore';
const SNAPSHOT_NAME = /^\d{4}-\d\d-\d\dT[\d-]+Z\.json$/;

/** Writes a snapshot to `before-restore/<time>.json` and removes all but the newest KEEP_BEFORE_RESTORE (ours only). */
async function saveBeforeRestore(dir: string, json: string): Promise<string> {
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
 * At open: each article left in the trash by an earlier session is purged, unless the index still lists it (the
 * session stopped between moving the file aside and writing the index), in which case it is moved back. If the index
 * cannot be read here, nothing is touched: loading will deal with the index, and the next open with the trash.
 */
async function settleTrash(dir: string): Promise<void> {
  const names = await readdir(path.join(dir, TRASH_DIR)).catch(() => [] as string[]);
  if (names.length === 0) return;
  let listed: Set<string>;
  try {
    const index = JSON.parse(await readFile(path.join(dir, INDEX_FILE), 'utf8')) as Partial<IndexDoc>;
    if (!Array.isArray(index.articleIds)) return;
    listed = new Set(index.articleIds);
  } catch {
    return;
  }
  for (const name of names) {
    const id = name.replace(/\.json$/, '');
    if (!name.endsWith('.json')) await rm(path.join(dir, TRASH_DIR, name), { force: true });
    else if (!listed.has(id)) await purgeDeletedArticle(dir, id);
    else if (await exists(articleFile(dir, id))) await rm(trashFile(dir, id), { force: true }); // the listed file wins
    else await rename(trashFile(dir, id), articleFile(dir, id));
  }
  await rm(path.join(dir, TRASH_DIR), { recursive: true, force: true });
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

function summaryOf(doc: ArticleDoc): ArticleSummary {
  // A PDF's page table and file info, a book's table of contents and package data are the reader's (getArticle), not
  // the library list's.
  const { text: _text, html: _html, note: _note, pages: _pages, pdf: _pdf, toc: _toc, book: _book, ...summary } = doc.article;
  return { ...summary, highlightCount: doc.highlights.length };
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
