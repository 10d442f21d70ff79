/**
 * Watching a notebook folder for changes made from outside (a sync engine bringing another machine's edits, a person
 * copying files in): the synced parts only (never local/, never temp files), each file's events debounced, and
 * classified into what the notebook must do about them. Gloss's own writes are reported too; the handler tells them
 * apart by comparing the file with what Gloss last wrote (see reconcile.ts), not by timing.
 *
 * articles/ and content/ are watched with the platform's own directory watch (fs.watch: inotify, FSEvents,
 * ReadDirectoryChangesW), which names the file that changed; chokidar watches the rest. chokidar answers any change in
 * a folder by listing the folder again and stat-ing every file in it (its _handleRead, at most once a second): in an
 * articles/ of 10,000 files, each of Gloss's own writes (a temp file, a rename) set off 10,000 stats that filled
 * libuv's threads while the next write waited for them (a write on a book took 31 ms among 10,000 articles, 8 ms
 * without the watcher); in a content/ of 10,000 files, a restore that stores a content file per article made 10,000
 * listings of a growing folder (a restore of 1,000 articles spent 12 of its 35 s in lstat).
 */
import { mkdirSync, watch as watchDirectory, type FSWatcher as DirectoryWatcher } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { ARTICLES_DIR, CONTENT_DIR } from '../store/layout';
import { conflictCopyOf, isSyncTempFile, type ConflictCopy } from './conflict-names';

export type FolderChange =
  | { kind: 'article'; id: string }
  | { kind: 'article-copy'; id: string; file: string; copy: ConflictCopy }
  | { kind: 'settings' }
  | { kind: 'settings-copy'; file: string; copy: ConflictCopy }
  | { kind: 'content'; contentId: string }
  | { kind: 'pdf'; sha256: string };

const ARTICLE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const SHA256 = /^[0-9a-f]{64}$/;

/**
 * What a file (relative to the notebook, `/`-separated) is to the notebook, or undefined when it is nothing Gloss reads.
 * `isArticle(id)` names the articles the notebook knows, for conflict-copy names that look like ordinary names.
 */
export function classify(relative: string, isArticle: (id: string) => boolean): FolderChange | undefined {
  const parts = relative.split(/[\\/]/);
  const name = parts[parts.length - 1];
  if (!name || isSyncTempFile(name) || name.startsWith('.')) return undefined;
  if (parts.length === 1) {
    if (name === 'notebook.json') return { kind: 'settings' };
    const copy = conflictCopyOf(name, (stem) => stem === 'notebook');
    return copy?.original === 'notebook.json' ? { kind: 'settings-copy', file: relative, copy } : undefined;
  }
  if (parts.length !== 2) return undefined;
  const [folder] = parts;
  if (folder === 'articles' && name.endsWith('.json')) {
    const stem = name.slice(0, -'.json'.length);
    const copy = conflictCopyOf(name, isArticle);
    if (copy) {
      const id = copy.original.replace(/\.json$/, '');
      return ARTICLE_ID.test(id) ? { kind: 'article-copy', id, file: relative, copy } : undefined;
    }
    return ARTICLE_ID.test(stem) ? { kind: 'article', id: stem } : undefined;
  }
  if (folder === 'content' && name.endsWith('.json') && SHA256.test(name.slice(0, -5))) return { kind: 'content', contentId: name.slice(0, -5) };
  if (folder === 'pdfs' && name.endsWith('.pdf') && SHA256.test(name.slice(0, -4))) return { kind: 'pdf', sha256: name.slice(0, -4) };
  return undefined;
}

/** Quiet time after a file's last event before it is looked at: a sync engine's rename, then its attribute touches. */
export const SETTLE_MS = 150;

