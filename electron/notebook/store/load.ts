/**
 * Opening a version 2 notebook folder (layout.ts): notebook.json, then every annotation file in articles/ — each taken
 * from the summary cache (local/cache/articles.json) when its file is the one the cache saw (same size, mtime and
 * inode: every Gloss write replaces the file, so a change made anywhere changes the inode or the mtime), read otherwise.
 * With `checkLater` the stamps are not looked at here: a file the cache names is taken from it as it is, and the caller
 * looks at every file's stamp behind the open (Notebook.rescan), taking in what differs as a watcher change.
 * Content (text, HTML) is never read here. A file that does not parse is moved aside with its bytes kept and its newest
 * readable backup restored, with a notice; a file from a newer Gloss is held (notebook.json: refused).
 */
import { lstat, mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Adapter } from 'lowdb';
import type { Notice } from '../../contract';
import { newId } from '../ids';
import { checkAnnotationDoc, checkNotebookDoc, NewerSchemaError, SCHEMA_VERSION } from '../migrations';
import type { AnnotationDoc, NotebookDoc } from '../notebook';
import { annotationFileBytes } from './annotation-json';
import { RollingBackups } from './backups';
import { DurableJsonFile, writeFileDurably } from './durable-file';
import { conflictCopyOf } from '../sync/conflict-names';
import { ARTICLES_DIR, BACKUPS_DIR, CACHE_DIR, LOCAL_DIR, NOTEBOOK_FILE } from './layout';
import { pretty, readRecovering, type Loaded } from './recover';

/** What identifies one version of a file cheaply: Gloss never rewrites a file in place, so a new version is a new inode. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
  ino: number;
}

export interface LoadedNotebook {
  notebook: NotebookDoc;
  /** notebook.json must be written (absent, restored or rebuilt). */
  notebookDirty: boolean;
  articles: Map<string, AnnotationDoc>;
  /**
   * The stamp of each article file as read (or as the cache saw it) and the doc those bytes hold: for the cache and for
   * noticing changes made from outside. Entries taken from the cache are its own objects (10,000 fewer to make).
   */
  onDisk: Map<string, { stamp: FileStamp; doc: AnnotationDoc }>;
  /** Articles that exist but cannot be opened by this Gloss (newer format): never rewritten. */
  held: Set<string>;
  notices: Notice[];
  /** Some article was read from its file rather than the cache: the cache should be written again. */
  cacheStale: boolean;
  /** Some article was taken from the cache without a look at its file (`checkLater`): the caller must check them. */
  unchecked: boolean;
}

export interface LoadOptions {
  /**
   * Take each article the summary cache names from it without a stat of its file (10,000 stats are most of a warm
   * open's time): the caller checks every file's stamp after the open and takes in what changed. Files the cache does
   * not name (new, or held) are read now; files gone from articles/ are not opened.
   */
  checkLater?: boolean;
}

/** The cache file's own format; a cache of another version is ignored (it is derived: rebuilt from the files). */
const CACHE_VERSION = 2; // 2: written in ASCII (asciiJson)
export const SUMMARY_CACHE_FILE = `${CACHE_DIR}/articles.json`;

interface SummaryCache {
  version: number;
  entries: Record<string, { stamp: FileStamp; doc: AnnotationDoc }>;
}

export function notebookPath(dir: string): string {
  return path.join(dir, NOTEBOOK_FILE);
}

export function articlePath(dir: string, id: string): string {
  return path.join(dir, ARTICLES_DIR, `${id}.json`);
}

/** notebook.json's adapter: durable writes, rolling backups, indented (people read it when debugging). */
export function notebookAdapter(dir: string): DurableJsonFile<NotebookDoc> {
  const file = notebookPath(dir);
  return new DurableJsonFile<NotebookDoc>(file, { serialize: pretty, backups: new RollingBackups(dir, file) });
}

export function articleAdapter(dir: string, id: string): Adapter<AnnotationDoc> {
  return new ArticleFile(dir, id);
}

