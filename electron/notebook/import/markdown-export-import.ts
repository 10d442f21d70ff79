/**
 * importMarkdownExport: a Gloss Markdown export back into a notebook. The file is read in the worker
 * (gloss-markdown.ts); then each article of the export goes, through the notebook's own API methods, to
 *  1. the article its `gloss://` links name, when this notebook has it (re-importing into the same notebook);
 *  2. else an article with the same web source whose text holds the quotes (the page was imported here again): the
 *     highlights are re-anchored on its text;
 *  3. else a new article made from the export: its quotes, in order, as its text, with the export's title, source,
 *     author, date and note.
 * Highlights go in as W3C annotations (importAnnotations: the same anchoring, in the worker; an annotation id
 * `urn:gloss:export/<id>` keeps the highlight's id, so `gloss://` links and block ids stay valid), with their note,
 * exact tag names and colour. One whose passage cannot be found is kept, flagged orphaned, never dropped.
 */
import { CONTEXT_CHARS, HIGHLIGHT_COLORS, type GlossApi, type HighlightColor, type MarkdownExportFile, type MarkdownImportResult, type Settings } from '../../contract';
import { ANNO_CONTEXT } from '../export/w3c';
import { runNotebookJob } from '../workers/run';
import type { ParsedExportArticle, ParsedExportHighlight } from './gloss-markdown';
import { importTimeLimitMs } from './index';

type Api = Pick<GlossApi, 'listArticles' | 'getArticle' | 'importArticle' | 'updateArticleMeta' | 'setArticleNote' | 'importAnnotations'>;

const isWebUrl = (s: string | undefined): s is string => !!s && /^https?:\/\/\S+$/i.test(s);
const ID = /^[A-Za-z0-9_-]{1,100}$/;

function colorOf(h: ParsedExportHighlight, settings: Settings): HighlightColor | undefined {
  if (h.color) return h.color;
  const label = h.colorLabel.trim().toLowerCase();
  return HIGHLIGHT_COLORS.find((c) => settings.colorLabels?.[c]?.trim().toLowerCase() === label);
}

interface Place {
  start: number;
  end: number;
  prefix: string;
  suffix: string;
}

function annotation(h: ParsedExportHighlight, settings: Settings, at?: Place): Record<string, unknown> {
  const body: Record<string, unknown>[] = [];
  if (h.note) body.push({ type: 'TextualBody', value: h.note, format: 'text/markdown', purpose: 'commenting' });
  for (const tag of h.tags) body.push({ type: 'TextualBody', value: tag, purpose: 'tagging' });
  const color = colorOf(h, settings);
  const anno: Record<string, unknown> = {
    '@context': ANNO_CONTEXT,
    type: 'Annotation',
    target: {
      type: 'SpecificResource',
      source: 'urn:gloss:markdown-export',
      ...(color ? { styleClass: `gloss-${color}` } : {}),
      selector: [
        // On a text made from the export the original's context is not around the quote: its place and the context
        // there say where it is.
        { type: 'TextQuoteSelector', exact: h.quote, prefix: at ? at.prefix : h.prefix, suffix: at ? at.suffix : h.suffix },
        ...(at ? [{ type: 'TextPositionSelector', start: at.start, end: at.end }] : []),
      ],
    },
  };
  if (h.id && ID.test(h.id)) anno.id = `urn:gloss:export/${h.id}`;
  if (body.length) anno.body = body;
  return anno;
}

async function targetOf(api: Api, a: ParsedExportArticle): Promise<string | undefined> {
  const summaries = await api.listArticles();
  if (a.articleId && summaries.some((s) => s.id === a.articleId)) return a.articleId;
  if (!isWebUrl(a.source)) return undefined;
  for (const s of summaries.filter((x) => x.source === a.source)) {
    const text = (await api.getArticle(s.id)).text;
    if (a.highlights.every((h) => text.includes(h.quote))) return s.id;
  }
  return undefined;
}

export async function importMarkdownExport(api: Api, settings: Settings, files: MarkdownExportFile[]): Promise<MarkdownImportResult> {
  const size = files.reduce((n, f) => n + f.content.length, 0);
  const parsed = await runNotebookJob('parseMarkdownExport', { files }, { timeoutMs: importTimeLimitMs(size), what: 'Reading the Markdown export' });
  const result: MarkdownImportResult = { articles: [], imported: 0, orphaned: 0, skipped: 0 };
  for (const a of parsed) {
    let id = await targetOf(api, a);
    const created = id === undefined;
    const places = new Map<ParsedExportHighlight, { start: number; end: number }>();
    if (id === undefined) {
      // Quotes in order, a blank line apart: the text the highlights anchor on, each at a known place (a quote that
      // occurs twice needs it). An export with no highlight (an article note only) still makes its article, from its title.
      let text = '';
      for (const h of a.highlights) {
        if (h.quote.trim() === '') continue;
        if (text) text += '\n\n';
        places.set(h, { start: text.length, end: text.length + h.quote.length });
        text += h.quote;
      }
      text ||= a.title;
      const summary = await api.importArticle({ format: 'text', content: text, title: a.title, source: isWebUrl(a.source) ? a.source : undefined, fileName: a.file });
      id = summary.id;
      const meta: { byline?: string; publishedAt?: string } = {};
      // The citation key the export was cited by, kept (unless another article here has it: then it gets its own).
      if (a.citekey) await api.updateArticleMeta(id, { citekey: a.citekey }).catch(() => undefined);
      if (a.author) meta.byline = a.author;
      if (a.published) meta.publishedAt = a.published;
      // A date in another form than Gloss's is left out rather than failing the import: the export still has it.
      if (meta.byline || meta.publishedAt) await api.updateArticleMeta(id, meta).catch(() => (meta.byline ? api.updateArticleMeta(id!, { byline: meta.byline }) : undefined));
    }
    const current = await api.getArticle(id);
    // The places hold only if the import kept the text as given (plain text normally is); else the quotes alone anchor.
    const placed = (h: ParsedExportHighlight): Place | undefined => {
      const at = places.get(h);
      if (!at || current.text.slice(at.start, at.end) !== h.quote) return undefined;
      const { text } = current;
      return { ...at, prefix: text.slice(Math.max(0, at.start - CONTEXT_CHARS), at.start), suffix: text.slice(at.end, at.end + CONTEXT_CHARS) };
    };
    if (a.note && current.note.trim() === '') await api.setArticleNote(id, a.note);
    const r = a.highlights.length ? await api.importAnnotations(a.highlights.map((h) => annotation(h, settings, placed(h))), { articleId: id }) : { imported: 0, orphaned: 0, skipped: 0 };
    result.articles.push({ id, title: current.title, created, ...r });
    result.imported += r.imported;
    result.orphaned += r.orphaned;
    result.skipped += r.skipped;
  }
  return result;
}
