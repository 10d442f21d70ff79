import type { Highlight, HighlightColor } from '../../../electron/contract';
import { hasTag } from './tags';

/** What the panel and the notebook view narrow by; the same meaning as the notebook's listHighlights filters. */
export interface NoteFilters {
  tags: string[];
  colors: HighlightColor[];
  text: string;
}

export const NO_FILTERS: NoteFilters = { tags: [], colors: [], text: '' };

export function isFiltering(f: NoteFilters): boolean {
  return f.tags.length > 0 || f.colors.length > 0 || f.text.trim() !== '';
}

/** Any of the chosen tags, any of the chosen colours, and the text (case-insensitive) in the quote, note or a tag. */
export function matchesNoteFilters(h: Highlight, f: NoteFilters): boolean {
  if (f.colors.length && !f.colors.includes(h.color)) return false;
  if (f.tags.length && !f.tags.some((t) => hasTag(h.tags, t))) return false;
  const needle = f.text.trim();
  if (!needle) return true;
  const pattern = new RegExp(needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'iu');
  return pattern.test(h.quote) || pattern.test(h.note) || h.tags.some((t) => pattern.test(t));
}