/**
 * An article file's adapter, made when the file is first read or written: an open holds 10,000 of them and writes
 * few, so each costs two strings until then, not a path, a durable writer and its backups.
 */
class ArticleFile implements Adapter<AnnotationDoc> {
  private durable: DurableJsonFile<AnnotationDoc> | undefined;

  constructor(
    private readonly dir: string,
    private readonly id: string,
  ) {}

  private get file(): DurableJsonFile<AnnotationDoc> {
    if (!this.durable) {
      const file = articlePath(this.dir, this.id);
      // The bytes of JSON.stringify(doc), joined from the pieces kept since the last write (annotation-json.ts).
      this.durable = new DurableJsonFile<AnnotationDoc>(file, { serialize: annotationFileBytes, backups: new RollingBackups(this.dir, file) });
    }
    return this.durable;
  }

  read(): Promise<AnnotationDoc | null> {
    return this.file.read();
  }

  write(data: AnnotationDoc): Promise<void> {
    return this.file.write(data);
  }
}

export function emptyNotebookDoc(): NotebookDoc {
  return { schemaVersion: SCHEMA_VERSION, settings: { colorLabels: {} }, seeded: false, updatedAt: {} };
}

export async function stampOf(file: string): Promise<FileStamp | undefined> {
  try {
    const s = await lstat(file);
    return s.isFile() ? { size: s.size, mtimeMs: s.mtimeMs, ino: s.ino } : undefined;
  } catch {
    return undefined;
  }
}

export function sameStamp(a: FileStamp | undefined, b: FileStamp | undefined): boolean {
  return a !== undefined && b !== undefined && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino;
}

/**
 * The article files among a listing of articles/: not hidden, `.json`, and not a sync engine's conflict copy of another
 * one there (sync/conflict-names.ts): the sync side merges those into their article, they are not articles.
 */
export function articleFileNames(listing: string[]): string[] {
  const listed = listing.filter((f) => f.endsWith('.json') && !f.startsWith('.'));
  const present = new Set(listed.map((f) => f.slice(0, -'.json'.length)));
  return listed.filter((f) => !conflictCopyOf(f, (stem) => stem !== f.slice(0, -'.json'.length) && present.has(stem)));
}

