/**
 * Reads a Gloss Markdown export back (the built-in layout of export/markdown.ts, one file or a folder export's files):
 * articles with their title, metadata and note, and their highlights with quote, note, tags, colour, page, and the ids
 * the `gloss://` links carry. Runs in the notebook's worker (jobs.ts: parseMarkdownExport): the file is untrusted.
 *
 * It walks markdown-it's top-level blocks, the same parse the export's tests read it with:
 *  - `# Title` starts an article; a bullet list right after it is the metadata list of a multi-article export; a
 *    single-article export's frontmatter (YAML) holds its metadata and `gloss-tags`, the tags' exact names;
 *  - a blockquote is a highlight's quote (its text as CommonMark reads it: the exact inverse of quoteToBlockquote),
 *    unless it starts `[!note]`: then it is a note callout, of the highlight before it or, before any highlight, of the
 *    article; its source lines are the note once their `> ` is taken off;
 *  - `^gloss-...` is a highlight's block id (`^gloss<n>-...`: the same highlight shown again under another tag; read once);
 *  - the line after it: `Colour (name) · [p. 12](...) · #tags · [Open in Gloss](gloss://...) · [Open at the source](...#:~:text=...)`.
 * Anything else (`## group` headings, the user's own additions) is passed over.
 */
import MarkdownIt from 'markdown-it';
import { parse as parseYaml } from 'yaml';
import { HIGHLIGHT_COLORS, type HighlightColor } from '../../contract';
import { parseDeepLink } from '../export/deep-link';
import { ORPHAN_MARK } from '../export/markdown';
import { INLINE_TAG, inlineTag, tagFromInline } from '../export/tag-names';
import { parseTextDirective } from '../export/text-fragment';
import { invalid } from '../errors';

export interface ParsedExportHighlight {
  /** From the `gloss://` link; absent when the link is gone. */
  id?: string;
  quote: string;
  note: string;
  tags: string[];
  /** The colour when the export names it (`Key (pink)`, or a label that is a colour's name). */
  color?: HighlightColor;
  /** The colour's label as written, for a notebook whose labels name the colour. */
  colorLabel: string;
  page?: number;
  /** Context words from the text fragment: help re-anchoring. */
  prefix: string;
  suffix: string;
  orphaned: boolean;
}

export interface ParsedExportArticle {
  /** The file it came from (error messages, the import's report). */
  file: string;
  /** The article id the `gloss://` links carry. */
  articleId?: string;
  title: string;
  author?: string;
  source?: string;
  published?: string;
  doi?: string;
  citekey?: string;
  note: string;
  highlights: ParsedExportHighlight[];
}

export interface MarkdownExportFileInput {
  name: string;
  content: string;
}

const md = new MarkdownIt('commonmark', { html: true });
type Token = ReturnType<typeof md.parse>[number];

/** An inline token's text as a reader sees it (what escapeLabel and quoteToBlockquote wrote, unescaped). */
function inlineText(token: Token | undefined): string {
  let text = '';
  for (const child of token?.children ?? []) {
    if (child.type === 'text' || child.type === 'code_inline') text += child.content;
    else if (child.type === 'softbreak' || child.type === 'hardbreak') text += '\n';
  }
  return text;
}

const NOTE_MARK = /^\[!note\]/;
const BLOCK_ID = /^\^gloss(\d*)-[A-Za-z0-9-]+$/;
const COLOR_NAME = new RegExp(`^(.*) \\((${HIGHLIGHT_COLORS.join('|')})\\)$`, 's');

function readFrontmatter(content: string, file: string): { data: Record<string, unknown>; body: string; offset: number } {
  const m = /^---\n([\s\S]*?\n)?---\n/.exec(content);
  if (!m) return { data: {}, body: content, offset: 0 };
  let data: unknown;
  try {
    data = parseYaml(m[1] ?? '');
  } catch (error) {
    throw invalid(`Cannot import "${file}": its frontmatter is not valid YAML (${(error as Error).message.split('\n')[0]}).`);
  }
  return { data: typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {}, body: content.slice(m[0].length), offset: m[0].split('\n').length - 1 };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : v instanceof Date ? v.toISOString().slice(0, 10) : undefined);

/** A callout's source lines without their `> ` (and without the `> [!note]` and `>` lines it starts with). */
function calloutNote(lines: string[]): string {
  return lines
    .slice(2)
    .map((line) => (line === '>' ? '' : line.startsWith('> ') ? line.slice(2) : line.replace(/^ {0,3}>/, '')))
    .join('\n')
    .replace(/\s+$/, '');
}

/** The meta line after a block id: colour, page, tags, links, orphan marker. */
function readMeta(line: string, h: ParsedExportHighlight, exactTags: Map<string, string>): { articleId?: string } {
  const parts = line.split(' · ');
  const colorPart = md.parseInline(parts.shift() ?? '', {})[0];
  const colour = inlineText(colorPart).trim();
  const named = COLOR_NAME.exec(colour);
  h.colorLabel = named ? named[1] : colour;
  const color = named ? named[2] : colour.toLowerCase();
  if ((HIGHLIGHT_COLORS as readonly string[]).includes(color)) h.color = color as HighlightColor;
  let articleId: string | undefined;
  for (const part of parts) {
    const link = /^\[([^\]]*)\]\(([^)\s]*)\)$/.exec(part.trim());
    if (link) {
      const href = link[2];
      const page = /#page=(\d+)$/.exec(href);
      const target = parseDeepLink(href);
      if (target) {
        articleId = target.articleId;
        if (target.highlightId) h.id = target.highlightId;
      } else if (href.includes('#:~:')) {
        const d = parseTextDirective(href.split('#:~:')[1].split('&')[0]);
        if (d?.prefix) h.prefix = `${d.prefix} `;
        if (d?.suffix) h.suffix = ` ${d.suffix}`;
      } else if (page && /^p\. /.test(link[1])) h.page = Number(page[1]);
      continue;
    }
    if (part.trim() === ORPHAN_MARK) {
      h.orphaned = true;
      continue;
    }
    if (/^p\. /.test(part.trim())) continue; // a page without a link
    for (const m of part.matchAll(INLINE_TAG)) h.tags.push(exactTags.get(m[1]) ?? tagFromInline(m[1]));
  }
  return { articleId };
}

