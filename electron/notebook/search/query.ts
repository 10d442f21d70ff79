/**
 * The search box's syntax, parsed into folded terms and filters:
 *
 *   whale ship            every word must match, in any order (in an article's title and text, or in one highlight's
 *                         quote, note and tags, or in an article note)
 *   "white whale"         a phrase: these words in this order (folded: “White Whale” matches too)
 *   -ahab  -"old man"     exclude what contains this word or phrase
 *   tag:method            only highlights with this tag (tag:"middle east" for a tag with spaces); repeatable: any of
 *   color:green           only highlights of this colour (colour: works too; the colour's label as well as its name)
 *   article:<id|title>    only this article (its id, or words of its title)
 *
 * A filter name that is not one of these is an ordinary word ("note:" stays searchable as text).
 */
import { HIGHLIGHT_COLORS, type HighlightColor } from '../../contract';
import { foldText, tokensOf } from './fold';

export interface ParsedQuery {
  /** Folded single words that must all occur. */
  terms: string[];
  /** Folded phrases (two or more words) that must each occur in this order. */
  phrases: string[][];
  /** Every required word in the order typed: where they stand together in the text is the best place to show. */
  sequence: string[];
  /** Folded words and phrases that must not occur. */
  excluded: string[][];
  tags: string[];
  colors: HighlightColor[];
  /** Raw values of article: filters (an id or words of a title). */
  articles: string[];
  /** Colour names the query gave that are neither a colour nor a label (reported, not silently ignored). */
  unknownColors: string[];
}

const FILTER = /^(tag|color|colour|article):/i;

/** Splits the query into raw pieces: `-`? (`name:`)? then a "quoted" run or a bare run up to whitespace. */
function pieces(query: string): { negated: boolean; filter?: string; value: string; quoted: boolean }[] {
  const out: { negated: boolean; filter?: string; value: string; quoted: boolean }[] = [];
  const q = query.replace(/[\u201c\u201d\u201e\u201f\u00ab\u00bb\uff02]/g, '"');
  let i = 0;
  while (i < q.length) {
    while (i < q.length && /\s/.test(q[i])) i++;
    if (i >= q.length) break;
    let negated = false;
    if (q[i] === '-' && i + 1 < q.length && !/\s/.test(q[i + 1])) {
      negated = true;
      i++;
    }
    let filter: string | undefined;
    const rest = q.slice(i);
    const f = FILTER.exec(rest);
    if (f) {
      filter = f[1].toLowerCase() === 'colour' ? 'color' : f[1].toLowerCase();
      i += f[0].length;
    }
    if (q[i] === '"') {
      const close = q.indexOf('"', i + 1);
      const end = close < 0 ? q.length : close;
      out.push({ negated, filter, value: q.slice(i + 1, end), quoted: true });
      i = end + 1;
    } else {
      let end = i;
      while (end < q.length && !/\s/.test(q[end])) end++;
      out.push({ negated, filter, value: q.slice(i, end), quoted: false });
      i = end;
    }
  }
  return out;
}

/** Folded words of a piece of query text, by the same tokenizer the index uses. */
export function queryWords(text: string): string[] {
  return tokensOf(foldText(text)).map((t) => t.term);
}

/** `labels` maps a user's colour label (folded) to its colour, so color:important works when green is labelled so. */
export function parseQuery(query: string, labels: Record<string, HighlightColor> = {}): ParsedQuery {
  const parsed: ParsedQuery = { terms: [], phrases: [], sequence: [], excluded: [], tags: [], colors: [], articles: [], unknownColors: [] };
  for (const p of pieces(query)) {
    if (p.filter === 'tag' && p.value) parsed.tags.push(p.value);
    else if (p.filter === 'color' && p.value) {
      const v = foldText(p.value.trim());
      const color = (HIGHLIGHT_COLORS as readonly string[]).includes(v) ? (v as HighlightColor) : labels[v];
      if (color) parsed.colors.push(color);
      else parsed.unknownColors.push(p.value);
    } else if (p.filter === 'article' && p.value) parsed.articles.push(p.value);
    else {
      const words = queryWords(p.value);
      if (words.length === 0) continue;
      if (!p.negated) parsed.sequence.push(...words);
      if (p.negated) parsed.excluded.push(words);
      else if (p.quoted && words.length > 1) parsed.phrases.push(words);
      else if (p.quoted) parsed.terms.push(words[0]);
      // An unquoted piece that folds into several words (Man’s, e-mail, 東京) keeps them together as a phrase.
      else if (words.length > 1) parsed.phrases.push(words);
      else parsed.terms.push(words[0]);
    }
  }
  return parsed;
}

/** Every word the query requires (single words and the words of its phrases), deduplicated. */
export function requiredWords(q: ParsedQuery): string[] {
  return [...new Set([...q.terms, ...q.phrases.flat()])];
}

export function isEmptyQuery(q: ParsedQuery): boolean {
  return q.terms.length === 0 && q.phrases.length === 0;
}
