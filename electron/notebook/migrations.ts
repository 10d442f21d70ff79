/**
 * Schema versions of the notebook's files and the chain of migrations between them.
 *
 * Every file Gloss writes carries `schemaVersion`. Reading a file runs it through the migrations from its version up to
 * SCHEMA_VERSION, then checks its shape. A file from a newer Gloss is refused (NewerSchemaError) and never rewritten:
 * an older app must not "repair" what it does not understand.
 *
 * To change the file format: bump SCHEMA_VERSION, append one step to ARTICLE_STEPS and INDEX_STEPS (step n turns
 * version n into n+1), and add a sample of the old shape to tests/unit/migrations.test.ts.
 */
import { z } from 'zod';
import { DEFAULT_COLOR, HIGHLIGHT_COLORS } from '../contract';
import { GlossError } from './errors';
import { describeRange } from './anchoring/selectors';
import type { AnnotationDoc, NotebookDoc, V1ArticleDoc, V1IndexDoc } from './notebook';

/**
 * The notebook format this Gloss writes: version 2 splits an article into its annotation file (articles/<id>.json)
 * and its immutable content (content/<sha256>.json), and replaces v1's shared index with notebook.json (see
 * store/layout.ts). Version 1 (and 0) files are read by the v1 chain below and moved to v2 by store/migrate-v1.ts.
 */
export const SCHEMA_VERSION = 2;
/** The last version of the one-file-per-article format (text, html and highlights together, gloss-index.json). */
export const V1_SCHEMA_VERSION = 1;

/** A file written by a newer Gloss: refused with a message saying so, and left exactly as it is. */
export class NewerSchemaError extends GlossError {
  constructor(
    readonly file: string,
    readonly found: number,
  ) {
    super(
      'conflict',
      `${file} was written by a newer version of Gloss (file format ${found}; this Gloss reads up to ${SCHEMA_VERSION}). ` +
        'Update Gloss to open it; the file was left untouched.',
    );
    this.name = 'NewerSchemaError';
  }
}

/** A file that parses as JSON but is not a notebook file of any known version. Treated like a damaged file. */
export class UnreadableShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreadableShapeError';
  }
}

type Json = Record<string, unknown>;
type Step = (doc: Json) => Json;

/*
 * Version 0 is the shape before files were versioned: no `schemaVersion`; an article's highlights had only
 * {id, start, end, quote?, color?, tags?, note?, createdAt} (no articleId, prefix/suffix or updatedAt) and the article
 * itself could lack `note` and `updatedAt`; the index was {articleIds, settings?} without `seeded`.
 */
const articleV0toV1: Step = (doc) => {
  const article = { ...(asObject(doc.article, 'article') as Json) };
  const text = typeof article.text === 'string' ? article.text : '';
  const addedAt = typeof article.addedAt === 'string' ? article.addedAt : new Date(0).toISOString();
  article.addedAt = addedAt;
  article.updatedAt = typeof article.updatedAt === 'string' ? article.updatedAt : addedAt;
  article.note = typeof article.note === 'string' ? article.note : '';
  const highlights = asArray(doc.highlights ?? [], 'highlights').map((raw) => {
    const h = asObject(raw, 'highlight');
    const start = h.start as number;
    const end = h.end as number;
    const inText = Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start < end && end <= text.length;
    const described = inText ? describeRange(text, start, end) : { quote: '', prefix: '', suffix: '' };
    const quote = typeof h.quote === 'string' ? h.quote : described.quote;
    const createdAt = typeof h.createdAt === 'string' ? h.createdAt : addedAt;
    return {
      ...h,
      articleId: article.id,
      quote,
      prefix: typeof h.prefix === 'string' ? h.prefix : described.prefix,
      suffix: typeof h.suffix === 'string' ? h.suffix : described.suffix,
      color: HIGHLIGHT_COLORS.includes(h.color as never) ? h.color : DEFAULT_COLOR,
      tags: Array.isArray(h.tags) ? h.tags.filter((t): t is string => typeof t === 'string') : [],
      note: typeof h.note === 'string' ? h.note : '',
      createdAt,
      updatedAt: typeof h.updatedAt === 'string' ? h.updatedAt : createdAt,
      // A v0 highlight whose offsets no longer point at its quote is kept, flagged, never dropped.
      ...(!inText || text.slice(start, end) !== quote ? { orphaned: true } : {}),
    };
  });
  return { ...doc, schemaVersion: 1, article, highlights };
};

