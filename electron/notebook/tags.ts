/** Tag rules (DESIGN.md): trimmed, any Unicode, spaces allowed, unique per highlight case-insensitively. */

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

/** Trims, drops empties and case-insensitive duplicates (the first spelling wins), keeps order. */
export function normalizeTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of tags) {
    const tag = raw.normalize('NFC').trim();
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
