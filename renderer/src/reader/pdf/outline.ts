/**
 * The PDF's outline (its bookmarks), with each entry's destination resolved to a page number, for the side panel.
 * Entries whose destination cannot be resolved (a URL, a broken reference) are kept, without a page, so the tree's
 * shape is the author's; they are shown but do nothing.
 */
import type { PDFDocumentProxy } from 'pdfjs-dist';

export interface OutlineEntry {
  title: string;
  /** 1-based, or null when the destination does not name a page. */
  page: number | null;
  children: OutlineEntry[];
}

type RawOutline = Awaited<ReturnType<PDFDocumentProxy['getOutline']>>;

/** The resolved outline, or an empty list when the PDF has none (or it cannot be read). */
export async function readOutline(doc: PDFDocumentProxy): Promise<OutlineEntry[]> {
  let raw: RawOutline;
  try {
    raw = await doc.getOutline();
  } catch {
    return [];
  }
  if (!raw || raw.length === 0) return [];
  return resolveEntries(doc, raw, 0);
}

const MAX_DEPTH = 8;

async function resolveEntries(doc: PDFDocumentProxy, items: NonNullable<RawOutline>, depth: number): Promise<OutlineEntry[]> {
  return Promise.all(
    items.map(async (item) => ({
      title: (item.title ?? '').trim() || 'Untitled',
      page: await pageOf(doc, item.dest),
      children: depth < MAX_DEPTH && item.items?.length ? await resolveEntries(doc, item.items, depth + 1) : [],
    })),
  );
}

async function pageOf(doc: PDFDocumentProxy, dest: string | unknown[] | null): Promise<number | null> {
  try {
    const explicit = typeof dest === 'string' ? await doc.getDestination(dest) : dest;
    if (!Array.isArray(explicit) || explicit.length === 0) return null;
    const target = explicit[0] as unknown;
    if (typeof target === 'number') return Number.isInteger(target) && target >= 0 && target < doc.numPages ? target + 1 : null;
    if (target && typeof target === 'object') return (await doc.getPageIndex(target as Parameters<PDFDocumentProxy['getPageIndex']>[0])) + 1;
    return null;
  } catch {
    return null;
  }
}
