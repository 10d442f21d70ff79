/**
 * A way in from the tools people leave (issue 16): Hypothesis, Kindle, Readwise, Omnivore.
 *
 * 1. The export is parsed whole in the notebook's worker (time and memory limits): a malformed file is refused with
 *    a message naming the line, row or entry, before anything is written.
 * 2. Each document is matched to an article already in the notebook: by URL (as Hypothesis matches pages: no
 *    #fragment, no trailing slash), else by title (case and spacing ignored). Otherwise an article is made: from the
 *    export's own HTML (Omnivore), from the page at its URL (Hypothesis, Omnivore items without content), else a stub
 *    holding the quotes with their locations (Kindle and Readwise books: their text is not in the export). A page
 *    that cannot be fetched becomes a stub too, and the report says so: no note is dropped.
 * 3. The highlights go through importAnnotations (W3C annotations onto that article), so they anchor exactly as any
 *    annotation does (exact, then approximate quote; what is not found is kept, orphaned), and a second import of
 *    the same file adds nothing.
 * Everything goes through the public API (`api`), so the events, the checks and the files are the ordinary ones.
 */
import { LIMITS, publishedDateProblem, tagProblem, type Article, type ArticleSummary, type GlossApi, type ToolImportReport, type ToolImportRequest } from '../../../contract';
import { describeRange } from '../../anchoring/selectors';
import { documentKey } from '../../export/annotation-import';
import { invalid } from '../../errors';
import { runNotebookJob, WORKER_TIME_LIMIT_MS } from '../../workers/run';
import type { ParsedToolExport, ToolDocument, ToolHighlight } from './types';

export type ToolImportApi = Pick<
  GlossApi,
  'listArticles' | 'getArticle' | 'importArticle' | 'importAnnotations' | 'updateArticleMeta' | 'setArticleNote' | 'replaceArticleText' | 'updateHighlight'
>;

/** Largest export read, bytes: an Omnivore zip with every article's HTML is large (the CLI sends its bytes directly). */
export const MAX_TOOL_EXPORT_BYTES = 256 * 1024 * 1024;
const MAX_PROBLEMS = 200;
const TOOL_NAMES = { hypothesis: 'Hypothesis', kindle: 'Kindle', readwise: 'Readwise', omnivore: 'Omnivore' } as const;

export interface ParseToolJob {
  format: ToolImportRequest['format'];
  text?: string;
  bytes?: Uint8Array;
  name: string;
}

export async function importFromTool(request: ToolImportRequest, api: ToolImportApi): Promise<ToolImportReport> {
  const name = `"${request.fileName?.trim() || `the ${TOOL_NAMES[request.format] ?? request.format} export`}"`;
  const job = jobOf(request, name);
  const size = job.text?.length ?? job.bytes?.byteLength ?? 0;
  const parsed = await runNotebookJob('parseToolExport', job, {
    timeoutMs: WORKER_TIME_LIMIT_MS + Math.ceil(size / (8 * 1024 * 1024)) * 10_000,
    what: `Reading ${name}`,
  });
  return addToNotebook(parsed, api);
}

function jobOf(request: ToolImportRequest, name: string): ParseToolJob {
  if (!(request.format in TOOL_NAMES)) throw invalid(`Unknown export format "${String(request.format)}": use hypothesis, kindle, readwise or omnivore.`);
  if (request.contentBase64 !== undefined) {
    if (Math.floor((request.contentBase64.length * 3) / 4) > MAX_TOOL_EXPORT_BYTES) throw invalid(`Cannot import ${name}: it is over ${MAX_TOOL_EXPORT_BYTES / 1048576} MiB.`);
    const bytes = new Uint8Array(Buffer.from(request.contentBase64, 'base64'));
    if (bytes.byteLength === 0) throw invalid(`Cannot import ${name}: it is empty.`);
    return request.format === 'omnivore' ? { format: request.format, bytes, name } : { format: request.format, text: decodeText(bytes), name };
  }
  if (typeof request.content !== 'string' || !request.content.trim()) throw invalid(`Cannot import ${name}: it is empty.`);
  if (request.format === 'omnivore') throw invalid(`Cannot import ${name}: an Omnivore export is a zip file; send its bytes (contentBase64).`);
  return { format: request.format, text: request.content, name };
}

/** UTF-8 unless a byte-order mark says UTF-16 (Kindle writes UTF-8 with a BOM; Excel re-saves CSV as UTF-16). */
function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  return new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
}

