/**
 * Export to a folder (an Obsidian vault, say): one Markdown file per article, re-exportable in place.
 *
 * Ownership: `.gloss-export.json` (the manifest) lists the files Gloss wrote there, each with the article id and the
 * SHA-256 of the bytes written. Gloss only ever overwrites a file that the manifest lists AND whose bytes still hash to
 * what Gloss wrote. Everything else in the folder is the user's and is never modified, renamed or deleted.
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
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Article, ExportOptions, Settings } from '../../contract';
import { GlossError } from '../errors';
import { writeFileDurably } from '../store/durable-file';
import { articleFileName } from './filename';
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
  /** Older Gloss files for an exported article under another name (title changed): kept, never deleted. */
  stale: string[];
  /** Gloss never deletes anything in an export folder. */
  removed?: never;
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

/** File names per article; on a (case-insensitive) clash of the 8-hex suffix, the clashing ones get 16 hex. */
function fileNames(articles: readonly Article[]): string[] {
  const short = articles.map((a) => articleFileName(a.title, a.id));
  const counts = new Map<string, number>();
  for (const n of short) counts.set(n.toLowerCase(), (counts.get(n.toLowerCase()) ?? 0) + 1);
  return articles.map((a, i) => ((counts.get(short[i].toLowerCase()) ?? 0) > 1 ? articleFileName(a.title, a.id, 16) : short[i]));
}

const conflictName = (name: string, n: number): string => (n === 0 ? name : `${name.replace(/\.md$/, '')}.conflict-${n}.md`);

/** Exports each selected article to `<dir>/<title> - <id8>.md`. See the module comment for the ownership rules. */
export async function exportToFolder(
  dir: string,
  articles: Article[],
  settings: Settings,
  options: ExportOptions = {},
): Promise<FolderExportResult> {
  await mkdir(dir, { recursive: true });
  const manifest = await loadManifest(dir);
  const selected = selectArticles(articles, options).map((s) => s.article);
  const names = fileNames(selected);
  const perArticle: ExportOptions = { ...options, articleIds: undefined };
  const result: FolderExportResult = { written: [], unchanged: [], conflicts: [], stale: [] };
  const chosen = new Set<string>();

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
      if (firstRefusal) result.conflicts.push({ file: names[i], reason: firstRefusal, writtenTo: name });
      break;
    }
  }

  // Forget entries whose files are gone (deleted by the user); report other files of exported articles as stale.
  const exportedIds = new Set(selected.map((a) => a.id));
  for (const [name, entry] of Object.entries(manifest.files)) {
    if (chosen.has(name)) continue;
    if ((await readIfExists(path.join(dir, name))) === null) delete manifest.files[name];
    else if (exportedIds.has(entry.articleId)) result.stale.push(name);
  }
  await writeFileAtomic(path.join(dir, MANIFEST_FILE), serializeManifest(manifest));
  result.stale.sort();
  return result;
}
