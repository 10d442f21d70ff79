/** Tag rules (DESIGN.md): trimmed, any Unicode, spaces allowed, unique per highlight case-insensitively. */

export function tagKey(tag: string): string {
  return tag.normalize('NFC').toLocaleLowerCase('und');
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
