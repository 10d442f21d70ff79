/**
 * Runtime validation of every API call, derived beside contract.ts. Hosts run `parseArgs` on untrusted input (IPC
 * messages, HTTP bodies) before anything reaches the notebook. The type checks at the bottom fail the build if a
 * schema and the contract drift apart.
 */
import { z } from 'zod';
import {
  API_METHODS,
  HIGHLIGHT_COLORS,
  LIMITS,
  citekeyProblem,
  doiProblem,
  isbnProblem,
  languageProblem,
  publishedDateProblem,
  TOOL_IMPORT_FORMATS,
  UI_LIMITS,
  WORK_TYPES,
  type ApiArgs,
  type ApiMethod,
} from './contract';

/** Ids become file names (`articles/<id>.json`): only the characters Gloss's ids use, never `../`. */
export const idSchema = z.string().min(1, 'an id is required').max(100).regex(/^[A-Za-z0-9_-]+$/, 'ids are letters, digits, _ and -');
const id = idSchema;
const color = z.enum(HIGHLIGHT_COLORS, { error: () => `colour must be one of ${HIGHLIGHT_COLORS.join(', ')}` });
const offset = z.number().int('offsets are whole numbers').min(0, 'offsets cannot be negative').max(Number.MAX_SAFE_INTEGER);
const tag = z
  .string()
  .transform((s) => s.trim())
  .pipe(z.string().min(1, 'a tag cannot be empty').max(LIMITS.maxTagChars, `a tag is at most ${LIMITS.maxTagChars} characters`));
const tags = z.array(tag).max(LIMITS.maxTagsPerHighlight, `at most ${LIMITS.maxTagsPerHighlight} tags per highlight`);
const note = z.string().max(LIMITS.maxNoteChars, `a note is at most ${LIMITS.maxNoteChars} characters`);
const isoDate = z.string().max(64);
/**
 * A published date as the user sets it: '' clears it, else a real calendar date (contract.ts publishedDateProblem).
 * Checked on input only; dates stored by older versions or taken from a page's own words still load and show.
 */
