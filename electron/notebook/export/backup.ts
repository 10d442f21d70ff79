/**
 * Whole-notebook backup as one JSON document, and its validated reader. `parseBackup(makeBackup(a, s))` deep-equals
 * `{articles: a, settings: s}`: the schema lists every field of the contract types, so nothing is dropped, and optional
 * fields stay absent rather than becoming `undefined`. Unknown fields are stripped (a backup from a later minor version
 * still loads), but a higher `version` is refused rather than half-read.
 */
import { z } from 'zod';
import { CONTRACT_VERSION, HIGHLIGHT_COLORS, WORK_TYPES, type Article, type Highlight, type NotebookBackup, type Settings } from '../../contract';
import { invalid } from '../errors';
import { highlightSchema as backupHighlight, idSchema, uiSettings } from '../../schemas';

export const BACKUP_FORMAT = 'gloss-notebook-backup';
export const BACKUP_VERSION = 1;
export type { NotebookBackup };

// The API's own schemas: a backup holds exactly what the API would accept, ids safe as file names, tags normalized.
const highlightSchema = backupHighlight;
const id = idSchema;
const color = z.enum(HIGHLIGHT_COLORS);

const articleSchema = z
  .object({
    id,
    title: z.string(),
    byline: z.string().optional(),
    source: z.string().optional(),
    siteName: z.string().optional(),
    publishedAt: z.string().optional(),
    addedAt: z.string(),
    updatedAt: z.string(),
    highlightCount: z.number().int().nonnegative(),
    lang: z.string().optional(),
    dir: z.enum(['ltr', 'rtl', 'auto']).optional(),
    loadRemoteImages: z.boolean().optional(),
    kind: z.enum(['pdf', 'epub']).optional(),
    doi: z.string().optional(),
    authors: z.array(z.string()).optional(),
    isbn: z.string().optional(),
    container: z.string().optional(),
    publisher: z.string().optional(),
    volume: z.string().optional(),
    issue: z.string().optional(),
    pageRange: z.string().optional(),
    workType: z.enum(WORK_TYPES).optional(),
    citekey: z.string().optional(),
    pages: z
      .array(z.object({ number: z.number().int().min(1), label: z.string().optional(), start: z.number().int().nonnegative(), end: z.number().int().nonnegative() }))
      .optional(),
    pdf: z
      .object({
        sha256: z.string().regex(/^[0-9a-f]{64}$/, 'is not a SHA-256 in hex'),
        bytes: z.number().int().nonnegative(),
        fileName: z.string().optional(),
        pageCount: z.number().int().nonnegative(),
        hasTextLayer: z.boolean(),
        encrypted: z.boolean().optional(),
        password: z.string().optional(),
      })
      .optional(),
    toc: z.array(z.object({ label: z.string(), start: z.number().int().nonnegative(), depth: z.number().int().nonnegative() })).optional(),
    book: z
      .object({
        creators: z.array(z.string()),
        identifier: z.string().optional(),
        isbn: z.string().optional(),
        language: z.string().optional(),
        publisher: z.string().optional(),
        pageProgression: z.enum(['ltr', 'rtl']).optional(),
        writingMode: z.enum(['vertical-rl', 'vertical-lr']).optional(),
      })
      .optional(),
    text: z.string(),
    html: z.string().optional(),
    note: z.string(),
    noteUpdatedAt: z.string().optional(),
    noteConflicts: z.array(z.string()).optional(),
    highlights: z.array(highlightSchema),
  })
  .superRefine((article, ctx) => {
    article.highlights.forEach((h, i) => {
      if (h.articleId !== article.id) {
        ctx.addIssue({ code: 'custom', path: ['highlights', i, 'articleId'], message: `is "${h.articleId}", not the article's id "${article.id}"` });
      }
      if (h.end < h.start) ctx.addIssue({ code: 'custom', path: ['highlights', i, 'end'], message: 'is before start' });
      else if (!h.orphaned && h.end > article.text.length) {
        ctx.addIssue({ code: 'custom', path: ['highlights', i, 'end'], message: `is past the end of the text (${article.text.length})` });
      } else if (!h.orphaned && article.text.slice(h.start, h.end) !== h.quote) {
        // A highlight painted on other words than its quote would mislead the reader: refuse rather than restore it.
        ctx.addIssue({ code: 'custom', path: ['highlights', i, 'quote'], message: 'is not the article text at start..end' });
      }
    });
  });

// The same `ui` schema the API uses, so a restore keeps theme and reading preferences exactly.
const settingsSchema = z.object({ colorLabels: z.partialRecord(color, z.string()), ui: uiSettings.optional() });

/** The backup's fields other than its articles: read before (or, in a file, beside) the articles streamed one by one. */
const headerSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  version: z.literal(BACKUP_VERSION),
  contractVersion: z.number().int(),
  settings: settingsSchema,
});

