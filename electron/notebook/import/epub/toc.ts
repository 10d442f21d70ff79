import { cleanTitle } from '../guards';
import { resolveHref, type XmlParser } from './package';
import type { ZipArchive } from './zip';

/** One table-of-contents entry as the book gives it: a label and the file (and #fragment) it points to. */
export interface RawTocEntry {
  label: string;
  path: string;
  fragment: string;
  /** 0 for top-level entries. */
  depth: number;
}

export const OPS_NS = 'http://www.idpf.org/2007/ops';
/** Beyond this the table is junk or an attack; a real book's contents fit easily. */
const MAX_ENTRIES = 5_000;

/** EPUB 3: the <nav epub:type="toc"> of the navigation document (its first <nav> when none says so). */
export function readNavToc(zip: ZipArchive, parse: XmlParser, navPath: string): RawTocEntry[] {
  const source = zip.readText(navPath);
  if (source === undefined) return [];
  const doc = parseLenient(parse, source);
  const navs = Array.from(doc.getElementsByTagNameNS('*', 'nav'));
  const nav = navs.find((n) => epubTypes(n).includes('toc')) ?? navs[0];
  if (!nav) return [];
  const out: RawTocEntry[] = [];
  const walkList = (list: Element, depth: number): void => {
    for (const li of Array.from(list.children)) {
      if (li.localName !== 'li' || out.length >= MAX_ENTRIES) continue;
      const head = Array.from(li.children).find((c) => c.localName === 'a' || c.localName === 'span');
      const label = cleanTitle(head?.textContent);
      const href = head?.localName === 'a' ? head.getAttribute('href') : null;
      const target = href ? resolveHref(navPath, href) : null;
      if (label && target) out.push({ label, path: target.path, fragment: target.fragment, depth });
      const sub = Array.from(li.children).find((c) => c.localName === 'ol' || c.localName === 'ul');
      // A heading-only entry (a <span>) still groups its children: they keep their depth.
      if (sub) walkList(sub, label && target ? depth + 1 : depth);
    }
  };
  const top = Array.from(nav.children).find((c) => c.localName === 'ol' || c.localName === 'ul');
  if (top) walkList(top, 0);
  return out;
}

/** EPUB 2: the NCX's navMap, navPoints nested to any depth. */
export function readNcxToc(zip: ZipArchive, parse: XmlParser, ncxPath: string): RawTocEntry[] {
  const source = zip.readText(ncxPath);
  if (source === undefined) return [];
  const doc = parse(source, 'application/xml');
  if (doc.getElementsByTagName('parsererror').length > 0) return [];
  const navMap = doc.getElementsByTagNameNS('*', 'navMap')[0];
  if (!navMap) return [];
  const out: RawTocEntry[] = [];
  const walk = (parent: Element, depth: number): void => {
    for (const point of Array.from(parent.children)) {
      if (point.localName !== 'navPoint' || out.length >= MAX_ENTRIES) continue;
      const labelEl = Array.from(point.children).find((c) => c.localName === 'navLabel');
      const label = cleanTitle(labelEl?.textContent);
      const content = Array.from(point.children).find((c) => c.localName === 'content');
      const src = content?.getAttribute('src');
      const target = src ? resolveHref(ncxPath, src) : null;
      if (label && target) out.push({ label, path: target.path, fragment: target.fragment, depth });
      walk(point, depth + 1);
    }
  };
  walk(navMap, 0);
  return out;
}

export function epubTypes(el: Element): string[] {
  const value = el.getAttributeNS(OPS_NS, 'type') ?? el.getAttribute('epub:type') ?? '';
  return value.split(/\s+/).filter(Boolean);
}

/** XHTML as XML; a document that is not well-formed (it happens) is read as HTML instead. */
export function parseLenient(parse: XmlParser, source: string): Document {
  const doc = parse(source, 'application/xhtml+xml');
  if (doc.getElementsByTagName('parsererror').length === 0 && doc.documentElement) return doc;
  return parse(source, 'text/html');
}
