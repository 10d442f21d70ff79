/**
 * Markdown escaping for exported text that must read back EXACTLY as written (quotes, titles, labels), plus the small
 * Obsidian-specific encoders (tags, block ids) and a deterministic string order.
 *
 * The quote contract: `quoteToBlockquote(q)` parsed by markdown-it (CommonMark or its default preset, html on) yields a
 * blockquote whose text — text tokens, soft/hard breaks as '\n', paragraph boundaries as '\n\n' — equals `q`. How:
 *  - Every ASCII punctuation character that can open Markdown, HTML, GFM or Obsidian syntax anywhere on a line is
 *    backslash-escaped (CommonMark: any ASCII punctuation may be escaped and then is literal). Punctuation that is only
 *    dangerous at the start of a line (`-`, `+`, `:`, `1.`, `1)`) is escaped only there, to keep prose readable.
 *  - Whitespace at the edges of a line would be eaten (paragraph trim, continuation-line indent, trailing-space hard
 *    breaks, 4-space indented code), so it is written as numeric character references (`&#32;`, `&#9;`, `&#160;`...).
 *    `\r` anywhere becomes `&#13;` because markdown-it normalizes CR and CRLF to LF before parsing.
 *  - Newlines: exactly '\n\n' between text is a paragraph break (a `>` line), a single '\n' is a hard break (trailing
 *    backslash, the CommonMark way; two trailing spaces would be invisible and fragile). Newlines that have no such
 *    form — at the start or end of the quote, or the extra ones in a run of 3+ — are written as `&#10;`, which decodes
 *    to a literal '\n' inside the text.
 * Known limits, inherent to CommonMark: U+0000 is replaced by U+FFFD by every conforming parser, and U+000B has no
 * character reference (it is not a valid one) so it survives only inside a line, not at its edges.
 */

/** Characters escaped wherever they appear: they can open emphasis, code, links, HTML, entities, tables,
 * strikethrough, headings, Obsidian tags (#), highlights (==), math ($), block references (^) and wikilinks ([[). */
const ALWAYS_ESCAPED = /[\\`*_[\]<>#|~=$^&]/;

/** Matches the characters the single-pass escaper has to touch. */
const INLINE_SPECIAL = /[\\`*_[\]<>#|~=$^&\r%]/g;

/** JS whitespace (what String.prototype.trim, and so markdown-it's paragraph trim, removes). */
const EDGE_WS = /^\s+|\s+$/g;

/** Code points markdown-it will not decode from a numeric reference (they become U+FFFD), per its isValidEntityCode. */
function isValidReference(code: number): boolean {
  if (code >= 0xd800 && code <= 0xdfff) return false;
  if (code >= 0xfdd0 && code <= 0xfdef) return false;
  if ((code & 0xffff) === 0xffff || (code & 0xffff) === 0xfffe) return false;
  if (code <= 0x08 || code === 0x0b || (code >= 0x0e && code <= 0x1f) || (code >= 0x7f && code <= 0x9f)) return false;
  return code <= 0x10ffff;
}

function reference(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  return isValidReference(code) ? `&#${code};` : ch;
}

/** Escapes the interior of one line (no '\n'); edges are handled by the caller. */
function escapeCore(text: string): string {
  return text.replace(INLINE_SPECIAL, (ch, offset: number, whole: string) => {
    if (ch === '\r') return '&#13;';
    // A lone % is common prose ("50%"); only Obsidian's %% comment marker needs breaking up.
    if (ch === '%') return whole[offset - 1] === '%' || whole[offset + 1] === '%' ? '\\%' : '%';
    return ALWAYS_ESCAPED.test(ch) ? `\\${ch}` : ch;
  });
}

/** Escapes what would start a block (list item, setext underline, table delimiter row) at the start of a line. */
function escapeLineStart(escaped: string): string {
  const ordered = /^(\d{1,9})([.)])/.exec(escaped);
  if (ordered) return `${ordered[1]}\\${ordered[2]}${escaped.slice(ordered[0].length)}`;
  if (/^[-+:]/.test(escaped)) return `\\${escaped}`;
  return escaped;
}

