/**
 * Where a folder export may go: anywhere but the notebook's own folder, a folder inside it, or a folder that holds it.
 * Judged on real paths (every symbolic link resolved, on the folder and on each existing parent), so a link that leads
 * into the notebook is caught, and compared case-insensitively where the file system is (macOS and Windows by default).
 */
import { mkdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { invalid } from '../errors';

/** The relation of `target` to `notebook` (both real, absolute paths) that makes an export there unsafe, if any. */
export function unsafeExportTarget(notebook: string, target: string, foldCase: boolean): 'same' | 'inside' | 'parent' | null {
  const fold = (p: string) => (foldCase ? p.normalize('NFC').toLowerCase() : p);
  const from = fold(path.resolve(notebook));
  const to = fold(path.resolve(target));
  const down = path.relative(from, to);
  if (down === '') return 'same';
  if (!down.startsWith('..') && !path.isAbsolute(down)) return 'inside';
  const up = path.relative(to, from);
  if (!up.startsWith('..') && !path.isAbsolute(up)) return 'parent';
  return null;
}

/**
 * Checks `dir` (absolute) against the notebook at `notebookDir`, creates it, checks its real path again (a link made
 * in between) and returns that real path: the export writes there, not through whatever links `dir` names.
 */
export async function prepareExportFolder(notebookDir: string, dir: string): Promise<string> {
  if (!path.isAbsolute(dir)) throw invalid(`The export folder must be an absolute path, not "${dir}".`);
  const notebook = await realpath(notebookDir);
  const foldCase = await isCaseInsensitive(notebook);
  const refuse = (real: string): void => {
    const relation = unsafeExportTarget(notebook, real, foldCase);
    if (!relation) return;
    const via = path.resolve(dir) === real ? '' : ` (through a link, it is ${real})`;
    const where = { same: "is the notebook's own folder", inside: "is inside the notebook's folder", parent: "holds the notebook's folder" }[relation];
    throw invalid(`The export folder ${dir}${via} ${where} (${notebook}): exporting there would write among the notebook's own files. Choose a folder outside it.`);
  };
  refuse(await realpathOfExisting(path.resolve(dir)));
  await mkdir(dir, { recursive: true });
  const real = await realpath(dir);
  refuse(real);
  return real;
}

/** The real path of `p`, resolving its deepest existing ancestor and appending the parts that do not exist yet. */
async function realpathOfExisting(p: string): Promise<string> {
  const rest: string[] = [];
  let current = p;
  for (;;) {
    try {
      return path.join(await realpath(current), ...rest.reverse());
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
      const parent = path.dirname(current);
      if (parent === current) return p;
      rest.push(path.basename(current));
      current = parent;
    }
  }
}

/**
 * Whether names on the file system holding `dir` ignore case: the same folder found under its name with the case
 * swapped (a case-sensitive APFS volume says no, a case-folding ext4 folder says yes). Where the name has no letters
 * to swap or the probe fails, macOS and Windows are assumed case-insensitive (their defaults).
 */
async function isCaseInsensitive(dir: string): Promise<boolean> {
  const platformDefault = process.platform === 'darwin' || process.platform === 'win32';
  const name = path.basename(dir);
  const swapped = [...name].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');
  if (swapped === name) return platformDefault;
  try {
    const [a, b] = await Promise.all([stat(dir), stat(path.join(path.dirname(dir), swapped))]);
    return a.ino === b.ino && a.dev === b.dev;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? false : platformDefault;
  }
}
