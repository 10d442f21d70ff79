import { plainTextParagraphs } from '../../text-model';
import { GlossError } from '../errors';
import { assertNotEmpty, assertTextual, cleanTitle, firstLineTitle } from './guards';
import type { ImportedArticle } from './types';

/** A first paragraph longer than this is prose, not a title. */
const MAX_TITLE_CHARS = 120;
/** A sentence ends so; a title does not (a title ending in "?" is rare enough to fall back to the file name). */
const SENTENCE_END = /[.!?…:;,。！？]$/u;

export interface TextImportInput {
  content: string;
  title?: string;
  source?: string;
  name: string;
}

/**
 * Plain text: the canonical paragraphs of text-model.ts, one <p> each. Without a given title, the first paragraph is
 * the title (and leaves the body) when it reads as one: followed by a blank line, at most MAX_TITLE_CHARS long, not
 * ending like a sentence. Otherwise the title is the file's name without its extension (or, pasted text having no
 * name, the first words), and every paragraph stays in the body.
 */
export function importText(input: TextImportInput): ImportedArticle {
  assertTextual(input.content, input.name);
  assertNotEmpty(input.content, input.name);
  let paragraphs = plainTextParagraphs(input.content);
  if (paragraphs.length === 0) throw new GlossError('invalid_input', `Cannot import ${input.name}: it has no text`);

  let title = cleanTitle(input.title);
  if (!title) {
    const first = paragraphs[0];
    if (paragraphs.length > 1 && first.length <= MAX_TITLE_CHARS && !SENTENCE_END.test(first)) {
      title = cleanTitle(first);
      paragraphs = paragraphs.slice(1);
    } else {
      title = nameWithoutExtension(input.name) ?? firstLineTitle(truncateWords(first, 80));
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

/**
 * "notes-on-tides" for the name `"notes-on-tides.txt"` (describeSource quotes it; a URL gives its last path segment);
 * undefined when the text has no name of its own (describeSource's 'the article').
 */
function nameWithoutExtension(name: string): string | undefined {
  if (!/^".*"$/.test(name)) return undefined;
  let n = name.slice(1, -1);
  try {
    if (/^https?:\/\//i.test(n)) n = decodeURIComponent(new URL(n).pathname.split('/').filter(Boolean).pop() ?? '');
  } catch {
    return undefined;
  }
  return cleanTitle(n.replace(/\.[A-Za-z][A-Za-z0-9]{0,7}$/, ''));
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
