import createDOMPurify from 'dompurify';
import { referencesResource } from '../../../electron/css-references';
import { STORED_IMAGE_NAME } from '../../../electron/contract';

/**
 * Remote content in the reader (issue 5): nothing remote loads until the user asks, links leave only on a click.
 *
 * The importer already moved every src/srcset/poster to data-* attributes. The reader does it again, inside DOMPurify
 * (whose parsing document is inert: nothing in it loads), so even a hand-edited notebook file cannot make the reader
 * fetch an image: the HTML that reaches the live DOM holds no src at all. Only `loadRemoteImages`, run after the
 * user's consent, sets src, and only to https (http is upgraded: a consented image still should not travel in clear).
 * The page's CSP allows https: images for that reason alone; media, frames and fonts stay 'self'.
 * The reader keeps HTML only (render-article.ts): SVG and MathML can load by themselves (<image href>, <use href>,
 * fill/filter/mask="url(...)"), the importer never stores them, and the text model skips them anyway.
 */
export const readerPurify = createDOMPurify(window);

const DEFERRED: ReadonlyArray<readonly [string, string]> = [
  ['src', 'data-src'],
  ['srcset', 'data-srcset'],
  ['poster', 'data-poster'],
];

/** Attributes that fetch something by themselves; none has a place in a stored article. */
const FETCHING_ATTRS = ['background', 'ping', 'lowsrc', 'dynsrc', 'action', 'formaction', 'data', 'codebase', 'manifest'];

readerPurify.addHook('beforeSanitizeAttributes', (node) => {
  if (!(node instanceof Element)) return;
  for (const [attr, inert] of DEFERRED) {
    const value = node.getAttribute(attr);
    if (value === null) continue;
    node.removeAttribute(attr);
    if (!node.hasAttribute(inert)) node.setAttribute(inert, value);
  }
  for (const attr of FETCHING_ATTRS) node.removeAttribute(attr);
  const isLink = node instanceof HTMLAnchorElement || node instanceof HTMLAreaElement;
  for (const { name, value } of [...node.attributes]) {
    // href only on HTML links (an SVG <image>/<use>/<feImage> href loads). No attribute may name a resource in CSS
    // terms (url(), image-set(), @import...), however it is escaped: the same check the importer applies.
    const linkHref = isLink && name === 'href';
    if (((name === 'href' || name.endsWith(':href')) && !isLink) || (!linkHref && referencesResource(value))) node.removeAttribute(name);
  }
});

readerPurify.addHook('afterSanitizeAttributes', (node) => {
  // A link opens outside the app, on a click only: a new browsing context (under Electron the host hands http(s) to
  // the system browser and refuses the window), without our page as opener or referrer.
  if (node instanceof HTMLAnchorElement && node.hasAttribute('href')) {
    // In-document links (#gloss-ref-...: footnotes, sections) scroll within the reader: in-document-links.ts.
    if (node.getAttribute('href')!.startsWith('#')) {
      node.removeAttribute('target');
      return;
    }
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  }
});

/** https for an http(s) URL (http upgraded), the data: image as is, null for anything else. */
function consentedUrl(value: string): string | null {
  const v = value.trim();
  if (/^data:image\//i.test(v)) return v;
  try {
    const url = new URL(v);
    if (url.protocol === 'http:') url.protocol = 'https:';
    return url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

function consentedSrcset(value: string): string | null {
  const out: string[] = [];
  for (const candidate of value.split(/,\s+/)) {
    const [u, ...descriptors] = candidate.trim().split(/\s+/);
    if (!u) continue;
    const url = consentedUrl(u.replace(/,$/, ''));
    if (!url || url.startsWith('data:')) return null;
    out.push([url, ...descriptors].join(' '));
  }
  return out.length ? out.join(', ') : null;
}

function isRemote(value: string | null): boolean {
  return value !== null && /^\s*https?:/i.test(value);
}

/** Images in `root` that would load from the network if allowed. */
export function countRemoteImages(root: HTMLElement): number {
  return [...root.querySelectorAll('img')].filter(
    (img) => isRemote(img.getAttribute('data-src')) || img.hasAttribute('data-srcset') || img.closest('picture')?.querySelector('source[data-srcset]'),
  ).length;
}

/**
 * Images stored with the article at import (issue 17): `gloss-image:<name>` (deferred to data-src like any src) is
 * shown from the notebook through `urlOf` (the client's imageUrls: the app's own origin, never the web). Lazily: the
 * article opens without waiting for its images, and the width/height stored with each keep its box from shifting.
 */
export function showStoredImages(root: HTMLElement, urlOf: (name: string) => string): void {
  for (const img of root.querySelectorAll<HTMLImageElement>('img[data-src^="gloss-image:"]')) {
    const name = img.getAttribute('data-src')!.slice('gloss-image:'.length);
    if (!STORED_IMAGE_NAME.test(name)) continue;
    img.loading = 'lazy'; // before src: an off-screen image is then not fetched at all until scrolled near
    img.decoding = 'async';
    img.src = urlOf(name);
  }
}

/** data: images are part of the article, not a request: they are shown without asking. */
export function showInlineImages(root: HTMLElement): void {
  for (const img of root.querySelectorAll<HTMLImageElement>('img[data-src^="data:image/" i]')) {
    img.src = img.getAttribute('data-src')!;
  }
}

/** After consent: every deferred image gets its (https) src/srcset back, lazily and without a referrer. */
export function loadRemoteImages(root: HTMLElement): void {
  for (const source of root.querySelectorAll<HTMLSourceElement>('picture > source[data-srcset]')) {
    const srcset = consentedSrcset(source.getAttribute('data-srcset')!);
    if (srcset) source.srcset = srcset;
  }
  for (const img of root.querySelectorAll<HTMLImageElement>('img[data-src], img[data-srcset]')) {
    img.referrerPolicy = 'no-referrer';
    img.loading = 'lazy';
    img.decoding = 'async';
    const srcset = img.getAttribute('data-srcset');
    const set = srcset && consentedSrcset(srcset);
    if (set) img.srcset = set;
    const src = img.getAttribute('data-src');
    const url = src && consentedUrl(src);
    if (url) img.src = url;
  }
}

/** Consent withdrawn: deferred images lose their src again (data: images stay). */
export function unloadRemoteImages(root: HTMLElement): void {
  for (const source of root.querySelectorAll<HTMLSourceElement>('picture > source[data-srcset]')) source.removeAttribute('srcset');
  for (const img of root.querySelectorAll<HTMLImageElement>('img[data-src], img[data-srcset]')) {
    img.removeAttribute('srcset');
    if (isRemote(img.getAttribute('data-src')) || !img.getAttribute('data-src')) img.removeAttribute('src');
  }
}