/** Parses one export file; throws a clear error when it is not a Gloss Markdown export. */
export function parseMarkdownExport(content: string, file: string): ParsedExportArticle[] {
  const text = content.replace(/^\ufeff/, '').replace(/\r\n?/g, '\n');
  const { data, body } = readFrontmatter(text, file);
  const exactTags = new Map<string, string>();
  for (const t of Array.isArray(data['gloss-tags']) ? data['gloss-tags'] : []) if (typeof t === 'string') exactTags.set(inlineTag(t), t);
  const lines = body.split('\n');
  const tokens = md.parse(body, {});
  const articles: ParsedExportArticle[] = [];
  let article: ParsedExportArticle | undefined;
  let highlight: ParsedExportHighlight | undefined;
  let expect: 'list' | 'id' | 'meta' | 'note' | undefined;
  const seen = new Set<string>();
  let repeat = false; // the current highlight is a repeat (gloss<n>-): read, then dropped

  const finishHighlight = (): void => {
    if (article && highlight && !repeat && !(highlight.id && seen.has(highlight.id))) {
      if (highlight.id) seen.add(highlight.id);
      article.highlights.push(highlight);
    }
    highlight = undefined;
    repeat = false;
  };

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.level !== 0 || t.type.endsWith('_close')) continue;
    const sourceLines = t.map ? lines.slice(t.map[0], t.map[1]) : [];
    if (t.type === 'heading_open' && t.tag === 'h1') {
      finishHighlight();
      article = { file, title: inlineText(tokens[i + 1]).trim(), note: '', highlights: [] };
      if (articles.length === 0) {
        article.author = str(data.author);
        article.source = str(data.source);
        article.published = str(data.published);
        article.doi = str(data.doi);
        article.citekey = str(data.citekey);
      }
      articles.push(article);
      expect = 'list';
      continue;
    }
    if (!article) continue;
    if (t.type === 'bullet_list_open' && expect === 'list') {
      for (let j = i + 1; tokens[j] && tokens[j].type !== 'bullet_list_close'; j++) {
        if (tokens[j].type !== 'inline') continue;
        let value = '';
        for (const c of tokens[j].children ?? []) if (c.type === 'text') value += c.content;
        const m = /^(Author|Source|Published|DOI|Cite as): (.*)$/s.exec(value);
        if (!m) continue;
        const v = m[2].trim();
        if (m[1] === 'Author') article.author = v;
        else if (m[1] === 'Source') article.source = v;
        else if (m[1] === 'Published') article.published = v;
        else if (m[1] === 'Cite as') article.citekey = /^\[@([^\],]+)\]$/.exec(v)?.[1];
        else article.doi = v.replace(/^https:\/\/doi\.org\//, '');
      }
      expect = undefined;
      continue;
    }
    if (t.type === 'blockquote_open') {
      let depth = 1;
      let j = i;
      while (depth > 0 && ++j < tokens.length) {
        if (tokens[j].type === 'blockquote_open') depth++;
        else if (tokens[j].type === 'blockquote_close') depth--;
      }
      const inner = tokens.slice(i + 1, j);
      const firstInline = inner.find((u) => u.type === 'inline');
      if (firstInline && NOTE_MARK.test(firstInline.content) && sourceLines[0]?.trim().startsWith('> [!note]')) {
        const note = calloutNote(sourceLines);
        if (highlight && expect === 'note') highlight.note = note;
        else if (!highlight) article.note = note;
        expect = undefined;
      } else {
        finishHighlight();
        const paragraphs = inner.filter((u) => u.type === 'inline').map(inlineText);
        highlight = { quote: paragraphs.join('\n\n'), note: '', tags: [], colorLabel: '', prefix: '', suffix: '', orphaned: false };
        expect = 'id';
      }
      i = j;
      continue;
    }
    if (t.type === 'paragraph_open') {
      const content = tokens[i + 1]?.content ?? '';
      const id = BLOCK_ID.exec(content);
      if (highlight && expect === 'id' && id) {
        repeat = id[1] !== '';
        expect = 'meta';
      } else if (highlight && expect === 'meta') {
        const { articleId } = readMeta(sourceLines.join(' '), highlight, exactTags);
        if (articleId && !article.articleId) article.articleId = articleId;
        expect = 'note';
      } else expect = undefined;
      continue;
    }
    if (t.type === 'heading_open') finishHighlight(); // a `## group` heading
    expect = undefined;
  }
  finishHighlight();
  if (articles.length === 0) {
    throw invalid(`Cannot import "${file}": it is not a Gloss Markdown export (no "# Title" line was found).`);
  }
  for (const a of articles) {
    if (a.title === '') throw invalid(`Cannot import "${file}": an article in it has an empty title.`);
  }
  return articles;
}

/** Every file of an import (a single export, or a folder export's files), in order; errors name the file. */
export function parseMarkdownExports(files: MarkdownExportFileInput[]): ParsedExportArticle[] {
  if (files.length === 0) throw invalid('Nothing to import: no Markdown file was given.');
  return files.flatMap((f) => parseMarkdownExport(f.content, f.name));
}
