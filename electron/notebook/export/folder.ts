/**
 * Export to a folder (an Obsidian vault, say): one Markdown file per article, named by its title alone (` (2)` added
 * only when two titles collide, see fileNames), re-exportable in place: running it again is safe, and a renamed
 * article's file follows its title (the old file, if unedited, is removed once the new one is written).
 *
 * Ownership: `.gloss-export.json` (the manifest) lists the files Gloss wrote there, each with the article id and the
 * SHA-256 of the bytes written. Gloss only ever overwrites a file that the manifest lists AND whose bytes still hash to
 * what Gloss wrote. Everything else in the folder is the user's and is never modified, renamed or deleted; the only file
 * Gloss ever deletes is its own, unedited output for an article now written under a new name.
 *
 * Conflicts (pick-safe behaviour): when the file an article should go to was edited by the user since the last export
 * (hash differs) — or is a file Gloss never wrote — Gloss leaves it alone and writes the export to
 * `<name>.conflict-<n>.md` instead (the smallest n whose file is absent or is Gloss's own unedited output). An edited file
 * is dropped from the manifest: it is now the user's, so later exports keep updating the `.conflict-<n>.md` file in place
 * rather than creating a new one each time. Each case is reported in `conflicts`.
 * A file Gloss finds already holding exactly the bytes it would write is adopted (recovers from a lost manifest).
 *
 * Writes are atomic (temp file in the same folder, fsync, rename, fsync the folder), so a crash leaves the old or the
 * new file, never half of one; the manifest is written last. A crash between a file and the manifest makes that file
 * look user-edited next time: the safe direction (a conflict copy, no clobbering).
 * Not handled: two exports into one folder at the same moment, or an edit landing between the hash check and the
 * rename (a window of microseconds).
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Article, ExportOptions, Settings } from '../../contract';
import { GlossError } from '../errors';
import { writeFileDurably } from '../store/durable-file';
import { safeFileStem } from './filename';
import { renderExport } from './render';
import { selectArticles } from './select';

export const MANIFEST_FILE = '.gloss-export.json';
const MANIFEST_FORMAT = 'gloss-export-manifest';
const MANIFEST_VERSION = 1;

interface ManifestEntry {
  articleId: string;
  sha256: string;
}

interface Manifest {
  format: typeof MANIFEST_FORMAT;
  version: number;
  files: Record<string, ManifestEntry>;
}

export interface FolderConflict {
  /** The file the article would normally go to, left untouched. */
  file: string;
  reason: 'edited' | 'not-ours';
  /** Where the export went instead. */
  writtenTo: string;
}

export interface FolderExportResult {
  /** Files created or rewritten. */
  written: string[];
  /** Files Gloss owns whose content was already up to date (not touched). */
  unchanged: string[];
  /** Articles whose usual file could not be written (see the module comment). */
  conflicts: FolderConflict[];
  /** Older Gloss files of an exported article under another name that the user edited since: kept, never deleted. */
  stale: string[];
  /** An article's file under its old name (its title changed), unedited since Gloss wrote it: removed once the new
   * file is on disk, so a rename never leaves a duplicate behind. */
  renamed: { from: string; to: string }[];
}

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

