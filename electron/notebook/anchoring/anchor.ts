/**
 * Anchoring: finding a highlight's passage again after its article's text has changed.
 *
 * The strategy follows Hypothesis's client (src/annotator/anchoring/): trust the stored position when the quote is still
 * there; otherwise look for the quote, exactly and then approximately (approx-string-match, Myers' bit-parallel edit
 * distance), and rank the candidates by how well the quote, the text around it and the position agree with what was
 * stored. Unlike Hypothesis we refuse weak candidates: a highlight shown on the wrong passage misleads the reader, while
 * an orphaned one (kept, with its quote and note, and flagged) only asks for attention. Better orphan than wrong.
 *
 * Pure and synchronous; offsets are UTF-16 code units and never split a surrogate pair.
 */

import approxSearch from 'approx-string-match';
import type { Highlight } from '../../contract';
import { describeRange, splitsSurrogatePair, type HighlightSelector } from './selectors';

export type AnchorMethod = 'position' | 'quote' | 'fuzzy';

export interface Anchor {
  start: number;
  end: number;
  method: AnchorMethod;
}

export interface AnchorOptions {
  /** Where the passage is expected in the new text (defaults to the stored start). Breaks ties between equal matches. */
  hint?: number;
}

export interface ReanchorOutcome {
  highlights: Highlight[];
  anchored: number;
  orphaned: number;
}

// Candidate ranking weights, as Hypothesis weighs them: the quote matters most, then its context; position only breaks
// ties between otherwise equal candidates (a sentence duplicated with its context).
const QUOTE_WEIGHT = 50;
const PREFIX_WEIGHT = 20;
const SUFFIX_WEIGHT = 20;
const POSITION_WEIGHT = 2;
const TOTAL_WEIGHT = QUOTE_WEIGHT + PREFIX_WEIGHT + SUFFIX_WEIGHT + POSITION_WEIGHT;

/** A candidate whose text differs from the quote by more than a quarter of its characters is another passage. */
const MIN_QUOTE_SIMILARITY = 0.75;
/** At least one side of the context must still look like what was stored (unrelated 32-character English windows score
 * at most ~0.44 against each other: measured on Moby-Dick)... */
const MIN_CONTEXT_SIMILARITY = 0.6;
/** ...unless the quote is long and nearly intact: a 32-character sentence fragment does not recur by accident. */
const DISTINCTIVE_QUOTE_CHARS = 32;
const DISTINCTIVE_QUOTE_SIMILARITY = 0.9;

/** Hypothesis's cap on errors for the approximate search; its cost is O(maxErrors / 32 * text length). */
const MAX_SEARCH_ERRORS = 256;
/** Quotes longer than this are searched approximately by their head and tail, then the span between is verified. */
const MAX_DIRECT_FUZZY_CHARS = 256;
const EDGE_CHARS = 128;
/** Piece size when verifying a long span against its quote (see boundedEditDistance). */
const VERIFY_PIECE_CHARS = 256;
/** Bounds on work for pathological inputs (a one-letter quote occurs ~100,000 times in Moby-Dick). */
const MAX_FULLY_SCORED = 64;
const MAX_EDGE_CANDIDATES = 32;
const MAX_VERIFIED_SPANS = 16;

interface Candidate {
  start: number;
  end: number;
  /** Edit distance between the candidate's text and the quote. */
  errors: number;
}

interface Scored extends Candidate {
  quoteSimilarity: number;
  contextSimilarity: number;
  score: number;
}

/**
 * Finds where `selector`'s passage is in `text`, or null when it cannot be found with confidence (the highlight is then
 * orphaned). `method` says how: the stored position still held, the exact quote was found elsewhere, or an approximate
 * match of the quote was.
 */
export function anchorHighlight(text: string, selector: HighlightSelector, options: AnchorOptions = {}): Anchor | null {
  const { quote } = selector;
  if (quote.trim().length === 0) return null;
  if (positionStillHolds(text, selector)) return { start: selector.start, end: selector.end, method: 'position' };

  const hint = options.hint ?? selector.start;
  const exact = exactCandidates(text, quote);
  if (exact.length > 0) {
    // When the quote is still there verbatim, an approximate search would only find these same matches again.
    const best = bestAcceptable(text, selector, exact, hint);
    return best ? { start: best.start, end: best.end, method: 'quote' } : null;
  }
  const fuzzy = quote.length <= MAX_DIRECT_FUZZY_CHARS ? fuzzyCandidates(text, quote) : longQuoteCandidates(text, quote);
  const best = bestAcceptable(text, selector, fuzzy, hint);
  return best ? { start: best.start, end: best.end, method: 'fuzzy' } : null;
}

