/**
 * W3C Web Annotation Data Model (JSON-LD) export and import — the interchange format Hypothesis and other annotation
 * tools speak. Export: an AnnotationCollection with its one page embedded (the shape of the W3C `collection1` example).
 * Import: a single Annotation, an array of them, an AnnotationPage or an AnnotationCollection with embedded pages.
 *
 * Mapping: note -> TextualBody purpose "commenting" (format text/markdown); each tag -> TextualBody purpose "tagging";
 * target -> SpecificResource {source, selector: [TextQuoteSelector, TextPositionSelector]} (no position selector for
 * orphaned highlights: their offsets are stale), plus for a PDF highlight a FragmentSelector naming its page
 * (`page=12`, conforming to RFC 3778, the model's way to address part of a PDF); import reads the text selectors and
 * passes over the page one (the text selectors are what anchor a highlight); colour -> target styleClass `gloss-<colour>` plus a CSS stylesheet,
 * the model's own way to carry rendering style.
 */
import { HIGHLIGHT_COLORS, type Article, type ExportOptions, type Highlight, type HighlightColor } from '../../contract';
import { invalid } from '../errors';
import { pdfPlaceOf } from './pdf-page';
import { selectArticles } from './select';

export const ANNO_CONTEXT = 'http://www.w3.org/ns/anno.jsonld';
/** What a FragmentSelector on a PDF conforms to: RFC 3778's open parameters (`page=12`). */
export const PDF_FRAGMENT_SPEC = 'http://tools.ietf.org/rfc/rfc3778';

export interface WebAnnotationOptions extends Pick<ExportOptions, 'articleIds' | 'tags' | 'colors'> {
  /** IRI of the collection; annotation ids are derived from it. Default `urn:gloss:export`. */
  collectionId?: string;
  label?: string;
}

/** What an imported annotation says about a text passage. `quote` is '' when only a position was given. */
export interface ParsedAnnotation {
  id?: string;
  source?: string;
  quote: string;
  prefix: string;
  suffix: string;
  start?: number;
  end?: number;
  note: string;
  tags: string[];
  color?: HighlightColor;
  created?: string;
  modified?: string;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const ABSOLUTE_IRI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]*$/;
/** xsd:dateTime with a timezone, as the model requires for created/modified. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function articleIri(article: Article): string {
  return article.source && ABSOLUTE_IRI.test(article.source) ? article.source : `urn:gloss:article:${encodeURIComponent(article.id)}`;
}

function annotation(h: Highlight, article: Article, base: string): Json {
  const body: Json[] = [];
  if (h.note) body.push({ type: 'TextualBody', value: h.note, format: 'text/markdown', purpose: 'commenting' });
  for (const tag of h.tags) body.push({ type: 'TextualBody', value: tag, purpose: 'tagging' });
  const selector: Json[] = [{ type: 'TextQuoteSelector', exact: h.quote, prefix: h.prefix, suffix: h.suffix }];
  if (!h.orphaned) selector.push({ type: 'TextPositionSelector', start: h.start, end: h.end });
  const place = pdfPlaceOf(article, h);
  if (place) selector.push({ type: 'FragmentSelector', conformsTo: PDF_FRAGMENT_SPEC, value: `page=${place.page}` });
  const anno: Json = {
    id: `${base}/${encodeURIComponent(h.id)}`,
    type: 'Annotation',
    motivation: h.note ? 'commenting' : 'highlighting',
  };
  if (DATE_TIME.test(h.createdAt)) anno.created = h.createdAt;
  if (DATE_TIME.test(h.updatedAt)) anno.modified = h.updatedAt;
  // Only the rule this annotation uses: self-contained without repeating all colours in every item.
  anno.stylesheet = { type: 'CssStylesheet', value: `.gloss-${h.color} { background-color: ${h.color}; }` };
  if (body.length > 0) anno.body = body.length === 1 ? body[0] : body;
  anno.target = { type: 'SpecificResource', source: articleIri(article), styleClass: `gloss-${h.color}`, selector };
  return anno;
}

/** The selected highlights as one AnnotationCollection (first page embedded), in article then document order. */
export function toWebAnnotations(articles: Article[], options: WebAnnotationOptions = {}): Json {
  const base = options.collectionId ?? 'urn:gloss:export';
  const items: Json[] = [];
  for (const { article, highlights } of selectArticles(articles, options)) {
    for (const h of highlights) items.push(annotation(h, article, base));
  }
  return {
    '@context': ANNO_CONTEXT,
    id: base,
    type: 'AnnotationCollection',
    label: options.label ?? 'Gloss highlights',
    total: items.length,
    first: { id: `${base}/page1`, type: 'AnnotationPage', startIndex: 0, items },
  };
}

