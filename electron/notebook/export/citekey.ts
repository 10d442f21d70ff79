/**
 * A citation key per article: `<first author's family name><year><first word of the title>`, folded to ASCII and
 * lower case ("doe2024tides"), as Better BibTeX and most reference managers make them, so a key reads as the work.
 *
 * Stable: the key is stored on the article the first time it leaves Gloss (a BibTeX, CSL-JSON or Markdown export;
 * Notebook.citekeysFor) and never remade after that. Until then it follows the metadata, so correcting an author right
 * after an import still gives the key people expect; after that a key may already sit in someone's manuscript as
 * `[@doe2024tides]`, and a corrected title must not break that citation. The user can still set it by hand.
 *
 * Unique: when the key is taken (another article's stored key, or one made earlier in the same pass) it gets a
 * letter, a, b, ... z, aa, ab... Which article gets the plain key is decided by the order the caller assigns in: the
 * notebook assigns in the order articles were added (then id), so the same library always gives the same keys.
 */
import { authorsOf, nameParts, yearOf, type CitationSource } from './citation';

const STOPWORDS = new Set(
  'a an the and or of on in at to for from by with without into about as is are was were be its it this that these those what why how when where who which not no new la le les el los las un une der die das ein eine und'.split(' '),
);

/** Letters that NFKD does not take apart. */
const FOLD: Record<string, string> = { ß: 'ss', æ: 'ae', Æ: 'ae', œ: 'oe', Œ: 'oe', ø: 'o', Ø: 'o', ł: 'l', Ł: 'l', đ: 'd', Đ: 'd', þ: 'th', Þ: 'th', ð: 'd', ı: 'i' };

/** Lower-case ASCII letters and digits only: "Ångström-Łódź" -> "angstromlodz". */
export function foldForKey(s: string): string {
  return s
    .replace(/[ßæÆœŒøØłŁđĐþÞðı]/g, (c) => FOLD[c] ?? c)
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** The key an article would get with nothing taken (no suffix). */
export function baseCitekey(article: CitationSource): string {
  const first = authorsOf(article)[0];
  // The family name without its lower-case particles ("van Beethoven" -> beethoven; "Le Guin" -> leguin).
  const family = first ? foldForKey(nameParts(first).family.replace(/^(?:\p{Ll}+\s+)+(?=\S)/u, '')) : '';
  const year = yearOf(article) ?? '';
  const word =
    (article.title ?? '')
      .split(/[\s\p{P}]+/u)
      .map((w) => w.trim())
      .filter((w) => w && !STOPWORDS.has(w.toLowerCase()))
      .map(foldForKey)
      .find(Boolean) ?? '';
  // A title in a script that folds to nothing and no author: still a key that reads as one ("ref2020", not "2020").
  if (!family && !word) return `ref${year}`;
  return `${family}${year}${word}`.slice(0, 60);
}

/** a, b, ... z, aa, ab, ... */
function suffix(n: number): string {
  let s = '';
  for (let i = n; i >= 0; i = Math.floor(i / 26) - 1) s = String.fromCharCode(97 + (i % 26)) + s;
  return s;
}

/**
 * The article's key: its stored one when it has one, else the base key, with a letter added while it is in `taken`.
 * `taken` should hold every other article's key; made keys are lower case, so give stored keys lower-cased for the
 * comparison BibTeX makes (it treats keys differing only in case as one). This function does not add to `taken` (the
 * caller does, once it keeps the key).
 */
export function citekeyOf(article: CitationSource, taken: ReadonlySet<string>, tried?: Map<string, number>): string {
  if (article.citekey) return article.citekey;
  const base = baseCitekey(article);
  if (!taken.has(base)) return base;
  // `tried` (for a caller that only adds to `taken`): the suffixes below this one are known taken, so 10,000 articles
  // with one base key ("untitled") cost one look each, not 10,000.
  for (let n = tried?.get(base) ?? 0; ; n++) {
    const key = `${base}${suffix(n)}`;
    if (!taken.has(key)) {
      tried?.set(base, n);
      return key;
    }
  }
}

/**
 * Keys for articles that have none yet, in the deterministic order (added, then id), each unique against `taken` and
 * the ones made before it. Returns article id -> new key; articles with a stored key are not in the map.
 */
export function assignCitekeys(articles: readonly CitationSource[], taken: Iterable<string>): Map<string, string> {
  const used = new Set([...taken].map((k) => k.toLowerCase()));
  const made = new Map<string, string>();
  const order = [...articles].filter((a) => !a.citekey).sort((a, b) => a.addedAt.localeCompare(b.addedAt) || a.id.localeCompare(b.id));
  const tried = new Map<string, number>();
  for (const article of order) {
    const key = citekeyOf(article, used, tried);
    used.add(key);
    made.set(article.id, key);
  }
  return made;
}
