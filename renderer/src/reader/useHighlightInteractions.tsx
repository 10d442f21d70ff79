/**
 * What both readers (HTML: Reader.tsx, PDF: pdf/PdfReader.tsx) do with the selection and the painted highlights: the
 * selection toolbar that follows a selection, h / 1-5 / Escape on it, Enter on a highlight at the caret, a click on
 * painted text opening its popover (clicking again cycles through overlapping ones). The readers differ only in how
 * their text is laid out; each hands over its article element, its current text model and its painter.
 */
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import { HIGHLIGHT_COLORS, type Highlight, type HighlightColor, type Settings } from '../../../electron/contract';
import { domRangePoints, textOffsetOf, type TextModel } from '../../../electron/text-model';
import type { HighlightPainter } from './painter';
import { offsetAtPoint, selectionOffsets } from './selection';
import { SelectionToolbar } from './SelectionToolbar';
import { HighlightPopover } from './HighlightPopover';
import { extendSelectionByKey } from './keyboard-selection';
import { isTypingTarget } from '../app/keys';
import { afterFrame } from './after-frame';

export interface ReaderModel {
  model: TextModel;
  nodeIndex: Map<Node, number>;
}

interface Position {
  top: number;
  left: number;
}

/** Widest floating bar (five swatches, Note, Tag and Delete), to keep it inside the reader column. */
const BAR_WIDTH = 360;

export interface InteractionOptions {
  /** The element the floating bars are positioned in (position: relative). */
  readerRef: RefObject<HTMLElement | null>;
  articleRef: RefObject<HTMLElement | null>;
  modelRef: RefObject<ReaderModel | null>;
  painterRef: RefObject<HighlightPainter | null>;
  highlights: Highlight[];
  settings: Settings;
  onCreate: (start: number, end: number, color: HighlightColor) => void;
  onActivate: (highlightId: string) => void;
  onRecolor: (highlight: Highlight, color: HighlightColor) => void;
  onDelete: (highlight: Highlight) => void;
  onEditCard?: (highlight: Highlight, what: 'note' | 'tag') => void;
}