export async function loadNotebookFiles(dir: string, { checkLater = false }: LoadOptions = {}): Promise<LoadedNotebook> {
  const folder = path.join(dir, ARTICLES_DIR);
  // The summary cache and the listing of articles/ are read while notebook.json is (neither depends on it).
  const cacheRead = readSummaryCache(dir);
  const listingRead = readdir(folder).then(
    (names) => ({ names }),
    (error: unknown) => ({ error }),
  );
  await removeLeftoverTempFiles(dir);
  const notices: Notice[] = [];
  const notify = (notice: Omit<Notice, 'id' | 'at'>): void => {
    const full: Notice = { id: newId(), at: new Date().toISOString(), ...notice };
    console.warn(`gloss: ${full.message}`);
    notices.push(full);
  };

  // notebook.json. A newer one stops the open (NewerSchemaError): an older Gloss must not rewrite a newer notebook.
  const loaded = await readRecovering(dir, notebookPath(dir), (raw, file) => checkNotebookDoc(raw, file));
  let notebook: NotebookDoc;
  let notebookDirty = false;
  if (loaded.state === 'ok' || loaded.state === 'restored') {
    notebook = loaded.doc;
    if (loaded.state === 'restored') {
      notebookDirty = true;
      notify({
        level: 'warning',
        message: `The notebook's settings (${NOTEBOOK_FILE}) were damaged (${loaded.reason}) and were restored from their backup of ${loaded.backupDate}. The damaged file was kept at ${loaded.keptAt}.`,
        file: NOTEBOOK_FILE,
        keptAt: loaded.keptAt,
      });
    }
  } else {
    notebook = emptyNotebookDoc();
    notebookDirty = true;
    if (loaded.state === 'lost') {
      notify({
        level: 'warning',
        message: `The notebook's settings (${NOTEBOOK_FILE}) were damaged (${loaded.reason}) and no backup could be read; colour labels were reset. The damaged file was kept at ${loaded.keptAt}.`,
        file: NOTEBOOK_FILE,
        keptAt: loaded.keptAt,
      });
    }
  }

  const cache = await cacheRead;
  const articles = new Map<string, AnnotationDoc>();
  const onDisk = new Map<string, { stamp: FileStamp; doc: AnnotationDoc }>();
  const held = new Set<string>();
  let cacheStale = false;
  let unchecked = false;
  // One readdir, then a stat per file (~0.2 s at 10,000): a file whose size, mtime and inode are the cache's is taken
  // from it; any other is read. With checkLater the stats wait for the check behind the open (Notebook.rescan): the
  // folder's own mtime would not do instead, an edit made in place does not change it.
  const listing = await listingRead;
  if ('error' in listing) throw listing.error;
  const names = articleFileNames(listing.names);
  const seen = checkLater && cache ? null : await mapLimited(names, 64, (name) => stampOf(path.join(folder, name)));
  for (let i = 0; i < names.length; i++) {
    const id = names[i].slice(0, -'.json'.length);
    // Own entries only (a file named constructor.json is not the cache's), and only an entry that is this article's.
    const entry = cache && Object.hasOwn(cache.entries, id) ? cache.entries[id] : undefined;
    const cached = entry?.stamp && entry.doc?.article?.id === id ? entry : undefined;
    if (cached && !seen) {
      articles.set(id, cached.doc);
      onDisk.set(id, cached);
      unchecked = true;
      continue;
    }
    const stamp = seen?.[i];
    if (cached && sameStamp(cached.stamp, stamp)) {
      articles.set(id, cached.doc);
      onDisk.set(id, cached);
      continue;
    }
    cacheStale = true;
    const read = await readArticleFile(dir, id, notify);
    if (read.state === 'held') held.add(id);
    else if (read.state === 'read') {
      articles.set(id, read.doc);
      if (read.stamp) onDisk.set(id, { stamp: read.stamp, doc: read.doc });
    }
  }
  if (cache && Object.keys(cache.entries).length !== articles.size) cacheStale = true;
  // No notebook.json while articles exist (lost, or a copy of articles/ alone): in use, never add the sample to it.
  if (loaded.state !== 'ok' && loaded.state !== 'restored' && articles.size + held.size > 0) notebook.seeded = true;
  return { notebook, notebookDirty, articles, onDisk, held, notices, cacheStale, unchecked };
}

export type ArticleRead = { state: 'read'; doc: AnnotationDoc; stamp?: FileStamp } | { state: 'held' } | { state: 'gone' };

/**
 * Reads one article file as an open does: a damaged file moved aside and its newest readable backup restored, a newer
 * one held (never rewritten), each said in a notice. 'gone': missing, or damaged with no readable backup.
 */
export async function readArticleFile(dir: string, id: string, notify: (notice: Omit<Notice, 'id' | 'at'>) => void): Promise<ArticleRead> {
  const file = articlePath(dir, id);
  const relative = path.relative(dir, file);
  let result: Loaded<AnnotationDoc>;
  try {
    result = await readRecovering(dir, file, (raw, f) => checkAnnotationDoc(raw, f, id));
  } catch (error) {
    if (!(error instanceof NewerSchemaError)) throw error;
    notify({ level: 'error', message: `An article could not be opened: ${error.message}`, file: relative, articleId: id });
    return { state: 'held' };
  }
  if (result.state === 'missing') return { state: 'gone' }; // removed while we listed the folder
  if (result.state === 'lost') {
    notify({
      level: 'error',
      message: `An article file (${relative}) is damaged (${result.reason}) and no backup could be read, so the article is not shown. Nothing was deleted: its bytes were kept at ${result.keptAt}.`,
      file: relative,
      keptAt: result.keptAt,
      articleId: id,
    });
    return { state: 'gone' };
  }
  if (result.state === 'restored') {
    notify({
      level: 'warning',
      message: `The article "${result.doc.article.title}" was damaged (${result.reason}) and was restored from its backup of ${result.backupDate}; changes made after that may be missing. The damaged file was kept at ${result.keptAt}.`,
      file: relative,
      keptAt: result.keptAt,
      articleId: id,
    });
  }
  return { state: 'read', doc: result.doc, stamp: await stampOf(file) };
}

