/**
 * Turning parsed W3C annotations (see w3c.ts) into highlights, planned as a pure function: which article each goes to,
 * where it anchors, and what is skipped. The notebook then writes each touched article once.
 *
 * Matching: with `articleId` every annotation goes to that article; otherwise to the first article (library order)
 * whose source is the annotation's target source, compared as URLs without their #fragment and trailing slash (how
 * Hypothesis matches documents), or whose `urn:gloss:article:<id>` IRI it names (Gloss's own export of an article
 * without a source).
 * Anchoring: exactly as any highlight re-anchors (anchorHighlight: position, then exact quote, then approximate quote
 * with context). An annotation with only a TextPositionSelector is taken at its position when that is in range. One
 * that cannot be found is still added — with its quote, note and tags — flagged `orphaned`, never silently dropped.
 * Re-importing the same annotations adds nothing: an annotation whose passage (or, for orphans, quote) and note are
 * already a highlight of that article is skipped.
 */
import { DEFAULT_COLOR, type Highlight } from '../../contract';
import { anchorHighlight } from '../anchoring/anchor';
import { describeRange, splitsSurrogatePair } from '../anchoring/selectors';
import { normalizeTags } from '../tags';
import type { StoredArticle } from './restore';
import type { ParsedAnnotation } from './w3c';

export interface AnnotationImportPlan {
  /** New highlights per article id. */
  additions: Map<string, Highlight[]>;
  imported: number;
  orphaned: number;
  skipped: number;
}

const GLOSS_ARTICLE_IRI = 'urn:gloss:article:';
const GLOSS_EXPORT_IRI = /^urn:gloss:export\/([A-Za-z0-9_-]{1,100})$/;
/** xsd:dateTime as Gloss stores it (ISO 8601, UTC): other zones are converted, anything else falls back to now. */
function isoOr(value: string | undefined, fallback: string): string {
  if (!value) return fallback;
  const t = Date.parse(value);
  return Number.isFinite(t) ? new Date(t).toISOString() : fallback;
}

/** A document URL as a matching key: scheme and host lower-cased (URL does that), no fragment, no trailing slash. */
export function documentKey(source: string): string {
  try {
    const url = new URL(source);
    url.hash = '';
    return url.href.replace(/\/+$/, '');
  } catch {
    return source.trim();
  }
}

/** Which article an annotation goes to (see the module comment), or undefined. */
function targetFinder<T extends StoredArticle>(articles: readonly T[], articleId: string | undefined): (a: ParsedAnnotation) => T | undefined {
  const bySource = new Map<string, T>();
  const byId = new Map<string, T>();
  for (const doc of articles) {
    byId.set(doc.article.id, doc);
    if (doc.article.source) {
      const key = documentKey(doc.article.source);
      if (!bySource.has(key)) bySource.set(key, doc);
    }
  }
  return (a) => {
    if (articleId) return byId.get(articleId);
    if (!a.source) return undefined;
    if (a.source.startsWith(GLOSS_ARTICLE_IRI)) return byId.get(safeDecode(a.source.slice(GLOSS_ARTICLE_IRI.length)));
    return bySource.get(documentKey(a.source));
  };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * The articles some annotation goes to, in library order: planning on these alone gives the same plan as planning on
 * all of them, so only they need to travel to the worker that anchors the annotations.
 */
export function articlesAddressed<T extends StoredArticle>(articles: readonly T[], annotations: readonly ParsedAnnotation[], articleId?: string): T[] {
  const target = targetFinder(articles, articleId);
  const hit = new Set<T>();
  for (const a of annotations) {
    const doc = target(a);
    if (doc) hit.add(doc);
  }
  return articles.filter((doc) => hit.has(doc));
}

export function planAnnotationImport(
  articles: readonly StoredArticle[],
  annotations: readonly ParsedAnnotation[],
  options: { articleId?: string; now: string; newId: () => string; idInUse: (id: string) => boolean },
): AnnotationImportPlan {
  const target = targetFinder(articles, options.articleId);

  const plan: AnnotationImportPlan = { additions: new Map(), imported: 0, orphaned: 0, skipped: 0 };
  const taken = new Set<string>();
  for (const a of annotations) {
    const doc = target(a);
    if (!doc) {
      plan.skipped += 1;
      continue;
    }
    const text = doc.article.text;
    const added = plan.additions.get(doc.article.id) ?? [];
    const place = locate(text, a);
    if (!place && a.quote.trim() === '') {
      plan.skipped += 1; // a position outside this text and no quote: nothing to show or keep
      continue;
    }
    const note = a.note;
    const existing = [...doc.highlights, ...added];
    const duplicate = place
      ? existing.some((h) => !h.orphaned && h.start === place.start && h.end === place.end && h.note === note)
      : existing.some((h) => h.orphaned && h.quote === a.quote && h.note === note);
    if (duplicate) {
      plan.skipped += 1;
      continue;
    }
    const created = isoOr(a.created, options.now);
    const ownId = GLOSS_EXPORT_IRI.exec(a.id ?? '')?.[1];
    const id = ownId && !options.idInUse(ownId) && !taken.has(ownId) ? ownId : options.newId();
    taken.add(id);
    const base = {
      id,
      articleId: doc.article.id,
      color: a.color ?? DEFAULT_COLOR,
      tags: normalizeTags(a.tags),
      note,
      createdAt: created,
      updatedAt: isoOr(a.modified, created),
    };
    if (place) {
      added.push({ ...base, start: place.start, end: place.end, ...describeRange(text, place.start, place.end) });
      plan.imported += 1;
    } else {
      added.push({ ...base, start: 0, end: 0, quote: a.quote, prefix: a.prefix, suffix: a.suffix, orphaned: true });
      plan.orphaned += 1;
    }
    plan.additions.set(doc.article.id, added);
  }
  return plan;
}

function locate(text: string, a: ParsedAnnotation): { start: number; end: number } | null {
  const positioned =
    a.start !== undefined &&
    a.end !== undefined &&
    a.start < a.end &&
    a.end <= text.length &&
    !splitsSurrogatePair(text, a.start) &&
    !splitsSurrogatePair(text, a.end);
  if (a.quote.trim() === '') return positioned ? { start: a.start!, end: a.end! } : null;
  const anchor = anchorHighlight(text, {
    quote: a.quote,
    prefix: a.prefix,
    suffix: a.suffix,
    // Without a position, hint at the start: anchorHighlight only uses it to break ties between equal matches.
    start: a.start ?? 0,
    end: a.end ?? 0,
  });
  return anchor ? { start: anchor.start, end: anchor.end } : null;
}
