import type { BookInfo, TocEntry } from '../../../contract';
import { buildTextModel, indexNodes, textOffsetOf } from '../../../text-model';
import { GlossError } from '../../errors';
import { cleanTitle, formatBytes, refuse } from '../guards';
import { ImageCollector, type ImageAttachment } from '../images';
import { ID_PREFIX, makeDom, sanitizeArticleHtml } from '../sanitize';
import type { ImportedArticle } from '../types';
import { isExternalHref, readPackage, resolveHref, type EpubPackage, type XmlParser } from './package';
import { epubTypes, OPS_NS, parseLenient, readNavToc, readNcxToc, type RawTocEntry } from './toc';
import { openZip, type ZipArchive } from './zip';

/**
 * An EPUB becomes one article: every spine document, in reading order, sanitized into one HTML document with a
 * `<section id="ch-N">` per chapter, so highlights anchor exactly as in a web page (one text, one text model). Ids get
 * the chapter's prefix (`ch-3-note12`), so ids from different files cannot clash, and links between the book's files
 * become in-document `#ch-3-note12` links (footnotes, "see chapter 5"). The table of contents (EPUB 3 nav, else EPUB 2
 * NCX, else each chapter's first heading) is stored as offsets into the text: the outline panel and the Markdown
 * export read it without parsing anything.
 */

export interface EpubImportInput {
  bytes: Uint8Array;
  /** Quoted name for messages ("book.epub"). */
  name: string;
  /** An explicit title from the user wins over the book's. */
  title?: string;
}

/** HTML of all chapters together, before sanitizing: a bound on what DOMPurify and jsdom are asked to hold. */
const MAX_BOOK_HTML_CHARS = 96 * 1024 * 1024;
const RTL_LANGUAGES = /^(ar|arc|dv|fa|ha|he|khw|ks|ku|ps|sd|ur|yi)(-|$)/i;
const NOTE_ROLES: Record<string, string> = {
  noteref: 'doc-noteref',
  footnote: 'doc-footnote',
  endnote: 'doc-endnote',
  rearnote: 'doc-endnote',
  note: 'doc-footnote',
  footnotes: 'doc-endnotes',
  endnotes: 'doc-endnotes',
  rearnotes: 'doc-endnotes',
  backlink: 'doc-backlink',
  pagebreak: 'doc-pagebreak',
};

export function importEpub(input: EpubImportInput): ImportedArticle {
  const { name } = input;
  if (input.bytes.byteLength === 0) throw refuse(name, 'it is empty');
  const zip = openZip(input.bytes, name);
  const dom = makeDom('<!DOCTYPE html><html><head></head><body></body></html>');
  try {
    const window = dom.window;
    const parser = new window.DOMParser();
    const parse: XmlParser = (source, type) => parser.parseFromString(source, type);
    const pkg = readPackage(zip, parse, name);
    const book = buildBookHtml(zip, pkg, parse, window.document, name);
    // The pictures the chapters show, stored like a web page's (import/images.ts): the sanitizer hands each <img>'s
    // src, made a zip path above, to the collector, which finds it among the book's files.
    const images = new ImageCollector({ attachments: book.pictures });
    const safe = sanitizeArticleHtml(book.html, undefined, { images });
    if (safe.text.trim().length === 0) throw refuse(name, 'its chapters hold no text');
    const toc = locateToc(safe.root, rawToc(zip, pkg, parse), book.ids, book.chapterIds);

    const info: BookInfo = {
      creators: pkg.creators,
      ...(pkg.identifier && { identifier: pkg.identifier }),
      ...(pkg.isbn && { isbn: pkg.isbn }),
      ...(pkg.language && { language: pkg.language }),
      ...(pkg.publisher && { publisher: pkg.publisher }),
      ...(pkg.direction && { pageProgression: pkg.direction }),
      ...(book.writingMode && { writingMode: book.writingMode }),
    };
    const rtl = pkg.direction === 'rtl' || (pkg.direction === undefined && RTL_LANGUAGES.test(pkg.language ?? ''));
    return {
      title: cleanTitle(input.title) ?? pkg.title ?? name.replace(/^"|"$/g, '').replace(/\.epub$/i, ''),
      byline: pkg.creators.length > 0 ? cleanTitle(pkg.creators.join(', ')) : undefined,
      siteName: pkg.publisher,
      publishedAt: pkg.date,
      lang: pkg.language,
      dir: rtl ? 'rtl' : undefined,
      text: safe.text,
      html: safe.html,
      kind: 'epub',
      toc,
      book: info,
      images: images.result(),
    };
  } finally {
    dom.window.close();
  }
}

interface BookHtml {
  html: string;
  /** "path#fragment" (and bare "path" for a chapter's start) -> the id it has in the book's HTML. */
  ids: Map<string, string>;
  chapterIds: string[];
  /** The book's files its <img>s show, by zip path (each <img src> was rewritten to that path). */
  pictures: ImageAttachment[];
  writingMode?: BookInfo['writingMode'];
}

