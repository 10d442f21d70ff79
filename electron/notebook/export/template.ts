/**
 * User export templates, rendered with Mustache (logic-less: a template cannot run code or read files, which matters
 * because templates are user input and may be shared).
 *
 * Logic-less is not the same as bounded: sections nested over the same list multiply (`{{#highlights}}` seven deep
 * over 20 highlights is 20^7 = 1.3 billion iterations, and ran a server out of heap). So a template is bounded three
 * ways (TEMPLATE_LIMITS): its sections may nest only so deep (checked when it is parsed, before any output), its output
 * only so long, and its rendering only so much time (both counted while it renders, so it stops early with a clear
 * message). Exports with a template also run in the notebook's worker (workers/), whose time limit and memory cap stop
 * anything these counts miss without touching the main thread.
 *
 * Output is Markdown, not HTML, so Mustache's default HTML escaping of `{{x}}` is switched off for our renders: it
 * would turn a quote's `&` into `&amp;` and `<` into `&lt;`, which Markdown renders as those literal entities only by
 * accident and which corrupts notes that contain HTML on purpose. Values that need Markdown escaping are offered
 * pre-escaped instead (`quoteMarkdown`), so `{{x}}` and `{{{x}}}` mean the same thing here.
 */
import Mustache from 'mustache';
import type { Article, ExportOptions, Highlight, HighlightColor, Settings } from '../../contract';
import { GlossError, invalid } from '../errors';
import { deepLink } from './deep-link';
import { blockId, quoteToBlockquote } from './escape';
import { frontmatter } from './frontmatter';
import { tocEntryAt } from './chapter';
import { pdfPlaceOf } from './pdf-page';
import { groupHighlights, unionTags } from './select';
import { inlineTag } from './tag-names';
import { textFragmentUrl } from './text-fragment';

export interface HighlightView {
  id: string;
  quote: string;
  quoteMarkdown: string;
  note: string;
  color: HighlightColor;
  colorLabel: string;
  tags: string[];
  tagsInline: string;
  blockId: string;
  start: number;
  end: number;
  prefix: string;
  suffix: string;
  orphaned: boolean;
  createdAt: string;
  updatedAt: string;
  /** PDFs: the page number, its name (label or number) and a link to it (see pdf-page.ts); '' elsewhere. */
  page: number | '';
  pageLabel: string;
  pageLink: string;
  /** `gloss://open/<articleId>?highlight=<id>`: opens Gloss at this highlight (see deep-link.ts). */
  glossLink: string;
  /** Web articles: the source page with a text fragment that scrolls to the passage (see text-fragment.ts); else ''. */
  sourceLink: string;
  /** Books (EPUB): the table-of-contents entry the highlight starts in ("Chapter 12. Queequeg"); '' elsewhere. */
  chapter: string;
}

export interface ArticleView {
  id: string;
  title: string;
  author: string;
  source: string;
  published: string;
  doi: string;
  /** PDFs: the original's file name, or ''. */
  fileName: string;
  /** The citation key (export/citekey.ts), or ''. */
  citekey: string;
  note: string;
  tags: string[];
  tagsInline: string;
  highlightCount: number;
}

export interface TemplateView {
  article: ArticleView;
  frontmatter: string;
  highlights: HighlightView[];
  groups: { title: string; highlights: HighlightView[] }[];
  hasHighlights: boolean;
}