/**
 * One line segment (no '\n') as Markdown inline source that parses back to exactly `segment`, whatever it contains.
 * Safe at the start of a line and inside a paragraph.
 */
export function escapeInline(segment: string): string {
  const lead = /^\s*/.exec(segment)?.[0] ?? '';
  if (lead.length === segment.length) return [...segment].map(reference).join('');
  // Not /\s*$/: that pattern retries at every position of the string (quadratic on prose with many spaces).
  let end = segment.length;
  while (end > lead.length && /\s/.test(segment[end - 1])) end--;
  const trail = segment.slice(end);
  const core = segment.slice(lead.length, segment.length - trail.length);
  const edge = (ws: string) => [...ws].map((ch) => (ch === '\r' ? '&#13;' : reference(ch))).join('');
  return edge(lead) + escapeLineStart(escapeCore(core)) + edge(trail);
}

/** A one-line label (heading text, colour label, list value): newlines and edge whitespace collapsed, then escaped. */
export function escapeLabel(text: string): string {
  return escapeInline(text.replace(EDGE_WS, '').replace(/\s*\n\s*/g, ' '));
}

/**
 * A quote as a Markdown blockquote (lines prefixed `> `, paragraphs separated by a lone `>` line) that markdown-it parses
 * back to exactly `quote`. No trailing newline.
 */
export function quoteToBlockquote(quote: string): string {
  if (quote === '') return '>';
  const NL = '&#10;';
  const paragraphs: string[][] = [];
  let lines: string[] = [];
  let line = '';
  // split with a capture group alternates text segments and newline runs: [text, run, text, run, ..., text]
  const parts = quote.split(/(\n+)/);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (i % 2 === 0) {
      line += escapeInline(part);
      continue;
    }
    const atStart = line === '' && lines.length === 0 && paragraphs.length === 0;
    const atEnd = i === parts.length - 2 && parts[i + 1] === '';
    if (atStart || atEnd) {
      line += NL.repeat(part.length);
    } else if (part.length === 1) {
      lines.push(line);
      line = '';
    } else {
      lines.push(line);
      paragraphs.push(lines);
      lines = [];
      line = NL.repeat(part.length - 2);
    }
  }
  lines.push(line);
  paragraphs.push(lines);
  return paragraphs.map((p) => p.map((l) => `> ${l}`).join('\\\n')).join('\n>\n');
}

/** Case folding used for tag matching and grouping (locale-independent, so every machine agrees). */
export function foldCase(s: string): string {
  return s.normalize('NFC').toLowerCase();
}

/** A total, locale-independent order: case-folded first, then raw code units, so output never depends on ICU data. */
export function compareStrings(a: string, b: string): number {
  const fa = foldCase(a);
  const fb = foldCase(b);
  if (fa !== fb) return fa < fb ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** FNV-1a 32-bit, hex: a tiny, stable, dependency-free hash for block ids (uniqueness aid, not security). */
export function shortHash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/**
 * Obsidian block id for a highlight: letters, digits and dashes only, derived from the highlight id so links to
 * `#^id` keep working across exports. When the id needs changing to fit (Gloss ids are base64url, so '_' is common),
 * a hash of the original id is appended so that `a_b` and `a-b` cannot collide.
 */
export function blockId(highlightId: string): string {
  const safe = highlightId.replace(/[^A-Za-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  if (safe === highlightId && safe.length > 0 && safe.length <= 40) return `gloss-${safe}`;
  return `gloss-${safe.slice(0, 32)}${safe ? '-' : ''}${shortHash(highlightId)}`;
}

/** A CommonMark autolink `<url>` for plain http(s) URLs (other schemes, e.g. javascript:, stay escaped text). */
export function linkOrText(source: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return /^https?:\/\/[^\s<>\x00-\x1f\x7f]+$/i.test(source) ? `<${source}>` : escapeLabel(source);
}
