/**
 * Kindle's `My Clippings.txt`: every highlight, note and bookmark made on the device, oldest first, each entry
 *
 *   Book Title (Author Name)
 *   - Your Highlight on page 12 | Location 171-173 | Added on Sunday, March 3, 2019 10:24:35 PM
 *
 *   The highlighted passage
 *   ==========
 *
 * (older devices: "- Highlight Loc. 171-73 | Added on ..."). A note is its own entry at the location where the
 * highlight ends; it is attached to the highlight of the same book whose location range holds it, else kept as a note
 * on the book. Bookmarks have no text and are skipped. The book's text is not in the file: each book becomes a stub
 * article holding its passages (see index.ts).
 */
import { invalid } from '../../errors';
import type { ParsedToolExport, ToolDocument, ToolHighlight } from './types';

const SEPARATOR = /^={10}\s*$/m;
/** The kind of entry in the languages Kindle writes the file in (English, German, French, Spanish, Italian, Portuguese). */
const KINDS: [RegExp, 'highlight' | 'note' | 'bookmark'][] = [
  [/\b(highlight|markierung|surlignement|subrayado|evidenziazione|destaque)\b/i, 'highlight'],
  [/\b(note|notiz|nota)\b/i, 'note'],
  [/\b(bookmark|lesezeichen|signet|marcador|segnalibro)\b/i, 'bookmark'],
  [/\bclip\b/i, 'highlight'],
];

interface Entry {
  line: number;
  kind: 'highlight' | 'note' | 'bookmark';
  title: string;
  author?: string;
  location?: [number, number];
  page?: string;
  added?: string;
  text: string;
}

export function parseKindleClippings(raw: string, name: string): ParsedToolExport {
  const text = raw.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (!SEPARATOR.test(text)) {
    throw invalid(`Cannot import ${name}: it is not a Kindle "My Clippings.txt" (no entry ends with a line of ==========).`);
  }
  const entries: Entry[] = [];
  let line = 1;
  for (const chunk of text.split(SEPARATOR)) {
    const startLine = line;
    line += chunk.split('\n').length - 1;
    const lines = chunk.split('\n');
    // Skip the newline left after the previous separator and any blank lines.
    let i = 0;
    while (i < lines.length && !lines[i].replace(/[\uFEFF\u200B]/g, '').trim()) i++;
    if (i === lines.length) continue;
    const at = startLine + i;
    const header = lines[i].replace(/[\uFEFF\u200B]/g, '').trim();
    const meta = lines[i + 1]?.trim() ?? '';
    if (!meta.startsWith('- ')) {
      throw invalid(`Cannot import ${name}: the entry at line ${at} ("${header.slice(0, 60)}") has no "- Your Highlight on ..." line after its title.`);
    }
    const kind = KINDS.find(([re]) => re.test(meta.split('|')[0]))?.[1];
    if (!kind) throw invalid(`Cannot import ${name}: line ${at + 1} does not say whether it is a highlight, a note or a bookmark ("${meta.slice(0, 80)}").`);
    const body = lines.slice(i + 2).join('\n').trim();
    const m = /^(.*\S)\s*\(([^()]*)\)\s*$/.exec(header);
    entries.push({
      line: at,
      kind,
      title: m ? m[1] : header,
      ...(m?.[2].trim() && { author: m[2].trim() }),
      ...locationOf(meta),
      added: addedOf(meta),
      text: body,
    });
  }
  if (entries.length === 0) throw invalid(`Cannot import ${name}: it holds no clippings.`);
  return toDocuments(entries);
}

function locationOf(meta: string): Pick<Entry, 'location' | 'page'> {
  const loc = /(?:location|loc\.|position|posici[oó]n|emplacement|posizione|posição)\s*(\d+)(?:\s*-\s*(\d+))?/i.exec(meta);
  const page = /(?:page|seite|p[aá]gina)\s*([\divxlc]+)/i.exec(meta);
  const out: Pick<Entry, 'location' | 'page'> = {};
  if (loc) {
    const start = Number(loc[1]);
    let end = loc[2] ? Number(loc[2]) : start;
    // Older devices shorten the end: "Loc. 171-73" is 171 to 173.
    if (loc[2] && end < start) end = Number(loc[1].slice(0, loc[1].length - loc[2].length) + loc[2]);
    out.location = [start, end];
  }
  if (page) out.page = page[1];
  return out;
}

