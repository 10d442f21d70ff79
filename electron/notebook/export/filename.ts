/**
 * File names for exported notes that are valid on Windows, macOS and Linux at once, and stable across runs.
 */
/** Windows device names: reserved with any extension and case (CON, con.md, Com1.txt...), superscript digits too. */
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\..*)?$/i;

/** Forbidden on Windows (<>:"/\|?*), control characters (C0, DEL, C1), and what breaks Obsidian links ([]#^|). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const FORBIDDEN = /[<>:"/\\|?*\x00-\x1f\x7f-\x9f[\]#^]/g;

/** Invisible characters that can make a file name read as something else (Trojan Source, CVE-2021-42574): bidi
 * marks, embeddings, overrides and isolates (U+061C, U+200E/F, U+202A-E, U+2066-9), zero-width space, word joiner and
 * invisible operators, BOM and the Mongolian vowel separator. They are dropped, not spaced: they have no width to keep. */
const INVISIBLE = /[\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u180e]/gu;

/** Zero-width (non-)joiners shape emoji sequences (👩‍👧) and Persian or Indic words, so they stay between two such
 * characters; anywhere else (leading, trailing, beside a space, doubled) they only hide, and go. */
const JOINABLE = '[\\p{L}\\p{M}\\p{N}\\p{Extended_Pictographic}\\p{Emoji_Modifier}]';
const STRAY_JOINER = new RegExp(`(?<!${JOINABLE})[\\u200c\\u200d]|[\\u200c\\u200d](?!${JOINABLE})`, 'gu');

/** Bytes allowed for the title part: ext4/APFS/NTFS allow 255 bytes or UTF-16 units per name, eCryptfs ~143; a
 * ` (n)` suffix, `.conflict-N`, `.md` and temp-file decorations must still fit. */
export const MAX_STEM_BYTES = 96;

const segmenter = new Intl.Segmenter('und', { granularity: 'grapheme' });

/** Cuts to at most `maxBytes` UTF-8 bytes on a grapheme boundary (never half an emoji or a base without its accent). */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  let out = '';
  let bytes = 0;
  for (const { segment } of segmenter.segment(text)) {
    const size = Buffer.byteLength(segment, 'utf8');
    if (bytes + size > maxBytes) break;
    out += segment;
    bytes += size;
  }
  return out;
}

/**
 * A readable, portable stem for a title: NFC (macOS stores NFD on HFS+; we compare and write NFC), forbidden
 * characters as spaces, invisible controls (C1, bidi, zero-width) dropped, whitespace collapsed, no leading/trailing dots or spaces (Windows drops trailing ones, a leading
 * dot hides the file), capped in UTF-8 bytes, and never a reserved device name. Empty results become "Untitled".
 */
export function safeFileStem(title: string, maxBytes = MAX_STEM_BYTES): string {
  let stem = title.normalize('NFC').replace(INVISIBLE, '').replace(FORBIDDEN, ' ').replace(STRAY_JOINER, '').replace(/\s+/gu, ' ');
  stem = stem.replace(/^[\s.]+|[\s.]+$/gu, '');
  stem = truncateUtf8(stem, maxBytes).replace(/[\s.]+$/u, '');
  if (stem === '') stem = 'Untitled';
  if (RESERVED.test(stem)) stem = `_${stem}`;
  return stem;
}