/** Every variable a template can use, with what it holds. Shown in the export dialog; kept in step with the views. */
export const TEMPLATE_VARIABLES = {
  'frontmatter': 'YAML frontmatter block for the article, delimiters included (title, author, source, published, doi, tags)',
  'article.id': 'Gloss id of the article',
  'article.title': 'article title, as stored (not escaped)',
  'article.author': 'byline, or empty',
  'article.source': 'source URL or path, or empty',
  'article.published': 'publication date as stored, or empty',
  'article.doi': 'the DOI (10.xxxx/...) of a paper, or empty',
  'article.fileName': "a PDF's file name, or empty",
  'article.citekey': 'the citation key (pandoc: [@{{article.citekey}}]), made at the first export and kept',
  'article.note': "the article's note (the user's own Markdown, included as is)",
  'article.tags': 'sorted union of the exported highlights\' tags (list: use {{#article.tags}}{{.}}{{/article.tags}})',
  'article.tagsInline': 'those tags as Obsidian #tags separated by spaces',
  'article.highlightCount': 'number of exported highlights',
  'hasHighlights': 'true when at least one highlight is exported (use as a section)',
  'highlights': 'list of exported highlights in document order (use as a section)',
  'highlights[].id': 'Gloss id of the highlight',
  'highlights[].quote': 'the highlighted text, raw (not Markdown-escaped)',
  'highlights[].quoteMarkdown': 'the quote as an escaped Markdown blockquote ("> " lines, ending in a newline) that renders exactly as the text',
  'highlights[].note': "the highlight's note (the user's own Markdown, included as is)",
  'highlights[].color': 'colour name: yellow, green, blue, pink or purple',
  'highlights[].colorLabel': 'the colour\'s label from Settings, or its name',
  'highlights[].tags': 'list of tags, raw (use {{#tags}}{{.}}{{/tags}})',
  'highlights[].tagsInline': 'tags as Obsidian #tags separated by spaces',
  'highlights[].blockId': 'stable Obsidian block id (without ^), derived from the highlight id; unique in the file (in groups, a highlight shown again under another tag gets gloss<n>-...)',
  'highlights[].start': 'UTF-16 start offset in the article text',
  'highlights[].end': 'UTF-16 end offset in the article text',
  'highlights[].prefix': 'up to 32 characters before the quote',
  'highlights[].suffix': 'up to 32 characters after the quote',
  'highlights[].orphaned': 'true when the quote was not found again after the article text changed',
  'highlights[].createdAt': 'ISO date the highlight was made',
  'highlights[].updatedAt': 'ISO date the highlight last changed',
  'highlights[].page': 'PDFs: the number of the page the highlight starts on (empty for web pages and orphans)',
  'highlights[].pageLabel': 'PDFs: that page as the PDF names it ("xii"), else its number; empty for web pages',
  'highlights[].pageLink': 'PDFs: a link to that page, "<file name>#page=N" percent-encoded (or the PDF\'s web address#page=N); empty when unknown',
  'highlights[].glossLink': 'gloss://open/<article id>?highlight=<id>: opens Gloss at the highlight',
  'highlights[].sourceLink': 'web articles: the source page with a #:~:text= fragment that scrolls to the passage; empty otherwise',
  'highlights[].chapter': 'books (EPUB): the table-of-contents entry the highlight starts in; empty elsewhere and for orphans',
  'groups': 'list of sections per the groupBy option (one untitled section for document order)',
  'groups[].title': 'section title: tag, colour label, "Untagged", or empty',
  'groups[].highlights': 'that section\'s highlights, same fields as highlights[]',
} as const;

export function colorLabelOf(settings: Settings, color: HighlightColor): string {
  const label = settings.colorLabels?.[color];
  return label && label.trim() !== '' ? label : color;
}

/** Tags as Obsidian inline tags, by the lossless mapping of tag-names.ts. */
export function tagsInline(tags: readonly string[]): string {
  return [...new Set(tags.map((t) => `#${inlineTag(t)}`))].join(' ');
}