/**
 * Re-anchors every highlight on `newText`. Returns updated copies: anchored ones get fresh offsets, quote (from the new
 * text) and context, and lose any `orphaned` flag; the others keep everything they had and are flagged `orphaned`, never
 * dropped. `updatedAt` is left alone: re-anchoring is not an edit by the user.
 */
export function reanchorAll(newText: string, highlights: Highlight[]): ReanchorOutcome {
  const results = new Map<Highlight, Highlight>();
  let anchored = 0;
  let shift = 0; // how far the last anchored highlight moved: edits before a passage move its neighbours alike
  for (const highlight of [...highlights].sort((a, b) => a.start - b.start)) {
    const anchor = anchorHighlight(newText, highlight, { hint: highlight.start + shift });
    if (anchor) {
      anchored += 1;
      shift = anchor.start - highlight.start;
      results.set(highlight, anchoredCopy(newText, highlight, anchor));
    } else {
      results.set(highlight, { ...highlight, orphaned: true });
    }
  }
  return {
    highlights: highlights.map((h) => results.get(h) ?? h),
    anchored,
    orphaned: highlights.length - anchored,
  };
}

function anchoredCopy(text: string, highlight: Highlight, anchor: Anchor): Highlight {
  const { orphaned: _dropped, ...rest } = highlight;
  return { ...rest, start: anchor.start, end: anchor.end, ...describeRange(text, anchor.start, anchor.end) };
}

/**
 * The stored offsets still frame the quote and its context still agrees. The context matters even for long quotes: an
 * edit may repeat a passage where it used to be (a pull quote) while the original moved; if the context disagrees, the
 * quote search below weighs this occurrence against the others and still takes it when it is the best.
 */
function positionStillHolds(text: string, selector: HighlightSelector): boolean {
  const { start, end, quote } = selector;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > text.length || start >= end) return false;
  if (splitsSurrogatePair(text, start) || splitsSurrogatePair(text, end)) return false;
  if (text.slice(start, end) !== quote) return false;
  return contextSimilarity(text, selector, start, end) >= MIN_CONTEXT_SIMILARITY;
}

// ---------------------------------------------------------------------------------------------------------------------
// Candidates

/** Every occurrence of `quote` in `text` (overlapping ones included). */
function exactCandidates(text: string, quote: string): Candidate[] {
  const found: Candidate[] = [];
  for (let at = text.indexOf(quote); at !== -1; at = text.indexOf(quote, at + 1)) {
    found.push({ start: at, end: at + quote.length, errors: 0 });
  }
  return found;
}

/** Errors allowed when searching: Hypothesis's bound, tightened to what we would accept anyway (same result, faster). */
function maxErrorsFor(patternLength: number): number {
  return Math.min(
    MAX_SEARCH_ERRORS,
    Math.floor(patternLength / 2),
    Math.floor(patternLength * (1 - MIN_QUOTE_SIMILARITY)),
  );
}

/** The lowest-error approximate matches of a quote short enough to search for directly. */
function fuzzyCandidates(text: string, quote: string): Candidate[] {
  const maxErrors = maxErrorsFor(quote.length);
  if (maxErrors < 1) return [];
  return approxSearch(text, quote, maxErrors).map((m) => snapToCharacters(text, m));
}

/**
 * A long quote (a passage across paragraphs) costs approx-string-match time and memory in proportion to its length at
 * every character of the text. Instead find its head and its tail, pair a head with a tail that ends about a quote's
 * length later, and verify the span between against the whole quote.
 */
