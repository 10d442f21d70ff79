/**
 * updateArticleMeta's citation fields (issue 16): each one checked by the contract's input rule (so the dialog's
 * message and the API's refusal agree), stored normalized (a DOI without https://doi.org/, an ISBN without hyphens),
 * and cleared by '' (or [] for authors).
 */
import { citekeyProblem, doiProblem, isbnProblem, languageProblem, normalizeDoi, normalizeIsbn, WORK_TYPES, type Article, type ArticleMetaPatch } from '../contract';
import { GlossError, invalid } from './errors';

type Stored = Omit<Article, 'highlights' | 'highlightCount'>;
const PLAIN = ['container', 'publisher', 'volume', 'issue', 'pageRange'] as const;

/**
 * Applies the citation part of `patch` to `article` (a draft: throwing leaves the stored one unchanged). `keyTaken`
 * says whether another article already has a citation key (compared case-insensitively).
 */
export function applyCitationPatch(article: Stored, patch: ArticleMetaPatch, keyTaken: (key: string) => boolean): void {
  if (patch.authors !== undefined) {
    const authors = patch.authors.map((a) => a.replace(/\s+/g, ' ').trim()).filter(Boolean);
    if (authors.length) article.authors = authors;
    else delete article.authors;
  }
  for (const key of PLAIN) {
    const value = patch[key]?.trim();
    if (value === undefined) continue;
    if (value) article[key] = value;
    else delete article[key];
  }
  set(article, 'doi', patch.doi, (v) => {
    const problem = doiProblem(v);
    if (problem) throw invalid(`The DOI was not saved: ${problem}`);
    return normalizeDoi(v)!;
  });
  set(article, 'isbn', patch.isbn, (v) => {
    const problem = isbnProblem(v);
    if (problem) throw invalid(`The ISBN was not saved: ${problem}`);
    return normalizeIsbn(v)!;
  });
  set(article, 'lang', patch.lang, (v) => {
    const problem = languageProblem(v);
    if (problem) throw invalid(`The language was not saved: ${problem}`);
    return v;
  });
  if (patch.workType !== undefined) {
    if (patch.workType === '') delete article.workType;
    else if ((WORK_TYPES as readonly string[]).includes(patch.workType)) article.workType = patch.workType;
    else throw invalid(`"${String(patch.workType)}" is not a kind of work Gloss knows (${WORK_TYPES.join(', ')}).`);
  }
  set(article, 'citekey', patch.citekey, (v) => {
    const problem = citekeyProblem(v);
    if (problem) throw invalid(`The citation key was not saved: ${problem}`);
    if (keyTaken(v)) throw new GlossError('conflict', `The citation key "${v}" belongs to another article; choose another.`);
    return v;
  });
}

function set<K extends 'doi' | 'isbn' | 'lang' | 'citekey'>(article: Stored, key: K, raw: string | undefined, check: (value: string) => string): void {
  if (raw === undefined) return;
  const value = raw.trim();
  if (value) article[key] = check(value);
  else delete article[key];
}