const backupSchema = z
  .object({
    format: z.literal(BACKUP_FORMAT),
    version: z.literal(BACKUP_VERSION),
    contractVersion: z.number().int(),
    settings: settingsSchema,
    articles: z.array(articleSchema),
  })
  .superRefine((backup, ctx) => {
    const articleIds = new Set<string>();
    const highlightIds = new Set<string>();
    backup.articles.forEach((a, i) => {
      if (articleIds.has(a.id)) ctx.addIssue({ code: 'custom', path: ['articles', i, 'id'], message: `duplicate article id "${a.id}"` });
      articleIds.add(a.id);
      a.highlights.forEach((h, j) => {
        if (highlightIds.has(h.id)) {
          ctx.addIssue({ code: 'custom', path: ['articles', i, 'highlights', j, 'id'], message: `duplicate highlight id "${h.id}"` });
        }
        highlightIds.add(h.id);
      });
    });
  });

// Compile-time guard: a field added to Article or Highlight in contract.ts must be added to the schemas above, or
// backups would silently drop it (zod strips unknown keys) and restore would not round-trip.
type MissingKeys = Exclude<keyof Article, keyof z.infer<typeof articleSchema>> | Exclude<keyof Highlight, keyof z.infer<typeof highlightSchema>>;
export const backupSchemaCoversContract: [MissingKeys] extends [never] ? true : MissingKeys = true;

export function makeBackup(articles: Article[], settings: Settings): NotebookBackup {
  // structuredClone: the backup must not alias the live notebook objects it was made from.
  return structuredClone({ format: BACKUP_FORMAT, version: BACKUP_VERSION, contractVersion: CONTRACT_VERSION, settings, articles });
}

/** `articles[2].highlights[0].start` — the path a user (or a developer) can find in the file. */
function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `${out ? '.' : ''}${String(key)}`;
  return out || '(root)';
}

/** Validates a backup (JSON text or parsed); throws GlossError('invalid_input') listing the bad fields by path. */
export function parseBackup(json: unknown): { articles: Article[]; settings: Settings } {
  let data = json;
  if (typeof json === 'string') {
    try {
      data = JSON.parse(json);
    } catch (error) {
      throw invalid(`Backup is not valid JSON: ${(error as Error).message}`);
    }
  }
  refuseNewerVersion(data);
  const parsed = backupSchema.safeParse(data);
  if (!parsed.success) throw notValid(parsed.error.issues);
  return { articles: parsed.data.articles as Article[], settings: parsed.data.settings as Settings };
}

/** A backup's own fields (everything but `articles`), validated: what a file read article by article starts from. */
export function parseBackupHeader(fields: Record<string, unknown>): { settings: Settings; contractVersion: number } {
  refuseNewerVersion(fields);
  const parsed = headerSchema.safeParse(fields);
  if (!parsed.success) throw notValid(parsed.error.issues);
  return { settings: parsed.data.settings as Settings, contractVersion: parsed.data.contractVersion };
}

/** One article of a backup read article by article; errors name it by its place (`articles[12].highlights[0].quote`). */
export function parseBackupArticle(value: unknown, index: number): Article {
  const parsed = articleSchema.safeParse(value);
  if (!parsed.success) throw notValid(parsed.error.issues.map((i) => ({ ...i, path: ['articles', index, ...i.path] })));
  return parsed.data as Article;
}

/**
 * Ids seen so far in a backup read article by article: the duplicates backupSchema refuses in a whole backup, refused
 * here as each article arrives (only ids are kept, never the articles).
 */
export class BackupIdCheck {
  private readonly articleIds = new Set<string>();
  private readonly highlightIds = new Set<string>();

  add(article: Article, index: number): void {
    if (this.articleIds.has(article.id)) throw notValid([{ path: ['articles', index, 'id'], message: `duplicate article id "${article.id}"` }]);
    this.articleIds.add(article.id);
    article.highlights.forEach((h, j) => {
      if (this.highlightIds.has(h.id)) throw notValid([{ path: ['articles', index, 'highlights', j, 'id'], message: `duplicate highlight id "${h.id}"` }]);
      this.highlightIds.add(h.id);
    });
  }
}

function refuseNewerVersion(data: unknown): void {
  if (typeof data === 'object' && data !== null && (data as { format?: unknown }).format === BACKUP_FORMAT) {
    const version = (data as { version?: unknown }).version;
    if (typeof version === 'number' && version > BACKUP_VERSION) {
      throw invalid(`Backup version ${version} was made by a newer Gloss; this one reads version ${BACKUP_VERSION}.`);
    }
  }
}

function notValid(issues: readonly { path: readonly PropertyKey[]; message: string }[]): Error {
  const listed = issues.slice(0, 10).map((i) => `${formatPath(i.path)}: ${i.message}`);
  const more = issues.length > 10 ? ` (and ${issues.length - 10} more)` : '';
  return invalid(`Backup is not valid: ${listed.join('; ')}${more}`);
}
