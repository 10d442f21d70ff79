import createDOMPurify, { type Config, type DOMPurify, type WindowLike } from 'dompurify';
import type { JSDOM } from 'jsdom';
import { createRequire } from 'node:module';
import { httpBase } from './guards';
import type { ImageResolver } from './images';
import { IMAGE_REF_PREFIX, STORED_IMAGE_NAME } from '../../contract';
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
/** Stores the images of the sanitize call in progress (import/images.ts); absent: images stay deferred as before. */
let currentImages: ImageResolver | undefined;
/** Addresses that mean "this very document" (its source, its <base>): a link to one of them plus #id is in-document. */
let currentSelf: ReadonlySet<string> = new Set();
/** Each <img> the resolver stored, and what it became, from the hook that sees its raw src to the one that writes it. */
const resolvedImages = new WeakMap<Element, { name: string; width?: number; height?: number }>();

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
    if (node.nodeType !== 1) return;
    if (rereading) readBackDeferred(node as Element);
    prefixIds(node as Element);
    if ((node as Element).tagName.toUpperCase() === 'IMG') resolveImage(node as Element);
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
  if (href !== null) {
    const url = (tag === 'A' || tag === 'AREA') && resolve(href, currentBase);
    const target = (tag === 'A' || tag === 'AREA') && inDocumentTarget(href, url || null);
    if (target) {
      // A footnote, a reference, "see section 3": the reader scrolls to it (renderer/src/reader/in-document-links.ts).
      el.setAttribute('href', `#${ID_PREFIX}${target}`);
      el.removeAttribute('target');
      el.removeAttribute('rel');
    } else if (url && LINK_PROTOCOLS.has(url.protocol)) {
      el.setAttribute('href', url.href);
      el.setAttribute('rel', 'noopener noreferrer nofollow');
      el.setAttribute('target', '_blank');
    } else {
      el.removeAttribute('href');
    }
  }
  const imageLike = tag === 'IMG' || tag === 'SOURCE';
  const stored = tag === 'IMG' ? resolvedImages.get(el) : undefined;
  if (stored) {
    // Stored at import: the reader maps the reference to its host's address; the size reserves the box (no shift).
    for (const attr of ['src', 'srcset', 'data-src', 'data-srcset', 'width', 'height', 'loading']) el.removeAttribute(attr);
    el.setAttribute('src', `${IMAGE_REF_PREFIX}${stored.name}`);
    if (stored.width && stored.height) {
      el.setAttribute('width', String(stored.width));
      el.setAttribute('height', String(stored.height));
    }
    el.setAttribute('loading', 'lazy');
    return;
  }
  for (const [attr, inert] of DEFERRED_ATTRS) {
    const value = el.getAttribute(attr);
    if (value === null) continue;
    el.removeAttribute(attr);
    const safe = attr === 'srcset' ? safeSrcset(value) : safeResource(value, imageLike && attr === 'src');
    if (safe) el.setAttribute(inert, safe);
  }
}

/**
 * Ids become `gloss-ref-<id>` (and an old-style `<a name>` becomes such an id): a page's id can never name a property
 * of the reader's document (DOM clobbering: id="location", name="cookie") nor collide with the app's own ids, and
 * in-document links are rewritten to match. Stored HTML, read back, is already prefixed.
 */
export const ID_PREFIX = 'gloss-ref-';

function prefixIds(el: Element): void {
  const id = el.getAttribute('id');
  const name = el.getAttribute('name');
  if (name !== null) el.removeAttribute('name');
  const own = id ?? (el.tagName.toUpperCase() === 'A' ? name : null);
  if (own === null || own.trim() === '') {
    if (id !== null) el.removeAttribute('id');
    return;
  }
  el.setAttribute('id', rereading && own.startsWith(ID_PREFIX) ? own : `${ID_PREFIX}${own}`);
}

/**
 * The id an in-document link points to (without the prefix), or null for a link elsewhere: `#id`, or this document's
 * own address (its source or <base>) with `#id`. Stored HTML's links (rereading) already carry the prefix.
 */
function inDocumentTarget(href: string, url: URL | null): string | null {
  const raw = href.trim();
  let fragment: string | null = null;
  if (raw.startsWith('#')) fragment = raw.slice(1);
  else if (url && url.hash.length > 1 && currentSelf.has(withoutHash(url))) fragment = url.hash.slice(1);
  if (fragment === null || fragment === '') return null;
  try {
    fragment = decodeURIComponent(fragment);
  } catch {
    /* kept as written */
  }
  if (rereading && fragment.startsWith(ID_PREFIX)) return fragment.slice(ID_PREFIX.length);
  return fragment;
}

function withoutHash(url: URL): string {
  const copy = new URL(url.href);
  copy.hash = '';
  return copy.href;
}

/**
 * The <img>'s raw src and srcset (and, read back, data-src), handed to the resolver before DOMPurify judges them.
 * HTML Gloss stored (rereading) keeps its stored images' references; a page's own `gloss-image:` goes (DOMPurify
 * drops the unknown scheme), so an imported page cannot point at another article's images.
 */
function resolveImage(el: Element): void {
  const src = el.getAttribute('src');
  const ref = rereading && src ? storedReference(src) : null;
  if (ref) {
    const size = (attr: string): number | undefined => (/^\d{1,6}$/.test(el.getAttribute(attr) ?? '') ? Number(el.getAttribute(attr)) : undefined);
    resolvedImages.set(el, { name: ref, width: size('width'), height: size('height') });
    return;
  }
  if (!currentImages) return;
  const candidates = [src, ...srcsetUrls(el.getAttribute('srcset'))].filter((v): v is string => Boolean(v && v.trim()));
  const stored = currentImages.resolve(candidates, currentBase);
  if (stored) resolvedImages.set(el, stored);
}