export function useHighlightInteractions({
  readerRef,
  articleRef,
  modelRef,
  painterRef,
  highlights,
  settings,
  onCreate,
  onActivate,
  onRecolor,
  onDelete,
  onEditCard,
}: InteractionOptions) {
  const [selection, setSelection] = useState<{ start: number; end: number; position: Position } | null>(null);
  const [popover, setPopover] = useState<{ id: string; start: number; end: number; position: Position; takeFocus: boolean } | null>(null);
  const resumeAt = useRef<{ node: Node; offset: number } | null>(null);

  /** A viewport rectangle as a position inside the reader (the bars scroll with the text), kept in the column. */
  const placeBelow = useCallback(
    (rect: DOMRect): Position => {
      const box = readerRef.current?.getBoundingClientRect();
      if (!box) return { top: rect.bottom + 8, left: rect.left };
      return {
        top: rect.bottom - box.top + 8,
        left: Math.max(0, Math.min(rect.left - box.left, box.width - BAR_WIDTH)),
      };
    },
    [readerRef],
  );

  const readSelection = useCallback(() => {
    const element = articleRef.current;
    const current = modelRef.current;
    if (!element || !current) return null;
    const offsets = selectionOffsets(element, current.model, current.nodeIndex);
    if (!offsets) return null;
    const range = document.getSelection()!.getRangeAt(0);
    const rects = range.getClientRects();
    const rect = rects.length ? rects[rects.length - 1] : range.getBoundingClientRect();
    return { ...offsets, position: placeBelow(rect) };
  }, [articleRef, modelRef, placeBelow]);

  // Track the selection so the toolbar can follow it (mouse drag and shift+arrow alike fire selectionchange).
  useEffect(() => {
    const onChange = (): void => {
      const next = readSelection();
      // Showing or moving the toolbar is immediate; hiding it waits one frame, so that clearing the selection after
      // a highlight is made does not add a document-wide style pass to the frame that paints the highlight.
      if (next) setSelection(next);
      else afterFrame(() => setSelection(readSelection()));
    };
    document.addEventListener('selectionchange', onChange);
    return () => document.removeEventListener('selectionchange', onChange);
  }, [readSelection]);

  const create = useCallback(
    (color: HighlightColor) => {
      const current = readSelection();
      if (!current) return false;
      const sel = document.getSelection()!;
      // The caret after a highlight: at its end, where a keyboard user's next Shift+Arrow carries on (and Enter opens
      // it). Kept here rather than as a collapsed selection, for the reason below; focus stays on the article.
      const made = sel.getRangeAt(0);
      resumeAt.current = { node: made.endContainer, offset: made.endOffset };
      // A selection that ends on an element (a PDF text layer's end marker, between spans) is resumed from the text
      // the highlight ends in instead: an element boundary's offset would resolve to the text after it.
      const model = modelRef.current;
      if (model && !model.nodeIndex.has(made.endContainer)) {
        const points = domRangePoints(model.model, current.start, current.end);
        if (points) resumeAt.current = { node: points.endNode, offset: points.endOffset };
      }
      onCreate(current.start, current.end, color);
      // Clear rather than collapse: Chromium syncs a caret's position by walking the text from the top of the
      // document (tens of ms deep in a novel), which would delay the frame that shows the new highlight.
      sel.removeAllRanges();
      // Hide the toolbar after the frame that shows the new highlight: unmounting it in the same frame adds a style
      // and layout pass over the whole (highlight-laden) document to that frame.
      afterFrame(() => setSelection(null));
      return true;
    },
    [onCreate, readSelection, modelRef],
  );

  const openPopover = useCallback(
    ({ id, start, end }: Highlight, takeFocus: boolean) => {
      const range = painterRef.current?.rangeOf(id);
      if (!range) return;
      const rects = range.getClientRects();
      const rect = rects.length ? rects[rects.length - 1] : range.getBoundingClientRect();
      setPopover({ id, start, end, position: placeBelow(rect), takeFocus });
    },
    [painterRef, placeBelow],
  );

  const closePopover = useCallback(
    (returnFocus: boolean) => {
      setPopover(null);
      if (returnFocus) articleRef.current?.focus({ preventScroll: true });
    },
    [articleRef],
  );

  // Keyboard: h = default colour, 1-5 = a colour, Escape = dismiss. Only while text in the article is selected.
  // Listened for on window in the capture phase: a live selection in the article is what the user means to act on,
  // ahead of whatever holds focus (a note card uses 1-5 to recolour itself; it must not also get these presses).
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.ctrlKey || event.metaKey || event.altKey || isTypingTarget(event.target)) return;
      if (event.key === 'Escape') {
        if (readSelection()) {
          const sel = document.getSelection()!;
          resumeAt.current = { node: sel.focusNode!, offset: sel.focusOffset };
          sel.removeAllRanges();
          setSelection(null);
          event.preventDefault();
          event.stopPropagation();
        } else if (popover) {
          // Focus inside the popover goes back to the article; elsewhere (a card) Escape goes on to its owner.
          closePopover(Boolean(document.activeElement?.closest('.highlight-popover')));
        }
        return;
      }
      let color: HighlightColor | undefined;
      if (event.key === 'h' || event.key === 'H') color = 'yellow';
      else if (/^[1-5]$/.test(event.key)) color = HIGHLIGHT_COLORS[Number(event.key) - 1];
      if (color && create(color)) {
        event.preventDefault();
        event.stopPropagation();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [create, readSelection, popover, closePopover]);

  /** Keys on the focused article: Shift+Arrow selects (see keyboard-selection.ts), Enter opens the highlight at the caret. */
  const onArticleKeyDown = (event: React.KeyboardEvent): boolean => {
    const element = articleRef.current;
    const current = modelRef.current;
    if (!element || !current) return false;
    if (extendSelectionByKey(element, event.nativeEvent, resumeAt.current)) {
      event.preventDefault();
      return true;
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.ctrlKey && !event.metaKey && !event.altKey) {
      const sel = document.getSelection();
      const inArticle = sel && sel.rangeCount > 0 && element.contains(sel.focusNode);
      const point = inArticle ? { node: sel.focusNode!, offset: sel.focusOffset } : resumeAt.current;
      if (!point || !element.contains(point.node)) return false;
      // The caret right after a highlight (where h leaves it) counts as on it.
      const offset = textOffsetOf(current.model, current.nodeIndex, point.node, point.offset);
      const painter = painterRef.current;
      const hit = offset === null || !painter ? undefined : (painter.highlightsAt(offset)[0] ?? painter.highlightsAt(offset - 1)[0]);
      if (!hit) return false;
      event.preventDefault();
      onActivate(hit.id);
      openPopover(hit, true);
      return true;
    }
    return false;
  };

  // A click on painted text activates the innermost highlight there; clicking again cycles through overlapping ones.
  const lastClick = useRef<{ offset: number; index: number } | null>(null);
  const onClick = (event: React.MouseEvent): void => {
    const element = articleRef.current;
    const current = modelRef.current;
    const painter = painterRef.current;
    if (!element || !current || !painter) return;
    if (!document.getSelection()?.isCollapsed) return;
    const anchor = (event.target as Element).closest?.('a');
    if (anchor) return; // links are handled by the host (system browser)
    const offset = offsetAtPoint(element, current.model, current.nodeIndex, event.clientX, event.clientY);
    const hits = offset === null ? [] : painter.highlightsAt(offset);
    if (offset === null || hits.length === 0) {
      lastClick.current = null;
      setPopover(null);
      return;
    }
    const sameSpot = lastClick.current && Math.abs(lastClick.current.offset - offset) <= 1;
    const index = sameSpot ? (lastClick.current!.index + 1) % hits.length : 0;
    lastClick.current = { offset, index };
    onActivate(hits[index].id);
    openPopover(hits[index], false);
  };

  // Opened on a highlight still being saved (Enter right after h), the popover shows the saved one once it arrives:
  // the same span under the notebook's id.
  const popoverHighlight = popover
    ? (highlights.find((h) => h.id === popover.id && !h.orphaned) ??
      (popover.id.startsWith('pending-') ? highlights.find((h) => h.start === popover.start && h.end === popover.end && !h.orphaned) : undefined))
    : undefined;

  // The floating bars live in a layout-contained layer: showing or hiding one then lays out and pre-paints that layer
  // alone, not the whole article (a 40 ms frame in a novel, which delayed a key pressed right after).
  const floats = (
    <div className="reader-floats">
      {selection && <SelectionToolbar position={selection.position} settings={settings} onPick={create} />}
      {popover && popoverHighlight && (
        <HighlightPopover
          highlight={popoverHighlight}
          position={popover.position}
          settings={settings}
          takeFocus={popover.takeFocus}
          onRecolor={onRecolor}
          onDelete={(h) => {
            closePopover(true);
            onDelete(h);
          }}
          onEditCard={
            onEditCard &&
            ((h, what) => {
              closePopover(false); // focus goes to the card's editor, not back to the article
              onEditCard(h, what);
            })
          }
          onClose={() => closePopover(true)}
        />
      )}
    </div>
  );

  const dismissPopover = useCallback(() => setPopover(null), []);

  return { floats, onArticleKeyDown, onClick, dismissPopover };
}
