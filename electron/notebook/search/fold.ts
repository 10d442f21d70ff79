/**
 * Search folding: the one place that decides which characters count as "the same" for search, and the map from a
 * folded string back to UTF-16 offsets in the original, so a match is always shown at its exact place in the text.
 *
 * Folded away: case (full case folding: ß = ss), accents and every other combining mark (Natásha = natasha, Māori =
 * maori, café = cafe; Hebrew niqqud and cantillation; Arabic harakat), Arabic tatweel, the alef variants (أ إ آ ٱ = ا)
 * and yeh variants (ى ی ئ = ي), curly and other quotes and apostrophes (’ ‘ ‛ ′ ＇ = ', “ ” „ ″ = "), dashes and minus
 * signs (‐ ‑ ‒ – — ― − = -), full-width and other compatibility forms (Ａ = a, ﬁ = fi: NFKD). Transliteration between
 * scripts is NOT folding (Наташа stays Cyrillic). Hangul syllables are kept whole (NFKD would split them into jamo).
 */

const SPECIAL: Record<string, string> = {
  // Apostrophes and single quotes.
  '\u2018': "'", '\u2019': "'", '\u201a': "'", '\u201b': "'", '\u2032': "'", '\uff07': "'", '\u02bc': "'", '\u0060': "'", '\u00b4': "'",
  // Double quotes.
  '\u201c': '"', '\u201d': '"', '\u201e': '"', '\u201f': '"', '\u2033': '"', '\uff02': '"', '\u00ab': '"', '\u00bb': '"',
  // Dashes and minus.
  '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2013': '-', '\u2014': '-', '\u2015': '-', '\u2212': '-', '\ufe58': '-', '\ufe63': '-', '\uff0d': '-',
  // Arabic: tatweel is decoration; alef wasla and the yeh variants (alef maksura, Farsi yeh) are one letter to a searcher.
  '\u0640': '', '\u0671': '\u0627', '\u0649': '\u064a', '\u06cc': '\u064a',
  // Full case folding beyond toLowerCase.
  '\u00df': 'ss', '\u1e9e': 'ss', '\u03c2': '\u03c3',
  // Invisible joiners and soft hyphens never separate what a person typed.
  '\u00ad': '', '\u200b': '', '\u200c': '', '\u200d': '', '\u2060': '', '\ufeff': '',
};

const MARK = /\p{M}/gu;
const cache = new Map<number, string>();

/** The folded form of one code point (may be empty or longer than one unit). */
export function foldCodePoint(cp: number): string {
  if (cp < 0x80) return cp >= 0x41 && cp <= 0x5a ? String.fromCharCode(cp + 32) : cp === 0x60 ? "'" : String.fromCharCode(cp);
  const hit = cache.get(cp);
  if (hit !== undefined) return hit;
  const ch = String.fromCodePoint(cp);
  let out: string;
  if (ch in SPECIAL) out = SPECIAL[ch];
  else if (cp >= 0xac00 && cp <= 0xd7a3) out = ch;
  else {
    out = ch.normalize('NFKD').replace(MARK, '').toLowerCase();
    // Compatibility forms can decompose into characters that fold further (＂ -> ", ﬀ -> ff): fold each once more.
    let again = '';
    for (const c of out) again += c in SPECIAL ? SPECIAL[c] : c.normalize('NFKD').replace(MARK, '');
    out = again;
  }
  cache.set(cp, out);
  return out;
}

/** The folded text alone (indexing, queries): no offset map. Runs of ASCII are lower-cased whole (the common case). */
export function foldText(text: string): string {
  let out = '';
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80 && c !== 0x60) continue;
    if (i > run) out += text.slice(run, i).toLowerCase();
    const cp = c >= 0xd800 && c <= 0xdbff ? text.codePointAt(i)! : c;
    out += foldCodePoint(cp);
    if (cp > 0xffff) i++;
    run = i + 1;
  }
  return run === 0 ? text.toLowerCase() : out + text.slice(run).toLowerCase();
}

export interface FoldedText {
  folded: string;
  /** starts[i] = UTF-16 offset in the original of the character that folded unit i came from; starts[folded.length] = original length. */
  starts: Uint32Array;
}

