import createDOMPurify, { type DOMPurify, type WindowLike } from 'dompurify';
import { decodeCssEscapes, referencesResource } from '../../css-references';
import { makeDom } from '../import/sanitize';

/**
 * An SVG image, made safe to store and serve: DOMPurify's SVG profile (no script, no event handlers, no foreignObject),
 * no <style> element, and no reference to anything outside the file (href/xlink:href only to `#id`, CSS url() only to
 * `#id`). Shown through <img> an SVG can neither run script nor fetch, but a stored file can also be opened on its own
 * address, where it would be a document of the app's origin: hence sanitized, and also served with a CSP that allows
 * nothing (electron/main/app-protocol.ts, electron/web/server.ts). Runs in the worker (it parses).
 *
 * Returns the serialized SVG (XML, with its namespace) or null when nothing that is an <svg> remains.
 */
export function sanitizeSvg(text: string): string | null {
  const { purify, window } = svgEnv();
  const fragment = purify.sanitize(text.replace(/^\uFEFF/, '').replace(/<\?xml[^>]*\?>/, '').replace(/<!DOCTYPE[^>]*>/i, ''), {
    USE_PROFILES: { svg: true, svgFilters: true },
    FORBID_TAGS: ['style', 'foreignObject', 'a', 'script', 'use', 'image', 'feImage'],
    RETURN_DOM_FRAGMENT: true,
  }) as unknown as DocumentFragment;
  const svg = Array.from(fragment.childNodes).find((n) => n.nodeType === 1 && (n as Element).localName === 'svg') as Element | undefined;
  if (!svg) return null;
  if (!svg.getAttribute('xmlns')) svg.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  return new window.XMLSerializer().serializeToString(svg);
}

/** The width and height an SVG declares (numbers or px), else its viewBox's; undefined when it says neither. */
export function svgSize(svg: string): { width: number; height: number } | undefined {
  const open = /<svg\b[^>]*>/i.exec(svg)?.[0] ?? '';
  const attr = (name: string): string | undefined => new RegExp(`\\s${name}\\s*=\\s*["']([^"']*)["']`, 'i').exec(open)?.[1];
  const px = (v: string | undefined): number | undefined => {
    const m = v && /^\s*(\d+(?:\.\d+)?)\s*(?:px)?\s*$/.exec(v);
    return m ? Math.round(Number(m[1])) : undefined;
  };
  const [w, h] = [px(attr('width')), px(attr('height'))];
  if (w && h) return { width: w, height: h };
  const box = attr('viewBox')?.trim().split(/[\s,]+/).map(Number);
  if (box && box.length === 4 && box[2] > 0 && box[3] > 0) return { width: Math.round(box[2]), height: Math.round(box[3]) };
  return undefined;
}

type SvgWindow = { XMLSerializer: typeof XMLSerializer };
let env: { purify: DOMPurify; window: SvgWindow } | undefined;

function svgEnv(): { purify: DOMPurify; window: SvgWindow } {
  if (env) return env;
  const window = makeDom('<!DOCTYPE html><html><body></body></html>').window as unknown as SvgWindow;
  const purify = createDOMPurify(window as unknown as WindowLike);
  purify.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeType !== 1) return;
    const el = node as Element;
    for (const { name, value } of Array.from(el.attributes)) {
      const isHref = name === 'href' || name.endsWith(':href');
      if (isHref ? !value.trim().startsWith('#') : referencesResource(value) && !onlyLocalUrls(value)) el.removeAttribute(name);
    }
  });
  env = { purify, window };
  return env;
}

/** `url(#gradient)` points inside the file; any other fetching function (or url to elsewhere) does not pass. */
function onlyLocalUrls(value: string): boolean {
  const decoded = decodeCssEscapes(value).toLowerCase();
  return !referencesResource(decoded.replace(/url\(\s*(['"]?)#[^'")\s]*\1\s*\)/g, ''));
}
