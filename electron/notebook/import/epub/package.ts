import { cleanTitle, refuse } from '../guards';
import type { ZipArchive } from './zip';

/**
 * The EPUB's package: META-INF/container.xml names the OPF; the OPF holds the metadata, the manifest (every file with
 * its media type) and the spine (the reading order). Paths here are zip entry names, already resolved and decoded.
 */

export interface ManifestItem {
  id: string;
  path: string;
  mediaType: string;
  properties: string[];
}

export interface EpubPackage {
  opfPath: string;
  title?: string;
  subtitle?: string;
  creators: string[];
  language?: string;
  identifier?: string;
  isbn?: string;
  publisher?: string;
  date?: string;
  /** The spine's page-progression-direction: 'rtl' for a right-to-left book. */
  direction?: 'ltr' | 'rtl';
  manifest: Map<string, ManifestItem>;
  /** Spine items in reading order; `linear: false` ones (cover, a contents page) are auxiliary. */
  spine: { item: ManifestItem; linear: boolean }[];
  /** The EPUB 3 navigation document, when there is one. */
  nav?: ManifestItem;
  /** The EPUB 2 NCX, when there is one. */
  ncx?: ManifestItem;
}

export const OPF_NS = 'http://www.idpf.org/2007/opf';
export const DC_NS = 'http://purl.org/dc/elements/1.1/';

export type XmlParser = (source: string, type: 'application/xml' | 'application/xhtml+xml' | 'text/html') => Document;

/** Resolves `href` (relative, percent-encoded, maybe with a #fragment) against the entry `from`: path and fragment. */
export function resolveHref(from: string, href: string): { path: string; fragment: string } | null {
  try {
    const url = new URL(href.trim(), `http://epub.invalid/${from.split('/').map(encodeURIComponent).join('/')}`);
    if (url.host !== 'epub.invalid' || url.protocol !== 'http:') return null;
    return { path: decodeURIComponent(url.pathname.slice(1)), fragment: decodeURIComponent(url.hash.slice(1)) };
  } catch {
    return null;
  }
}

export function isExternalHref(href: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(href.trim());
}

function parseXml(parse: XmlParser, source: string, name: string, what: string): Document {
  const doc = parse(source, 'application/xml');
  if (doc.getElementsByTagName('parsererror').length > 0 || !doc.documentElement) {
    throw refuse(name, `its ${what} is not well-formed XML`);
  }
  return doc;
}

