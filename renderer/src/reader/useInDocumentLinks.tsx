import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import { goTo, returnTo, scrollerOf, targetOf, type Place } from './in-document-links';

/**
 * Follows in-document links in the reader's <article> (in-document-links.ts) and offers the way back: a stack of
 * places, a Back button shown while it is not empty, Alt+Left (the platform's "back") anywhere in the reader.
 * The stack is per article: opening another one empties it.
 */
export function useInDocumentLinks(articleRef: RefObject<HTMLElement | null>, articleKey: string): { back: (() => void) | null; depth: number } {
  const stack = useRef<Place[]>([]);
  const [depth, setDepth] = useState(0);

  useEffect(() => {
    stack.current = [];
    setDepth(0);
  }, [articleKey]);

  const back = useCallback(() => {
    const element = articleRef.current;
    const place = stack.current.pop();
    setDepth(stack.current.length);
    if (element && place) returnTo(place, scrollerOf(element));
  }, [articleRef]);

  useEffect(() => {
    const element = articleRef.current;
    if (!element) return;
    const onClick = (event: MouseEvent): void => {
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const link = (event.target as Element | null)?.closest?.('a[href^="#"]');
      if (!link || !element.contains(link)) return;
      event.preventDefault(); // never the address's fragment: it holds the app's route
      const target = targetOf(link, element);
      if (!target) return;
      stack.current.push({ scrollTop: scrollerOf(element).scrollTop, link: link as HTMLElement });
      setDepth(stack.current.length);
      goTo(target);
    };
    element.addEventListener('click', onClick);
    return () => element.removeEventListener('click', onClick);
  }, [articleRef, articleKey]);

  useEffect(() => {
    if (depth === 0) return;
    const onKey = (event: KeyboardEvent): void => {
      if (!event.altKey || event.key !== 'ArrowLeft' || event.ctrlKey || event.metaKey || event.shiftKey) return;
      event.preventDefault(); // in a browser tab Alt+Left would leave the article (the route is in the history)
      back();
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, [depth, back]);

  return { back: depth > 0 ? back : null, depth };
}
