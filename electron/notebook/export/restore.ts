/**
 * Restoring a backup, planned article by article as a pure function (planArticleRestore). The notebook validates the
 * whole backup first (parseBackup, or checkBackupFile for a file) and stages every planned article before the first
 * live file changes (Notebook.applyRestore), so a restore never half-applies because of bad input.
 *
 * - `replace`: the notebook becomes exactly the backup — its articles in its order, its settings. Everything is kept
 *   verbatim (ids, dates, tags as spelled, highlight order), so backup -> restore -> backup is deep-equal (but for what
 *   a file may not decide: see the last paragraph).
 * - `merge`: nothing already in the notebook is lost. Articles missing here are added; for an article present in both,
 *   highlights missing here are added (re-anchored if the texts differ), a highlight present in both keeps the later
 *   edit (by updatedAt), and when both have a different article note the backup's note is appended below this one
 *   rather than dropped. A highlight whose id belongs to another article here is skipped and counted. Colour labels set
 *   here win; the backup fills in the others.
 *
 * A backup is a file like any other: whoever made it chose its HTML. So in both modes each article's HTML is sanitized
 * here by the importer's own sanitizer (`fromFile`), and consent to load remote images is never taken from it: only
 * the user gives that, in this notebook (updateArticleMeta). A replace keeps the consent this notebook already had for
 * the very same article HTML.
 */
import type { Article, Highlight, RestoreMode, Settings } from '../../contract';
import { reanchorAll } from '../anchoring/anchor';
import { resanitizeStoredHtml } from '../import/sanitize';

/** An article as the notebook stores it: everything but the derived highlights list and count, plus the highlights. */
export interface StoredArticle {
  article: Omit<Article, 'highlights' | 'highlightCount'>;
  highlights: Highlight[];
}

export function toStored(article: Article): StoredArticle {
  const { highlights, highlightCount: _derived, ...rest } = article;
  return { article: rest, highlights };
}

/**
 * A backup's article as it may enter the notebook: HTML sanitized exactly as an import's (dropped, leaving the plain
 * text, if sanitizing changed its text: highlights point into the text), and no remote-images consent.
 */
/**
 * Whether a backup's article HTML must be sanitized again: not when there is none, nor when this notebook already
 * stores that very HTML for that text (it was sanitized when it was stored).
 */
export function needsResanitizing(article: Article, here?: StoredArticle): article is Article & { html: string } {
  return article.html !== undefined && !(here !== undefined && here.article.html === article.html && here.article.text === article.text);
}

/**
 * Sanitized HTML computed beforehand, by article id (the notebook runs resanitizeStoredHtml in its worker, since
 * parsing a hostile backup's HTML on the main thread could freeze it); null where sanitizing would change the text.
 */
export type Resanitized = ReadonlyMap<string, string | null>;

export function fromFile(article: Article, here?: StoredArticle, resanitized?: Resanitized): StoredArticle {
  const { html } = article;
  const done = resanitized?.get(article.id);
  const safe = !needsResanitizing(article, here) ? html : done !== undefined ? (done ?? undefined) : resanitizeStoredHtml(article.html, article.text, article.source);
  const copy: Article = { ...article }; // edited in place, so the keys keep their order (a backup's JSON round-trips)
  delete copy.loadRemoteImages; // consent is never taken from a file
  if (safe === undefined) delete copy.html;
  else copy.html = safe;
  return toStored(copy);
}

/** Replace mode: this notebook's consent for an article stays if the restored article shows the very same HTML. */
function keepConsent(incoming: StoredArticle, existing: StoredArticle | undefined): StoredArticle {
  if (!existing?.article.loadRemoteImages || existing.article.html !== incoming.article.html) return incoming;
  return { ...incoming, article: { ...incoming.article, loadRemoteImages: true } };
}

/** Key order does not matter (an article read back from its annotation and content files lists its keys in another order). */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
const same = (a: unknown, b: unknown): boolean => canonical(a) === canonical(b);
/** Compares only what is stored for an article (callers may pass richer objects, e.g. the notebook's ArticleDoc). */
const sameStored = (a: StoredArticle, b: StoredArticle): boolean => same([a.article, a.highlights], [b.article, b.highlights]);

function changedHighlights(before: readonly Highlight[], after: readonly Highlight[]): number {
  const old = new Map(before.map((h) => [h.id, h]));
  return after.filter((h) => !same(old.get(h.id), h)).length;
}

