import createDOMPurify, { type Config, type DOMPurify, type WindowLike } from 'dompurify';
import type { JSDOM } from 'jsdom';
import { createRequire } from 'node:module';
import { httpBase } from './guards';
import { referencesResource } from '../../css-references';
import { buildTextModel, normalizeWhitespace } from '../../text-model';

/**
 * Untrusted HTML in, stored HTML out: DOMPurify, then Gloss's own rules for links and remote resources, then the text
 * model's whitespace normalization, then a parse round trip until the serialized HTML is stable.
 *
 * Why jsdom rather than linkedom: jsdom parses with parse5, a spec-compliant HTML parser, so the tree we normalize and
 * measure here is the tree the reader's browser will build from the same string (implied <tbody>, <p> auto-closing,
 * CR -> LF...). Readability's own test suite and DOMPurify's Node support both target jsdom; linkedom's htmlparser2
 * tree differs on malformed markup, which is exactly what hostile input is.
 */

const FORBID_TAGS = [
  // Active or embedding content, and anything that changes how the page around it loads or behaves.
  'script', 'style', 'link', 'meta', 'base', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'portal',
  'template', 'noscript', 'slot',
  // Forms and their controls: an article has no business submitting anything.
  'form', 'input', 'button', 'select', 'option', 'optgroup', 'textarea', 'datalist', 'output', 'keygen',
];
// Forbidden elements normally leave their text behind (KEEP_CONTENT); these would leave junk (option lists, button labels).
const FORBID_CONTENTS_EXTRA = ['select', 'option', 'optgroup', 'datalist', 'textarea', 'button', 'object', 'applet', 'embed'];

const CONFIG: Config = {
  // HTML only: inline SVG and MathML can load resources (<image href>, <use href>) and the text model skips them anyway.
  USE_PROFILES: { html: true },
  FORBID_TAGS,
  ADD_FORBID_CONTENTS: FORBID_CONTENTS_EXTRA,
  // style can load url(...) and hide or overlay text; background loads an image; the rest act or ping.
  FORBID_ATTR: ['style', 'background', 'action', 'formaction', 'ping', 'srcdoc', 'target', 'download'],
  // Source data-* attributes are dropped: data-src/data-srcset are ours (set below) and the reader trusts them.
  ALLOW_DATA_ATTR: false,
  RETURN_DOM_FRAGMENT: true,
};

const LINK_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);
const FETCH_PROTOCOLS = new Set(['http:', 'https:']);
/** Attributes that make the browser fetch, and the inert names the reader's consent step restores them from. */
const DEFERRED_ATTRS: ReadonlyArray<readonly [string, string]> = [
  ['src', 'data-src'],
  ['srcset', 'data-srcset'],
  ['poster', 'data-poster'],
];

interface Env {
  window: JSDOM['window'];
  purify: DOMPurify;
}

let env: Env | undefined;
/** Base URL for the sanitize call in progress; DOMPurify hooks are per instance and sanitize() is synchronous. */
let currentBase: string | undefined;
/** True while sanitizing HTML that Gloss itself stored (a backup): its data-src etc. are read back and checked again. */
let rereading = false;
/** True while sanitizing a book whose in-document links (`#ch-3-note12`) the importer made itself (import/epub/). */
let keepingFragments = false;

let jsdomModule: typeof import('jsdom') | undefined;

/**
 * Loads jsdom on first use. It costs most of a second of CPU to load, and browser mode, the CLI and the desktop app
 * should start without paying that until something is actually imported. Every import path awaits this first.
 */
export async function loadDomLibrary(): Promise<void> {
  jsdomModule ??= await import('jsdom');
}

/** A quiet jsdom: no scripts, no subresources, CSS parse errors not echoed to the console. */
export function makeDom(html: string, url?: string): JSDOM {
  // Callers that skipped loadDomLibrary() (tests of one importer) still work: load it synchronously then.
  jsdomModule ??= createRequire(import.meta.url)('jsdom') as typeof import('jsdom');
  const { JSDOM: Dom, VirtualConsole } = jsdomModule;
  return new Dom(html, { url, virtualConsole: new VirtualConsole() });
}

