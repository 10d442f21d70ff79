/**
 * Taking in what a sync engine brought: an article file changed from outside, a conflict copy beside one, notebook.json
 * changed or copied, content or a PDF arriving after the article that needs it. The rule throughout: what Gloss holds
 * and what is on disk are merged (merge.ts), never one thrown away for the other; the merge is written back when it
 * holds more than the disk (so the other machine gets it too); a conflict copy is removed only once the merge is on
 * disk. The notebook implements SyncPort (a few methods over its own state); everything else is here.
 */
import { readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { fsyncDirectory } from '../store/durable-file';
import { sameStamp, stampOf, type FileStamp } from '../store/load';
import { conflictCopyOf } from './conflict-names';
import { mergeDocs, pruneDoc, sameDoc, type SyncDoc } from './merge';
import { mergeSettingsDocs, type SharedSettingsDoc } from './settings-merge';
import { classify, watchNotebookFolder, type FolderChange, type FolderWatcher } from './watch';
import { isDeepStrictEqual } from 'node:util';

export interface SyncPort {
  readonly dir: string;
  isArticle(id: string): boolean;
  /** The annotation file Gloss holds for `id` (a new object after every change), or undefined. */
  currentDoc(id: string): SyncDoc | undefined;
  /** Whether the article's file on disk is other than the one Gloss last wrote or read. */
  changedOnDisk(id: string): Promise<boolean>;
  /** While Gloss writes files of its own, a promise that resolves once they are written and recorded; else undefined. */
  ownWrites?(): Promise<void> | undefined;
  /** The raw JSON of an annotation file checked (and migrated) as the file of `id`; throws naming what is wrong. */
  checkDoc(raw: unknown, file: string, id: string): SyncDoc;
  /**
   * Makes `doc` the article, if what Gloss holds is still `current` (else answers false: the caller merges again):
   * written to disk first when `write`; otherwise the file on disk (`read`, the stamp of what was read) is recorded
   * as what Gloss last read. Tells every window what changed.
   */
  adoptDoc(id: string, current: SyncDoc, doc: SyncDoc, write: boolean, read?: FileStamp): Promise<boolean>;
  /** The article's file appeared or disappeared: read it as opening the notebook would (a new article, a deleted one). */
  reloadArticle(id: string): Promise<unknown>;
  currentSettings(): SharedSettingsDoc;
  checkSettings(raw: unknown, file: string): SharedSettingsDoc;
  settingsChangedOnDisk(): Promise<boolean>;
  adoptSettings(current: SharedSettingsDoc, doc: SharedSettingsDoc, write: boolean): Promise<boolean>;
  /** A content file or original PDF arrived: windows showing an article that lacked it load it again. */
  fileArrived(kind: 'content' | 'pdf', name: string): void;
  /** Says something to every window (a toast): a merge from another machine. */
  notify(message: string, level?: 'info' | 'warning'): void;
}

const ATTEMPTS = 5;

/** A file that does not parse yet (a copy still arriving): left for its next change event. */
class Incomplete extends Error {}

async function readJson(file: string): Promise<unknown | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    // Node's read errors do not name the file: the log of an internal error must say which one.
    if (error instanceof Error) error.message = `${error.message} (${file})`;
    throw error;
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new Incomplete(`${file} does not parse (yet)`);
  }
}

function titleOf(doc: SyncDoc): string {
  const title = typeof doc.article.title === 'string' ? doc.article.title : doc.article.id;
  return title.length > 80 ? `${title.slice(0, 79)}…` : title;
}

/** What a merge brought that Gloss did not have, for the toast. */
function describeMerge(before: SyncDoc, after: SyncDoc): string {
  const parts: string[] = [];
  if (after.article.noteConflicts?.length && !isDeepStrictEqual(after.article.noteConflicts, before.article.noteConflicts)) {
    parts.push('the article note was changed on both machines: choose which to keep in the notes panel');
  }
  if (after.highlights.some((h) => h.noteConflicts?.length && !isDeepStrictEqual(h.noteConflicts, before.highlights.find((b) => b.id === h.id)?.noteConflicts))) {
    parts.push('a highlight’s note was changed on both machines: both are kept on its card');
  }
  return parts.length ? ` (${parts.join('; ')})` : '';
}

