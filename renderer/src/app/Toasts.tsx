import { useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore, type CSSProperties } from 'react';

export interface ToastAction {
  label: string;
  run: () => void;
  /**
   * When given, the button is offered only while this returns true: an Undo whose step is still the one Ctrl+Z would
   * undo (see undoAction in history.ts). `subscribe` calls back whenever the answer may have changed.
   */
  available?: () => boolean;
  subscribe?: (onChange: () => void) => () => void;
}

type Level = 'info' | 'warning' | 'error';

interface Toast {
  id: number;
  message: string;
  level: Level;
  action?: ToastAction;
  /** How many times this message was shown while the toast was up (repeats merge into one toast). */
  count: number;
}

export interface Notifier {
  show: (message: string, level?: Level, action?: ToastAction) => void;
  error: (message: string) => void;
  /** A short, polite status ("Nothing to undo"): gone after a few seconds. */
  brief: (message: string) => void;
  dismiss: (id: number) => void;
}

/** `notify` is stable across renders, so effects may depend on it without re-running. */
export interface ToastState {
  items: Toast[];
  notify: Notifier;
}

const TOAST_MS = 8000;
const BRIEF_MS = 3000;
/** Toasts shown at once; older ones are dropped (errors: folded behind a "more" button, never dropped). */
export const MAX_TOASTS = 3;
let nextId = 1;

/**
 * Toasts say what happened and, where there is one, offer the way back (Undo). The same message again while its toast
 * is up refreshes that toast (with a count) instead of stacking a copy. Errors stay until dismissed; other toasts
 * beyond MAX_TOASTS are dropped, oldest first.
 */
export function useToasts(): ToastState {
  const [items, setItems] = useState<Toast[]>([]);
  const timers = useRef(new Map<number, ReturnType<typeof setTimeout>>());
  const notify = useMemo<Notifier>(() => {
    const dismiss = (id: number): void => {
      clearTimeout(timers.current.get(id));
      timers.current.delete(id);
      setItems((list) => list.filter((t) => t.id !== id));
    };
    const expireIn = (id: number, ms: number): void => {
      clearTimeout(timers.current.get(id));
      timers.current.set(id, setTimeout(() => dismiss(id), ms));
    };
    const add = (message: string, level: Level, action: ToastAction | undefined, ms: number | null): void => {
      setItems((list) => {
        // A toast with an action (Undo) is its own step: two deletes are two Undos, never one "(×2)" that undoes one.
        const repeat = action ? undefined : list.find((t) => t.message === message && t.level === level && !t.action);
        const id = repeat?.id ?? nextId++;
        if (ms !== null) expireIn(id, ms);
        const toast: Toast = { id, message, level, action, count: (repeat?.count ?? 0) + 1 };
        return capped([...list.filter((t) => t !== repeat), toast]);
      });
    };
    return {
      show: (message, level = 'info', action) => add(message, level, action, level === 'error' ? null : TOAST_MS),
      error: (message) => add(message, 'error', undefined, null),
      brief: (message) => add(message, 'info', undefined, BRIEF_MS),
      dismiss,
    };
  }, []);
  return { items, notify };
}

/** Drops the oldest toasts that are not errors until at most MAX_TOASTS remain (errors are only ever dismissed). */
function capped(list: Toast[]): Toast[] {
  let excess = list.length - MAX_TOASTS;
  if (excess <= 0) return list;
  return list.filter((t) => t.level === 'error' || excess-- <= 0);
}

