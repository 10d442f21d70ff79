import { Inflate } from 'fflate';
import { GlossError } from '../../errors';
import { formatBytes, refuse } from '../guards';

/**
 * A zip archive read defensively: the central directory is read here (a few lines of format), the deflate streams by
 * fflate. fflate's own unzipSync trusts each entry's declared size and grows its buffer past it, so a zip bomb (a few
 * KB that inflate to gigabytes) would run the worker out of memory; here every entry inflates in small steps against
 * its declared size and the archive's budget, and stops the moment either is passed.
 */

export interface ZipLimits {
  /** Entries in the central directory. */
  maxEntries: number;
  /** Sum of the declared uncompressed sizes of every entry, and of what is actually inflated. */
  maxTotalBytes: number;
  /** Uncompressed / compressed, for entries over `ratioFloorBytes` (text compresses 3-10x; bombs 1000x). */
  maxRatio: number;
  ratioFloorBytes: number;
}

export const EPUB_ZIP_LIMITS: ZipLimits = {
  maxEntries: 10_000,
  maxTotalBytes: 512 * 1024 * 1024,
  maxRatio: 200,
  ratioFloorBytes: 1024 * 1024,
};

export interface ZipEntry {
  name: string;
  method: number;
  encrypted: boolean;
  compressedSize: number;
  size: number;
  localOffset: number;
}

export interface ZipArchive {
  entries: Map<string, ZipEntry>;
  /** The entry's bytes, inflated under the limits; undefined when there is no such entry. */
  read(name: string): Uint8Array | undefined;
  /** The entry as UTF-8 text (a BOM dropped). */
  readText(name: string): string | undefined;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
/** Compressed bytes fed to the inflater at a time: a deflate stream expands at most ~1032x, so one step is bounded. */
const STEP = 4096;

export function openZip(bytes: Uint8Array, name: string, limits: ZipLimits = EPUB_ZIP_LIMITS): ZipArchive {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const notZip = () => refuse(name, 'it is not an EPUB (not a zip archive)');
  if (bytes.byteLength < 22 || view.getUint32(0, true) !== LOCAL) throw notZip();
  let eocd = -1;
  for (let i = bytes.byteLength - 22; i >= Math.max(0, bytes.byteLength - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw notZip();
  const count = view.getUint16(eocd + 10, true);
  const cdOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || cdOffset === 0xffffffff) throw refuse(name, 'it is a ZIP64 archive, which an EPUB never needs');
  if (count > limits.maxEntries) throw bomb(name, `it has ${count} files (the limit is ${limits.maxEntries})`);

  const entries = new Map<string, ZipEntry>();
  const decoder = new TextDecoder('utf-8');
  let declaredTotal = 0;
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > bytes.byteLength || view.getUint32(p, true) !== CENTRAL) throw refuse(name, 'its zip directory is damaged');
    const flags = view.getUint16(p + 8, true);
    const method = view.getUint16(p + 10, true);
    const compressedSize = view.getUint32(p + 20, true);
    const size = view.getUint32(p + 24, true);
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    const localOffset = view.getUint32(p + 42, true);
    const entryName = decoder.decode(bytes.subarray(p + 46, p + 46 + nameLength));
    p += 46 + nameLength + extraLength + commentLength;
    if (size === 0xffffffff || compressedSize === 0xffffffff) throw refuse(name, 'it is a ZIP64 archive, which an EPUB never needs');
    declaredTotal += size;
    if (declaredTotal > limits.maxTotalBytes) {
      throw bomb(name, `its files would take more than ${formatBytes(limits.maxTotalBytes)} once unpacked`);
    }
    if (size > limits.ratioFloorBytes && size / Math.max(1, compressedSize) > limits.maxRatio) {
      throw bomb(name, `"${entryName}" is compressed ${Math.round(size / Math.max(1, compressedSize))} to 1, like a zip bomb`);
    }
    entries.set(entryName, { name: entryName, method, encrypted: (flags & 1) !== 0, compressedSize, size, localOffset });
  }

  let inflatedTotal = 0;
  const read = (entryName: string): Uint8Array | undefined => {
    const entry = entries.get(entryName);
    if (!entry) return undefined;
    if (entry.encrypted) throw new GlossError('invalid_input', `Cannot import ${name}: it is encrypted (DRM) and cannot be read`);
    const at = entry.localOffset;
    if (at + 30 > bytes.byteLength || view.getUint32(at, true) !== LOCAL) throw refuse(name, `"${entryName}" is damaged`);
    const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
    const data = bytes.subarray(start, start + entry.compressedSize);
    if (data.byteLength !== entry.compressedSize) throw refuse(name, `"${entryName}" is cut short`);
    const budget = Math.min(entry.size, limits.maxTotalBytes - inflatedTotal);
    let out: Uint8Array;
    if (entry.method === 0) out = data.slice();
    else if (entry.method === 8) {
      try {
        out = inflateBounded(data, budget, () => bomb(name, `"${entryName}" inflates past its declared size`));
      } catch (error) {
        if (error instanceof GlossError) throw error;
        throw refuse(name, `"${entryName}" is damaged (${(error as Error).message})`);
      }
    }
    else throw refuse(name, `"${entryName}" uses a compression method (${entry.method}) an EPUB may not use`);
    if (out.byteLength !== entry.size) throw refuse(name, `"${entryName}" is damaged (its size does not match the zip directory)`);
    inflatedTotal += out.byteLength;
    return out;
  };
  return {
    entries,
    read,
    readText: (entryName) => {
      const b = read(entryName);
      return b && decoder.decode(b).replace(/^\uFEFF/, '');
    },
  };
}

function bomb(name: string, why: string): GlossError {
  return new GlossError('too_large', `Cannot import ${name}: ${why}; it is refused as a possible zip bomb`);
}

/** Inflates raw deflate data, throwing `tooBig()` as soon as the output passes `limit` bytes. */
function inflateBounded(data: Uint8Array, limit: number, tooBig: () => Error): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const inflater = new Inflate((chunk) => {
    total += chunk.byteLength;
    if (total > limit) throw tooBig();
    chunks.push(chunk);
  });
  if (data.byteLength === 0) inflater.push(new Uint8Array(0), true);
  for (let i = 0; i < data.byteLength; i += STEP) inflater.push(data.subarray(i, i + STEP), i + STEP >= data.byteLength);
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}
