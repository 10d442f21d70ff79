import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiCallError } from '../api/client';

/** A stored value and its revision (a highlight's updatedAt; '' where the API keeps none). */
export interface Stored {
  text: string;
  revision: string;
}

export interface AutosaveOptions {
  /** What the notebook holds now (props, kept current by change events). */
  stored: Stored;
  /** Saves `text` if the notebook still holds `ifRevision`; resolves to the new revision, rejects `conflict` if not. */
  save: (text: string, ifRevision: string) => Promise<string>;
  /** Reads what the notebook holds now (after a conflict). */
  reload: () => Promise<Stored>;
  /** The last-chance save while the page goes away: must start synchronously (keepalive fetch). */
  saveOnUnload: (text: string, ifRevision: string) => void;
  /**
   * A save of `before` -> `after` is starting (for undo). Called before the request, with its promise, so an undo
   * pressed while the save is still in flight undoes this edit (after it lands), not the one before it.
   */
  onSaving?: (before: string, after: string, saved: Promise<unknown>) => void;
  /** A save failed after the editor was gone: the text must reach the user some other way. */
  onLost?: (text: string, reason: string) => void;
  delayMs?: number;
}

export type SaveStatus = 'saved' | 'unsaved' | 'saving' | 'error';

export interface Autosave {
  text: string;
  setText: (text: string) => void;
  /** Saves now (blur, Escape, leaving the page). */
  flush: () => void;
  status: SaveStatus;
  error: string | null;
  /** Set when another window saved a different note while this one had unsaved edits. */
  conflict: Stored | null;
  keepMine: () => void;
  takeTheirs: () => void;
}

/**
 * A note editor's autosave: debounced while typing, flushed on blur, on unmount (a route change) and on `pagehide`.
 * Saves run one at a time, each based on the revision the last one produced, so a stale window cannot overwrite a
 * newer note: the notebook answers `conflict`, the user's text stays on screen, and they choose. Nothing is dropped
 * silently.
 */
export function useAutosave(options: AutosaveOptions): Autosave {
  const { stored, delayMs = 400 } = options;
  const [text, setTextState] = useState(stored.text);
  const [status, setStatus] = useState<SaveStatus>('saved');
  const [error, setError] = useState<string | null>(null);
  const [conflict, setConflict] = useState<Stored | null>(null);

  const textRef = useRef(stored.text);
  const base = useRef<Stored>(stored); // what our text is an edit of
  const sending = useRef<string | null>(null);
  const busy = useRef(false);
  const again = useRef(false);
  const conflictRef = useRef<Stored | null>(null);
  const mounted = useRef(true);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const opts = useRef(options);
  opts.current = options;

  const showConflict = (c: Stored | null): void => {
    conflictRef.current = c;
    if (mounted.current) setConflict(c);
  };

  const flushRef = useRef<() => Promise<void>>(async () => undefined);
  flushRef.current = async () => {
    clearTimeout(timer.current);
    if (busy.current) {
      again.current = true;
      return;
    }
    if (conflictRef.current) return;
    const sendText = textRef.current;
    const before = base.current;
    if (sendText === before.text) {
      if (mounted.current) setStatus('saved');
      return;
    }
    busy.current = true;
    let failed = false;
    sending.current = sendText;
    if (mounted.current) setStatus('saving');
    try {
      const saving = opts.current.save(sendText, before.revision);
      opts.current.onSaving?.(before.text, sendText, saving);
      const revision = await saving;
      base.current = { text: sendText, revision };
      if (mounted.current) setError(null);
    } catch (e) {
      if (e instanceof ApiCallError && e.code === 'conflict') {
        const latest = await opts.current.reload().catch(() => null);
        if (latest && (latest.text === before.text || latest.text === sendText)) {
          // Only other fields (tags, colour) moved the revision on: our note is still an edit of what is stored.
          base.current = { text: latest.text, revision: latest.revision };
          again.current = true;
        } else if (!mounted.current) {
          opts.current.onLost?.(sendText, 'the note was changed in another window');
        } else {
          showConflict(latest ?? { text: before.text, revision: before.revision });
        }
      } else {
        const message = e instanceof Error ? e.message : String(e);
        failed = true;
        if (mounted.current) {
          setError(message);
          setStatus('error');
        } else opts.current.onLost?.(sendText, message);
      }
    } finally {
      busy.current = false;
      sending.current = null;
    }
    if (again.current) {
      again.current = false;
      await flushRef.current();
    } else if (mounted.current && !conflictRef.current && !failed) {
      setStatus(textRef.current === base.current.text ? 'saved' : 'unsaved');
    }
  };

  const flush = useCallback(() => void flushRef.current(), []);

  const setText = useCallback(
    (next: string) => {
      textRef.current = next;
      setTextState(next);
      setStatus('unsaved');
      clearTimeout(timer.current);
      timer.current = setTimeout(() => void flushRef.current(), delayMs);
    },
    [delayMs],
  );

  // Changes from elsewhere (another window, undo, our own save's echo) arrive as new props.
  const { text: storedText, revision: storedRevision } = stored;
  useEffect(() => {
    const stored = { text: storedText, revision: storedRevision };
    const current = base.current;
    if (stored.revision === current.revision && stored.text === current.text) return;
    // An echo older than what a later save already produced must not roll the note back.
    if (stored.revision && current.revision && stored.revision < current.revision) return;
    const local = textRef.current;
    const dirty = local !== current.text;
    if (!dirty || stored.text === current.text || stored.text === local || stored.text === sending.current) {
      base.current = stored;
      if (!dirty && !conflictRef.current) {
        textRef.current = stored.text;
        setTextState(stored.text);
      }
      return;
    }
    showConflict(stored);
  }, [storedText, storedRevision]);

  // Leaving: unmount (route change) saves through the client; the page going away uses the keepalive path.
  useEffect(() => {
    mounted.current = true;
    const onPageHide = (): void => {
      clearTimeout(timer.current);
      const pending = textRef.current;
      if (conflictRef.current || pending === base.current.text || pending === sending.current) return;
      opts.current.saveOnUnload(pending, base.current.revision);
      base.current = { ...base.current, text: pending };
    };
    window.addEventListener('pagehide', onPageHide);
    window.addEventListener('beforeunload', onPageHide);
    return () => {
      window.removeEventListener('pagehide', onPageHide);
      window.removeEventListener('beforeunload', onPageHide);
      mounted.current = false;
      if (conflictRef.current && textRef.current !== conflictRef.current.text) {
        opts.current.onLost?.(textRef.current, 'the note was changed in another window');
      } else void flushRef.current();
    };
  }, []);

  const keepMine = useCallback(() => {
    const theirs = conflictRef.current;
    if (!theirs) return;
    base.current = theirs;
    showConflict(null);
    void flushRef.current();
  }, []);

  const takeTheirs = useCallback(() => {
    const theirs = conflictRef.current;
    if (!theirs) return;
    base.current = theirs;
    textRef.current = theirs.text;
    setTextState(theirs.text);
    showConflict(null);
    setStatus('saved');
  }, []);

  return { text, setText, flush, status, error, conflict, keepMine, takeTheirs };
}
