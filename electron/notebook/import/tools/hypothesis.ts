/**
 * Hypothesis's API JSON: what `GET /api/search` answers (`{"total": n, "rows": [annotation...]}`), or an array of its
 * annotations. Each annotation: `uri` (the page), `text` (the note, Markdown), `tags`, `created`/`updated`,
 * `document.title`, `references` (set on replies), and `target[].selector[]` with a TextQuoteSelector (`exact`,
 * `prefix`, `suffix`) and a TextPositionSelector (`start`, `end`) in Hypothesis's text of the page. One document per
 * page; an annotation without a quote is a page note (a note on the document); a reply is not a passage and is
 * skipped (counted). Hypothesis has no colours.
 */
import { invalid } from '../../errors';
import { documentKey } from '../../export/annotation-import';
import { isoDateTime, type ParsedToolExport, type ToolDocument } from './types';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseHypothesisJson(raw: string, name: string): ParsedToolExport {
  let data: unknown;
  try {
    data = JSON.parse(raw.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw invalid(`Cannot import ${name}: it is not valid JSON (${(error as Error).message}).`);
  }
  const rows = Array.isArray(data) ? data : isObject(data) && Array.isArray(data.rows) ? data.rows : undefined;
  if (!rows) throw invalid(`Cannot import ${name}: it is not Hypothesis API JSON (expected {"rows": [...]} or an array of annotations).`);
  const where = Array.isArray(data) ? (i: number) => `annotation [${i}]` : (i: number) => `rows[${i}]`;
  const result: ParsedToolExport = { tool: 'Hypothesis', documents: [], skipped: 0, problems: [] };
  const docs = new Map<string, ToolDocument>();
  rows.forEach((row: unknown, i: number) => {
    if (!isObject(row)) throw invalid(`Cannot import ${name}: ${where(i)} is not an annotation object.`);
    const uri = typeof row.uri === 'string' ? row.uri : undefined;
    if (!uri) throw invalid(`Cannot import ${name}: ${where(i)} has no "uri" (the page it annotates).`);
    if (row.text !== undefined && typeof row.text !== 'string') throw invalid(`Cannot import ${name}: ${where(i)}.text is not a string.`);
    if (row.tags !== undefined && !(Array.isArray(row.tags) && row.tags.every((t) => typeof t === 'string'))) {
      throw invalid(`Cannot import ${name}: ${where(i)}.tags is not a list of strings.`);
    }
    if (row.target !== undefined && !Array.isArray(row.target)) throw invalid(`Cannot import ${name}: ${where(i)}.target is not a list.`);
    if (Array.isArray(row.references) && row.references.length > 0) {
      result.skipped += 1;
      result.problems.push(`${where(i)}: a reply to another annotation (not a passage) was skipped${row.text ? `: "${String(row.text).slice(0, 60)}"` : ''}.`);
      return;
    }
    const key = documentKey(uri);
    let doc = docs.get(key);
    if (!doc) {
      const titles = isObject(row.document) && Array.isArray(row.document.title) ? row.document.title : [];
      const title = typeof titles[0] === 'string' && titles[0].trim() ? titles[0].trim() : uri;
      doc = { title, url: uri, highlights: [], notes: [] };
      docs.set(key, doc);
      result.documents.push(doc);
    }
    const note = typeof row.text === 'string' ? row.text : '';
    const tags = (row.tags as string[] | undefined) ?? [];
    const selectors = ((row.target as unknown[] | undefined) ?? []).flatMap((t) => (isObject(t) && Array.isArray(t.selector) ? t.selector : []));
    const quote = selectors.find((s): s is Json => isObject(s) && s.type === 'TextQuoteSelector');
    const position = selectors.find((s): s is Json => isObject(s) && s.type === 'TextPositionSelector');
    if (!quote || typeof quote.exact !== 'string' || !quote.exact.trim()) {
      if (note.trim() || tags.length) doc.notes.push(`${note}${tags.length ? `${note ? '\n\n' : ''}Tags: ${tags.map((t) => `#${t}`).join(' ')}` : ''}`);
      else result.skipped += 1;
      return;
    }
    const created = isoDateTime(typeof row.created === 'string' ? row.created : undefined);
    const okPosition = position && Number.isInteger(position.start) && Number.isInteger(position.end) && (position.start as number) >= 0 && (position.end as number) > (position.start as number);
    doc.highlights.push({
      quote: quote.exact,
      prefix: typeof quote.prefix === 'string' ? quote.prefix : '',
      suffix: typeof quote.suffix === 'string' ? quote.suffix : '',
      ...(okPosition && { start: position.start as number, end: position.end as number }),
      note,
      tags,
      ...(created && { created }),
    });
  });
  return result;
}
