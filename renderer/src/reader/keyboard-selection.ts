/**
 * Selecting text by keyboard alone in a read-only article.
 *
 * Chromium (without caret browsing) has no caret in non-editable text: Shift+Arrow extends a selection that already
 * exists, but from nothing (or a collapsed point) it does nothing. Selection.modify does work there, from a collapsed
 * point too, and it moves by grapheme (an emoji with its skin tone, a letter with its combining accent), by word and by
 * visual line, and `left`/`right` follow the visual order in right-to-left text. So the reader handles Shift+Arrow
 * itself: it starts a caret at the first visible line when there is none, then extends with Selection.modify.
 */

type Alter = Parameters<Selection['modify']>;

/** The Selection.modify arguments for a key press, or null when the key is not a selection key. */
export function selectionMoveFor(event: Pick<KeyboardEvent, 'key' | 'shiftKey' | 'ctrlKey' | 'altKey' | 'metaKey'>): Alter | null {
  if (!event.shiftKey || event.metaKey) return null;
  const byWord = event.ctrlKey || event.altKey; // Ctrl on Windows/Linux, Option on macOS
  switch (event.key) {
    case 'ArrowLeft':
      return ['extend', 'left', byWord ? 'word' : 'character'];
    case 'ArrowRight':
      return ['extend', 'right', byWord ? 'word' : 'character'];
    case 'ArrowUp':
      return ['extend', 'backward', byWord ? 'paragraph' : 'line'];
    case 'ArrowDown':
      return ['extend', 'forward', byWord ? 'paragraph' : 'line'];
    case 'Home':
      return byWord ? null : ['extend', 'backward', 'lineboundary'];
    case 'End':
      return byWord ? null : ['extend', 'forward', 'lineboundary'];
    default:
      return null;
  }
}

/**
 * Extends (or starts) the selection inside `root` for a Shift+Arrow key. Without a selection there it starts from
 * `resumeAt` (where the last highlight ended) when that is still in the article, else from the first visible line.
 * Returns true when it handled the key.
 */
export function extendSelectionByKey(root: HTMLElement, event: KeyboardEvent, resumeAt?: { node: Node; offset: number } | null): boolean {
  const move = selectionMoveFor(event);
  const selection = document.getSelection();
  if (!move || !selection) return false;
  if (selection.rangeCount === 0 || !root.contains(selection.focusNode)) {
    if (resumeAt && root.contains(resumeAt.node) && isOnScreen(resumeAt)) selection.collapse(resumeAt.node, resumeAt.offset);
    else if (!placeCaretAtFirstVisibleLine(root, selection)) return false;
  }
  selection.modify(...move);
  keepFocusPointInView(selection);
  return true;
}

/** Collapses the selection at the start of the first line of `root` that is on screen. */
export function placeCaretAtFirstVisibleLine(root: HTMLElement, selection: Selection): boolean {
  const box = root.getBoundingClientRect();
  const rtl = getComputedStyle(root).direction === 'rtl';
  const y = Math.min(Math.max(box.top, 0) + 12, box.bottom - 1);
  for (const x of rtl ? [box.right - 2, box.left + 2] : [box.left + 2, box.right - 2]) {
    const caret = document.caretPositionFromPoint?.(x, y);
    if (caret && root.contains(caret.offsetNode) && caret.offsetNode.nodeType === Node.TEXT_NODE) {
      selection.collapse(caret.offsetNode, caret.offset);
      return true;
    }
  }
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const first = walker.nextNode();
  if (!first) return false;
  selection.collapse(first, 0);
  return true;
}

function isOnScreen(point: { node: Node; offset: number }): boolean {
  const probe = document.createRange();
  probe.setStart(point.node, Math.min(point.offset, point.node.nodeType === Node.TEXT_NODE ? (point.node as Text).length : point.node.childNodes.length));
  const rect = probe.getBoundingClientRect();
  return rect.bottom > 0 && rect.top < window.innerHeight;
}

function keepFocusPointInView(selection: Selection): void {
  const node = selection.focusNode;
  if (!node) return;
  const probe = document.createRange();
  probe.setStart(node, selection.focusOffset);
  const rect = probe.getBoundingClientRect();
  if (rect.height === 0 && rect.width === 0) return;
  if (rect.top < 0 || rect.bottom > window.innerHeight) {
    (node.nodeType === Node.ELEMENT_NODE ? (node as Element) : node.parentElement)?.scrollIntoView({ block: 'nearest' });
  }
}