/** The folded text with, for every folded UTF-16 unit, the original offset it came from. */
export function foldWithMap(text: string): FoldedText {
  const parts: string[] = [];
  const starts: number[] = [];
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const f = foldCodePoint(cp);
    if (f) {
      parts.push(f);
      for (let k = 0; k < f.length; k++) starts.push(i);
    }
    i += width;
  }
  starts.push(text.length);
  return { folded: parts.join(''), starts: Uint32Array.from(starts) };
}

/**
 * The original range [start, end) covered by the folded range [from, to). The end reaches to where the next folded
 * unit's character starts, so marks and tatweel dropped from the end of a match stay inside it, and a match ending
 * inside one character's expansion (the first s of ß = ss) covers the whole character.
 */
export function originalRange(map: FoldedText, from: number, to: number): { start: number; end: number } {
  const { starts } = map;
  const start = starts[from];
  const last = starts[Math.max(from, to - 1)];
  let k = to;
  while (k < starts.length - 1 && starts[k] === last) k++;
  return { start, end: Math.max(start, starts[k]) };
}

/**
 * The same as originalRange(foldWithMap(text), from, to), without building the map: one walk over the original that
 * only folds its non-ASCII characters (ASCII folds to one unit each). What a search result needs for one match.
 */
export function originalRangeOf(text: string, from: number, to: number): { start: number; end: number } {
  const lastUnit = Math.max(from, to - 1);
  let f = 0;
  let start = -1;
  let passedLast = false;
  for (let i = 0; i < text.length; ) {
    const c = text.charCodeAt(i);
    let width = 1;
    let units = 1;
    if (c >= 0x80 || c === 0x60) {
      const cp = c >= 0xd800 && c <= 0xdbff ? text.codePointAt(i)! : c;
      width = cp > 0xffff ? 2 : 1;
      units = foldCodePoint(cp).length;
    }
    if (units > 0) {
      if (passedLast) return { start, end: Math.max(start, i) };
      if (start < 0 && from < f + units) start = i;
      if (lastUnit < f + units) passedLast = true;
      f += units;
    }
    i += width;
  }
  return { start: start < 0 ? text.length : start, end: text.length };
}

/** A run of word characters once folded: letters and digits of any script (marks are gone after folding). */
const WORD_RUN = /[\p{L}\p{N}]+/gu;
/** Scripts written without spaces between words: each character is its own token, so a query finds it inside a run. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const UNSPACED_ALL = new RegExp(UNSPACED.source, 'gu');

export interface Token {
  term: string;
  /** Offsets in the folded string. */
  start: number;
  end: number;
}

/** Calls `visit` for each word of an already folded string. Apostrophes, hyphens and all punctuation separate words. */
function forEachToken(folded: string, visit: (term: string, start: number, end: number) => void): void {
  const unspaced = UNSPACED.test(folded); // most texts have none: then no word needs looking at twice
  WORD_RUN.lastIndex = 0;
  for (let m = WORD_RUN.exec(folded); m; m = WORD_RUN.exec(folded)) {
    const word = m[0];
    const at = m.index;
    if (!unspaced || !UNSPACED.test(word)) {
      visit(word, at, at + word.length);
      continue;
    }
    // Split the run: each unspaced character alone, the rest (Latin inside Japanese, say) as words.
    let from = 0;
    UNSPACED_ALL.lastIndex = 0;
    for (let u = UNSPACED_ALL.exec(word); u; u = UNSPACED_ALL.exec(word)) {
      if (u.index > from) visit(word.slice(from, u.index), at + from, at + u.index);
      visit(u[0], at + u.index, at + u.index + u[0].length);
      from = u.index + u[0].length;
    }
    if (from < word.length) visit(word.slice(from), at + from, at + word.length);
  }
}

/** Words of an already folded string, with their folded offsets. */
export function tokensOf(folded: string): Token[] {
  const tokens: Token[] = [];
  forEachToken(folded, (term, start, end) => tokens.push({ term, start, end }));
  return tokens;
}

/** The distinct terms of a text with how often each occurs (what the index stores), and its number of words. */
export function termCounts(text: string): { counts: Map<string, number>; words: number } {
  const counts = new Map<string, number>();
  let words = 0;
  forEachToken(foldText(text), (term) => {
    counts.set(term, (counts.get(term) ?? 0) + 1);
    words++;
  });
  return { counts, words };
}
