/**
 * Selectors: how a highlight remembers where it is.
 *
 * A highlight stores a W3C TextPositionSelector (`start`/`end`, UTF-16 offsets into the article's canonical text) and a
 * TextQuoteSelector (`quote`, plus up to CONTEXT_CHARS of `prefix`/`suffix`), as Hypothesis does. The position is fast
 * and exact while the text is unchanged; the quote and its context let `anchor.ts` find the passage again after the text
 * is edited. Everything here is pure and works on plain strings.
 */

import { CONTEXT_CHARS } from '../../contract';
import { invalid } from '../errors';

export interface QuoteSelector {
  quote: string;
  prefix: string;
  suffix: string;
}

/** The stored description of a highlight's place: position plus quote and context. */
export interface HighlightSelector extends QuoteSelector {
  start: number;
  end: number;
}

export const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;
export const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;

/**
 * True when `index` falls between the two halves of a surrogate pair (an emoji, a rare CJK ideograph...). Offsets there
 * would render as two broken replacement characters, so no boundary we store or return may sit there.
 */
export function splitsSurrogatePair(text: string, index: number): boolean {
  if (index <= 0 || index >= text.length) return false;
  return isHighSurrogate(text.charCodeAt(index - 1)) && isLowSurrogate(text.charCodeAt(index));
}

/**
 * Quote and context of [start, end) in `text`. Assumes a valid range (see `checkRange`). The context is shortened by
 * one unit rather than cut through a surrogate pair, so prefix and suffix are always well-formed strings.
 */
export function describeRange(text: string, start: number, end: number): QuoteSelector {
  let prefixStart = Math.max(0, start - CONTEXT_CHARS);
  if (splitsSurrogatePair(text, prefixStart)) prefixStart += 1;
  let suffixEnd = Math.min(text.length, end + CONTEXT_CHARS);
  if (splitsSurrogatePair(text, suffixEnd)) suffixEnd -= 1;
  return {
    quote: text.slice(start, end),
    prefix: text.slice(prefixStart, start),
    suffix: text.slice(end, suffixEnd),
  };
}

/**
 * Refuses a range a user could not have meant: not whole numbers, empty or reversed, outside the text, cutting an emoji
 * (or any surrogate pair) in half, or nothing but white space. Throws GlossError('invalid_input') naming the problem.
 */
export function checkRange(text: string, start: number, end: number): void {
  checkWholeNumber('start', start);
  checkWholeNumber('end', end);
  if (start < 0) throw invalid(`start ${start} is before the beginning of the article text`);
  if (end > text.length) {
    throw invalid(`end ${end} is past the end of the article text (${text.length} characters)`);
  }
  if (start >= end) {
    throw invalid(`the range is empty: start ${start} must be less than end ${end}`);
  }
  if (splitsSurrogatePair(text, start)) {
    throw invalid(`start ${start} falls inside a character (the two halves of a surrogate pair, such as an emoji)`);
  }
  if (splitsSurrogatePair(text, end)) {
    throw invalid(`end ${end} falls inside a character (the two halves of a surrogate pair, such as an emoji)`);
  }
  if (text.slice(start, end).trim().length === 0) {
    throw invalid(`the range ${start}-${end} contains only white space`);
  }
}

function checkWholeNumber(name: string, value: unknown): void {
  // Values arrive from IPC and HTTP, so do not trust the static type.
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw invalid(`${name} must be a whole number of characters (got ${describeValue(value)})`);
  }
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 20 ? `${value.slice(0, 20)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  return typeof value;
}