async function readIfExists(file: string): Promise<Buffer | null> {
  try {
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Exported files are written like the notebook's own: temp file, fsync, rename, fsync the folder. */
export const writeFileAtomic = (file: string, data: string | Uint8Array): Promise<void> => writeFileDurably(file, data);

function isManifest(value: unknown): value is Manifest {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Partial<Manifest>;
  if (m.format !== MANIFEST_FORMAT || typeof m.version !== 'number' || typeof m.files !== 'object' || m.files === null) {
    return false;
  }
  return Object.values(m.files).every(
    (e) => typeof e === 'object' && e !== null && typeof e.articleId === 'string' && typeof e.sha256 === 'string',
  );
}

async function loadManifest(dir: string): Promise<Manifest> {
  const raw = await readIfExists(path.join(dir, MANIFEST_FILE));
  if (raw === null) return { format: MANIFEST_FORMAT, version: MANIFEST_VERSION, files: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    parsed = undefined;
  }
  // Someone else's file of that name, or a damaged one: refuse rather than guess which files are ours.
  if (!isManifest(parsed)) {
    throw new GlossError('conflict', `${MANIFEST_FILE} in ${dir} is not a Gloss export manifest; move it away to export here.`);
  }
  if (parsed.version > MANIFEST_VERSION) {
    throw new GlossError('conflict', `${MANIFEST_FILE} in ${dir} was written by a newer Gloss (version ${parsed.version}).`);
  }
  return { format: MANIFEST_FORMAT, version: MANIFEST_VERSION, files: { ...parsed.files } };
}

function serializeManifest(manifest: Manifest): string {
  const files: Record<string, ManifestEntry> = {};
  for (const name of Object.keys(manifest.files).sort()) files[name] = manifest.files[name];
  return `${JSON.stringify({ format: MANIFEST_FORMAT, version: MANIFEST_VERSION, files }, null, 2)}\n`;
}

/** Case-insensitive, NFC: macOS and Windows folders hold one of `Notes.md` and `notes.md`, so names clash that way. */
const nameKey = (name: string): string => name.normalize('NFC').toLowerCase();

/** `<stem>.md` for n = 1, `<stem> (n).md` after: the minimum that tells two articles of the same title apart. */
const numbered = (stem: string, n: number): string => (n === 1 ? `${stem}.md` : `${stem} (${n}).md`);

/** The n of `numbered(stem, n)` a name is, or 0 when it is not one of that stem's names. */
function numberOf(stem: string, name: string): number {
  if (nameKey(name) === nameKey(`${stem}.md`)) return 1;
  const m = / \((\d{1,4})\)\.md$/u.exec(name);
  return m && nameKey(name.slice(0, m.index)) === nameKey(stem) && Number(m[1]) >= 2 ? Number(m[1]) : 0;
}

/**
 * File names per article: the title alone (made safe for Windows, macOS and Linux, filename.ts), and only while titles
 * collide (case-insensitively) ` (2)`, ` (3)`... Stable across exports: the manifest says which article had which name,
 * and an article keeps its name while it still fits its title: a name never changes unless the title does, so links to
 * the file keep working. Names the manifest gives to articles not in this export are taken (their files stay theirs).
 */
function fileNames(articles: readonly Article[], manifest: Manifest): string[] {
  const selected = new Set(articles.map((a) => a.id));
  const previous = new Map<string, string[]>();
  const taken = new Set<string>();
  for (const [name, entry] of Object.entries(manifest.files)) {
    if (!selected.has(entry.articleId)) taken.add(nameKey(name));
    else previous.set(entry.articleId, [...(previous.get(entry.articleId) ?? []), name]);
  }
  const stems = articles.map((a) => safeFileStem(a.title));
  const names: (string | undefined)[] = articles.map(() => undefined);
  const claim = (i: number, n: number): void => {
    names[i] = numbered(stems[i], n);
    taken.add(nameKey(names[i]!));
  };
  const free = (i: number, n: number): boolean => !taken.has(nameKey(numbered(stems[i], n)));
  const kept = articles.map((a, i) => (previous.get(a.id) ?? []).map((name) => numberOf(stems[i], name)).filter((n) => n > 0).sort((x, y) => x - y));
  // Names already given keep their articles (the lowest first), then the rest take the plain name if it is free, else
  // the smallest free number.
  kept.forEach((ns, i) => {
    const n = ns.find((k) => free(i, k));
    if (n !== undefined) claim(i, n);
  });
  articles.forEach((_, i) => {
    if (names[i]) return;
    let n = 1;
    while (!free(i, n)) n++;
    claim(i, n);
  });
  return names as string[];
}

const conflictName = (name: string, n: number): string => (n === 0 ? name : `${name.replace(/\.md$/, '')}.conflict-${n}.md`);

/** Exports each selected article to `<dir>/<title>.md` (see fileNames). See the module comment for the ownership rules. */
export async function exportToFolder(
  dir: string,
  articles: Article[],
  settings: Settings,
  options: ExportOptions = {},
): Promise<FolderExportResult> {
  await mkdir(dir, { recursive: true });
  const manifest = await loadManifest(dir);
  // Entries whose files are gone (deleted by the user) name nothing: their names are free again.
  for (const name of Object.keys(manifest.files)) if ((await readIfExists(path.join(dir, name))) === null) delete manifest.files[name];
  const selected = selectArticles(articles, options).map((s) => s.article);
  const names = fileNames(selected, manifest);
  const perArticle: ExportOptions = { ...options, articleIds: undefined };
  const result: FolderExportResult = { written: [], unchanged: [], conflicts: [], stale: [], renamed: [] };
  const chosen = new Set<string>();
  const nameOf = new Map<string, string>();

  for (let i = 0; i < selected.length; i++) {
    const article = selected[i];
    const content = await renderExport([article], settings, perArticle);
    const hash = sha256(content);
    let firstRefusal: FolderConflict['reason'] | undefined;
    for (let n = 0; ; n++) {
      const name = conflictName(names[i], n);
      const file = path.join(dir, name);
      const current = await readIfExists(file);
      const entry = manifest.files[name];
      const ours = entry !== undefined && entry.articleId === article.id;
      if (current === null) {
        await writeFileAtomic(file, content);
        result.written.push(name);
      } else {
        const currentHash = sha256(current);
        if (currentHash === hash && (ours || entry === undefined)) {
          result.unchanged.push(name);
        } else if (ours && entry.sha256 === currentHash) {
          await writeFileAtomic(file, content);
          result.written.push(name);
        } else {
          // Edited since Gloss wrote it (release it: it is the user's now) or never Gloss's: leave it, try the next name.
          if (ours) delete manifest.files[name];
          firstRefusal ??= ours ? 'edited' : 'not-ours';
          continue;
        }
      }
      manifest.files[name] = { articleId: article.id, sha256: hash };
      chosen.add(name);
      nameOf.set(article.id, name);
      if (firstRefusal) result.conflicts.push({ file: names[i], reason: firstRefusal, writtenTo: name });
      break;
    }
  }

  // Forget entries whose files are gone (deleted by the user). An exported article's file under an old name is removed
  // when it still holds what Gloss wrote (the new one is on disk already), else kept and reported as stale.
  const exportedIds = new Set(selected.map((a) => a.id));
  for (const [name, entry] of Object.entries(manifest.files)) {
    if (chosen.has(name)) continue;
    const current = await readIfExists(path.join(dir, name));
    if (current === null) delete manifest.files[name];
    else if (exportedIds.has(entry.articleId)) {
      if (sha256(current) === entry.sha256) {
        await rm(path.join(dir, name));
        delete manifest.files[name];
        result.renamed.push({ from: name, to: nameOf.get(entry.articleId) ?? '' });
      } else {
        delete manifest.files[name]; // the user's now
        result.stale.push(name);
      }
    }
  }
  await writeFileAtomic(path.join(dir, MANIFEST_FILE), serializeManifest(manifest));
  result.stale.sort();
  result.renamed.sort((x, y) => (x.from < y.from ? -1 : 1));
  return result;
}
