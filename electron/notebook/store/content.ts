/**
 * An article's document content: what an import extracts once and nothing edits afterwards (the text highlights
 * point into, its sanitized HTML, a PDF's page table, and whatever structure later importers extract). Stored apart
 * from the annotations, in `content/<contentId>.json`, where contentId is the SHA-256 of the file's bytes: written
 * once, never rewritten, shared by identical content, removed only when no article (live or undoable) names it.
 * Replacing an article's text writes a new content file and points the article at it.
 *
 * To add a field (an EPUB's table of contents, ...): add it to ArticleContent and CONTENT_FIELDS below, to
 * `ImportedArticle` (import/types.ts) so an importer can hand it in, and to the contract's `Article` so getArticle
 * carries it to the reader. Nothing else in the store changes: storeContent, readContent and getArticle copy exactly
 * the fields listed here.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { BookInfo, PdfPage, TocEntry } from '../../contract';
import { GlossError } from '../errors';
import { escapeText } from '../import/text';
import { fsyncDirectory, writeFileDurably } from './durable-file';
import { CONTENT_DIR } from './layout';

/** The content file's own format version (separate from the annotation files'); newer is refused. */
export const CONTENT_SCHEMA_VERSION = 1;

export interface ArticleContent {
  /** Canonical plain text: every highlight offset indexes into it. */
  text: string;
  /**
   * Sanitized HTML whose text model equals `text`. Absent: it is exactly what `htmlFromText(text)` makes (a plain-text
   * import), made again when read. null: the article has no HTML (a PDF; a restored page whose HTML was dropped).
   */
  html?: string | null;
  /** PDFs: where each page's text sits in `text`. */
  pages?: PdfPage[];
  /** Books (EPUB): the table of contents, as offsets into `text`. */
  toc?: TocEntry[];
  /** Books (EPUB): what the package says of itself (reading direction, identifiers...): read once, never edited. */
  book?: BookInfo;
}

/** THE list of content fields, in the order they are written (so identical content hashes identically). */
export const CONTENT_FIELDS = ['text', 'html', 'pages', 'toc', 'book'] as const satisfies readonly (keyof ArticleContent)[];

const SHA256 = /^[0-9a-f]{64}$/;

export function contentPath(notebookDir: string, contentId: string): string {
  if (!SHA256.test(contentId)) throw new Error(`Not a content id: ${JSON.stringify(contentId)}`); // never a path from outside
  return path.join(notebookDir, CONTENT_DIR, `${contentId}.json`);
}

/**
 * The HTML a plain-text import makes of its text (one <p> per paragraph, import/text.ts): not stored, made again when
 * the article is read. A plain-text article so stores its text once.
 */
export function htmlFromText(text: string): string {
  return text
    .split('\n\n')
    .map((p) => `<p>${escapeText(p)}</p>`)
    .join('');
}

/**
 * Only the content fields of `source`, in CONTENT_FIELDS order: HTML the text makes anyway left out, no HTML at all
 * said with null (so reading it back gives exactly the article that was stored).
 */
export function pickContent(source: ContentSource): ArticleContent {
  const content: Record<string, unknown> = {};
  for (const field of CONTENT_FIELDS) {
    const value = source[field];
    if (value !== undefined) content[field] = value;
  }
  if (content.html === undefined) content.html = null;
  else if (content.html === htmlFromText(source.text)) delete content.html;
  return content as unknown as ArticleContent;
}

/** The stored bytes of a picked content (pickContent): versioned JSON, fields in CONTENT_FIELDS order. */
export function serializeContent(content: ArticleContent): string {
  return JSON.stringify({ schemaVersion: CONTENT_SCHEMA_VERSION, ...content });
}

/** What an import or a backup hands in: `html` undefined means the article has none. */
export type ContentSource = Partial<Omit<ArticleContent, 'html'>> & { text: string; html?: string };

export function contentIdOf(serialized: string): string {
  return createHash('sha256').update(serialized).digest('hex');
}

/**
 * Writes a content file (picked from `source`) durably unless the same content is already stored (its name is its hash; a file of another
 * size under that name is a damaged leftover and is replaced). Resolves with its contentId once it is on disk.
 */
