import { useEffect, useRef, useState } from 'react';
import { ArticleFinder } from '../reader/find';
import type { Finder } from '../reader/view';

interface Props {
  /** The reader's <article> element (null while the article loads). */
  getRoot: () => HTMLElement | null;
  /** A reader with its own find (a PDF searches its text, not the DOM); otherwise matches are marked in the DOM. */
  createFinder?: () => Finder;
  onClose: () => void;
}

/**
 * Ctrl/Cmd+F: find in the article. Every match is marked (mark.js); Enter / Shift+Enter (or the buttons) move to the
 * next / previous one; Escape clears the marks and closes, handing focus back where it was.
 */
export function FindBar({ getRoot, createFinder, onClose }: Props) {
  const inputRef = useRef<HTMLInputElement>(null);
  const finderRef = useRef<Finder | null>(null);
  const makeFinder = useRef(createFinder);
  makeFinder.current = createFinder;
  const returnFocus = useRef<Element | null>(document.activeElement);
  const rootOf = useRef(getRoot);
  rootOf.current = getRoot;
  const [query, setQuery] = useState('');
  const [count, setCount] = useState(0);
  const [index, setIndex] = useState(-1);

  useEffect(() => {
    inputRef.current?.focus();
    return () => finderRef.current?.clear();
  }, []);

  // Re-mark as the query changes (a short pause first: marking a long article costs tens of milliseconds).
  useEffect(() => {
    const timer = setTimeout(() => {
      const root = rootOf.current();
      if (!root) return;
      if (!finderRef.current) finderRef.current = makeFinder.current?.() ?? new ArticleFinder(root);
      const n = finderRef.current.find(query);
      setCount(n);
      setIndex(n > 0 ? finderRef.current.go(1) : -1);
    }, 120);
    return () => clearTimeout(timer);
  }, [query]);

  const go = (step: 1 | -1): void => {
    if (finderRef.current) setIndex(finderRef.current.go(step));
  };

  const close = (): void => {
    finderRef.current?.clear();
    finderRef.current = null;
    onClose();
    const back = returnFocus.current;
    if (back instanceof HTMLElement && back.isConnected && back !== document.body) back.focus();
  };

  return (
    <div className="find-bar" role="search" aria-label="Find in article">
      <input
        ref={inputRef}
        type="search"
        aria-label="Find in article"
        placeholder="Find in article…"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            go(e.shiftKey ? -1 : 1);
          } else if (e.key === 'Escape') {
            e.preventDefault();
            e.stopPropagation();
            close();
          }
        }}
      />
      <span className="find-count" role="status" aria-live="polite">
        {query.trim() === '' ? '' : count === 0 ? 'No matches' : `${index + 1} of ${count}`}
      </span>
      <button type="button" aria-label="Previous match" disabled={count === 0} onClick={() => go(-1)}>
        ↑
      </button>
      <button type="button" aria-label="Next match" disabled={count === 0} onClick={() => go(1)}>
        ↓
      </button>
      <button type="button" aria-label="Close find" onClick={close}>
        ×
      </button>
    </div>
  );
}
