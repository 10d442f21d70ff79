import { assertTextual, describeSource } from './guards';

/**
 * Bytes to text. The order follows the HTML encoding-sniffing algorithm (https://html.spec.whatwg.org/#encoding-sniffing-algorithm):
 * a byte-order mark wins, then the transport's charset (Content-Type), then a <meta> found by a prescan of the first
 * 1024 bytes. Labels go through TextDecoder, which knows the WHATWG label table ("latin1" -> windows-1252, "x-sjis" ->
 * shift_jis...). With no declaration at all we try strict UTF-8 (what nearly every file is today) and fall back to
 * windows-1252, the web's legacy default, rather than sprinkling U+FFFD through an old page.
 */

export interface Decoded {
  text: string;
  encoding: string;
}

/** Decodes an HTML document's bytes (see above); refuses binary or undecodable content. */
export function decodeHtmlBytes(bytes: Uint8Array, contentTypeHeader?: string, fileName?: string): string {
  return decodeBytes(bytes, { contentTypeHeader, html: true, name: describeSource(fileName) }).text;
}

/** Decodes plain text or Markdown: BOM, then the header's charset, then UTF-8 with the windows-1252 fallback. */
export function decodeTextBytes(bytes: Uint8Array, contentTypeHeader?: string, fileName?: string): string {
  return decodeBytes(bytes, { contentTypeHeader, html: false, name: describeSource(fileName) }).text;
}

export function decodeBytes(bytes: Uint8Array, opts: { contentTypeHeader?: string; html: boolean; name: string }): Decoded {
  const declared =
    bomEncoding(bytes) ??
    resolveLabel(charsetFromContentType(opts.contentTypeHeader)) ??
    (opts.html ? prescanMetaCharset(bytes) : undefined);
  let decoded: Decoded;
  if (declared) {
    // TextDecoder strips a BOM matching the encoding by itself (ignoreBOM defaults to false).
    decoded = { text: decodeWith(declared, bytes), encoding: declared };
  } else {
    try {
      decoded = { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
    } catch {
      decoded = { text: decodeWith('windows-1252', bytes), encoding: 'windows-1252' };
    }
  }
  assertTextual(decoded.text, opts.name, decoded.encoding);
  return decoded;
}

export function bomEncoding(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  return undefined;
}

/** The charset parameter of a Content-Type value, if any. */
export function charsetFromContentType(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]+))/i.exec(header);
  return m ? (m[1] ?? m[2]) : undefined;
}

/** A WHATWG encoding name for a label, or undefined when TextDecoder does not know it. */
export function resolveLabel(label: string | undefined): string | undefined {
  if (!label) return undefined;
  try {
    return new TextDecoder(label.trim()).encoding;
  } catch {
    return undefined;
  }
}

/**
 * A compact version of the spec's <meta> prescan: look at the first 1024 bytes through latin1 (which keeps ASCII, and so
 * the markup, intact whatever the real encoding), skip comments, and take the first <meta> carrying either
 * `charset=...` or `http-equiv="content-type" content="...; charset=..."`.
 */
export function prescanMetaCharset(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024))
    .toString('latin1')
    .replace(/<!--[\s\S]*?(?:-->|$)/g, '');
  for (const [tag] of head.matchAll(/<meta\b[^>]*>/gi)) {
    const direct = /\bcharset\s*=\s*["']?\s*([^\s"'>;/]+)/i.exec(tag);
    if (!direct) continue;
    const encoding = resolveLabel(direct[1]);
    if (!encoding) continue;
    // The spec: a <meta> claiming UTF-16 is wrong by construction (the prescan read it as ASCII), so use UTF-8;
    // x-user-defined means windows-1252.
    if (encoding.startsWith('utf-16')) return 'utf-8';
    if (encoding === 'x-user-defined') return 'windows-1252';
    return encoding;
  }
  return undefined;
}

/**
 * Node 20.18.3+ / 22.13+ decode windows-1252 as ISO-8859-1: bytes 0x80-0x9F come out as C1 controls instead of
 * € ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž ‘ ’ “ ” • – — ˜ ™ š › œ ž Ÿ (nodejs/node#60888, #56542). Every "latin1"/"iso-8859-1"/"ascii"
 * label resolves to windows-1252, so this is the most common legacy decode. Remap that range ourselves; on a fixed
 * Node the C1 characters never appear (except the five the standard maps to themselves) and this is a no-op.
 */
const WINDOWS_1252_C1 =
  '\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F' +
  '\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178';

function decodeWith(encoding: string, bytes: Uint8Array): string {
  const text = new TextDecoder(encoding).decode(bytes);
  if (encoding !== 'windows-1252') return text;
  return text.replace(/[\u0080-\u009F]/g, (c) => WINDOWS_1252_C1[c.charCodeAt(0) - 0x80]);
}
