import { useCallback, useEffect, useRef, useState } from 'react';
import { UI_LIMITS } from '../../../electron/contract';

/**
 * How wide the notes panel may be. styles.css applies the same numbers (`.notes-panel` width, the overlay media query):
 * the CSS decides what is shown, these let the separator announce it (aria-valuenow) and clamp a drag to it.
 */
export const NOTES_WIDTH = {
  /** 24rem: the width before anyone drags. */
  initial: 384,
  min: UI_LIMITS.minNotesWidth,
  /** Beside the reader, the reader keeps at least this much. */
  readerMin: 320,
  /** Below this window width the panel lies over the reader instead of squeezing it (it is toggled to read). */
  overlayQuery: '(max-width: 599px)',
  /** Over the reader, this much of the reader stays visible at the left. */
  overlayMargin: 48,
  step: 16,
  bigStep: 64,
} as const;

interface Props {
  /** The width the user chose (the notebook's ui settings), if any. */
  width: number | undefined;
  /** A drag ended or a key was pressed: keep this width (App saves it with the other preferences). */
  onResize: (width: number) => void;
}

interface Limits {
  min: number;
  max: number;
}

function limitsFor(workspace: HTMLElement | null): Limits {
  const room = workspace?.clientWidth ?? window.innerWidth;
  const overlay = matchMedia(NOTES_WIDTH.overlayQuery).matches;
  const max = Math.min(UI_LIMITS.maxNotesWidth, room - (overlay ? NOTES_WIDTH.overlayMargin : NOTES_WIDTH.readerMin));
  return { min: NOTES_WIDTH.min, max: Math.max(NOTES_WIDTH.min, max) };
}

const clamp = (px: number, { min, max }: Limits): number => Math.round(Math.min(max, Math.max(min, px)));

/**
 * The handle between the reader and the notes panel (the ARIA window splitter): drag it with the mouse, or focus it
 * and press Left/Right (Shift for bigger steps), Home or End. Its value is the panel's width in pixels. While a drag
 * is under way only a CSS variable changes (no React render of the app per pointer move); the width is saved at the end.
 */
export function PanelResizer({ width, onResize }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const [limits, setLimits] = useState<Limits>(() => limitsFor(null));
  const [dragging, setDragging] = useState<number | null>(null);
  const drag = useRef<{ pointerId: number; startX: number; startWidth: number } | null>(null);

  // The limits follow the window: a narrower window shows a narrower panel without forgetting the chosen width.
  useEffect(() => {
    const workspace = ref.current?.parentElement ?? null;
    const update = (): void => setLimits((old) => {
      const next = limitsFor(workspace);
      return old.min === next.min && old.max === next.max ? old : next;
    });
    update();
    if (!workspace) return;
    const observer = new ResizeObserver(update);
    observer.observe(workspace);
    return () => observer.disconnect();
  }, []);

  const shown = dragging ?? clamp(width ?? NOTES_WIDTH.initial, limits);

  const show = useCallback((px: number): void => {
    document.documentElement.style.setProperty('--notes-width', `${px}px`);
    setDragging(px);
  }, []);

  const onPointerDown = (e: React.PointerEvent<HTMLDivElement>): void => {
    if (e.button !== 0) return;
    e.preventDefault(); // no text selection while dragging
    e.currentTarget.focus();
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { pointerId: e.pointerId, startX: e.clientX, startWidth: shown };
  };
  const onPointerMove = (e: React.PointerEvent<HTMLDivElement>): void => {
    const d = drag.current;
    if (!d || d.pointerId !== e.pointerId) return;
    // The panel is on the right: moving the handle left widens it.
    show(clamp(d.startWidth + d.startX - e.clientX, limitsFor(ref.current?.parentElement ?? null)));
  };
  const endDrag = (e: React.PointerEvent<HTMLDivElement>): void => {
    const d = drag.current;
    if (!d || d.pointerId !== e.pointerId) return;
    drag.current = null;
    if (dragging !== null) onResize(dragging);
    setDragging(null);
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLDivElement>): void => {
    const step = e.shiftKey ? NOTES_WIDTH.bigStep : NOTES_WIDTH.step;
    let next: number;
    if (e.key === 'ArrowLeft') next = shown + step;
    else if (e.key === 'ArrowRight') next = shown - step;
    else if (e.key === 'Home') next = limits.min;
    else if (e.key === 'End') next = limits.max;
    else return;
    e.preventDefault();
    onResize(clamp(next, limits));
  };

  return (
    <div
      ref={ref}
      className={`panel-resizer${dragging !== null ? ' dragging' : ''}`}
      role="separator"
      aria-orientation="vertical"
      aria-label="Resize the notes panel"
      aria-valuenow={shown}
      aria-valuemin={limits.min}
      aria-valuemax={limits.max}
      aria-valuetext={`Notes panel ${shown} pixels wide`}
      tabIndex={0}
      title="Drag to resize the notes panel (or focus and press Left/Right)"
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={endDrag}
      onPointerCancel={endDrag}
      onKeyDown={onKeyDown}
    />
  );
}
