/**
 * The Markdown export: one document for the chosen articles.
 *
 * Shape (Obsidian-friendly, and plain CommonMark renders it sensibly):
 *  - ONE article exported: a YAML frontmatter block at the top (title, author, source, published, doi, tags), then
 *    `# Title`. Frontmatter is only valid at the very top of a file, so it cannot be repeated per article:
 *  - SEVERAL articles: no frontmatter; each article starts with `# Title` followed by a metadata list
 *    (Author / Source / Published / DOI / Tags), so every article still carries its metadata in the single document.
 *  - then the article's note (a `> [!note]` callout, see noteCallout), then its highlights (under `## group` headings
 *    when grouped by tag or colour).
 *  - each highlight: the quote as an escaped blockquote (reads back exactly, see escape.ts); its Obsidian block id on
 *    its own line right after it (Obsidian attaches `^id` to a quote only on a separate line with blank lines around;
 *    unique in the file, see BlockIds); a line with the colour, a book highlight's chapter, a PDF highlight's page (`[p. 12](paper.pdf#page=12)`,
 *    see pdf-page.ts), #tags (tag-names.ts), a `gloss://` link back to the highlight (deep-link.ts), for web articles
 *    the source page at the passage (text-fragment.ts), and an orphan marker; then the user's note as a callout.
 * The import (import-export.ts) reads this shape back.
 * With `options.template`, each article is rendered with the user's Mustache template instead (see template.ts) and
 * the articles' outputs are joined by a blank line.
 * Deterministic: nothing depends on the clock, the locale or randomness, so re-exports diff cleanly.
 */
import { CITEKEY_PATTERN, type Article, type ExportOptions, type Settings } from '../../contract';
import { escapeLabel, linkOrText } from './escape';
import { pageMarkdown } from './pdf-page';
import { selectArticles } from './select';
import { articleView, BlockIds, checkTemplate, renderBudget, renderTemplate, type HighlightView, type TemplateView } from './template';

/**
 * A note as an Obsidian callout (`> [!note]`, then a `>` line, then each line of the note behind `> `). Whatever the
 * note holds (a `# heading`, a `> quote`, an unclosed fence or `<script>`, a list) stays inside that blockquote: a
 * container's end closes every block open in it (CommonMark), so the title and the highlights around it parse the
 * same whatever the note (tests/unit/export-obsidian.test.ts checks this over the CommonMark spec's own examples).
 * The empty `>` line keeps the note's first line from joining the marker's paragraph (or underlining it: `===`).
 * Plain CommonMark shows a blockquote starting `[!note]`; Obsidian shows a note box. Leading blank lines and
 * trailing whitespace are left out; everything else is the note, byte for byte (the import strips the `> `).
 */
export function noteCallout(markdown: string): string {
  const text = markdown.replace(/\r\n?/g, '\n').replace(/^(?:[ \t]*\n)+/, '').replace(/\s+$/, '');
  if (text === '') return '';
  return [NOTE_CALLOUT, '>', ...text.split('\n').map((line) => (line === '' ? '>' : `> ${line}`))].join('\n');
}

export const NOTE_CALLOUT = '> [!note]';

/** The colour as the export names it: its label, followed by the colour's own name when the label is another word
 * (`Key (pink)`), so a re-import into a notebook with other labels still finds the colour. */
export function colorText(h: Pick<HighlightView, 'color' | 'colorLabel'>): string {
  const label = escapeLabel(h.colorLabel);
  return h.colorLabel.trim().toLowerCase() === h.color ? label : `${label} (${h.color})`;
}

/** A pandoc citation of the article (`[@key]`, with the page for a PDF: `[@key, p. 12]`): pandoc and Zettlr cite it,
 * Obsidian shows it as text. Only keys of the contract's form (letters, digits, `_:.-`) are written. */
export function citation(citekey: string, h?: Pick<HighlightView, 'page' | 'pageLabel'>): string {
  if (!CITEKEY_PATTERN.test(citekey)) return '';
  return h && h.page !== '' ? `[@${citekey}, p. ${escapeLabel(h.pageLabel)}]` : `[@${citekey}]`;
}

function highlightBlock(h: HighlightView, citekey: string): string {
  const meta = [colorText(h)];
  if (h.chapter) meta.push(escapeLabel(h.chapter));
  if (h.page !== '') meta.push(pageMarkdown(h));
  const cite = citekey ? citation(citekey, h) : '';
  if (cite) meta.push(cite);
  if (h.tagsInline) meta.push(h.tagsInline);
  meta.push(`[Open in Gloss](${h.glossLink})`);
  if (h.sourceLink) meta.push(`[Open at the source](${h.sourceLink})`);
  if (h.orphaned) meta.push(ORPHAN_MARK);
  const parts = [h.quoteMarkdown.trimEnd(), `^${h.blockId}`, meta.join(' · ')];
  const note = noteCallout(h.note);
  if (note) parts.push(note);
  return parts.join('\n\n');
}

export const ORPHAN_MARK = '⚠ orphaned: not found in the current article text';

function metadataList(view: TemplateView): string {
  const a = view.article;
  const items: string[] = [];
  if (a.author) items.push(`- Author: ${escapeLabel(a.author)}`);
  if (a.source) items.push(`- Source: ${linkOrText(a.source)}`);
  if (a.published) items.push(`- Published: ${escapeLabel(a.published)}`);
  if (a.doi) items.push(`- DOI: ${linkOrText(`https://doi.org/${a.doi}`)}`);
  if (a.citekey && citation(a.citekey)) items.push(`- Cite as: ${citation(a.citekey)}`);
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
  const note = noteCallout(view.article.note);
  if (note) blocks.push(note);
  for (const group of view.groups) {
    if (group.title) blocks.push(`## ${escapeLabel(group.title)}`);
    for (const h of group.highlights) blocks.push(highlightBlock(h, view.article.citekey));
  }
  return blocks.join('\n\n');
}

/** Renders the export. Same input, byte-identical output. Empty string when nothing is selected. */
export function renderMarkdownExport(articles: Article[], settings: Settings, options: ExportOptions = {}): string {
  if (options.template !== undefined) checkTemplate(options.template);
  const selected = selectArticles(articles, options);
  const ids = new BlockIds(); // one per file: block ids are unique within it
  const views = selected.map(({ article, highlights }) => articleView(article, highlights, settings, options, ids));
  if (views.length === 0) return '';
  if (options.template !== undefined) {
    const template = options.template;
    const budget = renderBudget();
    return `${views.map((v) => renderTemplate(template, v, budget).replace(/\s+$/, '')).join('\n\n')}\n`;
  }
  const single = views.length === 1;
  return `${views.map((v) => articleSection(v, single)).join('\n\n')}\n`;
}
