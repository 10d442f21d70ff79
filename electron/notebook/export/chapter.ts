import type { TocEntry } from '../../contract';

/**
 * The table-of-contents entry an offset falls in: the last entry (in document order, so the deepest where entries
 * nest) that starts at or before it. Undefined before the first entry. Entries are sorted by start (import/epub/).
 */
export function tocEntryAt(toc: readonly TocEntry[], offset: number): TocEntry | undefined {
  let lo = 0;
  let hi = toc.length - 1;
  let found: TocEntry | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (toc[mid].start <= offset) {
      found = toc[mid];
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}