function getEnv(): Env {
  if (env) return env;
  const { window } = makeDom('<!DOCTYPE html><html><head></head><body></body></html>');
  const purify = createDOMPurify(window as unknown as WindowLike);
  purify.addHook('beforeSanitizeAttributes', (node) => {
    if (rereading && node.nodeType === 1) readBackDeferred(node as Element);
  });
  purify.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeType === 1) rewriteUrls(node as Element);
  });
  env = { window, purify };
  return env;
}

function resolve(value: string, base: string | undefined): URL | null {
  try {
    return base ? new URL(value.trim(), base) : new URL(value.trim());
  } catch {
    return null;
  }
}

/**
 * Links keep an absolute http(s)/mailto href and are marked to open outside the app; any other href (javascript:,
 * data:, relative without a base, in-page anchors) is removed and the text stays. Resource URLs move to data-*
 * attributes so nothing remote loads until the reader asks for consent; data: URLs survive only as images.
 */
function rewriteUrls(el: Element): void {
  const tag = el.tagName.toUpperCase();
  // No attribute may name a resource in CSS terms, however escaped (the reader applies the same check when showing).
  for (const { name, value } of Array.from(el.attributes)) {
    if (!(name === 'href' && (tag === 'A' || tag === 'AREA')) && referencesResource(value)) el.removeAttribute(name);
  }
  const href = el.getAttribute('href');
  if (href !== null && keepingFragments && (tag === 'A' || tag === 'AREA') && /^#[^\s#]+$/.test(href)) {
    // An in-document link: it stays in the reader, so it gets no target and no rel.
  } else if (href !== null) {
    const url = (tag === 'A' || tag === 'AREA') && resolve(href, currentBase);
    if (url && LINK_PROTOCOLS.has(url.protocol)) {
      el.setAttribute('href', url.href);
      el.setAttribute('rel', 'noopener noreferrer nofollow');
      el.setAttribute('target', '_blank');
    } else {
      el.removeAttribute('href');
    }
  }
  const imageLike = tag === 'IMG' || tag === 'SOURCE';
  for (const [attr, inert] of DEFERRED_ATTRS) {
    const value = el.getAttribute(attr);
    if (value === null) continue;
    el.removeAttribute(attr);
    const safe = attr === 'srcset' ? safeSrcset(value) : safeResource(value, imageLike && attr === 'src');
    if (safe) el.setAttribute(inert, safe);
  }
}

/** Stored HTML holds data-src (etc.) where the page had src: put them back so the rules below check them again. */
function readBackDeferred(el: Element): void {
  for (const [attr, inert] of DEFERRED_ATTRS) {
    const value = el.getAttribute(inert);
    if (value === null) continue;
    el.removeAttribute(inert);
    if (!el.hasAttribute(attr)) el.setAttribute(attr, value);
  }
}