/**
 * The article's file changed on disk: merge it with what Gloss holds and take the result, writing it back when the
 * disk lacks something (an edit of this machine the sync engine overwrote). Gloss's own writes are recognised (the
 * file is the one it last wrote) and ignored.
 */
export async function takeInArticle(port: SyncPort, id: string): Promise<'unchanged' | 'merged' | 'reloaded' | 'waiting'> {
  const file = path.join(port.dir, 'articles', `${id}.json`);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    // A write of Gloss's own in flight (the file seen may be it, not yet recorded): look once it is recorded, rather
    // than read, merge and compare a file that is ours (a write burst on a large book would pay that each time).
    const own = port.ownWrites?.();
    if (own) await own;
    const current = port.currentDoc(id);
    if (!current) {
      await port.reloadArticle(id);
      return 'reloaded';
    }
    if (!(await port.changedOnDisk(id))) return 'unchanged';
    // The file's stamp before and after reading it: the same, or it changed while being read (read it again).
    const stampBefore = await stampOf(file);
    let raw: unknown;
    try {
      raw = await readJson(file);
    } catch (error) {
      if (error instanceof Incomplete) return 'waiting';
      throw error;
    }
    if (raw !== undefined && !sameStamp(stampBefore, await stampOf(file))) continue;
    if (raw === undefined) {
      // Deleted on the other machine (deleting an article removes its file): gone here too.
      await port.reloadArticle(id);
      return 'reloaded';
    }
    const disk = port.checkDoc(raw, path.relative(port.dir, file), id);
    const merged = pruneDoc(mergeDocs(current, disk), Date.now());
    const fromElsewhere = !sameDoc(merged, current);
    const write = !sameDoc(merged, disk);
    if (!(await port.adoptDoc(id, current, merged, write, stampBefore))) continue; // changed here meanwhile: merge again
    if (fromElsewhere) port.notify(`Took in changes to “${titleOf(merged)}” from another machine${write ? ', merged with this one’s' : ''}${describeMerge(current, merged)}.`);
    return 'merged';
  }
  return 'waiting';
}

/**
 * Before Gloss writes an article's file: if the file on disk is not the one Gloss last wrote or read (a sync engine
 * replaced it meanwhile), the write carries the merge of both, so the newer file is never overwritten by an older copy.
 * Answers what to write (the draft itself when the disk is as Gloss left it).
 */
export async function mergeBeforeWrite(port: SyncPort, id: string, draft: SyncDoc): Promise<SyncDoc> {
  if (!(await port.changedOnDisk(id))) return draft;
  const file = path.join(port.dir, 'articles', `${id}.json`);
  let raw: unknown;
  try {
    raw = await readJson(file);
  } catch (error) {
    if (error instanceof Incomplete) return draft; // a file still arriving: the watcher merges it when complete
    throw error;
  }
  if (raw === undefined) return draft;
  const disk = port.checkDoc(raw, path.relative(port.dir, file), id);
  const merged = mergeDocs(draft, disk);
  // Nothing new on disk (Gloss's own previous write, landed a moment ago): the draft as it is.
  if (sameDoc(merged, draft)) return draft;
  port.notify(`Took in changes to “${titleOf(merged)}” from another machine while saving${describeMerge(draft, merged)}.`);
  return merged;
}

/** A sync engine's conflict copy of an article's file: merged into the article, then removed once that is on disk. */
export async function takeInArticleCopy(port: SyncPort, id: string, copyFile: string, from: string): Promise<'merged' | 'adopted' | 'waiting' | 'gone'> {
  const file = path.join(port.dir, copyFile);
  let raw: unknown;
  try {
    raw = await readJson(file);
  } catch (error) {
    if (error instanceof Incomplete) return 'waiting';
    throw error;
  }
  if (raw === undefined) return 'gone';
  const copy = port.checkDoc(raw, copyFile, id);
  // The file itself first, so the copy is merged into the newest state.
  if (port.currentDoc(id)) await takeInArticle(port, id);
  if (!port.currentDoc(id)) {
    const original = path.join(port.dir, 'articles', `${id}.json`);
    // The article's file is there but not open here (a newer format, or being read): the copy waits beside it.
    if ((await stampOf(original)) !== undefined) return 'waiting';
    // No such article here (deleted on this machine while edited on the other): the copy becomes the article again.
    await rename(file, original);
    await fsyncDirectory(path.join(port.dir, 'articles'));
    await port.reloadArticle(id);
    port.notify(`Kept “${titleOf(copy)}”: it was changed on another machine (${from}) after it was deleted here.`);
    return 'adopted';
  }
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const current = port.currentDoc(id)!;
    const merged = pruneDoc(mergeDocs(current, copy), Date.now());
    if (sameDoc(merged, current) || (await port.adoptDoc(id, current, merged, true))) {
      // The merge is durable (adoptDoc resolved after the write): only now may the copy go.
      await rm(file, { force: true });
      await fsyncDirectory(path.dirname(file));
      if (!sameDoc(merged, current)) port.notify(`Merged a conflicting copy of “${titleOf(merged)}” made by ${from}${describeMerge(current, merged)}.`);
      return 'merged';
    }
  }
  return 'waiting';
}

