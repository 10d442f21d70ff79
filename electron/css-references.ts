/**
 * Does an attribute value, read the way a CSS parser would read it, point at a resource (url(), image-set(), @import
 * ...)? Shared by the importer's sanitizer (electron/notebook/import/sanitize.ts) and the reader's
 * (renderer/src/reader/remote-content.ts), so that what is stored and what is shown are judged by the same rule.
 * Import-free, like text-model.ts: every layer may use it.
 *
 * Why decode: CSS lets any character be written as an escape, so `\75rl(`, `\000075rl(`, `u\rl(` and `\55 RL(` all
 * mean `url(`, and a comment can sit anywhere a token boundary may. A plain /url\(/ test misses all of them (issue 13
 * item 4: SVG `fill="\75rl(https://...)"` loaded remote content from a restored backup). So the value is decoded as
 * a CSS tokenizer would (escapes, comments, escaped newlines) and then searched, case-insensitively, for every function
 * that can fetch (a function's name touches its parenthesis: `image (left)` in an alt text is not one). Removing a comment joins what it separated (`u/**\/rl(` becomes `url(`),
 * which a browser would not do: erring towards "remote" is the point. False positives only cost an attribute.
 */

/** Functions and at-rules that make a browser fetch something (or, for expression(), run it in old engines). */
const FETCHING = /(?:url|src|image|image-set|cross-fade|element|paint|expression)\(|@import/;

/** CSS as the tokenizer sees it: comments removed, escapes replaced by the characters they stand for. */
export function decodeCssEscapes(value: string): string {
  // An unterminated comment runs to the end of the input (CSS Syntax §4.3.2).
  const uncommented = value.replace(/\/\*[\s\S]*?(?:\*\/|$)/g, '');
  // \ + newline is a line continuation inside strings and dropped here; \ + 1-6 hex digits (+ one optional white space)
  // is a code point (0, surrogates and > U+10FFFF become U+FFFD); \ + anything else is that character.
  return uncommented.replace(/\\(?:\r\n|[\n\r\f]|([0-9a-fA-F]{1,6})(?:\r\n|[ \t\n\r\f])?|([\s\S]))/g, (_m, hex: string | undefined, other: string | undefined) => {
    if (hex !== undefined) {
      const cp = parseInt(hex, 16);
      return cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ? '\uFFFD' : String.fromCodePoint(cp);
    }
    return other ?? '';
  });
}

/** True when `value`, read as CSS, names a resource to load: drop the attribute. */
export function referencesResource(value: string): boolean {
  // Cheap exit for the common case: no parenthesis and no at-sign means no function call and no @import, escaped or not
  // (an escaped "(" still needs a backslash, so check for that too).
  if (!/[(@\\]/.test(value)) return false;
  return FETCHING.test(decodeCssEscapes(value).toLowerCase());
}