function safeResource(value: string, allowDataImage: boolean): string | null {
  if (allowDataImage && /^\s*data:image\//i.test(value)) return value.trim();
  const url = resolve(value, currentBase);
  return url && FETCH_PROTOCOLS.has(url.protocol) ? url.href : null;
}

/** srcset candidates are "url [descriptor]" separated by commas; every URL must be http(s) or the whole set goes. */
function safeSrcset(value: string): string | null {
  const out: string[] = [];
  for (const candidate of value.split(/,\s+/)) {
    const [u, ...descriptors] = candidate.trim().split(/\s+/);
    if (!u) continue;
    const url = resolve(u.replace(/,$/, ''), currentBase);
    if (!url || !FETCH_PROTOCOLS.has(url.protocol)) return null;
    out.push([url.href, ...descriptors].join(' '));
  }
  return out.length > 0 ? out.join(', ') : null;
}

/**
 * A browser drops one newline right after <pre>'s start tag when parsing, so a <pre> whose text begins with "\n" would
 * lose it in the reader and shift every offset after it; leading blank lines in a code block carry no meaning, so drop
 * them. Trailing newlines go too (markdown-it ends every code block with one): otherwise the text model would put three
 * newlines between the code and the next paragraph instead of the canonical blank line.
 */
function trimPreNewlines(root: Element): void {
  for (const pre of Array.from(root.querySelectorAll('pre, listing'))) {
    const first = pre.firstChild;
    if (first && first.nodeType === 3) setOrRemove(first as Text, (first as Text).data.replace(/^(?:\r?\n)+/, ''));
    const last = lastTextIn(pre);
    if (last) setOrRemove(last, last.data.replace(/(?:\r?\n)+$/, ''));
  }
}

function lastTextIn(node: Node): Text | null {
  for (let child = node.lastChild; child; child = child.previousSibling) {
    if (child.nodeType === 3) return child as Text;
    const inner = lastTextIn(child);
    if (inner) return inner;
  }
  return null;
}

function setOrRemove(t: Text, data: string): void {
  if (data.length === 0) t.remove();
  else if (data !== t.data) t.data = data;
}

export interface SafeHtml {
  html: string;
  text: string;
  /** The <article> parsed from `html`, for callers that read headings or other structure. */
  root: HTMLElement;
}

/** Sanitizes `dirty`, normalizes whitespace and returns HTML plus the text model's text of that very HTML. */
export function sanitizeArticleHtml(dirty: string, baseUrl?: string, options: { keepFragmentLinks?: boolean } = {}): SafeHtml {
  keepingFragments = options.keepFragmentLinks === true;
  try {
    return sanitize(dirty, baseUrl, false);
  } finally {
    keepingFragments = false;
  }
}

/**
 * HTML that comes back from a file rather than from a page — a backup being restored — goes through the very same
 * sanitizer as an import (one profile, one set of rules), with the resources the importer deferred (data-src,
 * data-srcset, data-poster) read back as what they stand for so they are judged again. The article's `text` is what
 * its highlights point into, so the result is kept only if its text is still exactly that text; otherwise the article
 * goes without HTML (the reader shows its plain text, and no highlight moves). For Gloss's own backups nothing changes:
 * stored HTML is already a fixed point of this function.
 */
export function resanitizeStoredHtml(html: string, text: string, source?: string): string | undefined {
  // The plain-text importer's HTML — <p> elements of escaped text, no other tag, no attribute — holds nothing to
  // sanitize, and parsing a novel's worth of it costs seconds (Moby-Dick: ~8 s here). The reader checks its text.
  if (ONLY_TEXT_PARAGRAPHS.test(html)) return html;
  const safe = sanitize(html, httpBase(source), true);
  return safe.text === text ? safe.html : undefined;
}

/** HTML as the plain-text importer writes it (the reader's render-article.ts has the same test). */
const ONLY_TEXT_PARAGRAPHS = /^(?:<p>[^<>]*<\/p>)*$/;

function sanitize(dirty: string, baseUrl: string | undefined, stored: boolean): SafeHtml {
  const { window, purify } = getEnv();
  const doc = window.document;
  currentBase = baseUrl;
  rereading = stored;
  let fragment: DocumentFragment;
  try {
    fragment = purify.sanitize(dirty, CONFIG) as unknown as DocumentFragment;
  } finally {
    currentBase = undefined;
    rereading = false;
  }
  let root = doc.createElement('article');
  root.appendChild(fragment);
  let html = tidy(root);
  // Serializing and re-parsing is what the reader will do; repeat until that round trip changes nothing, so the stored
  // HTML is a fixed point of parse + normalize + serialize (CR from &#13; becoming LF, <pre> newlines, etc.).
  for (let i = 0; i < 4; i++) {
    root = parseArticle(html, doc);
    const again = tidy(root);
    if (again === html) break;
    html = again;
  }
  // Measure the text on a fresh parse of the final string: exactly what a browser will hold.
  root = parseArticle(html, doc);
  return { html, text: buildTextModel(root).text, root };
}

function tidy(root: HTMLElement): string {
  trimPreNewlines(root);
  normalizeWhitespace(root);
  return root.innerHTML;
}

function parseArticle(html: string, doc: Document): HTMLElement {
  const article = doc.createElement('article');
  article.innerHTML = html;
  return article;
}
