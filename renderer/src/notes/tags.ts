import { tagProblem, tagText } from '../../../electron/contract';

/**
 * The notebook's tag rules, mirrored for the UI (the renderer may not import electron/notebook/tags.ts, and the core
 * normalizes again on every write): trimmed, a leading `#` dropped, any Unicode, spaces allowed, unique per highlight
 * case-insensitively. The `#` and invisible-character rules are the contract's own (tagText, tagProblem).
 */
export function tagKey(tag: string): string {
  return tag.normalize('NFC').trim().toLocaleLowerCase('und');
}

export function cleanTag(raw: string): string {
  return tagText(raw);
}

/** Why the typed tag cannot be added (only `#`, an invisible character), or undefined. */
export { tagProblem };

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
