import { plainTextParagraphs } from '../../text-model';
import { GlossError } from '../errors';
import { assertNotEmpty, assertTextual, cleanTitle, firstLineTitle } from './guards';
import type { ImportedArticle } from './types';

/** A first paragraph longer than this is prose, not a title. */
const MAX_TITLE_PARAGRAPH = 300;

export interface TextImportInput {
  content: string;
  title?: string;
  source?: string;
  name: string;
}

/**
 * Plain text: the canonical paragraphs of text-model.ts, one <p> each. Without a given title the first paragraph is
 * the title and leaves the body, unless it is the only paragraph or too long to be a title.
 */
export function importText(input: TextImportInput): ImportedArticle {
  assertTextual(input.content, input.name);
  assertNotEmpty(input.content, input.name);
  let paragraphs = plainTextParagraphs(input.content);
  if (paragraphs.length === 0) throw new GlossError('invalid_input', `Cannot import ${input.name}: it has no text`);

  let title = cleanTitle(input.title);
  if (!title) {
    const first = paragraphs[0];
    if (paragraphs.length > 1 && first.length <= MAX_TITLE_PARAGRAPH) {
      title = cleanTitle(first);
      paragraphs = paragraphs.slice(1);
    } else {
      title = firstLineTitle(truncateWords(first, 80));
    }
  }
  return {
    title: title ?? input.name.replace(/^"|"$/g, ''),
    source: input.source,
    text: paragraphs.join('\n\n'),
    // Paragraphs are already collapsed and trimmed, so normalizeWhitespace would change nothing: build the string.
    html: paragraphs.map((p) => `<p>${escapeText(p)}</p>`).join(''),
  };
}

function truncateWords(s: string, max: number): string {
  if (s.length <= max) return s;
  const cut = s.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** Text-node escaping as the HTML serializer does it (&, <, > and no-break space). */
export function escapeText(s: string): string {
  return s.replace(/[&<>\u00A0]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&nbsp;'));
}