export async function storeContent(notebookDir: string, source: ContentSource): Promise<{ contentId: string; content: ArticleContent }> {
  const content = pickContent(source);
  const serialized = serializeContent(content);
  const contentId = contentIdOf(serialized);
  const file = contentPath(notebookDir, contentId);
  const size = await stat(file).then(
    (s) => (s.isFile() ? s.size : -1),
    () => -1,
  );
  if (size === Buffer.byteLength(serialized)) return { contentId, content };
  await mkdir(path.dirname(file), { recursive: true });
  await writeFileDurably(file, serialized);
  return { contentId, content };
}

/**
 * Reads a content file, checking its bytes against its name: content never changes, so bytes that do not hash to their
 * name are damage (or a sync engine's half-written copy), named in the error rather than shown as the article.
 */
export async function readContent(notebookDir: string, contentId: string): Promise<ArticleContent> {
  const file = contentPath(notebookDir, contentId);
  const relative = path.join(CONTENT_DIR, `${contentId}.json`);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new GlossError('not_found', `The article's text (${relative}) is missing from this notebook. If the notebook is synced, it may not have arrived yet.`);
    }
    throw error;
  }
  if (createHash('sha256').update(bytes).digest('hex') !== contentId) {
    throw new GlossError('conflict', `The article's text (${relative}) is damaged: its bytes do not match its name. Restore it from a copy of the notebook.`);
  }
  const raw = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
  if (typeof raw.schemaVersion === 'number' && raw.schemaVersion > CONTENT_SCHEMA_VERSION) {
    throw new GlossError('conflict', `${relative} was written by a newer version of Gloss (content format ${raw.schemaVersion}); update Gloss to open this article.`);
  }
  if (typeof raw.text !== 'string') throw new GlossError('conflict', `${relative} is not Gloss article content (no text).`);
  const { schemaVersion: _version, ...content } = raw;
  return content as unknown as ArticleContent;
}

/** The content as the article shows it: HTML made again when it was left out, none when it has none (null). */
export function withHtml(content: ArticleContent): ArticleContent & { html?: string } {
  if (content.html === null) {
    const { html: _none, ...rest } = content;
    return rest;
  }
  return content.html !== undefined ? (content as ArticleContent & { html: string }) : { ...content, html: htmlFromText(content.text) };
}

export async function removeContent(notebookDir: string, contentId: string): Promise<void> {
  await rm(contentPath(notebookDir, contentId), { force: true });
  await fsyncDirectory(path.join(notebookDir, CONTENT_DIR)).catch(() => undefined);
}

/**
 * Loaded contents, least recently used dropped first once their text and HTML pass `maxChars` (the reader's article,
 * the ones just searched or exported stay; a 10,000-article library never sits in memory). One read per content even
 * when many callers ask at once.
 */
export class ContentCache {
  private readonly entries = new Map<string, { content: ArticleContent; size: number }>();
  private readonly loading = new Map<string, Promise<ArticleContent>>();
  private chars = 0;

  constructor(
    private readonly load: (contentId: string) => Promise<ArticleContent>,
    private readonly maxChars = 32 * 1024 * 1024,
  ) {}

  /** The content if it is loaded (and marks it used), without waiting. */
  peek(contentId: string): ArticleContent | undefined {
    const entry = this.entries.get(contentId);
    if (!entry) return undefined;
    this.entries.delete(contentId);
    this.entries.set(contentId, entry);
    return entry.content;
  }

  async get(contentId: string): Promise<ArticleContent> {
    const cached = this.peek(contentId);
    if (cached) return cached;
    let pending = this.loading.get(contentId);
    if (!pending) {
      pending = this.load(contentId).finally(() => this.loading.delete(contentId));
      this.loading.set(contentId, pending);
      pending.then((content) => this.put(contentId, content)).catch(() => undefined);
    }
    return pending;
  }

  /** A content just written: kept, since its article is usually shown next. */
  put(contentId: string, content: ArticleContent): void {
    if (this.entries.has(contentId)) return;
    const size = content.text.length + (content.html?.length ?? 0) + (content.pages?.length ?? 0) * 16;
    this.entries.set(contentId, { content, size });
    this.chars += size;
    for (const [id, entry] of this.entries) {
      if (this.chars <= this.maxChars || this.entries.size <= 1) break;
      this.entries.delete(id);
      this.chars -= entry.size;
    }
  }

  forget(contentId: string): void {
    const entry = this.entries.get(contentId);
    if (!entry) return;
    this.entries.delete(contentId);
    this.chars -= entry.size;
  }
}
