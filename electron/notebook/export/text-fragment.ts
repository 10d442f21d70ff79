/**
 * URL text fragments (WICG "URL Fragment Text Directives", https://wicg.github.io/scroll-to-text-fragment/): a link
 * that opens a web page scrolled to a passage and marks it, `#:~:text=[prefix-,]textStart[,textEnd][,-suffix]`.
 *
 * As the spec says: each term is percent-encoded, and `-`, `,` and `&` in a term MUST be (they are the directive's own
 * syntax); prefix and suffix are context the browser matches around the passage but does not mark; a short passage is
 * given whole as textStart, a long one as its first words (textStart) and last words (textEnd), so the link stays
 * short. Terms match whole words on the rendered page with whitespace collapsed, so runs of whitespace (a quote's line
 * breaks) become one space, and context is cut back to whole words.
 */

import { CONTEXT_CHARS } from '../../contract';

/** Passages up to this many words go whole into textStart; longer ones are given by their first and last words. */
const WHOLE_WORDS = 10;
/** Words of a long passage in textStart and in textEnd. */
const EDGE_WORDS = 4;
/** Words of context in prefix and suffix. */
const CONTEXT_WORDS = 3;

export interface TextDirective {
  prefix?: string;
  textStart: string;
  textEnd?: string;
  suffix?: string;
}

/** Percent-encodes one term: encodeURIComponent, plus `-` (the spec's must) and `!'()*` (so a Markdown link's
 * parenthesis cannot end early; browsers percent-decode every term before matching, so this changes nothing there). */
export function encodeTerm(term: string): string {
  // Half of a surrogate pair (a highlight or its context cut through an emoji) cannot be encoded at all
  // (encodeURIComponent throws URIError): the half-character is left out, the rest still matches.
  const whole = term.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '');
  return encodeURIComponent(whole).replace(/[-!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `text=...` for a directive (without `#:~:`). */
export function formatTextDirective(d: TextDirective): string {
  const parts: string[] = [];
  if (d.prefix) parts.push(`${encodeTerm(d.prefix)}-`);
  parts.push(encodeTerm(d.textStart));
  if (d.textEnd) parts.push(encodeTerm(d.textEnd));
  if (d.suffix) parts.push(`-${encodeTerm(d.suffix)}`);
  return `text=${parts.join(',')}`;
}

/** Reads `text=...` back (the spec's parsing steps), or undefined when it is not a well-formed text directive. */
export function parseTextDirective(directive: string): TextDirective | undefined {
  if (!directive.startsWith('text=')) return undefined;
  const tokens = directive.slice('text='.length).split(',');
  if (tokens.length === 0 || tokens.length > 4) return undefined;
  const decode = (t: string): string | undefined => {
    try {
      return decodeURIComponent(t);
    } catch {
      return undefined;
    }
  };
  const out: Partial<TextDirective> = {};
  if (tokens[0].endsWith('-') && tokens.length > 1) out.prefix = decode(tokens.shift()!.slice(0, -1));
  const last = tokens.at(-1);
  if (last?.startsWith('-') && tokens.length > 1) out.suffix = decode(tokens.pop()!.slice(1));
  if (tokens.length < 1 || tokens.length > 2) return undefined;
  out.textStart = decode(tokens[0]);
  if (tokens[1] !== undefined) out.textEnd = decode(tokens[1]);
  if (!out.textStart || Object.values(out).some((v) => v === undefined || v === '')) return undefined;
  return out as TextDirective;
}

const words = (s: string): string[] => s.split(/\s+/u).filter(Boolean);

/**
 * The directive for a highlight given its quote and context. Context that stops inside a word (a prefix that starts
 * mid-word because context is cut at 32 characters) loses that partial word; context that touches the quote without
 * a space (the quote starts or ends mid-word) is left out, since the spec matches context only at word boundaries.
 */
export function textDirectiveFor(quote: string, prefix = '', suffix = ''): TextDirective | undefined {
  const q = words(quote);
  if (q.length === 0) return undefined;
  const d: TextDirective =
    q.length <= WHOLE_WORDS ? { textStart: q.join(' ') } : { textStart: q.slice(0, EDGE_WORDS).join(' '), textEnd: q.slice(-EDGE_WORDS).join(' ') };
  if (/\s$/u.test(prefix) || (prefix !== '' && /^\s/u.test(quote))) {
    const p = words(prefix);
    if (!/^\s/u.test(prefix) && prefix.length >= CONTEXT_CHARS) p.shift(); // cut mid-word
    const kept = p.slice(-CONTEXT_WORDS);
    if (kept.length) d.prefix = kept.join(' ');
  }
  if (/^\s/u.test(suffix) || (suffix !== '' && /\s$/u.test(quote))) {
    const s = words(suffix);
    if (!/\s$/u.test(suffix) && suffix.length >= CONTEXT_CHARS) s.pop(); // cut mid-word
    const kept = s.slice(0, CONTEXT_WORDS);
    if (kept.length) d.suffix = kept.join(' ');
  }
  return d;
}

/** An http(s) page address with the highlight's text fragment, or undefined (no web source, nothing to quote). */
export function textFragmentUrl(source: string | undefined, quote: string, prefix = '', suffix = ''): string | undefined {
  if (!source) return undefined;
  let url: URL;
  try {
    url = new URL(source);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  const directive = textDirectiveFor(quote, prefix, suffix);
  if (!directive) return undefined;
  url.hash = '';
  // A Markdown link destination ends at an unbalanced parenthesis or a space: encode what URL leaves in the path.
  const base = url.href.replace(/[()]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`).replace(/#$/, '');
  return `${base}#:~:${formatTextDirective(directive)}`;
}