function longQuoteCandidates(text: string, quote: string): Candidate[] {
  const heads = edgeCandidates(text, quote.slice(0, EDGE_CHARS));
  const tails = edgeCandidates(text, quote.slice(-EDGE_CHARS));
  const maxErrors = Math.floor(quote.length * (1 - MIN_QUOTE_SIMILARITY));
  const spans: Candidate[] = [];
  for (const head of heads) {
    for (const tail of tails) {
      const length = tail.end - head.start;
      if (length > 0 && Math.abs(length - quote.length) <= maxErrors) {
        spans.push({ start: head.start, end: tail.end, errors: Math.abs(length - quote.length) });
      }
    }
  }
  // The length difference is a lower bound on the errors: verify the most promising spans first, and only a few.
  spans.sort((a, b) => a.errors - b.errors);
  const verified: Candidate[] = [];
  for (const span of spans.slice(0, MAX_VERIFIED_SPANS)) {
    const errors = boundedEditDistance(text.slice(span.start, span.end), quote, maxErrors);
    if (errors !== null) verified.push(snapToCharacters(text, { ...span, errors }));
  }
  return verified;
}

function edgeCandidates(text: string, edge: string): Candidate[] {
  const exact = exactCandidates(text, edge);
  const found = exact.length > 0 ? exact : fuzzyCandidates(text, edge);
  return found.slice(0, MAX_EDGE_CANDIDATES);
}

/**
 * An upper bound on the edit distance between `span` and `quote` if it is at most `maxErrors`, else null.
 *
 * Aligning two long strings whole costs approx-string-match about length^2 / 32 steps (~700 ms for 50,000 characters),
 * so the quote is aligned piece by piece, left to right: each piece is searched in a window just past where the previous
 * one ended. The pieces' alignments chain into one alignment of the whole quote, so the sum of their errors (plus any
 * span characters skipped) is a true upper bound: a span accepted here really is that close to the quote. Cost is
 * linear in the quote's length.
 */
function boundedEditDistance(span: string, quote: string, maxErrors: number): number | null {
  if (span === quote) return 0;
  let errors = 0;
  let cursor = 0; // where the next piece may start in `span`
  for (let at = 0; at < quote.length; at += VERIFY_PIECE_CHARS) {
    const piece = quote.slice(at, at + VERIFY_PIECE_CHARS);
    const budget = Math.min(maxErrors - errors, piece.length);
    const windowEnd = Math.min(span.length, cursor + piece.length + budget);
    const best = approxSearch(span.slice(cursor, windowEnd), piece, budget)[0];
    if (!best) return null;
    errors += best.errors + best.start; // characters skipped before the piece count as deletions
    cursor += best.end;
    if (errors > maxErrors) return null;
  }
  errors += span.length - cursor; // trailing span characters the quote does not cover
  return errors <= maxErrors ? errors : null;
}

/** Widens a match that starts or ends between the halves of a surrogate pair to include the whole character. */
function snapToCharacters(text: string, c: Candidate): Candidate {
  const start = splitsSurrogatePair(text, c.start) ? c.start - 1 : c.start;
  const end = splitsSurrogatePair(text, c.end) ? c.end + 1 : c.end;
  return { start, end, errors: c.errors };
}

// ---------------------------------------------------------------------------------------------------------------------
// Ranking

function bestAcceptable(text: string, selector: HighlightSelector, candidates: Candidate[], hint: number): Scored | null {
  let best: Scored | null = null;
  for (const candidate of shortlist(text, selector, candidates, hint)) {
    const scored = scoreCandidate(text, selector, candidate, hint);
    if (isAcceptable(selector, scored) && (best === null || scored.score > best.score)) best = scored;
  }
  return best;
}

function isAcceptable(selector: HighlightSelector, c: Scored): boolean {
  if (c.quoteSimilarity < MIN_QUOTE_SIMILARITY) return false;
  if (c.contextSimilarity >= MIN_CONTEXT_SIMILARITY) return true;
  return selector.quote.length >= DISTINCTIVE_QUOTE_CHARS && c.quoteSimilarity >= DISTINCTIVE_QUOTE_SIMILARITY;
}

/**
 * Full scoring costs two small edit-distance tables per candidate; a common word can have tens of thousands of
 * occurrences. Past MAX_FULLY_SCORED, keep the candidates whose context agrees character-for-character the longest
 * (ties: nearest the hint), which is where the best full score is.
 */
function shortlist(text: string, selector: HighlightSelector, candidates: Candidate[], hint: number): Candidate[] {
  if (candidates.length <= MAX_FULLY_SCORED) return candidates;
  const keyed = candidates.map((c) => ({
    c,
    agreement: commonSuffixLength(text, c.start, selector.prefix) + commonPrefixLength(text, c.end, selector.suffix),
    distance: Math.abs(c.start - hint),
  }));
  keyed.sort((a, b) => b.agreement - a.agreement || a.distance - b.distance);
  return keyed.slice(0, MAX_FULLY_SCORED).map((k) => k.c);
}

