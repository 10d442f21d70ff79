/**
 * Where the reader was: the last route (reopened when Gloss starts without one) and each article's scroll position
 * (saved a second after scrolling stops, restored when the article is opened again). Both live in the notebook's
 * settings (`Settings.ui`), not in localStorage: browser mode's origin changes port with every run.
 */
import { useCallback, useEffect, useRef, type RefObject } from 'react';
import type { ArticleSummary, Settings } from '../../../electron/contract';
import type { GlossClient } from '../api/client';
import { callOnUnload } from '../notes/keepalive';
import { parseRoute, type Route } from './route';

/** Scrolling has stopped for this long: save the position (one small index write per pause, not per frame). */
export const SCROLL_SAVE_DELAY_MS = 1000;

/** Read before React runs: did Gloss start with a route in the address (a deep link, a reload) or without one? */
const startedWithoutRoute = (() => {
  const hash = typeof window === 'undefined' ? '' : window.location.hash;
  return hash === '' || hash === '#';
})();

/** The route as it is worth reopening: an article (not one highlight of it), the notebook, or the library. */
function routeToKeep(route: Route): string {
  if (route.name === 'article') return `#/article/${encodeURIComponent(route.articleId)}`;
  if (route.name === 'notebook') return route.tag ? `#/notebook/tag/${encodeURIComponent(route.tag)}` : '#/notebook';
  return '#/';
}

/**
 * Opens the last route when Gloss started without one (once the settings and the library are known, and only if that
 * article still exists), then keeps the setting current as the user moves around.
 */
export function useLastRoute(client: GlossClient, route: Route, settings: Settings | null, articles: ArticleSummary[] | null): void {
  const decided = useRef(!startedWithoutRoute);
  const saved = useRef<string | undefined>(undefined);

  useEffect(() => {
    if (decided.current || !settings || !articles) return;
    decided.current = true;
    const last = settings.ui?.lastRoute;
    saved.current = last;
    if (!last) return;
    const target = parseRoute(last);
    const exists = target.name !== 'article' || articles.some((a) => a.id === target.articleId);
    if (exists && target.name !== 'library') window.location.replace(last);
  }, [settings, articles]);

  const keep = routeToKeep(route);
  useEffect(() => {
    if (!decided.current || !settings) return;
    if (saved.current === undefined) saved.current = settings.ui?.lastRoute;
    if (saved.current === keep) return;
    saved.current = keep;
    client.updateSettings({ ui: { lastRoute: keep } }).catch(() => undefined); // a lost "last route" costs nothing
  }, [client, keep, settings]);
}

/**
 * Remembers how far down each article the reader pane was. `pane` is the scrolling element; `articleId` the article
 * shown in it (null while none); `restore` false when something else decides the position (a deep link to a highlight).
 */
export function useScrollMemory(
  client: GlossClient,
  pane: RefObject<HTMLElement | null>,
  articleId: string | null,
  settings: Settings | null,
  restore: boolean,
): void {
  const restoredFor = useRef<string | null>(null);
  const savedAt = useRef<Map<string, number>>(new Map());
  const shownAt = useRef<{ articleId: string; top: number } | null>(null);

  // Where the pane stood when the article appeared. Declared before the restore below, so it runs first.
  useEffect(() => {
    const element = pane.current;
    if (articleId && element && shownAt.current?.articleId !== articleId) shownAt.current = { articleId, top: element.scrollTop };
  }, [pane, articleId]);

  // Restore once per opening, after the article is in the DOM (this effect runs after the Reader's layout effects).
  useEffect(() => {
    const element = pane.current;
    if (!articleId || !settings || !element || restoredFor.current === articleId) return;
    restoredFor.current = articleId;
    const fraction = settings.ui?.scroll?.[articleId];
    if (fraction !== undefined) savedAt.current.set(articleId, fraction);
    if (!restore) return;
    // Settings can arrive after a long article is on screen; if the reader has moved since, they do not jump it back.
    const moved = shownAt.current?.articleId === articleId && element.scrollTop !== shownAt.current.top;
    if (moved) return;
    // The pane is shared by every article: one never opened before starts at the top, not where the last one was.
    element.scrollTop = (fraction ?? 0) * Math.max(0, element.scrollHeight - element.clientHeight);
  }, [pane, articleId, settings, restore]);

  useEffect(() => {
    if (articleId === null) restoredFor.current = null;
  }, [articleId]);

  // Save a second after scrolling stops; at once when the article changes or the page goes away.
  useEffect(() => {
    const element = pane.current;
    if (!articleId || !element) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    // Measured at each scroll, not when saving: by the time a switch to another article saves, the pane shows that one.
    let pending = 0;
    const position = (): number => {
      const range = element.scrollHeight - element.clientHeight;
      return range <= 0 ? 0 : Math.min(1, Math.max(0, Math.round((element.scrollTop / range) * 10_000) / 10_000));
    };
    const save = (onUnload: boolean): void => {
      if (timer) clearTimeout(timer);
      timer = null;
      const at = pending;
      if (savedAt.current.get(articleId) === at) return;
      savedAt.current.set(articleId, at);
      const patch = { ui: { scroll: { [articleId]: at } } };
      if (onUnload) callOnUnload(client, 'updateSettings', patch);
      else client.updateSettings(patch).catch(() => savedAt.current.delete(articleId));
    };
    const onScroll = (): void => {
      pending = position();
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => save(false), SCROLL_SAVE_DELAY_MS);
    };
    const onHide = (): void => {
      if (timer) save(true);
    };
    element.addEventListener('scroll', onScroll, { passive: true });
    window.addEventListener('pagehide', onHide);
    return () => {
      element.removeEventListener('scroll', onScroll);
      window.removeEventListener('pagehide', onHide);
      if (timer) save(false);
    };
  }, [client, pane, articleId]);
}

/**
 * The reading place of a reader that measures it itself (the PDF reader: by pages, so it survives zoom): the returned
 * callback takes the place (0..1) as it changes and saves it like useScrollMemory does, a second after it stops
 * changing, at once when the article changes or the page goes away.
 */
export function usePlaceSaver(client: GlossClient, articleId: string | null): (place: number) => void {
  const pending = useRef<{ articleId: string; place: number } | null>(null);
  const saved = useRef<Map<string, number>>(new Map());
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const flush = useRef((onUnload: boolean): void => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    const at = pending.current;
    pending.current = null;
    if (!at || saved.current.get(at.articleId) === at.place) return;
    saved.current.set(at.articleId, at.place);
    const patch = { ui: { scroll: { [at.articleId]: at.place } } };
    if (onUnload) callOnUnload(client, 'updateSettings', patch);
    else client.updateSettings(patch).catch(() => saved.current.delete(at.articleId));
  });

  useEffect(() => {
    const save = flush.current; // made once: the same function for every article
    const onHide = (): void => save(true);
    window.addEventListener('pagehide', onHide);
    return () => {
      window.removeEventListener('pagehide', onHide);
      save(false);
    };
  }, [articleId]);

  return useCallback(
    (place: number) => {
      if (!articleId) return;
      pending.current = { articleId, place };
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => flush.current(false), SCROLL_SAVE_DELAY_MS);
    },
    [articleId],
  );
}
