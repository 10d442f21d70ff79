import { LIMITS } from '../../contract';
import { GlossError } from '../errors';

/**
 * Checks shared by every format. Each failure is a GlossError whose message names the thing being imported, because
 * the user may have dropped several files at once and needs to know which one was refused and why.
 */

/** The name used in messages: the file name when there is one, else the title or URL, else a generic phrase. */
export function describeSource(fileName?: string, title?: string, url?: string): string {
  const name = fileName?.trim() || title?.trim() || url?.trim();
  return name ? `"${name}"` : 'the article';
}

export function refuse(name: string, reason: string): GlossError {
  return new GlossError('invalid_input', `Cannot import ${name}: ${reason}`);
}

export function tooLarge(name: string, maxBytes: number): GlossError {
  return new GlossError('too_large', `Cannot import ${name}: it is larger than the ${formatBytes(maxBytes)} limit`);
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} bytes`;
}

/** Strings arrive as UTF-16; the limit is in bytes of source, so measure the UTF-8 size (cheaply when clearly small). */
export function assertSize(content: string | Uint8Array, name: string, maxBytes: number = LIMITS.maxImportBytes): void {
  const bytes = typeof content === 'string' ? (content.length * 3 <= maxBytes ? 0 : Buffer.byteLength(content, 'utf8')) : content.byteLength;
  if (bytes > maxBytes) throw tooLarge(name, maxBytes);
}

export function assertNotEmpty(content: string, name: string): void {
  if (content.replace(/^\uFEFF/, '').trim().length === 0) throw refuse(name, 'it is empty');
}

// C0 controls a text file has no business containing (tab, LF, VT, FF, CR and ESC excluded: they occur in real text).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0001-\u0008\u000E-\u001A\u001C-\u001F]/g;
const SAMPLE_CHARS = 64 * 1024;

/**
 * Refuses decoded text that is really a binary file: any NUL, or a sample in which more than a tenth of the characters
 * are replacement characters (bytes the decoder could not map) or control characters.
 */
export function assertTextual(decoded: string, name: string, encoding?: string): void {
  if (decoded.includes('\u0000')) throw refuse(name, 'it looks like a binary file (it contains NUL bytes), not text');
  const sample = decoded.slice(0, SAMPLE_CHARS);
  if (sample.length === 0) return;
  const replaced = countOf(sample, /\uFFFD/g);
  const controls = countOf(sample, CONTROL);
  if ((replaced + controls) / sample.length > 0.1) {
    throw refuse(
      name,
      replaced >= controls
        ? `its text could not be decoded${encoding ? ` as ${encoding}` : ''} (mostly invalid bytes)`
        : 'it looks like a binary file, not text',
    );
  }
}

function countOf(s: string, re: RegExp): number {
  return s.match(re)?.length ?? 0;
}

/** Titles are one line, trimmed and capped (LIMITS.maxTitleChars). Empty becomes undefined so callers can fall back. */
export function cleanTitle(raw: string | null | undefined): string | undefined {
  if (raw == null) return undefined;
  const t = raw.replace(/\s+/g, ' ').trim();
  if (t.length === 0) return undefined;
  return t.length > LIMITS.maxTitleChars ? `${t.slice(0, LIMITS.maxTitleChars - 1).trimEnd()}…` : t;
}

/** The first line of a text, as a title of last resort. */
export function firstLineTitle(text: string): string | undefined {
  return cleanTitle(text.split('\n', 1)[0]);
}

/** Only an absolute http(s) URL makes a sensible base for relative links (jsdom would throw on anything unparsable). */
export function httpBase(source: string | undefined): string | undefined {
  if (!source) return undefined;
  try {
    const url = new URL(source);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
