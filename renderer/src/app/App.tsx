import { useCallback, useEffect, useRef, useState } from 'react';
import type { Article, ArticleSummary, Highlight, HighlightColor, NotebookEvent, Settings } from '../../../electron/contract';
import type { GlossClient } from '../api/client';
import { Library } from '../library/Library';
import { NotesPanel } from '../notes/NotesPanel';
import { Reader } from '../reader/Reader';
import type { HighlightPainter } from '../reader/painter';
import { useRoute } from './route';
import { Toasts, useToasts } from './Toasts';
import { History } from './history';
import { isTypingTarget } from './keys';

interface Props {
  client: GlossClient;
}

const EMPTY_SETTINGS: Settings = { colorLabels: {} };

export function App({ client }: Props) {
  const route = useRoute();
  const [articles, setArticles] = useState<ArticleSummary[] | null>(null);
  const [settings, setSettings] = useState<Settings>(EMPTY_SETTINGS);
  const [article, setArticle] = useState<Article | null>(null);
  const [highlights, setHighlights] = useState<Highlight[]>([]);
  const [focusedId, setFocusedId] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const painterRef = useRef<HighlightPainter | null>(null);
  const toastState = useToasts();
  const toasts = toastState.notify;
  const articleId = route.name === 'article' ? route.articleId : null;
  const [history] = useState(() => new History());

  const refreshLibrary = useCallback(() => {
    client.listArticles().then(setArticles, (e: Error) => toasts.error(`Could not list articles: ${e.message}`));
  }, [client, toasts]);

  const loadArticle = useCallback(
    (id: string) => {
      client.getArticle(id).then(
        (a) => {
          setArticle(a);
          setHighlights(a.highlights);
          setLoadError(null);
        },
        (e: Error) => {
          setArticle(null);
          setLoadError(e.message);
        },
      );
    },
    [client],
  );

  useEffect(() => {
    refreshLibrary();
    client.getSettings().then(setSettings, () => undefined);
  }, [client, refreshLibrary]);

  useEffect(() => {
    setFocusedId(null);
    if (articleId) loadArticle(articleId);
    else setArticle(null);
  }, [articleId, loadArticle]);

  useEffect(() => {
    if (route.name === 'article' && route.highlightId) setFocusedId(route.highlightId);
  }, [route]);

  // Changes made elsewhere (another window, a script, undo) arrive as events; apply them to what is on screen.
  useEffect(() => {
    return client.subscribe((event: NotebookEvent) => {
      switch (event.type) {
        case 'highlight-changed':
          if (event.articleId === articleId) setHighlights((list) => upsertSorted(list, event.highlight));
          refreshLibrary();
          break;
        case 'highlight-deleted':
          if (event.articleId === articleId) setHighlights((list) => list.filter((h) => h.id !== event.highlightId));
          refreshLibrary();
          break;
        case 'article-changed':
          if (event.articleId === articleId) loadArticle(event.articleId);
          refreshLibrary();
          break;
        case 'article-added':
        case 'article-deleted':
          refreshLibrary();
          break;
        case 'settings-changed':
          client.getSettings().then(setSettings, () => undefined);
          break;
        case 'notice':
          toasts.show(event.message, event.level);
          break;
        default:
          break;
      }
    });
  }, [client, articleId, loadArticle, refreshLibrary, toasts]);

  const createHighlight = useCallback(
    (start: number, end: number, color: HighlightColor) => {
      if (!article) return;
      // Paint at once with a temporary id (one frame), then swap in the notebook's highlight once it is on disk.
      const now = new Date().toISOString();
      const temp: Highlight = {
        id: `pending-${Math.random().toString(36).slice(2)}`,
        articleId: article.id,
        start,
        end,
        quote: article.text.slice(start, end),
        prefix: '',
        suffix: '',
        color,
        tags: [],
        note: '',
        createdAt: now,
        updatedAt: now,
      };
      painterRef.current?.upsert(temp);
      client.addHighlight(article.id, { start, end, color }).then(
        (saved) => {
          painterRef.current?.rekey(temp.id, saved);
          setHighlights((list) => upsertSorted(list, saved));
          setFocusedId(saved.id);
          history.push({
            label: 'highlight',
            undo: () => client.deleteHighlight(saved.id),
            redo: () => client.restoreHighlight(saved),
          });
        },
        (e: Error) => {
          painterRef.current?.remove(temp.id);
          toasts.error(`The highlight was not saved: ${e.message}`);
        },
      );
    },
    [article, client, toasts, history],
  );

  const deleteHighlight = useCallback(
    (h: Highlight) => {
      client.deleteHighlight(h.id).then(
        (removed) => {
          setHighlights((list) => list.filter((x) => x.id !== h.id));
          history.push({
            label: 'delete highlight',
            undo: () => client.restoreHighlight(removed),
            redo: () => client.deleteHighlight(removed.id),
          });
          toasts.show('Highlight deleted.', 'info', {
            label: 'Undo',
            run: () =>
              client.restoreHighlight(removed).then(
                (back) => setHighlights((list) => upsertSorted(list, back)),
                (e: Error) => toasts.error(`Could not undo: ${e.message}`),
              ),
          });
        },
        (e: Error) => toasts.error(`Could not delete: ${e.message}`),
      );
    },
    [client, toasts, history],
  );

  // Undo/redo: Ctrl/Cmd+Z and Shift+Ctrl/Cmd+Z (text fields keep their own native undo), and the Edit menu.
  useEffect(() => {
    const run = (direction: 'undo' | 'redo'): void => {
      history[direction]().then(
        (label) => label && toasts.show(`${direction === 'undo' ? 'Undid' : 'Redid'} ${label}.`),
        (e: Error) => toasts.error(`Could not ${direction}: ${e.message}`),
      );
    };
    const onKey = (event: KeyboardEvent): void => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || isTypingTarget(event.target)) return;
      const key = event.key.toLowerCase();
      if (key === 'z') {
        event.preventDefault();
        run(event.shiftKey ? 'redo' : 'undo');
      } else if (key === 'y' && !event.shiftKey) {
        event.preventDefault();
        run('redo');
      }
    };
    document.addEventListener('keydown', onKey);
    const offCommand = client.onCommand((command) => {
      if (command === 'undo' || command === 'redo') run(command);
    });
    return () => {
      document.removeEventListener('keydown', onKey);
      offCommand();
    };
  }, [client, history, toasts]);

  return (
    <div className="app">
      <header className="app-bar">
        <a className="brand" href="#/">
          Gloss
        </a>
        <nav aria-label="Main">
          <a href="#/">Library</a>
        </nav>
      </header>
      {route.name === 'library' && (
        <main className="main">
          <Library articles={articles} />
        </main>
      )}
      {route.name === 'article' && (
        <div className="workspace">
          <main className="main reader-pane">
            {loadError && <p role="alert">Could not open this article: {loadError}</p>}
            {!article && !loadError && <p role="status">Opening…</p>}
            {article && (
              <Reader
                article={article}
                highlights={highlights}
                settings={settings}
                focusedId={focusedId}
                onCreate={createHighlight}
                onActivate={setFocusedId}
                onPainter={(p) => (painterRef.current = p)}
              />
            )}
          </main>
          {article && (
            <NotesPanel
              highlights={highlights}
              settings={settings}
              focusedId={focusedId}
              onFocusHighlight={setFocusedId}
              onDelete={deleteHighlight}
            />
          )}
        </div>
      )}
      <Toasts state={toastState} />
    </div>
  );
}

function upsertSorted(list: Highlight[], h: Highlight): Highlight[] {
  const rest = list.filter((x) => x.id !== h.id);
  const at = rest.findIndex((x) => x.start > h.start || (x.start === h.start && x.end > h.end));
  if (at === -1) return [...rest, h];
  return [...rest.slice(0, at), h, ...rest.slice(at)];
}