function scoreCandidate(text: string, selector: HighlightSelector, c: Candidate, hint: number): Scored {
  const quoteSimilarity = 1 - c.errors / Math.max(1, selector.quote.length);
  const prefix = prefixSimilarity(text, selector.prefix, c.start);
  const suffix = suffixSimilarity(text, selector.suffix, c.end);
  const position = 1 - Math.abs(c.start - hint) / Math.max(1, text.length);
  const score =
    (QUOTE_WEIGHT * quoteSimilarity + PREFIX_WEIGHT * prefix + SUFFIX_WEIGHT * suffix + POSITION_WEIGHT * position) /
    TOTAL_WEIGHT;
  return { ...c, quoteSimilarity, contextSimilarity: Math.max(prefix, suffix), score };
}

function contextSimilarity(text: string, selector: HighlightSelector, start: number, end: number): number {
  return Math.max(prefixSimilarity(text, selector.prefix, start), suffixSimilarity(text, selector.suffix, end));
}

/**
 * How much the text before `start` looks like the stored prefix, 0..1. White space is compared collapsed: re-importing
 * an article often changes line breaks and indentation but not its words. A stored prefix that is empty or only white
 * space means the passage began the text (or was preceded by nothing but layout), so it agrees only if nothing but white
 * space precedes the candidate; otherwise a single collapsed space would "agree" with every paragraph start.
 */
function prefixSimilarity(text: string, storedPrefix: string, start: number): number {
  const expected = collapseWhiteSpace(storedPrefix);
  if (expected.trim().length === 0) return onlyWhiteSpaceBefore(text, start) ? 1 : 0;
  const window = collapseWhiteSpace(text.slice(Math.max(0, start - 2 * expected.length - 8), start));
  return similarity(window.slice(-expected.length), expected);
}

function suffixSimilarity(text: string, storedSuffix: string, end: number): number {
  const expected = collapseWhiteSpace(storedSuffix);
  if (expected.trim().length === 0) return onlyWhiteSpaceAfter(text, end) ? 1 : 0;
  const window = collapseWhiteSpace(text.slice(end, end + 2 * expected.length + 8));
  return similarity(window.slice(0, expected.length), expected);
}

// ---------------------------------------------------------------------------------------------------------------------
// String helpers

const collapseWhiteSpace = (s: string): string => s.replace(/\s+/g, ' ');

function onlyWhiteSpaceBefore(text: string, index: number): boolean {
  for (let i = index - 1; i >= 0; i -= 1) if (!isWhiteSpace(text.charCodeAt(i))) return false;
  return true;
}

function onlyWhiteSpaceAfter(text: string, index: number): boolean {
  for (let i = index; i < text.length; i += 1) if (!isWhiteSpace(text.charCodeAt(i))) return false;
  return true;
}

const isWhiteSpace = (code: number): boolean => /\s/.test(String.fromCharCode(code));

/** 1 - normalized Levenshtein distance. Both strings are context-sized (a few dozen characters). */
function similarity(a: string, b: string): number {
  const longest = Math.max(a.length, b.length);
  if (longest === 0) return 1;
  return 1 - levenshtein(a, b) / longest;
}

function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  let previous = new Uint32Array(b.length + 1);
  let current = new Uint32Array(b.length + 1);
  for (let j = 0; j <= b.length; j += 1) previous[j] = j;
  for (let i = 1; i <= a.length; i += 1) {
    current[0] = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = previous[j - 1] + (ca === b.charCodeAt(j - 1) ? 0 : 1);
      current[j] = Math.min(substitution, previous[j] + 1, current[j - 1] + 1);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length];
}

/** Length of the longest common suffix of text[..end) and `s`. */
function commonSuffixLength(text: string, end: number, s: string): number {
  let n = 0;
  while (n < s.length && end - n - 1 >= 0 && text.charCodeAt(end - n - 1) === s.charCodeAt(s.length - n - 1)) n += 1;
  return n;
}

/** Length of the longest common prefix of text[start..) and `s`. */
function commonPrefixLength(text: string, start: number, s: string): number {
  let n = 0;
  while (n < s.length && start + n < text.length && text.charCodeAt(start + n) === s.charCodeAt(n)) n += 1;
  return n;
}