/** Every article file's stamp (one readdir and a stat each): what Notebook.rescan compares with what it holds. */
export async function stampArticleFiles(dir: string): Promise<Map<string, FileStamp | undefined>> {
  const folder = path.join(dir, ARTICLES_DIR);
  const names = articleFileNames(await readdir(folder));
  const seen = await mapLimited(names, 64, (name) => stampOf(path.join(folder, name)));
  return new Map(names.map((name, i) => [name.slice(0, -'.json'.length), seen[i]]));
}

async function readSummaryCache(dir: string): Promise<SummaryCache | null> {
  try {
    const parsed = JSON.parse(asciiJsonText(await readFile(path.join(dir, SUMMARY_CACHE_FILE)))) as SummaryCache;
    return parsed.version === CACHE_VERSION && typeof parsed.entries === 'object' && parsed.entries !== null ? parsed : null;
  } catch {
    return null; // missing or damaged: derived data, every article is read from its file instead
  }
}

/**
 * Writes the summary cache (derived; a failure only costs the next open a full read) from what is on disk per article
 * (its stamp and the doc those bytes hold, never a change still on its way to the disk).
 */
export async function writeSummaryCache(dir: string, onDisk: ReadonlyMap<string, { stamp: FileStamp; doc: AnnotationDoc }>): Promise<void> {
  const entries: SummaryCache['entries'] = Object.fromEntries(onDisk);
  await mkdir(path.join(dir, CACHE_DIR), { recursive: true });
  await writeFileDurably(path.join(dir, SUMMARY_CACHE_FILE), asciiJson({ version: CACHE_VERSION, entries } satisfies SummaryCache));
}

/**
 * JSON with every character past ASCII written as a `\uXXXX` escape. The summary cache is read on every open, before
 * the first answer: one curly quote anywhere (a novel's highlights have hundreds) makes V8 hold the whole text as a
 * two-byte string, and decoding it as UTF-8 and parsing it then took ~31 ms at 10,000 articles, against ~22 ms for
 * the same cache in ASCII read as Latin-1 (bench/RESULTS.md, *Library*).
 */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The text of a file asciiJson wrote (Latin-1 is the cheap decoding of ASCII); of any other file, its UTF-8. */
function asciiJsonText(bytes: Buffer): string {
  const text = bytes.toString('latin1');
  return /[\x80-\xff]/.test(text) ? bytes.toString('utf8') : text;
}

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * A write killed between creating its temp file and renaming it leaves `.gloss-*.tmp` behind. The folder is locked by
 * us now, so no other writer owns them: they are incomplete copies of changes never acknowledged.
 */
export async function removeLeftoverTempFiles(dir: string, within = ['.', CACHE_DIR, BACKUPS_DIR, LOCAL_DIR], before = Infinity): Promise<void> {
  // articles/ and content/ hold thousands of names: swept after opening (Notebook), not on its path.
  const folders = within.map((f) => path.resolve(dir, f));
  for (const folder of folders) {
    let names: string[];
    try {
      names = await readdir(folder);
    } catch {
      continue;
    }
    for (const name of names) {
      // Only Gloss's own: a sync engine's temp file (.syncthing.*.tmp) may be a transfer in progress.
      if (!name.startsWith('.gloss-') || !name.endsWith('.tmp')) continue;
      // After the open, only what was there before it: a temp file of a write in flight now is not a leftover.
      if (before !== Infinity && ((await stat(path.join(folder, name)).catch(() => null))?.mtimeMs ?? Infinity) >= before) continue;
      await rm(path.join(folder, name), { force: true });
    }
  }
}
