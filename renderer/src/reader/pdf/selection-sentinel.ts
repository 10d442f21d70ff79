/**
 * Steady mouse selection over text layers, after pdf.js's TextLayerBuilder. Text layer spans are absolutely placed,
 * so when a drag passes over blank space between them Chromium picks whatever span the DOM order gives and the
 * selection jumps about (to the end of the page, or back to its start). pdf.js's fix: each text layer ends with an
 * `.endOfContent` block; while a selection is being made it covers the layer (behind the spans: CSS), and it is moved
 * in the DOM to just after the selection's moving end, so blank space selects up to where the pointer last was.
 */
export function trackTextLayerSelection(root: HTMLElement): () => void {
  let pointerDown = false;
  let previous: Range | null = null;
  /** The layers in selecting mode (their marker may have moved): the only ones a reset has to touch. Every key's
   * keyup and every cleared selection resets, so it must not walk every text layer (it ran in the frame after a new
   * highlight, ~1-2 ms with a few pages drawn). */
  const selecting = new Set<HTMLElement>();
  const layers = (): HTMLElement[] => [...root.querySelectorAll<HTMLElement>('.textLayer')];
  /** The marker back at the end of its layer, the layer out of selecting mode. */
  const reset = (layer: HTMLElement): void => {
    selecting.delete(layer);
    const end = layer.querySelector<HTMLElement>('.endOfContent');
    if (end && end !== layer.lastElementChild) layer.append(end);
    layer.classList.remove('selecting');
  };
  const resetAll = (): void => [...selecting].forEach(reset);

  const onPointerDown = (): void => {
    pointerDown = true;
  };
  const onPointerUp = (): void => {
    pointerDown = false;
    resetAll();
  };
  const onKeyUp = (): void => {
    if (!pointerDown) resetAll();
  };
  const onSelectionChange = (): void => {
    const selection = document.getSelection();
    if (!selection || selection.rangeCount === 0) {
      resetAll();
      previous = null;
      return;
    }
    const range = selection.getRangeAt(0);
    if (!root.contains(range.commonAncestorContainer) && !range.intersectsNode(root)) return;
    for (const layer of layers()) {
      if (range.intersectsNode(layer)) {
        selecting.add(layer);
        layer.classList.add('selecting');
      } else if (selecting.has(layer)) reset(layer);
    }
    if (!pointerDown) {
      previous = range.cloneRange();
      return;
    }
    // Which end moves: the one that differs from the last selection's.
    const movesStart =
      previous !== null &&
      (range.compareBoundaryPoints(Range.END_TO_END, previous) === 0 || range.compareBoundaryPoints(Range.START_TO_END, previous) === 0);
    let anchor: Node | null = movesStart ? range.startContainer : range.endContainer;
    if (anchor.nodeType === Node.TEXT_NODE) anchor = anchor.parentNode;
    if (!movesStart && range.endOffset === 0 && anchor) {
      // The end sits at the very start of a node: the text it selects up to is in the element before.
      do {
        while (anchor && !anchor.previousSibling) anchor = anchor.parentNode;
        anchor = anchor?.previousSibling ?? null;
      } while (anchor && !anchor.childNodes.length);
    }
    const element = anchor instanceof Element ? anchor : null;
    const layer = element?.parentElement?.closest<HTMLElement>('.textLayer');
    const end = layer?.querySelector<HTMLElement>('.endOfContent');
    if (element && layer && end && element.parentElement && element !== end) {
      selecting.add(layer);
      element.parentElement.insertBefore(end, movesStart ? element : element.nextSibling);
    }
    previous = range.cloneRange();
  };

  document.addEventListener('pointerdown', onPointerDown);
  document.addEventListener('pointerup', onPointerUp);
  window.addEventListener('blur', onPointerUp);
  document.addEventListener('keyup', onKeyUp);
  document.addEventListener('selectionchange', onSelectionChange);
  return () => {
    document.removeEventListener('pointerdown', onPointerDown);
    document.removeEventListener('pointerup', onPointerUp);
    window.removeEventListener('blur', onPointerUp);
    document.removeEventListener('keyup', onKeyUp);
    document.removeEventListener('selectionchange', onSelectionChange);
  };
}
