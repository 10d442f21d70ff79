/**
 * Reading an export back the way the issue checks it: markdown-it with HTML enabled, every top-level blockquote's text
 * (text tokens as is, soft/hard breaks as '\n', paragraph boundaries as '\n\n'); anything else inside a quote shows up
 * as ⟦token type⟧ so Markdown that leaked through the escaping fails the comparison. Shared by unit and e2e tests.
 */
import MarkdownIt from 'markdown-it';
import { parse as parseYaml } from 'yaml';

export const readbackParsers = {
  commonmark: new MarkdownIt('commonmark', { html: true }),
  default: new MarkdownIt('default', { html: true }),
};

export function blockquoteTexts(markdown: string, parser: (typeof readbackParsers)['commonmark'] = readbackParsers.commonmark): string[] {
  const quotes: string[] = [];
  let depth = 0;
  let paragraphs: string[] = [];
  let other = '';
  for (const token of parser.parse(markdown, {})) {
    if (token.type === 'blockquote_open') {
      if (depth === 0) {
        paragraphs = [];
        other = '';
      } else other += '⟦nested blockquote⟧';
      depth++;
      continue;
    }
    if (token.type === 'blockquote_close') {
      depth--;
      // A note callout (`> [!note]`, export/markdown.ts noteCallout) is a note, not a quote.
      if (depth === 0 && !paragraphs[0]?.startsWith('[!note]')) quotes.push(paragraphs.join('\n\n') + other);
      continue;
    }
    if (depth === 0 || token.type === 'paragraph_open' || token.type === 'paragraph_close') continue;
    if (token.type === 'inline') {
      let text = '';
      for (const child of token.children ?? []) {
        if (child.type === 'text') text += child.content;
        else if (child.type === 'softbreak' || child.type === 'hardbreak') text += '\n';
        else text += `⟦${child.type}⟧`;
      }
      paragraphs.push(text);
      continue;
    }
    other += `⟦${token.type}⟧`;
  }
  return quotes;
}

/** The YAML frontmatter at the very top of a Markdown file, parsed; undefined when there is none. */
export function frontmatterOf(markdown: string): Record<string, unknown> | undefined {
  const m = /^---\n([\s\S]*?\n)---\n/.exec(markdown);
  return m ? (parseYaml(m[1]) as Record<string, unknown>) : undefined;
}

/**
 * Passages full of Markdown and HTML syntax, as a plain-text article keeps them literally (one paragraph each, joined
 * by a blank line). The e2e and unit tests highlight each, one highlight across two paragraphs, and read them back.
 */
export const NASTY_PASSAGES = [
  '# Not a heading, ## nor this; Setext below',
  '> not a quote >> nor nested',
  '- not a list item + nor * this; 1. nor 2) these',
  '| a | b |; |---|---|; | table | row |',
  'Back\\slashes \\* \\_ \\\\ and a trailing backslash\\',
  '---',
  '*** and ___ thematic breaks, `code`, **bold**, _em_, ~~strike~~, ==mark==',
  '<script>alert("x")</script> and <b>bold</b> &amp; &lt;entities&gt; &#42;',
  'Links [x](http://a.b) and ![img](y.png) and <http://auto.link> and [[wiki]] and ^block and #tag and $math$',
  'עברית مرحبا بالعالم mixed RTL text',
  'Emoji 👩🏽‍💻 🇯🇵 and combining é, zero-width\u200bjoiner',
  '1984. A year, not a list',
];