/** Which article here each highlight id belongs to: a merge skips a backup's highlight that another article owns. */
export function highlightOwners(current: Iterable<{ article: { id: string }; highlights: readonly Highlight[] }>): Map<string, string> {
  const owner = new Map<string, string>();
  for (const doc of current) for (const h of doc.highlights) owner.set(h.id, doc.article.id);
  return owner;
}

/** One backup article's part of a restore: what to write (nothing when it changes nothing here) and what it counts. */
export interface ArticleRestorePlan {
  write?: StoredArticle;
  /** Highlights added or changed by the write. */
  highlights: number;
  /** Highlights left out (merge) because another article here owns their id. */
  skipped: number;
}

/**
 * The plan for one article of a backup, given the article here with its id (if any) and the notebook's highlight
 * owners (for a merge). The notebook (applyRestore) calls it article by article as it reads a backup, so a restore
 * never holds the whole backup.
 */
export function planArticleRestore(
  article: Article,
  existing: StoredArticle | undefined,
  mode: RestoreMode,
  owner: ReadonlyMap<string, string>,
  resanitized?: Resanitized,
): ArticleRestorePlan {
  const restored = fromFile(article, existing, resanitized);
  if (mode === 'replace') {
    const incoming = keepConsent(restored, existing);
    if (existing && sameStored(existing, incoming)) return { highlights: 0, skipped: 0 };
    return { write: incoming, highlights: changedHighlights(existing?.highlights ?? [], incoming.highlights), skipped: 0 };
  }

  // merge
  const id = restored.article.id;
  const foreign = (h: Highlight): boolean => {
    const at = owner.get(h.id);
    return at !== undefined && at !== id;
  };
  if (!existing) {
    const highlights = restored.highlights.filter((h) => !foreign(h));
    return { write: { article: restored.article, highlights }, highlights: highlights.length, skipped: restored.highlights.length - highlights.length };
  }
  const text = existing.article.text;
  const fit = (h: Highlight): Highlight => (restored.article.text === text ? h : reanchorAll(text, [h]).highlights[0]);
  const merged = new Map(existing.highlights.map((h) => [h.id, h]));
  let skipped = 0;
  for (const h of restored.highlights) {
    if (foreign(h)) {
      skipped += 1;
      continue;
    }
    const here = merged.get(h.id);
    if (!here || h.updatedAt > here.updatedAt) merged.set(h.id, fit(h));
  }
  const highlights = [...merged.values()].sort(
    (a, b) => a.start - b.start || a.end - b.end || a.createdAt.localeCompare(b.createdAt) || (a.id < b.id ? -1 : 1),
  );
  const note = mergeNotes(existing.article.note, restored.article.note);
  const next: StoredArticle = { article: { ...existing.article, note }, highlights };
  if (sameStored(next, existing)) return { highlights: 0, skipped };
  return { write: next, highlights: changedHighlights(existing.highlights, highlights), skipped };
}

/** The settings after a restore: a replace takes the backup's (but its consents), a merge keeps colour labels set here. */
export function restoredSettings(mode: RestoreMode, fromBackup: Settings, here: Settings): Settings {
  if (mode === 'replace') return settingsFromFile(fromBackup, here);
  return { ...here, colorLabels: { ...fromBackup.colorLabels, ...here.colorLabels } };
}

/** Whether a merge must fuzzy-match this backup article's highlights (seconds on a long text: done in the worker). */
export function needsRefit(article: Article, existing: StoredArticle | undefined, mode: RestoreMode): boolean {
  return mode === 'merge' && article.highlights.length > 0 && existing !== undefined && existing.article.text !== article.text;
}

/**
 * A replace takes the backup's settings, but for the consents in them: turning the spell checker on downloads
 * dictionaries from Google's servers (Windows, Linux), so, like remote images, only the user in this notebook decides
 * it, never a file. This notebook's own choice is kept.
 */
function settingsFromFile(fromFile: Settings, here: Settings): Settings {
  const settings = structuredClone(fromFile);
  if (settings.ui) delete settings.ui.spellcheck;
  if (here.ui?.spellcheck !== undefined) settings.ui = { ...settings.ui, spellcheck: here.ui.spellcheck };
  return settings;
}

/** Never drops either note: the backup's is appended when it says something this one does not already contain. */
export function mergeNotes(here: string, incoming: string): string {
  if (here.trim() === '') return incoming;
  if (incoming.trim() === '' || here.includes(incoming.trim())) return here;
  return `${here.replace(/\s+$/, '')}\n\n${incoming}`;
}
