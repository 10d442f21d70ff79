/**
 * YAML frontmatter for a single-article export, made with the `yaml` library rather than by string concatenation:
 * titles carry quotes, colons, `---`, newlines, emoji and RTL text, and only a real YAML emitter quotes all of those
 * correctly. Keys are emitted in a fixed order so exports diff cleanly.
 */
import { stringify } from 'yaml';
import type { Article } from '../../contract';
import { compareStrings } from './escape';
import { inlineTag } from './tag-names';

/** The key order of the frontmatter (absent values are omitted, `title` and `tags` are always present). */
export const FRONTMATTER_KEYS = ['title', 'author', 'source', 'published', 'doi', 'citekey', 'tags', 'gloss-tags'] as const;

/**
 * `tags` holds each tag as Obsidian takes it (the same names the inline `#tags` use, tag-names.ts), so Obsidian indexes
 * one set of tags for the note; `gloss-tags` holds the exact names, as YAML strings (`"100"` stays a string, `C++`
 * stays `C++`), which is what a re-import reads. Both sorted.
 */
export function frontmatter(article: Article, tags: readonly string[]): string {
  const data: Record<string, unknown> = { title: article.title };
  if (article.byline) data.author = article.byline;
  if (article.source) data.source = article.source;
  if (article.publishedAt) data.published = article.publishedAt;
  if (article.doi) data.doi = article.doi;
  if (article.citekey) data.citekey = article.citekey; // the key Obsidian's citation plugins and pandoc look for
  const sorted = [...tags].sort(compareStrings);
  data.tags = [...new Set(sorted.map(inlineTag))];
  // The yaml emitter quotes what would read back as another type ("100", "true") or break the syntax ("a: b").
  data['gloss-tags'] = sorted;
  // lineWidth 0: never fold long titles (folding is legal YAML but makes diffs and hand-editing worse).
  const body = stringify(data, { lineWidth: 0, minContentWidth: 0 });
  return `---\n${body}---\n`;
}