const indexV0toV1: Step = (doc) => ({
  ...doc,
  schemaVersion: 1,
  articleIds: asArray(doc.articleIds ?? [], 'articleIds'),
  settings: isObject(doc.settings) ? doc.settings : { colorLabels: {} },
  // A notebook old enough to have no version was in use: never add the sample article to it.
  seeded: typeof doc.seeded === 'boolean' ? doc.seeded : true,
});

/** ARTICLE_STEPS[n] turns an article file of version n into version n + 1. */
export const ARTICLE_STEPS: readonly Step[] = [articleV0toV1];
export const INDEX_STEPS: readonly Step[] = [indexV0toV1];

const storedHighlight = z.looseObject({
  id: z.string().min(1),
  articleId: z.string().min(1),
  start: z.number().int().min(0),
  end: z.number().int().min(0),
  quote: z.string(),
  prefix: z.string(),
  suffix: z.string(),
  color: z.enum(HIGHLIGHT_COLORS),
  tags: z.array(z.string()),
  note: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  orphaned: z.boolean().optional(),
});

const storedArticle = z.looseObject({
  schemaVersion: z.literal(V1_SCHEMA_VERSION),
  article: z.looseObject({
    id: z.string().min(1),
    title: z.string(),
    text: z.string(),
    html: z.string().optional(),
    note: z.string(),
    addedAt: z.string(),
    updatedAt: z.string(),
  }),
  highlights: z.array(storedHighlight),
});

const storedNotice = z.looseObject({ id: z.string(), level: z.enum(['info', 'warning', 'error']), message: z.string(), at: z.string() });

const storedIndex = z.looseObject({
  schemaVersion: z.literal(V1_SCHEMA_VERSION),
  articleIds: z.array(z.string()),
  settings: z.looseObject({ colorLabels: z.record(z.string(), z.string()) }),
  seeded: z.boolean(),
  notices: z.array(storedNotice).optional(),
});

export interface Migrated<T> {
  doc: T;
  /** The version the file was written in; less than SCHEMA_VERSION when a migration ran. */
  from: number;
}

/** A v0/v1 article file's parsed JSON, migrated to version 1 and checked. `file` names it in errors. */
export function migrateArticleDoc(raw: unknown, file: string, expectedId?: string): Migrated<V1ArticleDoc> {
  const { doc, from } = migrate(raw, file, ARTICLE_STEPS);
  const parsed = storedArticle.safeParse(doc);
  if (!parsed.success) throw new UnreadableShapeError(`${file} is not a Gloss article: ${describe(parsed.error)}`);
  if (expectedId !== undefined && parsed.data.article.id !== expectedId) {
    throw new UnreadableShapeError(`${file} holds article "${parsed.data.article.id}", not "${expectedId}"`);
  }
  return { doc: parsed.data as unknown as V1ArticleDoc, from };
}

/** A v0/v1 index file's parsed JSON, migrated to version 1 and checked. */
export function migrateIndexDoc(raw: unknown, file: string): Migrated<V1IndexDoc> {
  const { doc, from } = migrate(raw, file, INDEX_STEPS);
  const parsed = storedIndex.safeParse(doc);
  if (!parsed.success) throw new UnreadableShapeError(`${file} is not a Gloss index: ${describe(parsed.error)}`);
  return { doc: parsed.data as unknown as V1IndexDoc, from };
}

