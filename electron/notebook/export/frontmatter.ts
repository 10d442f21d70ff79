/**
 * YAML frontmatter for a single-article export, made with the `yaml` library rather than by string concatenation:
 * titles carry quotes, colons, `---`, newlines, emoji and RTL text, and only a real YAML emitter quotes all of those
 * correctly. Keys are emitted in a fixed order so exports diff cleanly.
 */
import { stringify } from 'yaml';
import type { Article } from '../../contract';
import { compareStrings, obsidianTag } from './escape';

/** The key order of the frontmatter (absent values are omitted, `title` and `tags` are always present). */
export const FRONTMATTER_KEYS = ['title', 'author', 'source', 'published', 'doi', 'tags'] as const;

/**
 * `tags` holds the Obsidian-safe form of each tag (the same names the inline `#tags` use), so Obsidian indexes one
 * set of tags for the note; sorted, de-duplicated after the mapping.
 */
export function frontmatter(article: Article, tags: readonly string[]): string {
  const data: Record<string, unknown> = { title: article.title };
  if (article.byline) data.author = article.byline;
  if (article.source) data.source = article.source;
  if (article.publishedAt) data.published = article.publishedAt;
  if (article.doi) data.doi = article.doi;
  data.tags = [...new Set(tags.map(obsidianTag))].sort(compareStrings);
  // lineWidth 0: never fold long titles (folding is legal YAML but makes diffs and hand-editing worse).
  const body = stringify(data, { lineWidth: 0, minContentWidth: 0 });
  return `---\n${body}---\n`;
}