export function highlightView(
  h: Highlight,
  settings: Settings,
  article?: Pick<Article, 'kind' | 'pages' | 'pdf' | 'source' | 'toc'>,
): HighlightView {
  const place = article && pdfPlaceOf(article, h);
  const web = article && article.kind !== 'pdf' ? textFragmentUrl(article.source, h.quote, h.prefix, h.suffix) : undefined;
  return {
    id: h.id,
    quote: h.quote,
    // Ends with '\n' so a template line written right below `{{quoteMarkdown}}` is separated by a blank line and
    // cannot be swallowed into the quote as a lazy continuation line.
    quoteMarkdown: `${quoteToBlockquote(h.quote)}\n`,
    note: h.note,
    color: h.color,
    colorLabel: colorLabelOf(settings, h.color),
    tags: [...h.tags],
    tagsInline: tagsInline(h.tags),
    blockId: blockId(h.id),
    start: h.start,
    end: h.end,
    prefix: h.prefix,
    suffix: h.suffix,
    orphaned: h.orphaned === true,
    createdAt: h.createdAt,
    updatedAt: h.updatedAt,
    page: place?.page ?? '',
    pageLabel: place?.pageLabel ?? '',
    pageLink: place?.pageLink ?? '',
    glossLink: deepLink(h.articleId, h.id),
    sourceLink: web ?? '',
    chapter: (!h.orphaned && article?.toc && tocEntryAt(article.toc, h.start)?.label) || '',
  };
}

/**
 * Block ids unique in a file whatever the grouping: a highlight's first appearance in the file (its home group) has
 * its own id, `gloss-<id>`, so `[[file#^gloss-<id>]]` always finds it; when it is shown again (grouped by tag, under
 * each of its tags) the n-th appearance gets `gloss<n>-<id>`. The different prefix, rather than a `-<n>` suffix, keeps
 * the two kinds apart by construction (a highlight id may itself end in `-2`). Deterministic: the groups' order is.
 */
export class BlockIds {
  private readonly seen = new Map<string, number>();
  next(highlightId: string): string {
    const n = (this.seen.get(highlightId) ?? 0) + 1;
    this.seen.set(highlightId, n);
    const id = blockId(highlightId);
    return n === 1 ? id : id.replace(/^gloss-/, `gloss${n}-`);
  }
}

/** The view a template sees for one article, given its already-filtered highlights. */
export function articleView(
  article: Article,
  highlights: readonly Highlight[],
  settings: Settings,
  options: ExportOptions,
  ids: BlockIds = new BlockIds(),
): TemplateView {
  const tags = unionTags(highlights);
  const views = new Map(highlights.map((h) => [h, highlightView(h, settings, article)]));
  const groups = groupHighlights(highlights, options.groupBy, (c) => colorLabelOf(settings, c), options.tags);
  const view: TemplateView = {
    article: {
      id: article.id,
      title: article.title,
      author: article.byline ?? '',
      source: article.source ?? '',
      published: article.publishedAt ?? '',
      doi: article.doi ?? '',
      fileName: article.pdf?.fileName ?? '',
      citekey: article.citekey ?? '',
      note: article.note,
      tags,
      tagsInline: tagsInline(tags),
      highlightCount: highlights.length,
    },
    frontmatter: '',
    highlights: highlights.map((h) => views.get(h)!),
    groups: groups.map((g) => ({
      title: g.title,
      highlights: g.highlights.map((h) => {
        const view = views.get(h)!;
        const id = ids.next(h.id);
        return id === view.blockId ? view : { ...view, blockId: id };
      }),
    })),
    hasHighlights: highlights.length > 0,
  };
  // Built on first use: a multi-article export has no frontmatter, and YAML emitting is the costliest part of a view.
  let yaml: string | undefined;
  Object.defineProperty(view, 'frontmatter', { enumerable: true, get: () => (yaml ??= frontmatter(article, tags)) });
  return view;
}

/** "at 123" in Mustache's messages is a character offset; users need a line and column. */
function locate(template: string, message: string): string {
  const m = / at (\d+)$/.exec(message);
  if (!m) return message;
  const offset = Math.min(Number(m[1]), template.length);
  const before = template.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `${message.slice(0, m.index)} at line ${line}, column ${column}`;
}