function addedOf(meta: string): string | undefined {
  const m = /\|\s*[^|]*?(?:added on|hinzugefügt am|ajouté le|añadido el|aggiunto il|adicionado em)\s+(.+)$/i.exec(meta);
  if (!m) return undefined;
  // "Sunday, March 3, 2019 10:24:35 PM": the weekday is dropped; the device's time zone is unknown, so it is read as UTC.
  const t = Date.parse(`${m[1].replace(/^[^,]*day,\s*/i, '').trim()} UTC`);
  return Number.isFinite(t) ? new Date(t).toISOString() : undefined;
}

function toDocuments(entries: Entry[]): ParsedToolExport {
  const books = new Map<string, { doc: ToolDocument; marks: { h: ToolHighlight; loc?: [number, number] }[] }>();
  const result: ParsedToolExport = { tool: 'Kindle', documents: [], skipped: 0, problems: [] };
  const bookOf = (e: Entry) => {
    const key = `${e.title}\u0000${e.author ?? ''}`;
    let book = books.get(key);
    if (!book) {
      // Kindle writes "Last, First" for one person and separates several with semicolons.
      const authors = e.author ? e.author.split(/\s*;\s*/).filter(Boolean) : [];
      book = { doc: { title: e.title, ...(authors.length && { authors }), highlights: [], notes: [] }, marks: [] };
      books.set(key, book);
      result.documents.push(book.doc);
    }
    return book;
  };
  for (const e of entries.filter((x) => x.kind === 'highlight')) {
    const book = bookOf(e);
    if (!e.text) {
      result.skipped += 1; // a clipping limit reached: Kindle writes the entry with no text
      result.problems.push(`"${e.title}", line ${e.line}: a highlight with no text (Kindle's clipping limit for the book?) was skipped.`);
      continue;
    }
    // Kindle writes an edited highlight again: the same passage twice is kept once.
    if (book.marks.some((m) => m.h.quote === e.text)) {
      result.skipped += 1;
      continue;
    }
    const h: ToolHighlight = { quote: e.text, note: '', tags: [], location: label(e), ...(e.added && { created: e.added }) };
    book.marks.push({ h, loc: e.location });
    book.doc.highlights.push(h);
  }
  for (const e of entries.filter((x) => x.kind === 'note')) {
    const book = bookOf(e);
    if (!e.text) continue;
    const loc = e.location?.[0];
    const target =
      loc === undefined
        ? undefined
        : (book.marks.find((m) => m.loc && m.loc[1] === loc) ?? book.marks.find((m) => m.loc && m.loc[0] <= loc && loc <= m.loc[1]));
    if (target) target.h.note = target.h.note ? `${target.h.note}\n\n${e.text}` : e.text;
    else {
      book.doc.notes.push(`${label(e) ? `${label(e)}: ` : ''}${e.text}`);
      result.problems.push(`"${e.title}", line ${e.line}: a note with no highlight at its location was kept as a note on the book.`);
    }
  }
  result.skipped += entries.filter((x) => x.kind === 'bookmark').length;
  for (const book of books.values()) {
    book.marks.sort((a, b) => (a.loc?.[0] ?? Infinity) - (b.loc?.[0] ?? Infinity));
    book.doc.highlights = book.marks.map((m) => m.h);
  }
  result.documents = result.documents.filter((d) => d.highlights.length > 0 || d.notes.length > 0);
  return result;
}

function label(e: Entry): string | undefined {
  const loc = e.location ? `Location ${e.location[0]}${e.location[1] !== e.location[0] ? `–${e.location[1]}` : ''}` : undefined;
  const page = e.page ? `Page ${e.page}` : undefined;
  return [page, loc].filter(Boolean).join(', ') || undefined;
}
