/**
 * The notebook's tag rules, mirrored for the UI (the renderer may not import electron/notebook/tags.ts, and the core
 * normalizes again on every write): trimmed, any Unicode, spaces allowed, unique per highlight case-insensitively.
 */
export function tagKey(tag: string): string {
  return tag.normalize('NFC').trim().toLocaleLowerCase('und');
}

export function cleanTag(raw: string): string {
  return raw.normalize('NFC').trim();
}

export function hasTag(tags: readonly string[], tag: string): boolean {
  const key = tagKey(tag);
  return tags.some((t) => tagKey(t) === key);
}

/** The tags with `raw` added, or null when it is empty or already there (in any case). */
export function withTag(tags: readonly string[], raw: string): string[] | null {
  const tag = cleanTag(raw);
  if (!tag || hasTag(tags, tag)) return null;
  return [...tags, tag];
}

export function withoutTag(tags: readonly string[], tag: string): string[] {
  const key = tagKey(tag);
  return tags.filter((t) => tagKey(t) !== key);
}