/** `layoutKey` changes when the layout around the reader may have (the route, the notes panel shown or hidden). */
export function Toasts({ state, layoutKey }: { state: ToastState; layoutKey?: string }) {
  const [expanded, setExpanded] = useState(false);
  if (expanded && state.items.length <= MAX_TOASTS) setExpanded(false);
  const placement = useToastPlacement(state.items.length, layoutKey);
  const hidden = expanded ? 0 : Math.max(0, state.items.length - MAX_TOASTS);
  return (
    <div className={`toasts${placement.docked ? ' toasts-docked' : ''}`} style={placement.style} role="region" aria-label="Notifications">
      {hidden > 0 && (
        <button type="button" className="toast-more" onClick={() => setExpanded(true)}>
          {hidden} more {hidden === 1 ? 'notification' : 'notifications'}
        </button>
      )}
      {state.items.slice(hidden).map((t) => (
        <ToastView key={t.id} toast={t} onDismiss={() => state.notify.dismiss(t.id)} />
      ))}
    </div>
  );
}

const always = (): boolean => true;
const noSubscription = (): (() => void) => () => undefined;

function ToastView({ toast: t, onDismiss }: { toast: Toast; onDismiss: () => void }) {
  const action = t.action;
  const available = useSyncExternalStore(action?.subscribe ?? noSubscription, action?.available ?? always);
  // An Undo that goes away under the keyboard (Ctrl+Z undid its step) hands focus to the toast's Dismiss, not to <body>.
  const closeRef = useRef<HTMLButtonElement>(null);
  const hadFocus = useRef(false);
  useLayoutEffect(() => {
    if (!available && hadFocus.current) closeRef.current?.focus();
    if (!available) hadFocus.current = false;
  }, [available]);
  return (
    <div className={`toast toast-${t.level}`} role={t.level === 'error' ? 'alert' : 'status'}>
      <span>
        {t.message}
        {t.count > 1 && <span className="toast-count"> (×{t.count})</span>}
      </span>
      {action && available && (
        <button
          type="button"
          onFocus={() => (hadFocus.current = true)}
          onBlur={() => (hadFocus.current = false)}
          onClick={() => {
            action.run();
            onDismiss();
          }}
        >
          {action.label}
        </button>
      )}
      <button ref={closeRef} type="button" className="toast-close" aria-label="Dismiss notification" onClick={onDismiss}>
        ×
      </button>
    </div>
  );
}

/** The narrowest a toast may be beside the reading column before the stack docks below the workspace instead. */
const MIN_SIDE_WIDTH = 240;
const GAP = 16;

/**
 * Where the stack goes: never over the article's text. Beside the reading column (over the notes panel, or the empty
 * margin) when there is room, else docked as a strip under the workspace (the reader gives up those lines). Measured
 * while toasts are shown, again when the window or the reader pane changes size (the panel shown, hidden, resized).
 */
function useToastPlacement(count: number, layoutKey: string | undefined): { docked: boolean; style?: CSSProperties } {
  const [placement, setPlacement] = useState<{ docked: boolean; style?: CSSProperties }>({ docked: false });
  useLayoutEffect(() => {
    if (count === 0) return;
    const measure = (): void => {
      const column = document.querySelector('.reader');
      if (!column) return setPlacement((p) => (p.docked || p.style ? { docked: false } : p));
      const box = column.getBoundingClientRect();
      const right = window.innerWidth - box.right;
      const next =
        right >= MIN_SIDE_WIDTH + 2 * GAP
          ? { docked: false, style: { right: GAP, maxWidth: Math.min(right - 2 * GAP, 384) } }
          : box.left >= MIN_SIDE_WIDTH + 2 * GAP
            ? { docked: false, style: { left: GAP, right: 'auto', maxWidth: Math.min(box.left - 2 * GAP, 384) } }
            : { docked: true };
      setPlacement((p) => (JSON.stringify(p) === JSON.stringify(next) ? p : next));
    };
    measure();
    const observer = new ResizeObserver(measure);
    const pane = document.querySelector('.reader-pane');
    if (pane) observer.observe(pane);
    const column = document.querySelector('.reader');
    if (column) observer.observe(column);
    window.addEventListener('resize', measure);
    return () => {
      observer.disconnect();
      window.removeEventListener('resize', measure);
    };
  }, [count, layoutKey]);
  return placement;
}