export function readPackage(zip: ZipArchive, parse: XmlParser, name: string): EpubPackage {
  if (zip.entries.has('META-INF/encryption.xml')) assertNotEncrypted(zip, parse, name);
  const containerXml = zip.readText('META-INF/container.xml');
  if (containerXml === undefined) throw refuse(name, 'it is not an EPUB (no META-INF/container.xml)');
  const container = parseXml(parse, containerXml, name, 'META-INF/container.xml');
  const rootfiles = Array.from(container.getElementsByTagNameNS('*', 'rootfile'));
  const rootfile =
    rootfiles.find((r) => r.getAttribute('media-type') === 'application/oebps-package+xml') ?? rootfiles[0];
  const opfHref = rootfile?.getAttribute('full-path');
  if (!opfHref) throw refuse(name, 'its container.xml names no package (OPF) file');
  const opfPath = resolveHref('', opfHref)?.path ?? opfHref;
  const opfXml = zip.readText(opfPath);
  if (opfXml === undefined) throw refuse(name, `its package file "${opfPath}" is missing`);
  const opf = parseXml(parse, opfXml, name, `package file "${opfPath}"`);

  const metadata = opf.getElementsByTagNameNS('*', 'metadata')[0];
  const dc = (local: string): Element[] => (metadata ? Array.from(metadata.getElementsByTagNameNS(DC_NS, local)) : []);
  const text = (el: Element | undefined): string | undefined => cleanTitle(el?.textContent);
  const refines = new Map<string, Map<string, string>>();
  for (const meta of metadata ? Array.from(metadata.getElementsByTagNameNS('*', 'meta')) : []) {
    const target = meta.getAttribute('refines')?.replace(/^#/, '');
    const property = meta.getAttribute('property');
    if (!target || !property) continue;
    if (!refines.has(target)) refines.set(target, new Map());
    refines.get(target)!.set(property, (meta.textContent ?? '').trim());
  }
  const titleType = (el: Element) => refines.get(el.getAttribute('id') ?? '')?.get('title-type');
  const titles = dc('title');
  const main = titles.find((t) => titleType(t) === 'main') ?? titles[0];
  const sub = titles.find((t) => titleType(t) === 'subtitle');

  const identifiers = dc('identifier');
  const uniqueId = opf.documentElement.getAttribute('unique-identifier');
  const identifier = text(identifiers.find((i) => uniqueId && i.getAttribute('id') === uniqueId) ?? identifiers[0]);
  const isbn = identifiers.map((i) => isbnOf(i)).find((v) => v !== undefined);

  const manifest = new Map<string, ManifestItem>();
  for (const item of Array.from(opf.getElementsByTagNameNS('*', 'item'))) {
    const id = item.getAttribute('id');
    const href = item.getAttribute('href');
    const resolved = href ? resolveHref(opfPath, href) : null;
    if (!id || !resolved) continue;
    manifest.set(id, {
      id,
      path: resolved.path,
      mediaType: (item.getAttribute('media-type') ?? '').trim().toLowerCase(),
      properties: (item.getAttribute('properties') ?? '').split(/\s+/).filter(Boolean),
    });
  }
  const spineEl = opf.getElementsByTagNameNS('*', 'spine')[0];
  const spine: EpubPackage['spine'] = [];
  for (const ref of spineEl ? Array.from(spineEl.getElementsByTagNameNS('*', 'itemref')) : []) {
    const item = manifest.get(ref.getAttribute('idref') ?? '');
    if (item && isDocument(item)) spine.push({ item, linear: ref.getAttribute('linear')?.trim() !== 'no' });
  }
  if (spine.length === 0) throw refuse(name, 'its package lists no chapters to read (the spine is empty)');

  const ppd = spineEl?.getAttribute('page-progression-direction')?.trim().toLowerCase();
  const items = Array.from(manifest.values());
  const ncxId = spineEl?.getAttribute('toc');
  return {
    opfPath,
    title: text(main),
    subtitle: sub && sub !== main ? text(sub) : undefined,
    creators: dc('creator').map((c) => text(c)).filter((c): c is string => c !== undefined),
    language: text(dc('language')[0]),
    identifier,
    isbn,
    publisher: text(dc('publisher')[0]),
    date: text(dc('date')[0]),
    direction: ppd === 'rtl' || ppd === 'ltr' ? ppd : undefined,
    manifest,
    spine,
    nav: items.find((i) => i.properties.includes('nav')),
    ncx: (ncxId && manifest.get(ncxId)) || items.find((i) => i.mediaType === 'application/x-dtbncx+xml'),
  };
}

function isDocument(item: ManifestItem): boolean {
  return item.mediaType === 'application/xhtml+xml' || item.mediaType === 'text/html' || /\.x?html?$/i.test(item.path);
}

/** An ISBN-13 or ISBN-10 in an identifier ("urn:isbn:978...", opf:scheme="ISBN", or bare digits with a valid length). */
function isbnOf(el: Element): string | undefined {
  const raw = (el.textContent ?? '').trim();
  const scheme = el.getAttributeNS(OPF_NS, 'scheme') ?? el.getAttribute('opf:scheme') ?? '';
  const said = /isbn/i.test(scheme) || /^urn:isbn:/i.test(raw) || /^isbn[:\s]/i.test(raw);
  const digits = raw.replace(/^(urn:)?isbn:?\s*/i, '').replace(/[-\s]/g, '');
  if (/^97[89]\d{10}$/.test(digits)) return digits;
  if (said && /^\d{9}[\dXx]$/.test(digits)) return digits.toUpperCase();
  return undefined;
}

/**
 * META-INF/encryption.xml lists encrypted resources. Font obfuscation (IDPF's and Adobe's algorithms) is not DRM and
 * leaves the text readable; any other encrypted resource means the book is locked to a reading system.
 */
function assertNotEncrypted(zip: ZipArchive, parse: XmlParser, name: string): void {
  const xml = zip.readText('META-INF/encryption.xml') ?? '';
  let doc: Document;
  try {
    doc = parse(xml, 'application/xml');
  } catch {
    throw refuse(name, 'it is encrypted (DRM) and cannot be read');
  }
  const methods = Array.from(doc.getElementsByTagNameNS('*', 'EncryptionMethod')).map((m) => m.getAttribute('Algorithm') ?? '');
  const fontObfuscation = (a: string) => a === 'http://www.idpf.org/2008/embedding' || a === 'http://ns.adobe.com/pdf/enc#RC';
  if (methods.length === 0 && /EncryptedData/.test(xml)) throw refuse(name, 'it is encrypted (DRM) and cannot be read');
  if (methods.some((m) => !fontObfuscation(m))) {
    throw refuse(name, 'it is encrypted (DRM): its chapters can only be read by the store app it was bought for');
  }
}
