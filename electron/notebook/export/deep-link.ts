/**
 * Links back into Gloss: `gloss://open/<articleId>?highlight=<highlightId>`. The desktop app registers the `gloss`
 * scheme (main/deep-links.ts) and opens such a link at the highlight; browser mode serves the same path over http
 * (`http://127.0.0.1:<port>/open/<articleId>?highlight=<highlightId>`, web/server.ts) and redirects it to the app's
 * route. Both end at the renderer's route `#/article/<id>/highlight/<hid>`, which opens the article scrolled to the
 * highlight with its card focused.
 */

export const DEEP_LINK_SCHEME = 'gloss';

export interface DeepLinkTarget {
  articleId: string;
  highlightId?: string;
}

/** Ids are base64url today; encoded anyway so any id makes a valid URL and a valid Markdown link destination. */
const enc = (s: string): string => encodeURIComponent(s).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);

export function deepLink(articleId: string, highlightId?: string): string {
  return `${DEEP_LINK_SCHEME}://open/${enc(articleId)}${highlightId ? `?highlight=${enc(highlightId)}` : ''}`;
}

/** The path and query browser mode serves for a target (`/open/<id>?highlight=<hid>`). */
export function deepLinkPath(target: DeepLinkTarget): string {
  return `/open/${enc(target.articleId)}${target.highlightId ? `?highlight=${enc(target.highlightId)}` : ''}`;
}

/** Gloss ids, as the API accepts them (schemas.ts idSchema): anything else in a link is refused, never routed. */
const ID = /^[A-Za-z0-9_-]{1,100}$/;

/**
 * The target of a `gloss://open/...` link, or of browser mode's `/open/...` path given as a URL; undefined for
 * anything else (another scheme or action, a malformed id). Never throws: links come from other programs.
 */
export function parseDeepLink(link: string): DeepLinkTarget | undefined {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return undefined;
  }
  let rest: string;
  if (url.protocol === `${DEEP_LINK_SCHEME}:`) {
    if (url.host !== 'open') return undefined;
    rest = url.pathname;
  } else if (url.protocol === 'http:' || url.protocol === 'https:') {
    if (!url.pathname.startsWith('/open/')) return undefined;
    rest = url.pathname.slice('/open'.length);
  } else return undefined;
  const segments = rest.split('/').filter(Boolean);
  if (segments.length !== 1) return undefined;
  let articleId: string;
  try {
    articleId = decodeURIComponent(segments[0]);
  } catch {
    return undefined;
  }
  if (!ID.test(articleId)) return undefined;
  const highlightId = url.searchParams.get('highlight') ?? undefined;
  if (highlightId !== undefined && !ID.test(highlightId)) return undefined;
  return highlightId ? { articleId, highlightId } : { articleId };
}

/** The renderer's hash route for a target (renderer/src/app/route.ts reads it). */
export function routeHash(target: DeepLinkTarget): string {
  const article = `#/article/${encodeURIComponent(target.articleId)}`;
  return target.highlightId ? `${article}/highlight/${encodeURIComponent(target.highlightId)}` : article;
}