// --- import -----------------------------------------------------------------------------------------------------------

function types(node: Json): string[] {
  return asArray(node.type).filter((t): t is string => typeof t === 'string');
}

function checkContext(node: Json, where: string): void {
  const ctx = asArray(node['@context']);
  if (ctx.length === 0) throw invalid(`${where}: missing "@context" (expected "${ANNO_CONTEXT}").`);
  if (!ctx.includes(ANNO_CONTEXT)) throw invalid(`${where}: "@context" must include "${ANNO_CONTEXT}".`);
}

interface TextSelectors {
  quote?: Json;
  position?: Json;
}

/** Walks selectors: arrays, and `refinedBy` chains (e.g. a FragmentSelector refined by a TextQuoteSelector). */
function findSelectors(selector: unknown, found: TextSelectors, where: string, depth = 0): void {
  if (depth > 16) throw invalid(`${where}: selectors nested too deeply.`);
  for (const s of asArray(selector)) {
    if (!isObject(s)) continue; // an IRI naming an external selector: nothing to read
    const t = types(s);
    if (t.includes('TextQuoteSelector') && !found.quote) {
      if (typeof s.exact !== 'string') throw invalid(`${where}: TextQuoteSelector needs a string "exact".`);
      for (const k of ['prefix', 'suffix'] as const) {
        if (s[k] !== undefined && typeof s[k] !== 'string') throw invalid(`${where}: TextQuoteSelector "${k}" must be a string.`);
      }
      found.quote = s;
    }
    if (t.includes('TextPositionSelector') && !found.position) {
      const { start, end } = s;
      if (!Number.isInteger(start) || !Number.isInteger(end) || (start as number) < 0 || (end as number) < (start as number)) {
        throw invalid(`${where}: TextPositionSelector needs integers 0 <= start <= end.`);
      }
      found.position = s;
    }
    if (s.refinedBy !== undefined) findSelectors(s.refinedBy, found, where, depth + 1);
  }
}

function readBodies(anno: Json, where: string): { note: string; tags: string[] } {
  if (anno.body !== undefined && anno.bodyValue !== undefined) throw invalid(`${where}: has both "body" and "bodyValue".`);
  if (anno.bodyValue !== undefined) {
    if (typeof anno.bodyValue !== 'string') throw invalid(`${where}: "bodyValue" must be a single string.`);
    return { note: anno.bodyValue, tags: [] };
  }
  const motivations = asArray(anno.motivation);
  const notes: string[] = [];
  const tags: string[] = [];
  const visit = (body: unknown, at: string): void => {
    if (typeof body === 'string') return; // an IRI: an external resource we cannot read
    if (!isObject(body)) throw invalid(`${at}: a body must be an IRI string or an object.`);
    const t = types(body);
    if (t.includes('Choice')) {
      // A Choice's first item is its default (Web Annotation model §3.2.6).
      const [first] = asArray(body.items);
      if (first !== undefined) visit(first, `${at}.items[0]`);
      return;
    }
    if (!t.includes('TextualBody') && body.value === undefined) return; // a resource by reference
    if (typeof body.value !== 'string') throw invalid(`${at}: TextualBody needs a single string "value".`);
    const purposes = asArray(body.purpose);
    const tagging = purposes.includes('tagging') || (purposes.length === 0 && motivations.includes('tagging'));
    if (tagging) tags.push(body.value);
    else notes.push(body.value);
  };
  asArray(anno.body).forEach((b, i) => visit(b, Array.isArray(anno.body) ? `${where}.body[${i}]` : `${where}.body`));
  return { note: notes.join('\n\n'), tags };
}