export interface FolderWatcher {
  /** Resolves once the watcher has its initial view of the folder (later changes are reported). */
  ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * Calls `onChange` for each changed file, one file at a time per path (a file's next change waits for the handler of
 * its previous one), after SETTLE_MS without events for it.
 */
export function watchNotebookFolder(dir: string, isArticle: (id: string) => boolean, onChange: (change: FolderChange) => Promise<void>): FolderWatcher {
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const running = new Map<string, Promise<void>>();
  const watcher: FSWatcher = watch(dir, {
    ignoreInitial: true,
    // Only the synced parts: never local/ (this machine's lock, backups, caches), never Syncthing's own folder.
    ignored: (file: string) => {
      const rel = path.relative(dir, file);
      if (!rel) return false;
      const top = rel.split(path.sep)[0];
      return top === 'local' || NAMED_FOLDERS.includes(top) || top === '.stfolder' || top === '.stversions' || top === 'before-restore' || isSyncTempFile(path.basename(file));
    },
    depth: 1,
  });
  const schedule = (file: string): void => {
    const rel = path.relative(dir, file).split(path.sep).join('/');
    const change = classify(rel, isArticle);
    if (!change) return;
    clearTimeout(timers.get(rel));
    timers.set(
      rel,
      setTimeout(() => {
        timers.delete(rel);
        const previous = running.get(rel) ?? Promise.resolve();
        const next = previous
          .then(() => onChange(change))
          .catch((error: unknown) => console.error(`gloss: could not take in the change to ${rel}`, error))
          .finally(() => {
            if (running.get(rel) === next) running.delete(rel);
          });
        running.set(rel, next);
      }, SETTLE_MS),
    );
  };
  watcher.on('add', schedule).on('change', schedule).on('unlink', schedule);
  watcher.on('error', (error) => console.error('gloss: watching the notebook folder failed', error));
  // content/, then articles/, are watched once chokidar has its view of the rest, content first: an article's change
  // then never arrives before the content it names can be seen arriving (chokidar leaves out what lands before it is
  // ready), and what changed in articles/ meanwhile is found by the notebook's look at every file's stamp after `ready`.
  const named: DirectoryWatcher[] = [];
  let closed = false;
  const ready = new Promise<void>((resolve) =>
    watcher.once('ready', () => {
      if (closed) return resolve();
      for (const folder of NAMED_FOLDERS) {
        const byName = watchByName(dir, folder, schedule);
        if (byName) named.push(byName);
      }
      resolve();
    }),
  );
  return {
    ready,
    async close() {
      closed = true;
      for (const folder of named) folder.close();
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
      await watcher.close();
      await Promise.allSettled([...running.values()]);
    },
  };
}

/** The folders of thousands of files, watched by name (fs.watch) rather than by chokidar; content/ first (see above). */
const NAMED_FOLDERS: readonly string[] = [CONTENT_DIR, ARTICLES_DIR];

/**
 * A folder by the platform's directory watch: each event names its file, which is looked at (after SETTLE_MS) like
 * any other; an event without a name (a platform that cannot say) looks at every file there. The folder is made if
 * missing (a new notebook's content/), since a missing folder cannot be watched. Undefined when it cannot be watched
 * (said in the log; the open's and the rescan's looks at every article file's stamp still apply).
 */
function watchByName(dir: string, name: string, schedule: (file: string) => void): DirectoryWatcher | undefined {
  const folder = path.join(dir, name);
  const everyFile = (): void => {
    readdir(folder)
      .then((names) => names.forEach((file) => schedule(path.join(folder, file))))
      .catch((error: unknown) => console.error(`gloss: could not list the ${name} folder`, error));
  };
  try {
    mkdirSync(folder, { recursive: true });
    const watcher = watchDirectory(folder, { persistent: false }, (_event, file) => {
      if (file) schedule(path.join(folder, file.toString()));
      else everyFile();
    });
    watcher.on('error', (error) => console.error(`gloss: watching the ${name} folder failed`, error));
    return watcher;
  } catch (error) {
    console.error(`gloss: the ${name} folder could not be watched`, error);
    return undefined;
  }
}
