import type { UiSettings } from '../contract';

/**
 * Merges a `ui` settings patch into the stored ones. Fields not in the patch are kept and `scroll` merges per article,
 * so saving a scroll position never forgets the theme and a theme change never forgets scroll positions. Scroll
 * positions of articles that no longer exist are dropped (`isArticle`), so the index does not grow with deletions.
 */
export function mergeUiSettings(current: UiSettings | undefined, patch: UiSettings, isArticle: (id: string) => boolean): UiSettings {
  const { scroll: scrollPatch, ...rest } = patch;
  const merged: UiSettings = { ...current, ...rest };
  const scroll: Record<string, number> = {};
  for (const [id, at] of Object.entries({ ...current?.scroll, ...scrollPatch })) {
    if (isArticle(id)) scroll[id] = at;
  }
  if (Object.keys(scroll).length > 0) merged.scroll = scroll;
  else delete merged.scroll;
  return merged;
}