function buildBookHtml(zip: ZipArchive, pkg: EpubPackage, parse: XmlParser, out: Document, name: string): BookHtml {
  const linear = pkg.spine.filter((s) => s.linear);
  const items = (linear.length > 0 ? linear : pkg.spine).map((s) => s.item);
  const ids = new Map<string, string>();
  const chapterIds: string[] = [];
  const links: { el: Element; path: string; fragment: string }[] = [];
  const sections: Element[] = [];
  const pictures = new Map<string, ImageAttachment>();
  let size = 0;

  items.forEach((item, index) => {
    const source = zip.readText(item.path);
    if (source === undefined) return; // a manifest entry without its file: the rest of the book still reads
    const doc = parseLenient(parse, source);
    const html = doc.documentElement;
    const body = doc.getElementsByTagNameNS('*', 'body')[0] ?? html;
    const chapterId = `ch-${index + 1}`;
    const section = out.createElement('section');
    section.id = chapterId;
    const dir = body.getAttribute('dir') ?? html?.getAttribute('dir');
    if (dir === 'rtl' || dir === 'ltr') section.setAttribute('dir', dir);
    const lang = langOf(body) ?? langOf(html);
    if (lang) section.setAttribute('lang', lang);
    plainXmlNodes(body);
    svgPicturesAsImages(body);
    for (const child of Array.from(body.childNodes)) section.appendChild(out.importNode(child, true));
    ids.set(item.path, chapterId);
    chapterIds.push(chapterId);

    for (const el of Array.from(section.querySelectorAll('*'))) {
      const id = el.getAttribute('id');
      if (id) {
        const renamed = `${chapterId}-${id}`;
        el.setAttribute('id', renamed);
        if (!ids.has(`${item.path}#${id}`)) ids.set(`${item.path}#${id}`, renamed);
      }
      const types = epubTypes(el);
      if (types.length > 0) {
        const role = types.map((t) => NOTE_ROLES[t]).find(Boolean);
        if (role && !el.hasAttribute('role')) el.setAttribute('role', role);
        el.removeAttributeNS(OPS_NS, 'type');
        el.removeAttribute('epub:type');
      }
      const xmlLang = el.getAttribute('xml:lang');
      if (xmlLang !== null && !el.hasAttribute('lang')) el.setAttribute('lang', xmlLang);
      const href = el.localName === 'a' || el.localName === 'area' ? el.getAttribute('href') : null;
      if (href !== null && !isExternalHref(href)) {
        const target = resolveHref(item.path, href);
        if (target) links.push({ el, path: target.path, fragment: target.fragment });
        else el.removeAttribute('href');
      }
      if (el.localName === 'img') {
        const src = el.getAttribute('src');
        const target = src && !isExternalHref(src) ? resolveHref(item.path, src) : null;
        el.removeAttribute('srcset');
        // A picture from the book: its src names the zip entry, which the image collector stores. Anything else (a
        // remote address) goes: a book is read offline, and nothing remote loads from it.
        if (target && isPicture(pkg, target.path) && zip.entries.has(target.path)) {
          if (!pictures.has(target.path)) pictures.set(target.path, { name: target.path, bytes: zip.read(target.path)! });
          el.setAttribute('src', target.path);
        } else {
          el.removeAttribute('src');
        }
      }
    }
    size += section.outerHTML.length;
    if (size > MAX_BOOK_HTML_CHARS) {
      throw new GlossError('too_large', `Cannot import ${name}: its chapters hold more than ${formatBytes(MAX_BOOK_HTML_CHARS)} of text`);
    }
    sections.push(section);
  });
  if (sections.length === 0) throw refuse(name, 'none of the chapters its package lists is in the file');

  for (const { el, path, fragment } of links) {
    const id = (fragment && ids.get(`${path}#${fragment}`)) || ids.get(path);
    if (id) el.setAttribute('href', `#${id}`);
    else el.removeAttribute('href'); // a link to a file outside the reading order: the words stay, the link goes
  }
  return {
    html: sections.map((s) => s.outerHTML).join(''),
    ids,
    chapterIds,
    pictures: [...pictures.values()],
    writingMode: writingModeOf(zip, pkg),
  };
}

/** The book's own pictures only: a manifest item with an image type, or at least an image file name. */
function isPicture(pkg: EpubPackage, path: string): boolean {
  for (const item of pkg.manifest.values()) if (item.path === path) return item.mediaType.startsWith('image/');
  return /\.(png|jpe?g|gif|webp|avif|svg)$/i.test(path);
}