async function addToNotebook(parsed: ParsedToolExport, api: ToolImportApi): Promise<ToolImportReport> {
  const report: ToolImportReport = { articlesCreated: 0, articlesMatched: 0, highlights: 0, orphaned: 0, skipped: parsed.skipped, problems: [] };
  const problems = [...parsed.problems];
  const articles = await api.listArticles();
  const byUrl = new Map<string, ArticleSummary>();
  const byTitle = new Map<string, ArticleSummary>();
  for (const a of articles) {
    if (a.source && !byUrl.has(documentKey(a.source))) byUrl.set(documentKey(a.source), a);
    if (!byTitle.has(titleKey(a.title))) byTitle.set(titleKey(a.title), a);
  }
  for (const doc of parsed.documents) {
    const highlights = doc.highlights.map((h) => keptTags(h, doc, problems));
    let target = (doc.url && byUrl.get(documentKey(doc.url))) || byTitle.get(titleKey(doc.title));
    let stub = false;
    if (target) report.articlesMatched += 1;
    else {
      ({ article: target, stub } = await createArticle(doc, parsed.tool, api, problems));
      report.articlesCreated += 1;
      if (target.source) byUrl.set(documentKey(target.source), target);
      byTitle.set(titleKey(doc.title), target);
    }
    if (highlights.length) {
      let { text } = await api.getArticle(target.id);
      if (!stub && isStubOf(text, parsed.tool)) text = await extendStub(api, target.id, text, highlights);
      const placed = stub ? placeOnStub(text, highlights) : highlights.map((h) => placeUnique(text, h) ?? placeOnStub(text, [h])[0]);
      const fresh = await mergeIntoExisting(api, target.id, placed, report);
      const added = await api.importAnnotations(fresh.map((h) => toAnnotation(h)), { articleId: target.id });
      report.highlights += added.imported;
      report.orphaned += added.orphaned;
      report.skipped += added.skipped;
      if (added.orphaned) problems.push(`"${doc.title}": ${added.orphaned} passage${added.orphaned === 1 ? '' : 's'} not found in the article's text; kept as orphaned highlights (quote and note).`);
    }
    if (doc.notes.length) await appendNote(api, target.id, parsed.tool, doc.notes);
  }
  report.problems = problems.slice(0, MAX_PROBLEMS);
  if (problems.length > MAX_PROBLEMS) report.problemsOmitted = problems.length - MAX_PROBLEMS;
  return report;
}

function titleKey(title: string): string {
  return title.normalize('NFC').replace(/\s+/g, ' ').trim().toLocaleLowerCase();
}

/** Tags Gloss cannot hold as they are (too long, invisible characters) are left off, and the report names them. */
function keptTags(h: ToolHighlight, doc: ToolDocument, problems: string[]): ToolHighlight {
  const tags: string[] = [];
  for (const tag of h.tags) {
    const problem = tag.trim().length > LIMITS.maxTagChars ? `it is over ${LIMITS.maxTagChars} characters` : tagProblem(tag);
    if (problem) problems.push(`"${doc.title}": the tag "${tag.slice(0, 40)}" was left off a highlight: ${problem}`);
    else if (tag.trim()) tags.push(tag);
  }
  return { ...h, tags: tags.slice(0, LIMITS.maxTagsPerHighlight) };
}

/** A tool's highlight as a W3C annotation (the shape importAnnotations reads; export/w3c.ts). */
function toAnnotation(h: ToolHighlight): Record<string, unknown> {
  const body: Record<string, unknown>[] = [];
  if (h.note) body.push({ type: 'TextualBody', value: h.note, format: 'text/markdown', purpose: 'commenting' });
  for (const tag of h.tags) body.push({ type: 'TextualBody', value: tag, purpose: 'tagging' });
  const selector: Record<string, unknown>[] = [{ type: 'TextQuoteSelector', exact: h.quote, prefix: h.prefix ?? '', suffix: h.suffix ?? '' }];
  if (h.start !== undefined && h.end !== undefined) selector.push({ type: 'TextPositionSelector', start: h.start, end: h.end });
  return {
    '@context': 'http://www.w3.org/ns/anno.jsonld',
    type: 'Annotation',
    ...(h.created && { created: h.created }),
    ...(body.length && { body }),
    target: { selector, ...(h.color && { styleClass: `gloss-${h.color}` }) },
  };
}

/**
 * A passage already highlighted at that very place (an earlier import of a file that has grown since, or the same
 * passage highlighted in Gloss): not a second highlight. A note or tags it did not have yet are added to the one there.
 */
async function mergeIntoExisting(api: ToolImportApi, id: string, placed: ToolHighlight[], report: ToolImportReport): Promise<ToolHighlight[]> {
  const { highlights } = await api.getArticle(id);
  const fresh: ToolHighlight[] = [];
  for (const h of placed) {
    const there = h.start === undefined ? undefined : highlights.find((x) => !x.orphaned && x.start === h.start && x.end === h.end);
    if (!there) {
      fresh.push(h);
      continue;
    }
    report.skipped += 1;
    const note = h.note.trim() && !there.note.includes(h.note.trim()) ? (there.note.trim() ? `${there.note.trimEnd()}\n\n${h.note}` : h.note) : undefined;
    const lower = new Set(there.tags.map((t) => t.toLocaleLowerCase()));
    const tags = h.tags.filter((t) => !lower.has(t.toLocaleLowerCase()));
    if (note !== undefined || tags.length) {
      await api.updateHighlight(there.id, { ...(note !== undefined && { note: note.slice(0, LIMITS.maxNoteChars) }), ...(tags.length && { tags: [...there.tags, ...tags].slice(0, LIMITS.maxTagsPerHighlight) }) });
    }
  }
  return fresh;
}