export const TEMPLATE_LIMITS = {
  /** `{{#section}}`s inside each other. hasHighlights > groups > highlights > tags is 4, the deepest useful shape;
   * inverted sections (`{{^x}}`) render at most once and do not count. */
  maxSectionDepth: 4,
  /** Characters of output, across all the articles of one export. */
  maxOutputChars: 20 * 1024 * 1024,
  /** Rendering time, across all the articles of one export. */
  maxRenderMs: 10_000,
};

type Token = [string, string, number, number, Token[]?, number?];

/** The deepest `{{#section}}` nesting and the offset of the section that opens at that depth. */
function sectionDepth(tokens: Token[], depth = 0): { depth: number; at: number } {
  let deepest = { depth, at: 0 };
  for (const token of tokens) {
    if (token[0] !== '#' && token[0] !== '^') continue;
    const inner = sectionDepth(token[4] ?? [], token[0] === '#' ? depth + 1 : depth);
    const here = token[0] === '#' && inner.depth === depth + 1 ? { depth: depth + 1, at: token[2] } : inner;
    if (here.depth > deepest.depth) deepest = here;
  }
  return deepest;
}

function lineOf(template: string, offset: number): number {
  return template.slice(0, offset).split('\n').length;
}

/** Parses a template up front so a broken one fails before any output, with an error naming the problem and place. */
export function checkTemplate(template: string): void {
  let tokens: Token[];
  try {
    tokens = Mustache.parse(template) as unknown as Token[];
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw invalid(`Export template does not parse: ${locate(template, message)}.`);
  }
  const { depth, at } = sectionDepth(tokens);
  if (depth > TEMPLATE_LIMITS.maxSectionDepth) {
    throw new GlossError(
      'too_complex',
      `Templates may nest sections at most ${TEMPLATE_LIMITS.maxSectionDepth} deep; this one nests ${depth} at line ${lineOf(template, at)}.`,
    );
  }
}

/** What one export may still spend on template output; shared by the articles of one export. */
export interface RenderBudget {
  chars: number;
  deadline: number;
}

export function renderBudget(): RenderBudget {
  return { chars: TEMPLATE_LIMITS.maxOutputChars, deadline: Date.now() + TEMPLATE_LIMITS.maxRenderMs };
}

/**
 * Renders a Mustache template against a view with HTML escaping off (see the module comment), within `budget`.
 * Every character of Mustache's output comes from exactly one text, `{{x}}` or `{{{x}}}` token, so counting those
 * counts the output; every section iteration passes through renderTokens, so the clock is read there (empty loops
 * produce nothing but still cost time).
 */
export function renderTemplate(template: string, view: object, budget: RenderBudget = renderBudget()): string {
  checkTemplate(template);
  const writer = new Mustache.Writer();
  const base = Mustache.Writer.prototype;
  const spend = <T>(value: T): T => {
    if (value != null) {
      budget.chars -= typeof value === 'string' ? value.length : String(value).length;
      if (budget.chars < 0) {
        throw new GlossError(
          'too_complex',
          `The template's output passed the ${Math.round(TEMPLATE_LIMITS.maxOutputChars / (1024 * 1024))} MB limit and was stopped: look for sections nested over long lists.`,
        );
      }
    }
    return value;
  };
  let steps = 0;
  writer.rawValue = (token) => spend(base.rawValue.call(writer, token));
  writer.escapedValue = (token, context, config) => spend(base.escapedValue.call(writer, token, context, config));
  writer.unescapedValue = (token, context) => spend(base.unescapedValue.call(writer, token, context));
  writer.renderTokens = (tokens, context, partials, original, config) => {
    if ((++steps & 1023) === 0 && Date.now() > budget.deadline) {
      throw new GlossError(
        'too_complex',
        `Rendering the template took longer than ${TEMPLATE_LIMITS.maxRenderMs / 1000} s and was stopped: look for sections nested over long lists.`,
      );
    }
    return base.renderTokens.call(writer, tokens, context, partials, original, config);
  };
  return writer.render(template, view, {}, { escape: (value: unknown) => String(value) });
}