const publishedDate = z
  .string()
  .max(64, 'a date is at most 64 characters')
  .superRefine((value, ctx) => {
    const problem = value.trim() ? publishedDateProblem(value.trim()) : undefined;
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
const shortText = z.string().max(LIMITS.maxTitleChars);
/** A citation field checked by one of contract.ts's input rules; '' clears it. */
const ruled = (problem: (value: string) => string | undefined, max = 200) =>
  z
    .string()
    .max(max, `at most ${max} characters`)
    .superRefine((value, ctx) => {
      const found = value.trim() ? problem(value) : undefined;
      if (found) ctx.addIssue({ code: 'custom', message: found });
    });
const authorName = z.string().transform((s) => s.trim()).pipe(z.string().min(1, 'an author cannot be empty').max(500, 'an author is at most 500 characters'));
const importFormat = z.enum(['text', 'markdown', 'html', 'url', 'pdf', 'epub']);
const password = z.string().max(1000, 'a password is at most 1000 characters');
/** A PDF as base64 in a JSON body: at most the body limit (larger files go as raw bytes to IMPORT_FILE_PATH). */
const pdfBase64 = z
  .string()
  .max(LIMITS.maxBodyBytes, `the file is too large to send as base64; send its bytes to the import-file endpoint (up to ${LIMITS.maxPdfBytes / 1024 / 1024} MiB)`)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'contentBase64 is not base64');
const content = z.string().max(LIMITS.maxImportBytes, `content is over the ${LIMITS.maxImportBytes / 1024 / 1024} MiB import limit`);

/** A whole stored highlight, as restoreHighlight and a backup restore accept it. */
export const highlightSchema = z.strictObject({
  id,
  articleId: id,
  start: offset,
  end: offset,
  quote: z.string(),
  prefix: z.string(),
  suffix: z.string(),
  color,
  tags,
  note,
  createdAt: isoDate,
  updatedAt: isoDate,
  orphaned: z.boolean().optional(),
  page: z.number().int().min(1).optional(),
  noteConflicts: z.array(note).max(20).optional(),
});

const filters = z
  .strictObject({
    tags: z.array(tag).optional(),
    colors: z.array(color).optional(),
    articleIds: z.array(id).optional(),
  })
  .optional();

// Reading comfort and the reader's place (issue 8). Scroll positions are fractions, keyed by article id.
const MAX_SCROLL_ENTRIES = 10_000;
export const uiSettings = z.strictObject({
  theme: z.enum(['system', 'light', 'dark']).optional(),
  fontSize: z
    .number()
    .int('the font size is a whole number of pixels')
    .min(UI_LIMITS.minFontSize, `the font size is at least ${UI_LIMITS.minFontSize}`)
    .max(UI_LIMITS.maxFontSize, `the font size is at most ${UI_LIMITS.maxFontSize}`)
    .optional(),
  lineWidth: z.enum(['narrow', 'medium', 'wide']).optional(),
  typeface: z.enum(['serif', 'sans', 'mono']).optional(),
  lastRoute: z.string().max(UI_LIMITS.maxRouteChars).regex(/^#\//, 'a route starts with #/').optional(),
  notesHidden: z.boolean().optional(),
  spellcheck: z.boolean().optional(),
  notesWidth: z
    .number()
    .int('the notes panel width is a whole number of pixels')
    .min(UI_LIMITS.minNotesWidth, `the notes panel is at least ${UI_LIMITS.minNotesWidth} pixels wide`)
    .max(UI_LIMITS.maxNotesWidth, `the notes panel is at most ${UI_LIMITS.maxNotesWidth} pixels wide`)
    .optional(),
  scroll: z
    .record(id, z.number().min(0, 'a scroll position is 0 to 1').max(1, 'a scroll position is 0 to 1'))
    .refine((r) => Object.keys(r).length <= MAX_SCROLL_ENTRIES, `at most ${MAX_SCROLL_ENTRIES} scroll positions`)
    .optional(),
});

const settings = z.strictObject({
  colorLabels: z.partialRecord(color, z.string().max(40)),
  ui: uiSettings.optional(),
});

// Export, interop and backup (issue 6).
const exportOptions = z.strictObject({
  articleIds: z.array(id).optional(),
  tags: z.array(tag).optional(),
  colors: z.array(color).optional(),
  groupBy: z.enum(['document', 'tag', 'color']).optional(),
  template: z.string().max(100_000).optional(),
});
const folderPath = z.string().min(1, 'a folder is required').max(4096).refine((p) => !p.includes('\0'), 'a path cannot contain NUL');

export const argSchemas = {
  listArticles: z.tuple([]),
  getArticle: z.tuple([id]),
  importArticle: z.tuple([
    z.strictObject({
      format: importFormat,
      content: content.optional(),
      url: z.string().max(4096).optional(),
      title: shortText.optional(),
      source: z.string().max(4096).optional(),
      // Base64 of at most maxImportBytes bytes (a PDF: up to the body limit); the importer measures the decoded bytes
      // and names the file if over.
      contentBase64: pdfBase64.optional(),
      fileName: z.string().max(1000).optional(),
      password: password.optional(),
      // A saved page's files (its _files folder); their bytes count towards the body limit like the page's.
      attachments: z
        .array(z.strictObject({ name: z.string().min(1).max(1000), contentBase64: z.string() }))
        .max(1000)
        .optional(),
    }),
  ]),
  deleteArticle: z.tuple([id]),
  restoreArticle: z.tuple([id]),
  updateArticleMeta: z.tuple([
    id,
    z.strictObject({
      title: shortText.min(1, 'a title cannot be empty').optional(),
      byline: shortText.optional(),
      source: z.string().max(4096).optional(),
      publishedAt: publishedDate.optional(),
      loadRemoteImages: z.boolean().optional(),
      authors: z.array(authorName).max(500, 'at most 500 authors').optional(),
      doi: ruled(doiProblem, 500).optional(),
      isbn: ruled(isbnProblem, 40).optional(),
      container: shortText.optional(),
      publisher: shortText.optional(),
      volume: z.string().max(100).optional(),
      issue: z.string().max(100).optional(),
      pageRange: z.string().max(100).optional(),
      lang: ruled(languageProblem, 40).optional(),
      workType: z.enum([...WORK_TYPES, '']).optional(),
      citekey: ruled(citekeyProblem, 101).optional(),
    }),
  ]),
  setArticleNote: z.tuple([id, note, z.strictObject({ ifNoteUpdatedAt: isoDate.optional(), resolvesConflict: z.boolean().optional() }).optional()]),
  addHighlight: z.tuple([
    id,
    z.strictObject({ start: offset, end: offset, color: color.optional(), tags: tags.optional(), note: note.optional() }),
  ]),
  updateHighlight: z.tuple([
    id,
    z.strictObject({ color: color.optional(), tags: tags.optional(), note: note.optional(), ifUpdatedAt: isoDate.optional(), resolvesNoteConflict: z.boolean().optional() }),
  ]),
  deleteHighlight: z.tuple([id]),
  restoreHighlight: z.tuple([highlightSchema]),
  listTags: z.tuple([]),
  renameTag: z.tuple([tag, tag]),
  deleteTag: z.tuple([tag]),
  replaceArticleText: z.tuple([id, z.strictObject({ format: z.enum(['text', 'markdown', 'html']), content })]),
  replacePdf: z.tuple([id, z.strictObject({ contentBase64: pdfBase64, fileName: z.string().max(1000).optional(), password: password.optional() })]),
  exportAnnotatedPdf: z.tuple([id]),
  search: z.tuple([
    z.string().max(1000),
    filters,
    z.strictObject({ offset: z.number().int().min(0).max(1_000_000).optional(), limit: z.number().int().min(1).max(200).optional() }).optional(),
  ]),
  listHighlights: z.tuple([
    z
      .strictObject({
        tags: z.array(tag).optional(),
        colors: z.array(color).optional(),
        articleIds: z.array(id).optional(),
        text: z.string().max(1000).optional(),
      })
      .optional(),
  ]),
  exportMarkdown: z.tuple([
    z
      .strictObject({
        articleIds: z.array(id).optional(),
        tags: z.array(tag).optional(),
        colors: z.array(color).optional(),
        groupBy: z.enum(['document', 'tag', 'color']).optional(),
        template: z.string().max(100_000).optional(),
      })
      .optional(),
  ]),
  getSettings: z.tuple([]),
  updateSettings: z.tuple([settings.partial()]),
  getNotices: z.tuple([]),
  dismissNotice: z.tuple([id]),
  exportToFolder: z.tuple([folderPath, exportOptions.optional()]),
  exportAnnotations: z.tuple([exportOptions.pick({ articleIds: true, tags: true, colors: true }).optional()]),
  // The JSON is checked by the notebook (fromWebAnnotations, parseBackup), which names the bad field by its path.
  importAnnotations: z.tuple([z.unknown(), z.strictObject({ articleId: id.optional() }).optional()]),
  importMarkdownExport: z.tuple([
    z.array(z.strictObject({ name: z.string().max(1000), content: z.string().max(LIMITS.maxImportBytes) })).min(1).max(10_000),
  ]),
  exportCitations: z.tuple([z.strictObject({ format: z.enum(['bibtex', 'csl-json']), articleIds: z.array(id).optional() })]),
  // The file is checked whole by its parser (import/tools/), which names the line, row or entry that is wrong.
  importAnnotationsFrom: z.tuple([
    z.strictObject({
      format: z.enum(TOOL_IMPORT_FORMATS),
      content: content.optional(),
      contentBase64: z
        .string()
        .max(LIMITS.maxBodyBytes, 'the export is too large to send through the app; import it with the command line: gloss import --from <tool> FILE')
        .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'contentBase64 is not base64')
        .optional(),
      fileName: z.string().max(1000).optional(),
    }),
  ]),
  backupNotebook: z.tuple([]),
  restoreNotebook: z.tuple([z.unknown(), z.strictObject({ mode: z.enum(['replace', 'merge']) })]),
} satisfies Record<ApiMethod, z.ZodType>;

/** True only for the contract's own method names: `constructor`, `__proto__`, `toString` are not methods. */
export function isApiMethod(name: string): name is ApiMethod {
  return (API_METHODS as readonly string[]).includes(name);
}

/** Validates raw arguments; throws a message naming the first problem and where it is. */
export function parseArgs<M extends ApiMethod>(method: M, raw: unknown): ApiArgs<M> {
  if (!Array.isArray(raw)) {
    throw new ArgsError(`${method}: the arguments must be a JSON array, one element per argument (got ${raw === null ? 'null' : typeof raw}).`);
  }
  const schema = argSchemas[method] as z.ZodType;
  // Trailing optional arguments may be omitted on the wire.
  const result = schema.safeParse(raw);
  if (result.success) return result.data as ApiArgs<M>;
  throw new ArgsError(describeIssue(method, result.error));
}

export class ArgsError extends Error {}

function describeIssue(method: string, error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return `invalid arguments for ${method}`;
  const where = issue.path.length === 0 ? 'arguments' : `argument ${formatPath(issue.path)}`;
  return `${method}: ${where}: ${issue.message}`;
}

function formatPath(segments: readonly PropertyKey[]): string {
  const [first, ...rest] = segments;
  const head = typeof first === 'number' ? `${first + 1}` : String(first);
  return rest.length === 0 ? head : `${head} (${rest.map(String).join('.')})`;
}

// --- Compile-time agreement between schemas and contract -------------------------------------------------------
type SchemaArgs<M extends ApiMethod> = z.output<(typeof argSchemas)[M]>;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Mismatched = {
  [M in ApiMethod]: Same<Required<SchemaArgs<M>>, Required<ApiArgs<M>>> extends true ? never : M;
}[ApiMethod];
// If this line fails to compile, the schema of the named method no longer matches contract.ts.
export const schemasMatchContract: [Mismatched] extends [never] ? true : Mismatched = true;