/** Files of an older format are not migrated one by one in v2 (see checkAnnotationDoc): no steps, a refusal after. */
const NO_STEPS: readonly Step[] = [(d) => d, (d) => d];

const storedTombstone = z.looseObject({ id: z.string().min(1), deletedAt: z.string() });

const storedAnnotations = z.looseObject({
  schemaVersion: z.literal(SCHEMA_VERSION),
  contentId: z.string().regex(/^[0-9a-f]{64}$/),
  article: z.looseObject({
    id: z.string().min(1),
    title: z.string(),
    note: z.string(),
    addedAt: z.string(),
    updatedAt: z.string(),
  }),
  highlights: z.array(storedHighlight),
  tombstones: z.array(storedTombstone),
});

const storedNotebook = z.looseObject({
  schemaVersion: z.literal(SCHEMA_VERSION),
  settings: z.looseObject({ colorLabels: z.record(z.string(), z.string()) }),
  seeded: z.boolean(),
  updatedAt: z.record(z.string(), z.string()),
});

/**
 * A v2 annotation file (articles/<id>.json), checked. Older article files are not migrated here: they hold their text
 * and are split by store/migrate-v1.ts when the whole notebook moves to v2. A newer one is refused (NewerSchemaError).
 */
export function checkAnnotationDoc(raw: unknown, file: string, expectedId?: string): Migrated<AnnotationDoc> {
  const { doc, from } = migrate(raw, file, NO_STEPS, SCHEMA_VERSION);
  if (from < SCHEMA_VERSION) throw new UnreadableShapeError(`${file} is an article file of format ${from}, not ${SCHEMA_VERSION}`);
  const parsed = storedAnnotations.safeParse(doc);
  if (!parsed.success) throw new UnreadableShapeError(`${file} is not a Gloss article: ${describe(parsed.error)}`);
  if (expectedId !== undefined && parsed.data.article.id !== expectedId) {
    throw new UnreadableShapeError(`${file} holds article "${parsed.data.article.id}", not "${expectedId}"`);
  }
  return { doc: parsed.data as unknown as AnnotationDoc, from };
}

/** notebook.json, checked; a newer one is refused. */
export function checkNotebookDoc(raw: unknown, file: string): Migrated<NotebookDoc> {
  const { doc, from } = migrate(raw, file, NO_STEPS, SCHEMA_VERSION);
  if (from < SCHEMA_VERSION) throw new UnreadableShapeError(`${file} has format ${from}, not ${SCHEMA_VERSION}`);
  const parsed = storedNotebook.safeParse(doc);
  if (!parsed.success) throw new UnreadableShapeError(`${file} is not a Gloss notebook file: ${describe(parsed.error)}`);
  return { doc: parsed.data as unknown as NotebookDoc, from };
}

function migrate(raw: unknown, file: string, steps: readonly Step[], target = V1_SCHEMA_VERSION): { doc: Json; from: number } {
  if (!isObject(raw)) throw new UnreadableShapeError(`${file} holds ${raw === null ? 'null' : typeof raw}, not an object`);
  const declared = raw.schemaVersion;
  const from = declared === undefined ? 0 : declared;
  if (typeof from !== 'number' || !Number.isInteger(from) || from < 0) {
    throw new UnreadableShapeError(`${file} has an invalid schemaVersion ${JSON.stringify(declared)}`);
  }
  if (from > target) throw new NewerSchemaError(file, from);
  let doc: Json = raw;
  for (let version = from; version < target; version++) doc = steps[version](doc);
  return { doc, from };
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asObject(value: unknown, what: string): Json {
  if (!isObject(value)) throw new UnreadableShapeError(`${what} is not an object`);
  return value;
}

function asArray(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new UnreadableShapeError(`${what} is not a list`);
  return value;
}

function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || 'the file'}: ${issue.message}` : 'unexpected shape';
}
