import { useEffect, useState } from 'react';

export type Route =
  | { name: 'library' }
  | { name: 'article'; articleId: string; highlightId?: string; at?: { start: number; end: number } }
  | { name: 'notebook'; tag?: string };

/** `#/`, `#/article/<id>`, `#/article/<id>/highlight/<hid>`, `#/article/<id>/at/<start>-<end>` (a search match), `#/notebook`, `#/notebook/tag/<tag>`. Hash routes work from file:// and from browser mode alike. */
export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'article' && parts[1]) {
    const at = parts[2] === 'at' ? /^(\d+)-(\d+)$/.exec(parts[3] ?? '') : null;
    if (at && Number(at[1]) <= Number(at[2])) return { name: 'article', articleId: parts[1], at: { start: Number(at[1]), end: Number(at[2]) } };
    return parts[2] === 'highlight' && parts[3]
      ? { name: 'article', articleId: parts[1], highlightId: parts[3] }
      : { name: 'article', articleId: parts[1] };
  }
  if (parts[0] === 'notebook') return parts[1] === 'tag' && parts[2] ? { name: 'notebook', tag: parts[2] } : { name: 'notebook' };
  return { name: 'library' };
}

export function highlightHref(articleId: string, highlightId: string): string {
  return `#/article/${encodeURIComponent(articleId)}/highlight/${encodeURIComponent(highlightId)}`;
}

/** A search result in an article's text: opens the article scrolled to the match, marked. */
export function textMatchHref(articleId: string, start: number, end: number): string {
  return `#/article/${encodeURIComponent(articleId)}/at/${start}-${end}`;
}

export function notebookTagHref(tag: string): string {
  return `#/notebook/tag/${encodeURIComponent(tag)}`;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onHash = (): void => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return route;
}
