/**
 * The notebook's originals: each imported PDF's bytes, stored once under their SHA-256 in `pdfs/<sha256>.pdf` beside
 * the articles. Content-addressed, so the same file imported twice is one copy, and never rewritten: an article's
 * original is exactly the file that was given. A file goes only when no article (live, or deleted but still undoable)
 * names its hash.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fsyncDirectory, writeFileDurably } from '../store/durable-file';

export const PDFS_DIR = 'pdfs';

const SHA256 = /^[0-9a-f]{64}$/;

export function storedPdfPath(notebookDir: string, sha256: string): string {
  if (!SHA256.test(sha256)) throw new Error(`Not a SHA-256: ${JSON.stringify(sha256)}`); // never a path from outside
  return path.join(notebookDir, PDFS_DIR, `${sha256}.pdf`);
}

/** The stored file's size, or undefined when it is not there. */
export async function storedPdfSize(notebookDir: string, sha256: string): Promise<number | undefined> {
  try {
    const info = await stat(storedPdfPath(notebookDir, sha256));
    return info.isFile() ? info.size : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Stores an original durably (temp file, fsync, rename, fsync of the folder). Answers whether this call wrote it: an
 * existing copy of the same size is the same file (its name is its hash) and is left as it is. One whose size differs
 * is a damaged leftover and is replaced by the true bytes.
 */
export async function storePdf(notebookDir: string, sha256: string, bytes: Uint8Array): Promise<{ created: boolean }> {
  if ((await storedPdfSize(notebookDir, sha256)) === bytes.byteLength) return { created: false };
  await mkdir(path.join(notebookDir, PDFS_DIR), { recursive: true });
  await writeFileDurably(storedPdfPath(notebookDir, sha256), bytes);
  return { created: true };
}

/** Removes a stored original unless `inUse` says an article still names it. */
export async function removePdfIfUnused(notebookDir: string, sha256: string, inUse: (sha256: string) => boolean): Promise<void> {
  if (inUse(sha256)) return;
  await rm(storedPdfPath(notebookDir, sha256), { force: true });
  await fsyncDirectory(path.join(notebookDir, PDFS_DIR)).catch(() => undefined);
}

/**
 * At open: originals no article names (their article was purged by a session that stopped before removing the file)
 * and temp files of killed writes are removed; with `tempsBefore`, only temp files older than that (the sweep runs
 * behind the open, beside imports that may be writing one now).
 */
export async function sweepUnusedPdfs(notebookDir: string, inUse: (sha256: string) => boolean, tempsBefore = Infinity): Promise<void> {
  const folder = path.join(notebookDir, PDFS_DIR);
  const names = await readdir(folder).catch(() => [] as string[]);
  for (const name of names) {
    const sha = name.endsWith('.pdf') ? name.slice(0, -4) : '';
    if (name.startsWith('.') && name.endsWith('.tmp')) {
      const young = tempsBefore !== Infinity && ((await stat(path.join(folder, name)).catch(() => null))?.mtimeMs ?? Infinity) >= tempsBefore;
      if (!young) await rm(path.join(folder, name), { force: true });
    }
    else if (SHA256.test(sha) && !inUse(sha)) await rm(path.join(folder, name), { force: true });
  }
}
