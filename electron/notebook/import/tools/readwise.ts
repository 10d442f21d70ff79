/**
 * Readwise's CSV export (readwise.io/export, "Export to CSV"): one row per highlight, columns
 * Highlight, Book Title, Book Author, Amazon Book ID, Note, Color, Tags, Location Type, Location, Highlighted at,
 * Document tags. Read with csv-parse (quoted fields, newlines inside quotes, a BOM). Rows are grouped into documents
 * by title and author; Tags and Document tags are comma-separated names, kept exactly (trimmed); Color maps to the
 * nearest Gloss colour. Document tags become a note on the document (Gloss tags passages, not documents).
 */
import { parse } from 'csv-parse/sync';
import { splitAuthors } from '../../pdf/metadata';
import { invalid } from '../../errors';
import { glossColor, isoDateTime, type ParsedToolExport, type ToolDocument } from './types';

const REQUIRED = ['Highlight', 'Book Title'] as const;
const KNOWN = ['Highlight', 'Book Title', 'Book Author', 'Amazon Book ID', 'Note', 'Color', 'Tags', 'Location Type', 'Location', 'Highlighted at', 'Document tags'];

export function parseReadwiseCsv(raw: string, name: string): ParsedToolExport {
  let rows: string[][];
  try {
    rows = parse(raw, { bom: true, relax_quotes: false, skip_empty_lines: true }) as string[][];
  } catch (error) {
    const e = error as { message?: string; lines?: number };
    throw invalid(`Cannot import ${name}: it is not valid CSV${e.lines ? ` (line ${e.lines})` : ''}: ${(e.message ?? '').replace(/^Invalid \w+:\s*/i, '')}`);
  }
  const [header, ...body] = rows;
  if (!header) throw invalid(`Cannot import ${name}: it is empty.`);
  const col = new Map(header.map((h, i) => [h.trim(), i]));
  const missing = REQUIRED.filter((c) => !col.has(c));
  if (missing.length) {
    throw invalid(
      `Cannot import ${name}: it is not a Readwise CSV export (no ${missing.map((c) => `"${c}"`).join(' or ')} column; a Readwise export's columns are ${KNOWN.join(', ')}).`,
    );
  }
  const get = (row: string[], c: string): string => {
    const i = col.get(c);
    return i === undefined ? '' : (row[i] ?? '');
  };
  const result: ParsedToolExport = { tool: 'Readwise', documents: [], skipped: 0, problems: [] };
  const docs = new Map<string, ToolDocument>();
  body.forEach((row, n) => {
    if (row.length !== header.length) {
      throw invalid(`Cannot import ${name}: row ${n + 2} has ${row.length} fields where the header has ${header.length}.`);
    }
    const quote = get(row, 'Highlight');
    const title = get(row, 'Book Title').trim() || 'Untitled (Readwise)';
    const author = get(row, 'Book Author').trim();
    const key = `${title}\u0000${author}`;
    let doc = docs.get(key);
    if (!doc) {
      const authors = author ? splitAuthors(author) : [];
      doc = { title, ...(authors.length && { authors }), highlights: [], notes: [] };
      docs.set(key, doc);
      result.documents.push(doc);
      const docTags = splitTags(get(row, 'Document tags'));
      if (docTags.length) doc.notes.push(`Readwise document tags: ${docTags.map((t) => `#${t}`).join(' ')}`);
    }
    if (!quote.trim()) {
      result.skipped += 1;
      result.problems.push(`Row ${n + 2} ("${title}"): no highlight text; skipped.`);
      return;
    }
    const colorName = get(row, 'Color');
    const color = glossColor(colorName);
    if (colorName.trim() && !color) result.problems.push(`Row ${n + 2}: the colour "${colorName}" has no Gloss colour; the highlight is yellow.`);
    const locType = get(row, 'Location Type').trim().toLowerCase();
    const loc = get(row, 'Location').trim();
    const created = isoDateTime(get(row, 'Highlighted at'));
    doc.highlights.push({
      quote,
      note: get(row, 'Note'),
      tags: splitTags(get(row, 'Tags')),
      ...(color && { color }),
      ...(loc && { location: `${locType === 'page' ? 'Page' : locType === 'location' || !locType ? 'Location' : capital(locType.replace(/_/g, ' '))} ${loc}` }),
      ...(created && { created }),
    });
  });
  if (body.length === 0) throw invalid(`Cannot import ${name}: it has a header but no highlights.`);
  return result;
}

function splitTags(cell: string): string[] {
  return cell
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
