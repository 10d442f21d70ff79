import { useEffect, useState } from 'react';

export type Route =
  | { name: 'library' }
  | { name: 'article'; articleId: string; highlightId?: string }
  | { name: 'notebook'; tag?: string };

/** `#/`, `#/article/<id>`, `#/article/<id>/highlight/<hid>`, `#/notebook`, `#/notebook/tag/<tag>`. Hash routes work from file:// and from browser mode alike. */
export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'article' && parts[1]) {
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
