import { textOffsetOf, type TextModel } from '../../../electron/text-model';

/**
 * The current selection as [start, end) offsets into the article text, trimmed of white space at both ends (a
 * double-click or a drag that takes a trailing space should not highlight it). Null when the selection is empty or
 * not inside `root`.
 */
export function selectionOffsets(
  root: HTMLElement,
  model: TextModel,
  nodeIndex: Map<Node, number>,
): { start: number; end: number } | null {
  const selection = document.getSelection();
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  if (!root.contains(range.commonAncestorContainer)) return null;
  let start = textOffsetOf(model, nodeIndex, range.startContainer, range.startOffset);
  let end = textOffsetOf(model, nodeIndex, range.endContainer, range.endOffset);
  if (start === null || end === null) return null;
  const text = model.text;
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  // Never split a surrogate pair (an emoji): widen to whole code points.
  if (start > 0 && isLowSurrogate(text.charCodeAt(start)) && isHighSurrogate(text.charCodeAt(start - 1))) start--;
  if (end < text.length && isLowSurrogate(text.charCodeAt(end)) && isHighSurrogate(text.charCodeAt(end - 1))) end++;
  return start < end ? { start, end } : null;
}

const isHighSurrogate = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;

/** The text offset under a viewport point (for clicks on painted highlights), or null outside the article. */
export function offsetAtPoint(
  root: HTMLElement,
  model: TextModel,
  nodeIndex: Map<Node, number>,
  x: number,
  y: number,
): number | null {
  const caret = document.caretPositionFromPoint?.(x, y);
  if (!caret || !root.contains(caret.offsetNode)) return null;
  return textOffsetOf(model, nodeIndex, caret.offsetNode, caret.offset);
}