/**
 * A quote with no context (Kindle, Readwise keep none) that occurs exactly once in the article is placed there: one
 * verbatim occurrence is unambiguous, where the anchoring's rule (a short quote needs its context) would orphan it.
 */
function placeUnique(text: string, h: ToolHighlight): ToolHighlight | undefined {
  if (h.start !== undefined || h.prefix || h.suffix) return h;
  const first = text.indexOf(h.quote);
  if (first < 0) return undefined;
  if (text.indexOf(h.quote, first + 1) >= 0) return h;
  return { ...h, ...describeRange(text, first, first + h.quote.length), start: first, end: first + h.quote.length };
}

/** On a stub Gloss just wrote, each quote is a paragraph in order: placed exactly where it was written. */
function placeOnStub(text: string, highlights: ToolHighlight[]): ToolHighlight[] {
  let cursor = 0;
  return highlights.map((h) => {
    const written = stubParagraph(h.quote);
    const at = text.indexOf(written, cursor);
    if (at < 0) return h;
    cursor = at + written.length;
    return { ...h, ...describeRange(text, at, at + written.length), start: at, end: at + written.length };
  });
}

function stubParagraph(quote: string): string {
  return quote.replace(/\s+/g, ' ').trim();
}

async function createArticle(doc: ToolDocument, tool: string, api: ToolImportApi, problems: string[]): Promise<{ article: ArticleSummary; stub: boolean }> {
  let made: ArticleSummary | undefined;
  if (doc.html) {
    made = await api.importArticle({ format: 'html', content: doc.html, title: doc.title, ...(doc.url && { source: doc.url }), fileName: `${doc.title}.html` }).catch((error: Error) => {
      problems.push(`"${doc.title}": its HTML from ${tool} could not be imported (${error.message}); its highlights are kept on a stub.`);
      return undefined;
    });
  } else if (doc.url) {
    made = await api.importArticle({ format: 'url', url: doc.url, title: doc.title }).catch((error: Error) => {
      problems.push(`"${doc.title}": ${doc.url} could not be fetched (${error.message}); its highlights are kept on a stub.`);
      return undefined;
    });
  }
  const stub = made === undefined;
  made ??= await api.importArticle({ format: 'text', content: stubText(doc, tool), title: doc.title });
  const patch: Parameters<ToolImportApi['updateArticleMeta']>[1] = {};
  if (doc.authors?.length && !made.authors?.length) patch.authors = doc.authors;
  if (doc.authors?.length && !made.byline) patch.byline = doc.authors.join(', ');
  if (doc.url && !made.source) patch.source = doc.url;
  if (doc.publishedAt && !made.publishedAt && !publishedDateProblem(doc.publishedAt)) patch.publishedAt = doc.publishedAt;
  return { article: Object.keys(patch).length ? await api.updateArticleMeta(made.id, patch) : made, stub };
}

const STUB_OPENING = /^Passages from “[^\n]*”[^\n]*, imported from ([^.\n]+)\. The full text is not in Gloss/;

function isStubOf(text: string, tool: string): boolean {
  return STUB_OPENING.exec(text)?.[1] === tool;
}

/**
 * A stub made by an earlier import of the same tool, and passages it does not hold yet (the Kindle file grew since):
 * they are added at its end, so a second import is not a pile of orphans. The highlights already on the stub stay
 * where they are (the text before them is unchanged).
 */
async function extendStub(api: ToolImportApi, id: string, text: string, highlights: ToolHighlight[]): Promise<string> {
  const missing = highlights.filter((h) => !text.includes(stubParagraph(h.quote)));
  if (missing.length === 0) return text;
  const added = missing.flatMap((h) => [...(h.location ? [h.location] : []), stubParagraph(h.quote)]);
  await api.replaceArticleText(id, { format: 'text', content: [text, ...added].join('\n\n') });
  return (await api.getArticle(id)).text;
}

/**
 * A stub's text: a line saying what it is, then each passage under its location, one paragraph each. Highlights
 * anchor on these paragraphs exactly; the locations stay readable beside them.
 */
export function stubText(doc: ToolDocument, tool: string): string {
  const by = doc.authors?.length ? ` by ${doc.authors.join(', ')}` : '';
  const parts = [`Passages from “${doc.title}”${by}, imported from ${tool}. The full text is not in Gloss: each passage below is a highlight.`];
  for (const h of doc.highlights) {
    if (h.location) parts.push(h.location);
    parts.push(stubParagraph(h.quote));
  }
  return parts.join('\n\n');
}

async function appendNote(api: ToolImportApi, id: string, tool: string, notes: string[]): Promise<void> {
  const article: Article = await api.getArticle(id);
  const addition = `From ${tool}:\n\n${notes.join('\n\n')}`;
  if (article.note.includes(addition)) return; // a second import of the same file
  const note = article.note.trim() ? `${article.note.trimEnd()}\n\n${addition}` : addition;
  await api.setArticleNote(id, note.slice(0, LIMITS.maxNoteChars), { ifNoteUpdatedAt: article.noteUpdatedAt ?? '' });
}
