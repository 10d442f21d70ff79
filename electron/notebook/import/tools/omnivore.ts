/**
 * Omnivore's export zip (Settings > Export, the archive its export-handler wrote before the hosted service shut down
 * in November 2024):
 *   metadata_<from>_to_<to>.json   a list of {id, slug, title, description, author, url, state, readingProgress,
 *                                  thumbnail, labels: [name], savedAt, updatedAt, publishedAt}
 *   content/<slug>.html            the item's readable HTML (when it had content)
 *   highlights/<slug>.md           its highlights, each `> quote` (blank lines inside the quote written as `> `), then
 *                                  a line of `#label`s when the highlight had labels, then the note; joined by blank lines
 * Unzipped with fflate under limits (entries, sizes): a zip bomb stops here, in the worker. Only those three kinds of
 * entry are read. Item labels become a note on the article (Gloss tags passages); highlight labels become its tags.
 */
import { unzipSync } from 'fflate';
import { splitAuthors } from '../../pdf/metadata';
import { GlossError, invalid } from '../../errors';
import { isoDateTime, type ParsedToolExport, type ToolDocument, type ToolHighlight } from './types';

export const OMNIVORE_LIMITS = { maxEntries: 50_000, maxEntryBytes: 32 * 1024 * 1024, maxTotalBytes: 512 * 1024 * 1024 } as const;

const METADATA = /^(?:[^/]+\/)?metadata_\d+_to_\d+\.json$/;
const CONTENT = /^(?:[^/]+\/)?content\/([^/]+)\.html$/;
const HIGHLIGHTS = /^(?:[^/]+\/)?highlights\/([^/]+)\.md$/;

export function parseOmnivoreZip(bytes: Uint8Array, name: string): ParsedToolExport {
  let entries = 0;
  let total = 0;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (file) => {
        entries += 1;
        if (entries > OMNIVORE_LIMITS.maxEntries) throw invalid(`Cannot import ${name}: it holds more than ${OMNIVORE_LIMITS.maxEntries} files.`);
        const wanted = METADATA.test(file.name) || CONTENT.test(file.name) || HIGHLIGHTS.test(file.name);
        if (!wanted) return false;
        if (file.originalSize > OMNIVORE_LIMITS.maxEntryBytes) {
          throw invalid(`Cannot import ${name}: ${file.name} would unpack to ${Math.round(file.originalSize / 1048576)} MiB (the limit is ${OMNIVORE_LIMITS.maxEntryBytes / 1048576} MiB).`);
        }
        total += file.originalSize;
        if (total > OMNIVORE_LIMITS.maxTotalBytes) throw invalid(`Cannot import ${name}: it would unpack to more than ${OMNIVORE_LIMITS.maxTotalBytes / 1048576} MiB.`);
        return true;
      },
    });
  } catch (error) {
    if (error instanceof GlossError) throw error;
    throw invalid(`Cannot import ${name}: it is not a readable zip file (${(error as Error).message}).`);
  }
  const decoder = new TextDecoder('utf-8');
  const text = (path: string): string => decoder.decode(files[path]).replace(/^\uFEFF/, '');
  const metaFiles = Object.keys(files).filter((p) => METADATA.test(p)).sort(byRange);
  if (metaFiles.length === 0) throw invalid(`Cannot import ${name}: it is not an Omnivore export (no metadata_<n>_to_<m>.json inside).`);
  const contentBySlug = new Map<string, string>();
  const highlightsBySlug = new Map<string, string>();
  for (const p of Object.keys(files)) {
    const c = CONTENT.exec(p);
    if (c) contentBySlug.set(c[1], p);
    const h = HIGHLIGHTS.exec(p);
    if (h) highlightsBySlug.set(h[1], p);
  }
  const result: ParsedToolExport = { tool: 'Omnivore', documents: [], skipped: 0, problems: [] };
  for (const file of metaFiles) {
    let items: unknown;
    try {
      items = JSON.parse(text(file));
    } catch (error) {
      throw invalid(`Cannot import ${name}: ${file} is not valid JSON (${(error as Error).message}).`);
    }
    if (!Array.isArray(items)) throw invalid(`Cannot import ${name}: ${file} is not a list of items.`);
    items.forEach((item: unknown, i: number) => {
      if (typeof item !== 'object' || item === null || Array.isArray(item)) throw invalid(`Cannot import ${name}: ${file} item ${i} is not an object.`);
      const it = item as Record<string, unknown>;
      const slug = typeof it.slug === 'string' ? it.slug : undefined;
      const title = typeof it.title === 'string' && it.title.trim() ? it.title.trim() : slug ?? `Omnivore item ${i + 1}`;
      if (it.labels !== undefined && !(Array.isArray(it.labels) && it.labels.every((l) => typeof l === 'string' || (typeof l === 'object' && l !== null)))) {
        throw invalid(`Cannot import ${name}: ${file} item ${i} ("${title}") has "labels" that are not a list.`);
      }
      const labels = ((it.labels as unknown[] | undefined) ?? []).map((l) => (typeof l === 'string' ? l : String((l as { name?: unknown }).name ?? ''))).filter(Boolean);
      const contentPath = slug ? contentBySlug.get(slug) : undefined;
      const highlightsPath = slug ? highlightsBySlug.get(slug) : undefined;
      const highlights = highlightsPath ? parseOmnivoreHighlights(text(highlightsPath)) : [];
      const url = typeof it.url === 'string' && /^https?:\/\//i.test(it.url) ? it.url : undefined;
      if (!contentPath && highlights.length === 0 && !url) {
        result.skipped += 1;
        result.problems.push(`"${title}": no content, no highlights and no URL in the export; skipped.`);
        return;
      }
      const authors = typeof it.author === 'string' && it.author.trim() ? splitAuthors(it.author.trim()) : [];
      const publishedAt = isoDateTime(typeof it.publishedAt === 'string' ? it.publishedAt : undefined);
      const doc: ToolDocument = {
        title,
        ...(authors.length && { authors }),
        ...(url && { url }),
        ...(publishedAt && { publishedAt }),
        ...(contentPath && { html: text(contentPath) }),
        highlights,
        notes: labels.length ? [`Omnivore labels: ${labels.map((l) => `#${l}`).join(' ')}`] : [],
      };
      if (!contentPath && url) result.problems.push(`"${title}": the export has no content for it; the page is fetched from ${url}.`);
      result.documents.push(doc);
    });
  }
  return result;
}

