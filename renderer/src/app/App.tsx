import { lazy, Suspense, useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import type { Article, ArticleSummary, Highlight, HighlightColor, NotebookEvent, Settings } from '../../../electron/contract';
import type { GlossClient } from '../api/client';
import { Library } from '../library/Library';
import { ImportBar } from '../library/import/ImportBar';
import { NotesPanel } from '../notes/NotesPanel';
import { focusNotesPanel } from './focus-notes';
import { NotebookView } from '../notes/NotebookView';
import { FindBar } from '../notes/FindBar';
import type { EditContext } from '../notes/edit-context';
import type { CardRequest } from '../notes/NotesPanel';
import { ShortcutsDialog, useGlobalShortcuts } from './Shortcuts';
import { Reader, type ReaderProps } from '../reader/Reader';
import { markSearchMatch, type ReaderView } from '../reader/view';
import type { HighlightPainter } from '../reader/painter';
import { useRoute } from './route';
import { Toasts, useToasts } from './Toasts';
import { NoticeBanner } from './NoticeBanner';
import { History, runStep, undoAction } from './history';
import { isTypingTarget } from './keys';
import { ColorLabels } from './ColorLabels';
import { ExportDialog } from '../export/ExportDialog';
import { Preferences } from './Preferences';
import { AboutDialog } from './About';
import { usePdfReplacer } from '../library/import/useReplacePdf';
import { PasswordDialog } from '../library/import/PasswordDialog';
import { usePreferences } from './usePreferences';
import { useLastRoute, usePlaceSaver, useScrollMemory } from './reading-place';
import { HighlightAnnouncer } from './HighlightAnnouncer';
import { BarOverflow } from './BarOverflow';
import { ReaderBoundary } from './ReaderBoundary';
import { PanelResizer } from './PanelResizer';
import { leavePdfArticle, loadPdfChunk, preopenPdf } from '../reader/pdf/warm';
import { afterFrame } from '../reader/after-frame';

interface Props {
  client: GlossClient;
  /** The article the start-up URL names, requested before React mounted (see main.tsx). */
  prefetchedArticle?: { id: string; promise: Promise<Article> } | null;
}

const EMPTY_SETTINGS: Settings = { colorLabels: {} };
// pdf.js is loaded when the first PDF is opened: an HTML article's start-up does not parse it.
// warm.ts may have fetched it (and started pdf.js's worker and the document's load) before this renders.
const PdfReader = lazy(() => loadPdfChunk().then((m) => ({ default: m.PdfReader })));
const NO_HIGHLIGHTS: Highlight[] = [];

export function App({ client, prefetchedArticle = null }: Props) {
  const prefetch = useRef(prefetchedArticle);
  const route = useRoute();
  const [articles, setArticles] = useState<ArticleSummary[] | null>(null);
  const [settings, setSettings] = useState<Settings>(EMPTY_SETTINGS);
  const [article, setArticle] = useState<Article | null>(null);
  const shownArticle = useRef<Article | null>(null);
  shownArticle.current = article;
  const [highlights, setHighlights] = useState<Highlight[]>([]);
  // The panel renders its cards in the background (a transition React can interrupt), so the reader paints a long
  // article's highlights first: 2,000 cards would otherwise hold the first painted frame for seconds (bench/RESULTS.md).
  // A PDF's cards wait longer, until its first page is drawn: that happens after React's commits (pdf.js in its worker,
  // then the canvas), and cards rendered meanwhile hold the main thread pdf.js needs (bench/RESULTS.md, "PDFs").
  const [firstPageOf, setFirstPageOf] = useState<string | null>(null);
  const holdCards = article?.kind === 'pdf' && firstPageOf !== article.id;
  const panelHighlights = useDeferredValue(holdCards ? NO_HIGHLIGHTS : highlights, NO_HIGHLIGHTS);
  const [focusedId, setFocusedId] = useState<string | null>(null);
  const [justCreated, setJustCreated] = useState<string | null>(null);
  // A card asked for by `n` or the popover's Note / Tag, and the new highlight still being saved (its card is next).
  const [cardRequest, setCardRequest] = useState<CardRequest | null>(null);
  const creating = useRef<Promise<string | null> | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const painterRef = useRef<HighlightPainter | null>(null);
  // What the reader on screen (HTML or PDF) offers the app: revealing a highlight, and a PDF's own find.
  const [view, setView] = useState<ReaderView | null>(null);
  const setPainter = useCallback((p: HighlightPainter | null) => (painterRef.current = p), []);
  const toastState = useToasts();
  const toasts = toastState.notify;
  const pdfReplacer = usePdfReplacer(client, toasts);
  const articleId = route.name === 'article' ? route.articleId : null;
  const [history] = useState(() => new History());
  const [findOpen, setFindOpen] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);
  const [settingsLoaded, setSettingsLoaded] = useState(false);
  const readerPaneRef = useRef<HTMLElement>(null);

  const refreshLibrary = useCallback(() => {
    client.listArticles().then(setArticles, (e: Error) => toasts.error(`Could not list your articles: ${e.message}. Check that Gloss is still running, then reload.`));
  }, [client, toasts]);

  const loadArticle = useCallback(
    (id: string) => {
      const pending = prefetch.current;
      prefetch.current = null; // used once: later loads (events, navigation) must fetch the current version
      const request = pending && pending.id === id ? pending.promise : client.getArticle(id);
      const shown = shownArticle.current;
      request.then(
        (a) => {
          // A PDF newly opened: its document starts loading now, while React renders the reader (not after).
          // Not for a reload of the one on screen: its reader keeps the document it has unless the file changed.
          if (a.kind === 'pdf' && (shown?.id !== a.id || shown.pdf?.sha256 !== a.pdf?.sha256 || shown.pdf?.password !== a.pdf?.password)) preopenPdf(a, client.documentSource);
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

  // Never wait for the first page longer than this: the cards are the notes, and a page may be slow or never drawn.
  useEffect(() => {
    if (!holdCards || !article) return;
    const id = article.id;
    const timer = window.setTimeout(() => setFirstPageOf(id), 3000);
    return () => window.clearTimeout(timer);
  }, [holdCards, article]);

  useEffect(() => {
    refreshLibrary();
    client.getSettings().then(
      (s) => {
        setSettings(s);
        setSettingsLoaded(true);
      },
      (e: Error) => toasts.error(`Could not read your settings (${e.message}); defaults apply. Reload to try again.`),
    );
  }, [client, refreshLibrary, toasts]);

  useEffect(() => {
    setFocusedId(null);
    leavePdfArticle(articleId); // a PDF loaded ahead for an article no longer asked for is let go
    if (articleId) loadArticle(articleId);
    else setArticle(null);
  }, [articleId, loadArticle]);

  useEffect(() => {
    if (route.name === 'article' && route.highlightId) setFocusedId(route.highlightId);
  }, [route]);

  // A deep link (#/article/<id>/highlight/<hid>) scrolls its passage into view once the highlight is painted.
  const revealed = useRef<string | null>(null);
  useEffect(() => {
    const target = route.name === 'article' && route.highlightId ? `${route.articleId}/${route.highlightId}` : null;
    if (!target || revealed.current === target || route.name !== 'article' || !route.highlightId) return;
    const highlight = highlights.find((h) => h.id === route.highlightId);
    if (!highlight || !view?.reveal(highlight, 'auto')) return;
    revealed.current = target;
  }, [route, article, highlights, view]);

  // A search result (#/article/<id>/at/<start>-<end>) opens at its match, marked, once the text is rendered.
  const revealedText = useRef<string | null>(null);
  useEffect(() => {
    if (route.name !== 'article' || !route.at || article?.id !== route.articleId) return;
    const target = `${route.articleId}/${route.at.start}-${route.at.end}`;
    if (revealedText.current === target || !view?.revealText(route.at)) return;
    revealedText.current = target;
  }, [route, article, view]);
  useEffect(() => {
    if (route.name !== 'article' || !route.at) {
      revealedText.current = null;
      markSearchMatch(null);
    }
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

  const saveHighlight = useCallback(
    (temp: Highlight): Promise<string | null> => {
      const { articleId, start, end, color } = temp;
      return client.addHighlight(articleId, { start, end, color }).then(
        (saved) => {
          painterRef.current?.rekey(temp.id, saved);
          setHighlights((list) => upsertSorted(list, saved));
          setJustCreated(saved.id);
          setFocusedId(saved.id);
          history.push({
            label: 'highlight',
            undo: () => client.deleteHighlight(saved.id),
            redo: () => client.restoreHighlight(saved),
          });
          return saved.id;
        },
        (e: Error) => {
          painterRef.current?.remove(temp.id);
          toasts.error(`The highlight was not saved: ${e.message}. Select the passage and try again.`);
          return null;
        },
      );
    },
    [client, toasts, history],
  );

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
      painterRef.current?.paintPending(temp);
      // Save once the frame that shows the highlight is produced, so neither it nor the next key waits on starting a
      // request (reader/after-frame.ts).
      const saved = new Promise<string | null>((resolve) => afterFrame(() => resolve(saveHighlight(temp))));
      creating.current = saved;
      void saved.then(() => {
        if (creating.current === saved) creating.current = null;
      });
    },
    [article, saveHighlight],
  );

  const recolorHighlight = useCallback(
    (h: Highlight, color: HighlightColor) => {
      const from = h.color;
      const saving = client.updateHighlight(h.id, { color });
      // On the undo stack at once (Ctrl+Z right after the click undoes this, not the step before); its undo waits
      // for the save so the two writes cannot cross.
      history.push({
        label: 'recolour',
        undo: () => saving.then(() => client.updateHighlight(h.id, { color: from })),
        redo: () => client.updateHighlight(h.id, { color }),
      });
      saving.then(
        (saved) => setHighlights((list) => upsertSorted(list, saved)),
        (e: Error) => toasts.error(`Could not recolour the highlight: ${e.message}. Try again.`),
      );
    },
    [client, toasts, history],
  );

  // "Show in text" from a card: scroll the passage into view and emphasise it.
  // A PDF's highlight on a page not drawn yet: the reader goes to its page and emphasises it once it is drawn.
  const showInText = useCallback(
    (h: Highlight) => {
      if (!view?.reveal(h)) return;
      painterRef.current?.emphasize(h.id);
      setFocusedId(h.id);
    },
    [view],
  );

  const deleteHighlight = useCallback(
    (h: Highlight) => {
      const deleting = client.deleteHighlight(h.id);
      // On the undo stack at once, as a recolour is: Ctrl+Z pressed right after Delete undoes the delete (it waits for
      // it), rather than finding nothing to undo or undoing the step before.
      const step = history.push({
        label: 'delete highlight',
        undo: () => deleting.then((removed) => client.restoreHighlight(removed)).then((back) => setHighlights((list) => upsertSorted(list, back))),
        redo: () => client.deleteHighlight(h.id),
      });
      deleting.then(
        () => {
          setHighlights((list) => list.filter((x) => x.id !== h.id));
          // The toast's Undo is this step of the history, offered while it is the next undo (not a second way back).
          toasts.show('Highlight deleted.', 'info', undoAction(history, step, toasts));
        },
        (e: Error) => {
          history.discard(step);
          toasts.error(`Could not delete the highlight: ${e.message}. It is still there; try again.`);
        },
      );
    },
    [client, toasts, history],
  );

  // What cards, tag editors and the notebook view need to edit through the API, with undo.
  const edit = useMemo<EditContext>(
    () => ({
      client,
      history,
      notify: toasts,
      onChanged: (h) => setHighlights((list) => (list.some((x) => x.id === h.id) ? upsertSorted(list, h) : list)),
    }),
    [client, history, toasts],
  );

  const focusReader = useCallback(() => document.querySelector<HTMLElement>('article.reader-article')?.focus(), []);
  const requestCard = useCallback((id: string, what: CardRequest['what']) => setCardRequest((r) => ({ id, what, seq: (r?.seq ?? 0) + 1 })), []);
  useGlobalShortcuts({
    help: () => setHelpOpen(true),
    find: route.name === 'article' ? () => setFindOpen(true) : undefined,
    // `n`: to the card of the highlight just made (waiting for its save) or last activated, else into the panel (its
    // first card, waiting for it if the panel is still filling in).
    focusNotes: () => {
      const pending = creating.current;
      const focusAtKey = document.activeElement;
      // The save answers later: if the user has moved focus meanwhile, their choice stands.
      if (pending) void pending.then((id) => document.activeElement === focusAtKey && (id ? requestCard(id, 'card') : focusNotesPanel(highlights.length > 0)));
      else if (focusedId && highlights.some((h) => h.id === focusedId)) requestCard(focusedId, 'card');
      else focusNotesPanel(highlights.length > 0);
    },
    focusFilter: () => document.querySelector<HTMLElement>('[data-notes-panel] [data-filter-text], .notebook-view [data-filter-text]')?.focus(),
  });
  useEffect(
    () =>
      client.onCommand((command) => {
        if (command === 'find') setFindOpen(true);
        else if (command === 'shortcuts') setHelpOpen(true);
      }),
    [client],
  );
  useEffect(() => setFindOpen(false), [articleId]);

  // Theme, reading comfort, View > Toggle Theme / Toggle Notes Panel, Help > About (issue 8).
  const prefs = usePreferences({ client, settings, setSettings, notify: toasts });
  // The popover's Note and Tag: the card's own editors (shown if the panel was hidden), so the edit goes through the
  // card's write queue like any other edit of that card.
  const editCard = (h: Highlight, what: 'note' | 'tag'): void => {
    if (prefs.notesHidden) prefs.toggleNotes();
    setFocusedId(h.id);
    requestCard(h.id, what);
  };
  useLastRoute(client, route, settingsLoaded ? settings : null, articles);
  const deepLinked = route.name === 'article' && Boolean(route.highlightId || route.at);
  // A PDF remembers its place by pages (the reader reports it), an HTML article by the pane's scroll position.
  const isPdf = article?.kind === 'pdf';
  useScrollMemory(client, readerPaneRef, isPdf ? null : (article?.id ?? null), settingsLoaded ? settings : null, !deepLinked);
  const savePlace = usePlaceSaver(client, isPdf ? article.id : null);
  const savedPlace = !isPdf || !settingsLoaded ? undefined : deepLinked ? null : (settings.ui?.scroll?.[article.id] ?? null);

  // Undo/redo: Ctrl/Cmd+Z and Shift+Ctrl/Cmd+Z (text fields keep their own native undo), and the Edit menu.
  useEffect(() => {
    const run = (direction: 'undo' | 'redo'): void => void runStep(history, direction, toasts);
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
      if (command !== 'undo' && command !== 'redo') return;
      // In a text field the key press already did the field's own undo before the menu saw it; the notebook's
      // history must not take a step as well.
      if (isTypingTarget(document.activeElement)) return;
      run(command);
    });
    return () => {
      document.removeEventListener('keydown', onKey);
      offCommand();
    };
  }, [client, history, toasts]);

  // What both readers take: the same highlights, callbacks and painter hand-over.
  const readerProps = (a: Article): ReaderProps => ({
    article: a,
    highlights,
    settings,
    focusedId,
    onCreate: createHighlight,
    onActivate: setFocusedId,
    onRecolor: recolorHighlight,
    onDelete: deleteHighlight,
    onEditCard: editCard,
    onPainter: setPainter,
    onView: setView,
  });

  return (
    <div className="app">
      <header className="app-bar">
        <a className="brand" href="#/">
          Gloss
        </a>
        <nav aria-label="Main">
          <a href="#/">Library</a>
          <a href="#/notebook">Notebook</a>
        </nav>
        <ImportBar client={client} notify={toasts} />
        <ColorLabels settings={settings} onSave={(colorLabels) => client.updateSettings({ colorLabels }).then(setSettings)} />
        <ExportDialog client={client} articleId={articleId} settings={settings} notify={toasts} />
        {route.name === 'article' && (
          <button type="button" className="app-bar-button notes-toggle" data-bar-action="notes-panel" aria-pressed={!prefs.notesHidden} onClick={prefs.toggleNotes}>
            Notes panel
          </button>
        )}
        <Preferences
          ui={prefs.ui}
          systemDark={prefs.systemDark}
          onChange={prefs.update}
          open={prefs.open}
          onOpen={() => prefs.setOpen(true)}
          onClose={() => prefs.setOpen(false)}
          onAbout={() => {
            prefs.setOpen(false);
            prefs.setAboutOpen(true);
          }}
        />
        <BarOverflow />
      </header>
      <NoticeBanner client={client} />
      {route.name === 'library' && (
        <main className="main">
          <Library articles={articles} client={client} notify={toasts} history={history} />
        </main>
      )}
      {route.name === 'notebook' && (
        <main className="main">
          <NotebookView settings={settings} edit={edit} tag={route.tag} />
        </main>
      )}
      {route.name === 'article' && (
        <div className="workspace">
          <main className="main reader-pane" ref={readerPaneRef}>
            {/* A PDF searches its text through its reader (never by marking its text layers): not before it is open. */}
            {findOpen && article && (article.kind !== 'pdf' || view?.createFinder) && (
              <FindBar
                getRoot={() => document.querySelector<HTMLElement>('article.reader-article')}
                createFinder={view?.createFinder}
                onClose={() => setFindOpen(false)}
              />
            )}
            {loadError && (
              <div role="alert" className="load-error">
                <p>Could not open this article: {loadError}</p>
                <p>
                  It may have been deleted, or Gloss may have stopped. <a href="#/">Back to the library</a>
                </p>
              </div>
            )}
            {!article && !loadError && (
              <p role="status" className="loading">
                <progress className="loading-bar" aria-label="Opening the article" /> Opening…
              </p>
            )}
            {article && <HighlightAnnouncer highlights={highlights} settings={settings} getPainter={() => painterRef.current} />}
            {article && article.kind === 'pdf' && (
              <ReaderBoundary articleId={article.id} title={article.title}>
              <Suspense fallback={<p role="status" className="loading">Opening…</p>}>
                <PdfReader
                  {...readerProps(article)}
                  documentSource={client.documentSource}
                  savedPlace={savedPlace}
                  onPlace={savePlace}
                  onFirstPage={setFirstPageOf}
                  onReplaceFile={(file) => pdfReplacer.replace(article.id, file)}
                />
              </Suspense>
              </ReaderBoundary>
            )}
            {article && article.kind !== 'pdf' && (
              <ReaderBoundary articleId={article.id} title={article.title}>
              <Reader
                {...readerProps(article)}
                imageUrls={client.imageUrls}
                onLoadImages={(load) =>
                  client.updateArticleMeta(article.id, { loadRemoteImages: load }).catch((e: Error) => toasts.error(`Could not change the image setting: ${e.message}`))
                }
              />
              </ReaderBoundary>
            )}
          </main>
          {article && !prefs.notesHidden && <PanelResizer width={prefs.ui.notesWidth} onResize={(notesWidth) => prefs.update({ notesWidth })} />}
          {article && !prefs.notesHidden && (
            <NotesPanel
              article={article}
              highlights={panelHighlights}
              pending={panelHighlights !== highlights && highlights.length > 0}
              settings={settings}
              focusedId={focusedId}
              edit={edit}
              onFocusHighlight={setFocusedId}
              onDelete={deleteHighlight}
              onRecolor={recolorHighlight}
              onShowInText={showInText}
              onLeave={focusReader}
              justCreated={justCreated}
              cardRequest={cardRequest}
            />
          )}
        </div>
      )}
      {pdfReplacer.passwordPrompt && <PasswordDialog key={pdfReplacer.passwordPrompt.fileName} prompt={pdfReplacer.passwordPrompt} />}
      <AboutDialog open={prefs.aboutOpen} onClose={() => prefs.setAboutOpen(false)} host={client.host} />
      <ShortcutsDialog open={helpOpen} onClose={() => setHelpOpen(false)} mac={client.platform === 'darwin'} />
      <Toasts state={toastState} layoutKey={`${route.name}:${prefs.notesHidden}`} />
    </div>
  );
}

/**
 * Puts `h` into a list kept in document order. An older copy never replaces a newer one: events and replies can
 * arrive out of order, and `updatedAt` (strictly increasing per highlight, see Notebook) says which is current.
 */
function upsertSorted(list: Highlight[], h: Highlight): Highlight[] {
  const current = list.find((x) => x.id === h.id);
  if (current && current.updatedAt > h.updatedAt) return list;
  const rest = list.filter((x) => x.id !== h.id);
  const at = rest.findIndex((x) => x.start > h.start || (x.start === h.start && x.end > h.end));
  if (at === -1) return [...rest, h];
  return [...rest.slice(0, at), h, ...rest.slice(at)];
}
