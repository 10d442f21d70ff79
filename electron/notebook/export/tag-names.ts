/**
 * Gloss tag names <-> Obsidian inline `#tags`, a documented mapping that loses nothing and never makes two tags one.
 *
 * Obsidian's tags hold letters, digits, `_`, `-` and `/` (nesting), need one character that is not a digit, and end at
 * the first other character. Gloss tags hold anything (`C++`, `emoji 🐋`, `100%`, `US–Sudan`). The mapping, one
 * character at a time (after NFC):
 *  - letters, marks, digits, `-` and emoji (Obsidian takes them, though its help does not list them) stay as they are;
 *  - `/` stays when it sits between two such characters (a nested tag, `topic/sub`), else it is escaped;
 *  - a space followed by a kept character becomes `_` (`machine learning` -> `machine_learning`);
 *  - everything else, `_` itself included, becomes `__` + its code point in upper-case hex + `_` (`C++` ->
 *    `C__2B___2B_`, `100%` -> `100__25_`, `US–Sudan` -> `US__2013_Sudan`, `a_b` -> `a__5F_b`);
 *  - a name that would be digits (and `-`, `/`) only gets its first character escaped (`1984` -> `__31_984`).
 * Reading back: `__HEX_` is that character, a lone `_` (always followed by a kept character) is a space, anything else
 * is itself. Decoding inverts encoding, so two different tags always map to two different names (the mapping is
 * injective); case is kept as written (Gloss, like Obsidian, treats tags that differ only in case as one tag).
 */

/** Characters kept as they are. ZWJ and the emoji variation selector keep emoji sequences (👩‍👧, ❤️) whole. */
const KEPT = /^(?:[\p{L}\p{M}\p{N}\p{Extended_Pictographic}\p{Emoji_Modifier}-]|\u200d|\ufe0f)$/u;

const escapeChar = (ch: string): string => `__${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase()}_`;

/** The Obsidian inline tag (without `#`) for a Gloss tag name (tags are never empty, so neither is this). */
export function inlineTag(tag: string): string {
  const chars = [...tag.normalize('NFC')];
  const kept = chars.map((ch) => KEPT.test(ch));
  // Obsidian needs a non-digit: a name of digits, '-' and '/' only would not be a tag at all.
  const numeric = chars.every((ch) => /^[\p{N}/-]$/u.test(ch));
  let out = '';
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (numeric && i === 0) out += escapeChar(ch);
    else if (kept[i]) out += ch;
    else if (ch === '/' && kept[i - 1] && kept[i + 1]) out += ch;
    else if (ch === ' ' && kept[i + 1]) out += '_';
    else out += escapeChar(ch);
  }
  return out;
}

/** The Gloss tag name an inline tag (with or without its `#`) stands for: the inverse of inlineTag. */
export function tagFromInline(inline: string): string {
  const s = inline.startsWith('#') ? inline.slice(1) : inline;
  let out = '';
  for (let i = 0; i < s.length; ) {
    if (s[i] !== '_') {
      const cp = s.codePointAt(i) ?? 0;
      out += String.fromCodePoint(cp);
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    const escape = /^__([0-9A-F]{1,6})_/.exec(s.slice(i, i + 10));
    if (escape) {
      const cp = parseInt(escape[1], 16);
      out += cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
      i += escape[0].length;
    } else {
      out += ' ';
      i += 1;
    }
  }
  return out;
}

/** Matches the inline tags inlineTag writes (and any other Obsidian tag) in a line of an export. */
export const INLINE_TAG = /(?<![^\s])#((?:[\p{L}\p{M}\p{N}\p{Extended_Pictographic}\p{Emoji_Modifier}_/-]|\u200d|\ufe0f)+)/gu;