export async function takeInSettings(port: SyncPort, copyFile?: string): Promise<void> {
  const file = path.join(port.dir, copyFile ?? 'notebook.json');
  if (!copyFile && !(await port.settingsChangedOnDisk())) return;
  let raw: unknown;
  try {
    raw = await readJson(file);
  } catch (error) {
    if (error instanceof Incomplete) return;
    throw error;
  }
  if (raw === undefined) return;
  const other = port.checkSettings(raw, path.relative(port.dir, file));
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const current = port.currentSettings();
    const merged = mergeSettingsDocs(current, other);
    // notebook.json itself is written back when the merge holds more than it; a copy's merge goes into notebook.json.
    const write = copyFile ? !isDeepStrictEqual(merged, current) : !isDeepStrictEqual(merged, other);
    if (!(await port.adoptSettings(current, merged, write))) continue;
    if (copyFile) {
      await rm(file, { force: true });
      await fsyncDirectory(port.dir);
    }
    return;
  }
}

/** One change the watcher saw. */
export async function takeInChange(port: SyncPort, change: FolderChange): Promise<void> {
  switch (change.kind) {
    case 'article':
      await takeInArticle(port, change.id);
      break;
    case 'article-copy':
      await takeInArticleCopy(port, change.id, change.file, describeSource(change.copy));
      break;
    case 'settings':
      await takeInSettings(port);
      break;
    case 'settings-copy':
      await takeInSettings(port, change.file);
      break;
    case 'content':
      port.fileArrived('content', change.contentId);
      break;
    case 'pdf':
      port.fileArrived('pdf', change.sha256);
      break;
  }
}

function describeSource(copy: { engine: string; from?: string }): string {
  const engine = { syncthing: 'Syncthing', dropbox: 'Dropbox', icloud: 'iCloud Drive', onedrive: 'OneDrive' }[copy.engine] ?? copy.engine;
  return copy.from ? `${engine} (${copy.from})` : engine;
}

/** Conflict copies already in the folder (made while Gloss was not running): found at open, merged like new ones. */
export async function findConflictCopies(dir: string, isArticle: (id: string) => boolean): Promise<FolderChange[]> {
  const found: FolderChange[] = [];
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const change = classify(name, isArticle);
    if (change?.kind === 'settings-copy') found.push(change);
  }
  for (const name of await readdir(path.join(dir, 'articles')).catch(() => [] as string[])) {
    if (!conflictCopyOf(name, isArticle)) continue;
    const change = classify(`articles/${name}`, isArticle);
    if (change?.kind === 'article-copy') found.push(change);
  }
  return found;
}

/**
 * The sync side of an open notebook: merges the conflict copies already there, then watches the folder. `close()`
 * stops watching and waits for what is being taken in.
 */
export async function startSync(port: SyncPort, { watch = true }: { watch?: boolean } = {}): Promise<FolderWatcher | undefined> {
  for (const change of await findConflictCopies(port.dir, (id) => port.isArticle(id))) {
    await takeInChange(port, change).catch((error: unknown) => console.error('gloss: could not merge a conflict copy', error));
  }
  if (!watch) return undefined;
  const watcher = watchNotebookFolder(port.dir, (id) => port.isArticle(id), (change) => takeInChange(port, change));
  await watcher.ready;
  return watcher;
}
