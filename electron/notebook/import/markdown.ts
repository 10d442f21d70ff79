import MarkdownIt from 'markdown-it';
import { parse as parseYaml } from 'yaml';
import { GlossError } from '../errors';
import { assertNotEmpty, assertTextual, cleanTitle, firstLineTitle, httpBase } from './guards';
import { assertNesting } from './nesting';
import { sanitizeArticleHtml } from './sanitize';
import type { ImportedArticle } from './types';

/**
 * CommonMark via markdown-it's 'commonmark' preset (raw HTML allowed there, as the spec says), then the same sanitizer
 * as web pages: inline HTML in a Markdown file is as untrusted as any page.
 */
const md = new MarkdownIt('commonmark');

export interface MarkdownImportInput {
  content: string;
  title?: string;
  source?: string;
  name: string;
}

// A leading block fenced by "---" and closed by "---" or "...", as Jekyll, Hugo and Pandoc write it.
const FRONTMATTER = /^---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/;

export function importMarkdown(input: MarkdownImportInput): ImportedArticle {
  assertTextual(input.content, input.name);
  const raw = input.content.replace(/^\uFEFF/, '');
  assertNotEmpty(raw, input.name);

  const { body, meta } = splitFrontmatter(raw);
  const rendered = md.render(body);
  assertNesting(rendered, input.name); // raw HTML in Markdown can nest as deep as any page
  const safe = sanitizeArticleHtml(rendered, httpBase(input.source));
  if (safe.text.length === 0) throw new GlossError('invalid_input', `Cannot import ${input.name}: it has no text`);

  const heading = safe.root.querySelector('h1, h2, h3, h4, h5, h6')?.textContent;
  return {
    title:
      cleanTitle(meta.title) ??
      cleanTitle(heading) ??
      cleanTitle(input.title) ??
      firstLineTitle(safe.text) ??
      input.name.replace(/^"|"$/g, ''),
    byline: cleanTitle(meta.author),
    publishedAt: cleanTitle(meta.date),
    lang: cleanTitle(meta.lang),
    source: input.source,
    text: safe.text,
    html: safe.html,
  };
}

interface Frontmatter {
  title?: string;
  author?: string;
  date?: string;
  lang?: string;
}

/** Strips a frontmatter block and reads its title/author/date; a block that is not valid YAML is read line by line. */
export function splitFrontmatter(raw: string): { body: string; meta: Frontmatter } {
  const m = FRONTMATTER.exec(raw);
  if (!m) return { body: raw, meta: {} };
  const body = raw.slice(m[0].length);
  let data: unknown;
  try {
    data = parseYaml(m[1]);
  } catch {
    data = Object.fromEntries(
      [...m[1].matchAll(/^(\w+)\s*:\s*(.*)$/gm)].map(([, k, v]) => [k.toLowerCase(), v.trim().replace(/^(["'])(.*)\1$/, '$2')]),
    );
  }
  const record = data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
  const str = (v: unknown): string | undefined =>
    typeof v === 'string' ? v : typeof v === 'number' ? String(v) : v instanceof Date ? v.toISOString() : undefined;
  const author = Array.isArray(record.author) ? record.author.map(str).filter(Boolean).join(', ') : str(record.author);
  return { body, meta: { title: str(record.title), author, date: str(record.date), lang: str(record.lang) } };
}
