/**
 * Restoring a backup, planned as a pure function so the notebook can validate and compute everything before it touches
 * the disk (a restore never half-applies because of bad input: parseBackup refuses the whole file first, and this plan
 * is complete before the first write).
 *
 * - `replace`: the notebook becomes exactly the backup — its articles in its order, its settings. Everything is kept
 *   verbatim (ids, dates, tags as spelled, highlight order), so backup -> restore -> backup is deep-equal.
 * - `merge`: nothing already in the notebook is lost. Articles missing here are added; for an article present in both,
 *   highlights missing here are added (re-anchored if the texts differ), a highlight present in both keeps the later
 *   edit (by updatedAt), and when both have a different article note the backup's note is appended below this one
 *   rather than dropped. A highlight whose id belongs to another article here is skipped and counted. Colour labels set
 *   here win; the backup fills in the others.
 */
import type { Article, Highlight, RestoreMode, Settings } from '../../contract';
import { reanchorAll } from '../anchoring/anchor';

/** An article as the notebook stores it: everything but the derived highlights list and count, plus the highlights. */
export interface StoredArticle {
  article: Omit<Article, 'highlights' | 'highlightCount'>;
  highlights: Highlight[];
}

export interface RestorePlan {
  /** Articles to (re)write, new or changed. */
  writes: StoredArticle[];
  /** The notebook's article list afterwards. */
  articleIds: string[];
  /** Articles to delete (replace only). */
  removed: string[];
  settings: Settings;
  counts: { articles: number; highlights: number; skipped: number };
}

export function toStored(article: Article): StoredArticle {
  const { highlights, highlightCount: _derived, ...rest } = article;
  return { article: rest, highlights };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
/** Compares only what is stored for an article (callers may pass richer objects, e.g. the notebook's ArticleDoc). */
const sameStored = (a: StoredArticle, b: StoredArticle): boolean => same([a.article, a.highlights], [b.article, b.highlights]);

function changedHighlights(before: readonly Highlight[], after: readonly Highlight[]): number {
  const old = new Map(before.map((h) => [h.id, h]));
  return after.filter((h) => !same(old.get(h.id), h)).length;
}

export function planRestore(
  current: readonly StoredArticle[],
  currentSettings: Settings,
  backup: { articles: Article[]; settings: Settings },
  mode: RestoreMode,
): RestorePlan {
  const byId = new Map(current.map((doc) => [doc.article.id, doc]));
  const counts = { articles: 0, highlights: 0, skipped: 0 };
  const writes: StoredArticle[] = [];

  if (mode === 'replace') {
    for (const incoming of backup.articles.map(toStored)) {
      const existing = byId.get(incoming.article.id);
      if (existing && sameStored(existing, incoming)) continue;
      writes.push(incoming);
      counts.articles += 1;
      counts.highlights += changedHighlights(existing?.highlights ?? [], incoming.highlights);
    }
    const keep = new Set(backup.articles.map((a) => a.id));
    return {
      writes,
      articleIds: backup.articles.map((a) => a.id),
      removed: current.map((d) => d.article.id).filter((id) => !keep.has(id)),
      settings: structuredClone(backup.settings),
      counts,
    };
  }

  // merge
  const owner = new Map<string, string>();
  for (const doc of current) for (const h of doc.highlights) owner.set(h.id, doc.article.id);
  const articleIds = current.map((d) => d.article.id);
  for (const incoming of backup.articles.map(toStored)) {
    const id = incoming.article.id;
    const existing = byId.get(id);
    const foreign = (h: Highlight): boolean => {
      const at = owner.get(h.id);
      return at !== undefined && at !== id;
    };
    if (!existing) {
      const highlights = incoming.highlights.filter((h) => !foreign(h));
      counts.skipped += incoming.highlights.length - highlights.length;
      writes.push({ article: incoming.article, highlights });
      articleIds.push(id);
      counts.articles += 1;
      counts.highlights += highlights.length;
      continue;
    }
    const text = existing.article.text;
    const fit = (h: Highlight): Highlight => (incoming.article.text === text ? h : reanchorAll(text, [h]).highlights[0]);
    const merged = new Map(existing.highlights.map((h) => [h.id, h]));
    for (const h of incoming.highlights) {
      if (foreign(h)) {
        counts.skipped += 1;
        continue;
      }
      const here = merged.get(h.id);
      if (!here || h.updatedAt > here.updatedAt) merged.set(h.id, fit(h));
    }
    const highlights = [...merged.values()].sort(
      (a, b) => a.start - b.start || a.end - b.end || a.createdAt.localeCompare(b.createdAt) || (a.id < b.id ? -1 : 1),
    );
    const note = mergeNotes(existing.article.note, incoming.article.note);
    const next: StoredArticle = { article: { ...existing.article, note }, highlights };
    if (sameStored(next, existing)) continue;
    writes.push(next);
    counts.articles += 1;
    counts.highlights += changedHighlights(existing.highlights, highlights);
  }
  return {
    writes,
    articleIds,
    removed: [],
    settings: { ...currentSettings, colorLabels: { ...backup.settings.colorLabels, ...currentSettings.colorLabels } },
    counts,
  };
}

/** Never drops either note: the backup's is appended when it says something this one does not already contain. */
export function mergeNotes(here: string, incoming: string): string {
  if (here.trim() === '') return incoming;
  if (incoming.trim() === '' || here.includes(incoming.trim())) return here;
  return `${here.replace(/\s+$/, '')}\n\n${incoming}`;
}