/** metadata_0_to_20.json before metadata_20_to_40.json (not as strings: 100 sorts before 20). */
function byRange(a: string, b: string): number {
  const n = (s: string) => Number(/metadata_(\d+)_to/.exec(s)?.[1] ?? 0);
  return n(a) - n(b);
}

/** The highlights Markdown back into quotes, labels and notes (the inverse of Omnivore's highlightToMarkdown). */
export function parseOmnivoreHighlights(markdown: string): ToolHighlight[] {
  const blocks = markdown.replace(/\r\n?/g, '\n').split(/\n[ \t]*\n/);
  const out: ToolHighlight[] = [];
  let current: ToolHighlight | undefined;
  let notes: string[] = [];
  const finish = () => {
    if (current) {
      current.note = notes.join('\n\n').trim();
      out.push(current);
    }
    notes = [];
  };
  for (const block of blocks) {
    if (block.startsWith('> ') || block === '>') {
      finish();
      // "> para1\n> \npara2 " -> "para1\n\npara2": the `> ` lines were blank lines inside the quote.
      const quote = block
        .slice(2)
        .split('\n')
        .map((line) => (/^>\s?$/.test(line) ? '' : line))
        .join('\n')
        .trim();
      current = { quote, note: '', tags: [] };
      continue;
    }
    if (!current || !block.trim()) continue;
    if (notes.length === 0 && current.tags.length === 0 && /^#\S/.test(block.trim()) && !block.includes('\n')) {
      current.tags = block
        .trim()
        .split(/\s+(?=#)/)
        .map((t) => t.replace(/^#/, '').trim())
        .filter(Boolean);
      continue;
    }
    notes.push(block);
  }
  finish();
  return out.filter((h) => h.quote);
}