function parseAnnotation(anno: unknown, where: string): ParsedAnnotation | undefined {
  if (!isObject(anno)) throw invalid(`${where}: expected an Annotation object.`);
  if (!types(anno).includes('Annotation')) throw invalid(`${where}: "type" must be "Annotation".`);
  if (anno.id !== undefined && (typeof anno.id !== 'string' || !ABSOLUTE_IRI.test(anno.id))) {
    throw invalid(`${where}: "id" must be one absolute IRI.`);
  }
  for (const k of ['created', 'modified'] as const) {
    if (anno[k] !== undefined && (typeof anno[k] !== 'string' || !DATE_TIME.test(anno[k]))) {
      throw invalid(`${where}: "${k}" must be one xsd:dateTime with a timezone.`);
    }
  }
  if (anno.target === undefined) throw invalid(`${where}: missing "target".`);
  const { note, tags } = readBodies(anno, where);
  const targets = asArray(anno.target);
  for (const [i, target] of targets.entries()) {
    if (typeof target === 'string') continue;
    if (!isObject(target)) throw invalid(`${where}.target${Array.isArray(anno.target) ? `[${i}]` : ''}: must be an IRI or an object.`);
  }
  // The first target that points into text wins; annotations on images, whole pages etc. carry no passage for us.
  for (const target of targets) {
    if (!isObject(target)) continue;
    const found: TextSelectors = {};
    findSelectors(target.selector, found, `${where}.target`);
    if (!found.quote && !found.position) continue;
    const source = typeof target.source === 'string' ? target.source : isObject(target.source) && typeof target.source.id === 'string' ? target.source.id : undefined;
    const color = asArray(target.styleClass)
      .map((c) => (typeof c === 'string' ? /^gloss-(\w+)$/.exec(c)?.[1] : undefined))
      .find((c): c is HighlightColor => (HIGHLIGHT_COLORS as readonly string[]).includes(c ?? ''));
    const parsed: ParsedAnnotation = {
      quote: (found.quote?.exact as string | undefined) ?? '',
      prefix: (found.quote?.prefix as string | undefined) ?? '',
      suffix: (found.quote?.suffix as string | undefined) ?? '',
      note,
      tags,
    };
    if (typeof anno.id === 'string') parsed.id = anno.id;
    if (source !== undefined) parsed.source = source;
    if (found.position) {
      parsed.start = found.position.start as number;
      parsed.end = found.position.end as number;
    }
    if (color) parsed.color = color;
    if (typeof anno.created === 'string') parsed.created = anno.created;
    if (typeof anno.modified === 'string') parsed.modified = anno.modified;
    return parsed;
  }
  return undefined;
}

function pageItems(page: unknown, where: string): unknown[] {
  if (typeof page === 'string') throw invalid(`${where}: page ${page} is not embedded; only embedded pages can be read.`);
  if (!isObject(page) || !types(page).includes('AnnotationPage')) throw invalid(`${where}: expected an AnnotationPage.`);
  if (!Array.isArray(page.items)) throw invalid(`${where}: AnnotationPage needs an "items" array.`);
  return page.items;
}

/**
 * Reads annotations on text. Accepts JSON text or parsed JSON. Annotations whose targets have no TextQuoteSelector or
 * TextPositionSelector (images, whole pages, audio...) are valid but skipped. Malformed input throws
 * GlossError('invalid_input') naming the place (`annotation[3].target`, `collection.first.items[2].body`...).
 */
export function fromWebAnnotations(json: unknown): ParsedAnnotation[] {
  let data = json;
  if (typeof json === 'string') {
    try {
      data = JSON.parse(json);
    } catch (error) {
      throw invalid(`Web annotations are not valid JSON: ${(error as Error).message}`);
    }
  }
  const out: ParsedAnnotation[] = [];
  const add = (items: unknown[], where: string) =>
    items.forEach((item, i) => {
      const parsed = parseAnnotation(item, `${where}[${i}]`);
      if (parsed) out.push(parsed);
    });
  if (Array.isArray(data)) {
    data.forEach((item, i) => {
      if (isObject(item)) checkContext(item, `annotation[${i}]`);
    });
    add(data, 'annotation');
    return out;
  }
  if (!isObject(data)) throw invalid('Web annotations: expected an Annotation, an array of them, or an AnnotationCollection.');
  const t = types(data);
  if (t.includes('AnnotationCollection')) {
    checkContext(data, 'collection');
    // Follow embedded `next` pages; stop at the first page given only by IRI after the first (we never fetch).
    let page: unknown = data.first;
    let where = 'collection.first';
    for (let n = 0; page !== undefined && n < 10_000; n++) {
      if (n > 0 && typeof page === 'string') break;
      add(pageItems(page, where), `${where}.items`);
      page = isObject(page) ? page.next : undefined;
      where = `${where}.next`;
    }
    return out;
  }
  if (t.includes('AnnotationPage')) {
    checkContext(data, 'page');
    add(pageItems(data, 'page'), 'page.items');
    return out;
  }
  checkContext(data, 'annotation');
  const parsed = parseAnnotation(data, 'annotation');
  return parsed ? [parsed] : [];
}
