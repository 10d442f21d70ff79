/**
 * Where a query's words and phrases are in one text: patterns over the folded text, offsets mapped back to the
 * original (UTF-16) through the fold map, and a snippet around the match.
 */
import { foldText, originalRangeOf } from './fold';

const UNSPACED = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]$/u;
const SNIPPET_RADIUS = 60;

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const compiled = new Map<string, RegExp>();

/** A pattern for folded words in this order, each a whole word, separated by anything that is not a word. */
export function wordsPattern(words: string[], flags = 'gu'): RegExp {
  // Ranking asks the same question of thousands of titles: compile each pattern once (callers set lastIndex).
  const key = `${flags} ${words.join(' ')}`;
  const known = compiled.get(key);
  if (known) return known;
  if (compiled.size > 500) compiled.clear();
  const re = buildPattern(words, flags);
  compiled.set(key, re);
  return re;
}

function buildPattern(words: string[], flags: string): RegExp {
  // The first word's literal leads (the engine scans for it fast); the word-start check looks back from after it.
  let source = escape(words[0]) + (UNSPACED.test(words[0]) ? '' : `(?<![\\p{L}\\p{N}]${escape(words[0])})`);
  words.forEach((w, i) => {
    if (i === 0) return;
    source += UNSPACED.test(words[i - 1]) && UNSPACED.test(w) ? '[^\\p{L}\\p{N}]*' : '[^\\p{L}\\p{N}]+';
    source += escape(w);
  });
  if (!UNSPACED.test(words[words.length - 1])) source += '(?![\\p{L}\\p{N}])';
  return new RegExp(source, flags);
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return false;
  return true;
}

/** A text folded once, searched many times. ASCII texts fold to the same length, so their map is the identity. */
export class FoldedSource {
  readonly folded: string;
  constructor(readonly original: string) {
    this.folded = foldText(original);
  }

  has(words: string[]): boolean {
    return this.scan(words, () => false) > 0;
  }

  /**
   * Calls `found(from, to)` for each match of the words (in folded offsets) until it returns false; returns how many.
   * The first word is looked for with indexOf (fast on any length) and the whole pattern tried only there (sticky).
   */
  private scan(words: string[], found: (from: number, to: number) => boolean): number {
    const re = wordsPattern(words, 'uy');
    const lead = words[0];
    let count = 0;
    for (let at = this.folded.indexOf(lead); at >= 0; at = this.folded.indexOf(lead, at + 1)) {
      re.lastIndex = at;
      const m = re.exec(this.folded);
      if (!m) continue;
      count++;
      if (!found(at, at + m[0].length)) break;
    }
    return count;
  }

  /** The first occurrence of any of the patterns (earliest wins) in original offsets, and how many of the first. */
  first(patterns: string[][]): { start: number; end: number; occurrences: number } | null {
    let best: { from: number; to: number } | null = null;
    let occurrences = 0;
    patterns.forEach((words, i) => {
      const n = this.scan(words, (from, to) => {
        if (!best || from < best.from) best = { from, to };
        return i === 0 && occurrences + 1 < 10_000; // count the first pattern's matches; the others only need one
      });
      if (i === 0) occurrences = n;
    });
    if (!best) return null;
    const { from, to } = best as { from: number; to: number };
    const range = this.originalRange(from, to);
    return { ...range, occurrences };
  }

  private originalRange(from: number, to: number): { start: number; end: number } {
    if (this.folded.length === this.original.length && isAscii(this.original)) return { start: from, end: to };
    return originalRangeOf(this.original, from, to);
  }
}

/** A line around [start, end) with whitespace runs made one space, and where the match sits in it. */
export function snippet(text: string, start: number, end: number): { snippet: string; at: [number, number] } {
  const from = Math.max(0, start - SNIPPET_RADIUS);
  const to = Math.min(text.length, end + SNIPPET_RADIUS);
  const squeeze = (s: string): string => s.replace(/\s+/g, ' ');
  const before = `${from > 0 ? '…' : ''}${squeeze(text.slice(from, start))}`;
  const match = squeeze(text.slice(start, end));
  const after = `${squeeze(text.slice(end, to))}${to < text.length ? '…' : ''}`;
  return { snippet: before + match + after, at: [before.length, before.length + match.length] };
}