/**
 * A cover or a plate is often an <svg> holding one <image> (to scale it); the sanitizer keeps no SVG, so such a
 * picture becomes an <img> with the same file, and the SVG's <title> (if any) as its alt text.
 */
function svgPicturesAsImages(root: Element): void {
  const doc = root.ownerDocument;
  for (const svg of Array.from(root.getElementsByTagNameNS('http://www.w3.org/2000/svg', 'svg'))) {
    const images = svg.getElementsByTagNameNS('http://www.w3.org/2000/svg', 'image');
    if (images.length !== 1) continue;
    const href = images[0].getAttributeNS('http://www.w3.org/1999/xlink', 'href') ?? images[0].getAttribute('href');
    if (!href) continue;
    const img = doc.createElementNS('http://www.w3.org/1999/xhtml', 'img');
    img.setAttribute('src', href);
    img.setAttribute('alt', (svg.getElementsByTagNameNS('http://www.w3.org/2000/svg', 'title')[0]?.textContent ?? '').trim());
    svg.replaceWith(img);
  }
}

/** CDATA sections (an HTML document cannot hold one) become text; processing instructions and comments go. */
function plainXmlNodes(root: Element): void {
  const doc = root.ownerDocument;
  const walker = doc.createTreeWalker(root, 0x8 | 0x40 | 0x80); // SHOW_CDATA_SECTION | PROCESSING_INSTRUCTION | COMMENT
  const found: Node[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) found.push(n);
  for (const n of found) {
    if (n.nodeType === 4) n.parentNode?.replaceChild(doc.createTextNode((n as CDATASection).data), n);
    else n.parentNode?.removeChild(n);
  }
}

function langOf(el: Element | null | undefined): string | undefined {
  const v = el?.getAttribute('xml:lang') ?? el?.getAttributeNS('http://www.w3.org/XML/1998/namespace', 'lang') ?? el?.getAttribute('lang');
  return v?.trim() || undefined;
}

/** Vertical writing (Japanese, Chinese books) is declared in the book's CSS; the reader shows such a book horizontally. */
function writingModeOf(zip: ZipArchive, pkg: EpubPackage): BookInfo['writingMode'] {
  for (const item of pkg.manifest.values()) {
    if (item.mediaType !== 'text/css') continue;
    const entry = zip.entries.get(item.path);
    if (!entry || entry.size > 1024 * 1024) continue;
    const m = /(?:-epub-|-webkit-)?writing-mode\s*:\s*(vertical-rl|vertical-lr)/i.exec(zip.readText(item.path) ?? '');
    if (m) return m[1].toLowerCase() as BookInfo['writingMode'];
  }
  return undefined;
}

function rawToc(zip: ZipArchive, pkg: EpubPackage, parse: XmlParser): RawTocEntry[] {
  const fromNav = pkg.nav ? readNavToc(zip, parse, pkg.nav.path) : [];
  return fromNav.length > 0 ? fromNav : pkg.ncx ? readNcxToc(zip, parse, pkg.ncx.path) : [];
}

/**
 * The table of contents as offsets into the text. Entries whose target is not in the reading order are left out;
 * without any table, each chapter's first heading (or its first words) stands in.
 */
function locateToc(root: HTMLElement, raw: RawTocEntry[], ids: Map<string, string>, chapterIds: string[]): TocEntry[] {
  const model = buildTextModel(root);
  const nodeIndex = indexNodes(model);
  const byId = new Map<string, Element>();
  // The sanitizer prefixes every id (sanitize.ts ID_PREFIX): "ch-3-n1" is stored as "gloss-ref-ch-3-n1".
  for (const el of Array.from(root.querySelectorAll('[id]'))) byId.set(el.id.startsWith(ID_PREFIX) ? el.id.slice(ID_PREFIX.length) : el.id, el);
  const offsetOf = (id: string | undefined): number | undefined => {
    const el = id ? byId.get(id) : undefined;
    return el ? (textOffsetOf(model, nodeIndex, el, 0) ?? undefined) : undefined;
  };
  const toc: TocEntry[] = [];
  for (const entry of raw) {
    const start = offsetOf((entry.fragment && ids.get(`${entry.path}#${entry.fragment}`)) || ids.get(entry.path));
    if (start !== undefined) toc.push({ label: entry.label, start, depth: entry.depth });
  }
  // In reading order (a nav may list an appendix first): the outline and the export look entries up by offset.
  if (toc.length > 0) return toc.sort((a, b) => a.start - b.start);
  for (const id of chapterIds) {
    const section = byId.get(id);
    const start = offsetOf(id);
    if (!section || start === undefined || start >= model.text.length) continue;
    const heading = section.querySelector('h1, h2, h3, h4');
    const label = cleanTitle(heading?.textContent) ?? cleanTitle(model.text.slice(start, start + 60).split('\n')[0]);
    if (label) toc.push({ label, start, depth: 0 });
  }
  return toc;
}
