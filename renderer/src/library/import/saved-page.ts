import type { ImportAttachment, ImportRequest } from '../../../../electron/contract';
import { MAX_BASE64_BYTES, toBase64 } from './file-import';

/**
 * A saved web page is a page and its files: "Page.html" beside a "Page_files" folder (what a browser's "Save page,
 * complete" writes). Dropped together (the folder too), or picked together, the images among the files travel with
 * the page as `attachments` (contract.ts ImportRequest), and the importer stores those its <img> elements name.
 */

/** A file the user gave, with its path relative to what was dropped ("Page_files/fig1.png") when known. */
export interface GivenFile {
  file: File;
  path: string;
}

export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.gif', '.webp', '.avif', '.svg'] as const;

export function isImageFile(name: string): boolean {
  const lower = name.toLowerCase();
  return IMAGE_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

/** Files an <img> of this page may name: those in its own `<stem>_files` folder, and loose images given with it. */
export function attachmentsFor(page: GivenFile, images: readonly GivenFile[]): GivenFile[] {
  const stem = page.file.name.replace(/\.[^.]+$/, '');
  const folder = `${stem}_files/`;
  return images.filter((img) => {
    const inFolder = /_files\//.test(img.path);
    return !inFolder || img.path.includes(folder) || img.path.startsWith(folder);
  });
}

/**
 * The page's request with its attachments added, as many as fit in one request beside the page (the API body limit);
 * the ones that do not fit stay behind (their images remain deferred, as if not given).
 */
export async function withAttachments(request: ImportRequest, attachments: readonly GivenFile[]): Promise<ImportRequest> {
  if (attachments.length === 0) return request;
  let room = MAX_BASE64_BYTES - (request.contentBase64 ? (request.contentBase64.length * 3) / 4 : (request.content?.length ?? 0) * 3);
  const out: ImportAttachment[] = [];
  for (const { file, path } of attachments) {
    if (file.size > room) continue;
    room -= file.size;
    out.push({ name: path.replace(/^.*?([^/]*_files\/)/, '$1'), contentBase64: toBase64(new Uint8Array(await file.arrayBuffer())) });
  }
  return out.length > 0 ? { ...request, attachments: out } : request;
}

/**
 * The files of a drop, folders walked (a saved page's `_files` folder is usually dropped as a folder): the entries are
 * taken during the drop event (a DataTransfer empties after it), read afterwards. At most `limit` files.
 */
export function filesOfDrop(data: DataTransfer, limit = 2000): Promise<GivenFile[]> {
  const entries = [...data.items].map((item) => item.webkitGetAsEntry?.()).filter((e): e is FileSystemEntry => Boolean(e));
  if (entries.length === 0 || entries.every((e) => e.isFile)) {
    return Promise.resolve([...data.files].map((file) => ({ file, path: file.name })));
  }
  return walk(entries, limit);
}

async function walk(entries: FileSystemEntry[], limit: number): Promise<GivenFile[]> {
  const out: GivenFile[] = [];
  const queue = [...entries];
  while (queue.length > 0 && out.length < limit) {
    const entry = queue.shift()!;
    if (entry.isFile) {
      const file = await new Promise<File | null>((resolve) => (entry as FileSystemFileEntry).file(resolve, () => resolve(null)));
      if (file) out.push({ file, path: entry.fullPath.replace(/^\/+/, '') });
    } else if (entry.isDirectory) {
      queue.push(...(await readAll((entry as FileSystemDirectoryEntry).createReader())));
    }
  }
  return out;
}

/** readEntries answers in batches (about 100 in Chromium) until it answers none. */
async function readAll(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  const all: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve) => reader.readEntries(resolve, () => resolve([])));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}
