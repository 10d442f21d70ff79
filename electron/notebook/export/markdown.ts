/**
 * The Markdown export: one document for the chosen articles.
 *
 * Shape (Obsidian-friendly, and plain CommonMark renders it sensibly):
 *  - ONE article exported: a YAML frontmatter block at the top (title, author, source, published, doi, tags), then
 *    `# Title`. Frontmatter is only valid at the very top of a file, so it cannot be repeated per article:
 *  - SEVERAL articles: no frontmatter; each article starts with `# Title` followed by a metadata list
 *    (Author / Source / Published / DOI / Tags), so every article still carries its metadata in the single document.
 *  - then the article's note, then its highlights (under `## group` headings when grouped by tag or colour).
 *  - each highlight: the quote as an escaped blockquote (reads back exactly, see escape.ts); its Obsidian block id on
 *    its own line right after it (Obsidian attaches `^id` to a quote only on a separate line with blank lines around);
 *    a line with the colour label, a book highlight's chapter, a PDF highlight's page (`[p. 12](paper.pdf#page=12)`, see pdf-page.ts), #tags and
 *    an orphan marker; then the user's note.
 * With `options.template`, each article is rendered with the user's Mustache template instead (see template.ts) and
 * the articles' outputs are joined by a blank line.
 * Deterministic: nothing depends on the clock, the locale or randomness, so re-exports diff cleanly.
 */
import MarkdownIt from 'markdown-it';
import type { Article, ExportOptions, Settings } from '../../contract';
import { escapeLabel, linkOrText } from './escape';
import { pageMarkdown } from './pdf-page';
import { selectArticles } from './select';
import { articleView, checkTemplate, renderBudget, renderTemplate, type HighlightView, type TemplateView } from './template';

const parser = new MarkdownIt('commonmark', { html: true });
const SENTINEL = 'gloss-end-of-note-sentinel';

/**
 * The user's own Markdown, included as is — unless it leaves a construct open that would swallow the rest of the
 * export (an unclosed ``` fence, `<script>`/`<pre>` or `<!--` HTML block). Then, and only then, it is shown inside a
 * fenced code block: the text is kept verbatim and the following highlights stay intact.
 */
export function userMarkdown(markdown: string): string {
  const text = markdown.replace(/\r\n?/g, '\n').replace(/^(?:[ \t]*\n)+/, '').replace(/\s+$/, '');
  if (text === '' || !/[`~<]/.test(text)) return text;
  const tokens = parser.parse(`${text}\n\n${SENTINEL}\n`, {});
  const last = tokens.at(-2);
  if (last?.type === 'inline' && last.level === 1 && last.content === SENTINEL && tokens.at(-3)?.level === 0) return text;
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}markdown\n${text}\n${fence}`;
}

function highlightBlock(h: HighlightView): string {
  const meta = [escapeLabel(h.colorLabel)];
  if (h.chapter) meta.push(escapeLabel(h.chapter));
  if (h.page !== '') meta.push(pageMarkdown(h));
  if (h.tagsInline) meta.push(h.tagsInline);
  if (h.orphaned) meta.push('⚠ orphaned: not found in the current article text');
  const parts = [h.quoteMarkdown.trimEnd(), `^${h.blockId}`, meta.join(' · ')];
  const note = userMarkdown(h.note);
  if (note) parts.push(note);
  return parts.join('\n\n');
}

function metadataList(view: TemplateView): string {
  const a = view.article;
  const items: string[] = [];
  if (a.author) items.push(`- Author: ${escapeLabel(a.author)}`);
  if (a.source) items.push(`- Source: ${linkOrText(a.source)}`);
  if (a.published) items.push(`- Published: ${escapeLabel(a.published)}`);
  if (a.doi) items.push(`- DOI: ${linkOrText(`https://doi.org/${a.doi}`)}`);
  if (a.tagsInline) items.push(`- Tags: ${a.tagsInline}`);
  return items.join('\n');
}

function articleSection(view: TemplateView, single: boolean): string {
  const blocks: string[] = [];
  if (single) blocks.push(view.frontmatter.trimEnd());
  blocks.push(`# ${escapeLabel(view.article.title) || 'Untitled'}`);
  if (!single) {
    const list = metadataList(view);
    if (list) blocks.push(list);
  }
  const note = userMarkdown(view.article.note);
  if (note) blocks.push(note);
  for (const group of view.groups) {
    if (group.title) blocks.push(`## ${escapeLabel(group.title)}`);
    for (const h of group.highlights) blocks.push(highlightBlock(h));
  }
  return blocks.join('\n\n');
}

/** Renders the export. Same input, byte-identical output. Empty string when nothing is selected. */
export function renderMarkdownExport(articles: Article[], settings: Settings, options: ExportOptions = {}): string {
  if (options.template !== undefined) checkTemplate(options.template);
  const selected = selectArticles(articles, options);
  const views = selected.map(({ article, highlights }) => articleView(article, highlights, settings, options));
  if (views.length === 0) return '';
  if (options.template !== undefined) {
    const template = options.template;
    const budget = renderBudget();
    return `${views.map((v) => renderTemplate(template, v, budget).replace(/\s+$/, '')).join('\n\n')}\n`;
  }
  const single = views.length === 1;
  return `${views.map((v) => articleSection(v, single)).join('\n\n')}\n`;
}