function storedReference(src: string): string | null {
  const value = src.trim();
  if (!value.startsWith(IMAGE_REF_PREFIX)) return null;
  const name = value.slice(IMAGE_REF_PREFIX.length);
  return STORED_IMAGE_NAME.test(name) ? name : null;
}

/** A srcset's URLs, widest (or highest density) first. */
export function srcsetUrls(value: string | null): string[] {
  if (!value) return [];
  const parsed = value
    .split(/,\s+/)
    .map((c) => c.trim().split(/\s+/))
    .filter(([u]) => Boolean(u))
    .map(([u, d]) => ({ url: u.replace(/,$/, ''), size: d ? parseFloat(d) || 0 : 1 }));
  return parsed.sort((a, b) => b.size - a.size).map((c) => c.url);
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
export function sanitizeArticleHtml(dirty: string, baseUrl?: string, options: SanitizeOptions = {}): SafeHtml {
  return sanitize(dirty, baseUrl, false, options);
}

export interface SanitizeOptions {
  /** Stores the article's images as it meets them (import/images.ts); without it images stay deferred (data-src). */
  images?: ImageResolver;
  /** Other addresses of this same document (its <base>, its canonical URL): links to them with #id stay in-document. */
  selfUrls?: readonly string[];
}

/**
 * HTML that comes back from a file rather than from a page — a backup being restored — goes through the very same
 * sanitizer as an import (one profile, one set of rules), with the resources the importer deferred (data-src,
 * data-srcset, data-poster) read back as what they stand for so they are judged again. The article's `text` is what
 * its highlights point into, so the result is kept only if its text is still exactly that text; otherwise the article
 * goes without HTML (the reader shows its plain text, and no highlight moves). For Gloss's own backups nothing changes:
 * stored HTML is already a fixed point of this function.
 */
export function resanitizeStoredHtml(html: string, text: string, source?: string, options: SanitizeOptions = {}): string | undefined {
  // The plain-text importer's HTML — <p> elements of escaped text, no other tag, no attribute — holds nothing to
  // sanitize, and parsing a novel's worth of it costs seconds (Moby-Dick: ~8 s here). The reader checks its text.
  if (ONLY_TEXT_PARAGRAPHS.test(html)) return html;
  const safe = sanitize(html, httpBase(source), true, options);
  return safe.text === text ? safe.html : undefined;
}

/** HTML as the plain-text importer writes it (the reader's render-article.ts has the same test). */
const ONLY_TEXT_PARAGRAPHS = /^(?:<p>[^<>]*<\/p>)*$/;

function sanitize(dirty: string, baseUrl: string | undefined, stored: boolean, options: SanitizeOptions = {}): SafeHtml {
  const { window, purify } = getEnv();
  const doc = window.document;
  currentBase = baseUrl;
  rereading = stored;
  currentImages = options.images;
  currentSelf = new Set(
    [baseUrl, ...(options.selfUrls ?? [])].flatMap((u) => {
      const url = u ? resolve(u, undefined) : null;
      return url ? [withoutHash(url)] : [];
    }),
  );
  let fragment: DocumentFragment;
  try {
    fragment = purify.sanitize(dirty, CONFIG) as unknown as DocumentFragment;
  } finally {
    currentBase = undefined;
    rereading = false;
    currentImages = undefined;
    currentSelf = new Set();
  }
  let root = doc.createElement('article');
  root.appendChild(fragment);
  settleInDocumentLinks(root);
  dropSourcesOfStoredImages(root);
  let html = tidy(root);
  // Serializing and re-parsing is what the reader will do; repeat until that round trip changes nothing, so the stored
  // HTML is a fixed point of parse + normalize + serialize (CR from &#13; becoming LF, <pre> newlines, etc.).
  let stable = false;
  for (let i = 0; i < 4 && !stable; i++) {
    root = parseArticle(html, doc);
    const again = tidy(root);
    stable = again === html;
    html = again;
  }
  // Measure the text on a fresh parse of the final string: exactly what a browser will hold. When the last round trip
  // changed nothing, `root` is that parse already (tidying it left it as parsed), so a novel is not parsed a third time.
  if (!stable) root = parseArticle(html, doc);
  return { html, text: buildTextModel(root).text, root };
}

/**
 * An in-document link whose target is not in the article (Readability left the references out, say) leads nowhere:
 * it loses its href and keeps its words, as any other unusable link does.
 */
function settleInDocumentLinks(root: HTMLElement): void {
  const links = root.querySelectorAll(`a[href^="#${ID_PREFIX}"], area[href^="#${ID_PREFIX}"]`);
  if (links.length === 0) return;
  const ids = new Set(Array.from(root.querySelectorAll('[id]'), (el) => el.id));
  for (const link of Array.from(links)) {
    if (!ids.has(link.getAttribute('href')!.slice(1))) link.removeAttribute('href');
  }
}

/** A <picture>'s <source>s would compete with its stored <img> (and ask for consent to load): the stored one is it. */
function dropSourcesOfStoredImages(root: HTMLElement): void {
  for (const img of Array.from(root.querySelectorAll(`picture > img[src^="${IMAGE_REF_PREFIX}"]`))) {
    for (const source of Array.from(img.parentElement!.querySelectorAll(':scope > source'))) source.remove();
  }
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
