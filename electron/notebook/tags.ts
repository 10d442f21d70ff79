/**
 * Tag rules (DESIGN.md): trimmed, any Unicode, spaces allowed, unique per highlight case-insensitively. A leading `#` is
 * dropped (`#econ` is the tag `econ`); invisible control characters are refused (contract.ts tagProblem). Every write
 * of tags (the API, the UI, W3C import, rename) goes through cleanTag, so they all agree.
 */
import { tagProblem, tagText } from '../contract';
import { invalid } from './errors';

const keyCache = new Map<string, string>();

/**
 * The case-insensitive identity of a tag. Memoized: a notebook has few distinct tags but filters and counts ask for
 * their keys once per highlight, and locale-aware lower-casing is the slow part (measured in bench/RESULTS.md).
 */
export function tagKey(tag: string): string {
  let key = keyCache.get(tag);
  if (key === undefined) {
    key = tag.normalize('NFC').toLocaleLowerCase('und');
    if (keyCache.size > 10_000) keyCache.clear();
    keyCache.set(tag, key);
  }
  return key;
}

/**
 * One typed tag as stored: '' when nothing was typed; a GlossError naming the problem for a tag that is only `#` or
 * holds an invisible control character. `lenient` (restoring a highlight as it was stored, perhaps before these rules
 * existed) never refuses: it only drops the `#`, so an undo cannot fail on an old tag.
 */
export function cleanTag(raw: string, { lenient = false } = {}): string {
  if (!lenient) {
    const problem = tagProblem(raw);
    if (problem) throw invalid(problem);
  }
  return tagText(raw);
}

/** Cleans each tag (cleanTag), drops empties and case-insensitive duplicates (the first spelling wins), keeps order. */
export function normalizeTags(tags: readonly string[], options: { lenient?: boolean } = {}): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of tags) {
    const tag = cleanTag(raw, options);
    if (!tag) continue;
    const key = tagKey(tag);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(tag);
  }
  return out;
}

export function hasTag(tags: readonly string[], tag: string): boolean {
  const key = tagKey(tag.trim());
  return tags.some((t) => tagKey(t) === key);
}
