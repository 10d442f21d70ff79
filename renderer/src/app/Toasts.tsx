import { useMemo, useState } from 'react';

export interface ToastAction {
  label: string;
  run: () => void;
}

interface Toast {
  id: number;
  message: string;
  level: 'info' | 'warning' | 'error';
  action?: ToastAction;
}

export interface Notifier {
  show: (message: string, level?: Toast['level'], action?: ToastAction) => void;
  error: (message: string) => void;
  dismiss: (id: number) => void;
}

/** `notify` is stable across renders, so effects may depend on it without re-running. */
export interface ToastState {
  items: Toast[];
  notify: Notifier;
}

const TOAST_MS = 8000;
let nextId = 1;

/** Toasts say what happened and, where there is one, offer the way back (Undo). Errors stay until dismissed. */
export function useToasts(): ToastState {
  const [items, setItems] = useState<Toast[]>([]);
  const notify = useMemo<Notifier>(() => {
    const dismiss = (id: number): void => setItems((list) => list.filter((t) => t.id !== id));
    const show = (message: string, level: Toast['level'] = 'info', action?: ToastAction): void => {
      const id = nextId++;
      setItems((list) => [...list.slice(-3), { id, message, level, action }]);
      if (level !== 'error') setTimeout(() => dismiss(id), TOAST_MS);
    };
    return { show, dismiss, error: (message: string) => show(message, 'error') };
  }, []);
  return { items, notify };
}

export function Toasts({ state }: { state: ToastState }) {
  return (
    <div className="toasts" role="region" aria-label="Notifications">
      {state.items.map((t) => (
        <div key={t.id} className={`toast toast-${t.level}`} role={t.level === 'error' ? 'alert' : 'status'}>
          <span>{t.message}</span>
          {t.action && (
            <button
              type="button"
              onClick={() => {
                t.action!.run();
                state.notify.dismiss(t.id);
              }}
            >
              {t.action.label}
            </button>
          )}
          <button type="button" className="toast-close" aria-label="Dismiss notification" onClick={() => state.notify.dismiss(t.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
