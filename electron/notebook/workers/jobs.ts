/**
 * The jobs the notebook's worker runs (see ./pool.ts for the limits). Each is a pure function of its input, which
 * arrives and leaves by structured clone: no callbacks, no shared state, nothing from the previous job. A new parser
 * (PDF, EPUB) becomes one more entry here, and its import path calls runNotebookJob (./run.ts) like import/index.ts.
 */
import type { Article, ExportOptions, Highlight, RestoreMode, Settings } from '../../contract';
import { reanchorAll } from '../anchoring/anchor';
import { planAnnotationImport } from '../export/annotation-import';
import { renderMarkdownExport } from '../export/markdown';
import { checkBackupFile } from '../export/backup-file';
import { planArticleRestore, type StoredArticle } from '../export/restore';
import type { ParsedAnnotation } from '../export/w3c';
import { newId } from '../ids';
import { GlossError } from '../errors';
import { assertNesting } from '../import/nesting';
import { annotatePdf, type AnnotatePdfInput } from '../pdf/annotate';
import { parseMarkdownExports, type MarkdownExportFileInput } from '../import/gloss-markdown';
import { importEpub, type EpubImportInput } from '../import/epub';
import { attachImages, importName, parseArticleContent, type ParseJob } from '../import/parse';
import { loadDomLibrary, resanitizeStoredHtml, sanitizeArticleHtml } from '../import/sanitize';
import { extractPdf } from '../pdf/extract';
import { parseToolExport } from '../import/tools/parse';

export const notebookJobs = {
  /** Decode, parse, extract and sanitize one import (import/parse.ts). */
  import: (job: ParseJob) => {
    try {
      return parseArticleContent(job);
    } catch (error) {
      // A tree deep enough to overflow a recursive walk got past the depth count: still the page's fault, not a bug.
      if (!(error instanceof RangeError && /call stack/i.test(error.message))) throw error;
      const name = job.kind === 'page' ? job.name : importName(job.request, job.fileName);
      throw new GlossError('too_complex', `Cannot import ${name}: the page is nested too deeply to process.`);
    }
  },

  /** Unzip an EPUB under its limits and turn its chapters into one sanitized article (import/epub/). */
  importEpub: (input: EpubImportInput) => importEpub(input),

  /** A URL import's fetched images attached to its stored HTML (import/parse.ts attachImages). */
  attachImages,

  /** Read a PDF with pdf.js: its text, pages, metadata and in-file highlights, and its SHA-256 (pdf/extract.ts). */
  extractPdf,

  /** Sanitize stored or restored HTML with the import profile; returns the HTML and its text model's text. */
  sanitize: ({ html, baseUrl }: { html: string; baseUrl?: string }): { html: string; text: string } => {
    const safe = sanitizeArticleHtml(html, baseUrl);
    return { html: safe.html, text: safe.text };
  },

  /** A restored article's HTML, sanitized as an import is; null when that would change its text (restore.ts). */
  resanitizeStored: ({ html, text, source, name }: { html: string; text: string; source?: string; name: string }): string | null => {
    assertNesting(html, name); // as an import does: refused at once rather than at the time limit
    return resanitizeStoredHtml(html, text, source) ?? null;
  },

  /**
   * One backup article's merge into the article here whose text differs: its highlights fuzzy-matched to this text
   * (restore.ts planArticleRestore). `owner` holds only the owners of this article's highlight ids.
   */
  planArticleRestore: (input: { article: Article; existing: StoredArticle; mode: RestoreMode; owner: Map<string, string>; resanitized: Map<string, string | null> }) =>
    planArticleRestore(input.article, input.existing, input.mode, input.owner, input.resanitized),

  /** Validate a backup file article by article, holding one at a time (export/backup-file.ts; restoreFromFile). */
  checkBackupFile: ({ file }: { file: string }) => checkBackupFile(file),

  /** Re-anchor highlights on a new text (replaceArticleText). */
  reanchor: ({ text, highlights }: { text: string; highlights: Highlight[] }) => reanchorAll(text, highlights),

  /** Read a Gloss Markdown export back (import/gloss-markdown.ts; importMarkdownExport). */
  parseMarkdownExport: ({ files }: { files: MarkdownExportFileInput[] }) => parseMarkdownExports(files),

  /** Anchor imported W3C annotations on the articles they address (importAnnotations). */
  planAnnotations: (input: {
    articles: StoredArticle[];
    annotations: ParsedAnnotation[];
    articleId?: string;
    now: string;
    idsInUse: string[];
  }) => {
    const inUse = new Set(input.idsInUse);
    return planAnnotationImport(input.articles, input.annotations, {
      articleId: input.articleId,
      now: input.now,
      newId,
      idInUse: (id) => inUse.has(id),
    });
  },

  /** A copy of a PDF with the article's highlights written in as /Highlight annotations (pdf/annotate.ts). */
  annotatePdf: (input: AnnotatePdfInput) => annotatePdf(input),

  /** Another tool's export (Hypothesis JSON, Kindle clippings, Readwise CSV, Omnivore zip), parsed whole (import/tools/). */
  parseToolExport,

  /** A Markdown export with the user's template (export/template.ts bounds it; the worker bounds what that misses). */
  renderExport: ({ articles, settings, options }: { articles: Article[]; settings: Settings; options: ExportOptions }) =>
    renderMarkdownExport(articles, settings, options),
};

export type NotebookJobs = typeof notebookJobs;

/** Loaded before the worker says it is ready, so no job's time limit pays for it. */
export const prepareNotebookWorker = loadDomLibrary;
