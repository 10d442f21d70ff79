/**
 * What the app starts before the rest of its bundle (React DOM, the app's components) is evaluated. main.tsx imports
 * this straight after api/token (which takes the token out of the address). Evaluating the bundle takes 100-200 ms;
 * requests made here are on the wire meanwhile (bench/RESULTS.md, "PDFs").
 *
 * Opening straight onto an article (a deep link, a reload): the article is asked for now. It may be a PDF, so pdf.js's
 * worker thread starts (it compiles its script on its own thread) and, once the article's request is out, the PDF
 * reader's chunk is fetched (reader/pdf/warm.ts). The article says it is a PDF: its document starts loading before
 * React renders the reader. It is not one: the worker started for it goes.
 */
import { currentToken } from './api/token';
import { createClient, type GlossClient } from './api/client';
import { parseRoute } from './app/route';
import type { Article } from '../../electron/contract';
import { prefetchPdfBytes, preopenPdf, startPdfWorker, stopIdlePdfWorker, warmPdf } from './reader/pdf/warm';
import { earlyBoxFits, earlyBoxFor } from './reader/pdf/early-box';
import { applyUiSettings } from './app/theme';

/**
 * The longest the app waits for a PDF's page 1 drawn before it (early-box.ts): a page slower than this (a huge scan,
 * a busy machine) is drawn by the reader instead, and the app is not held back by it.
 */
const EARLY_PAGE_WAIT_MS = 1500;

let refused: () => void = () => undefined;
/** What to do when the server refuses the token (main.tsx shows the printed-URL page). */
export function onTokenRefused(handler: () => void): void {
  refused = handler;
}

/** Null in a browser tab opened without the printed URL's token: there is nothing it may ask for. */
export const startClient: GlossClient | null = window.gloss || currentToken() !== null ? createClient(() => refused()) : null;
export const startRoute = parseRoute(window.location.hash);

/**
 * Where a PDF's page 1 may be drawn before the app (early-box.ts): the reader's document box remembered from the last
 * PDF, any PDF, this browser drew at this window's width. Not for a deep link (it opens where it points), nor in a
 * window nobody sees (it would wait for frames that do not come).
 */
const earlyBox =
  startClient && startRoute.name === 'article' && !startRoute.highlightId && !startRoute.at && document.visibilityState === 'visible' ? earlyBoxFor(startRoute.articleId) : null;
/**
 * The PDF the box was measured with (a reload, Gloss started again on its last page): its bytes are asked for before
 * the article, so the server sends the file first, and pdf.js opens it while the article (the book's whole text and
 * its highlights) is on the way. Not for a PDF opened with a password (the article has the password: it waits).
 */
const knownFile = earlyBox && startRoute.name === 'article' && earlyBox.articleId === startRoute.articleId && !earlyBox.password && earlyBox.sha256 ? earlyBox : null;
if (startClient && knownFile) prefetchPdfBytes(knownFile.articleId, startClient.documentSource(knownFile.articleId));
const earlySettings = startClient && earlyBox ? startClient.getSettings() : null;

export const prefetchedArticle: { id: string; promise: Promise<Article> } | null =
  startClient && startRoute.name === 'article' ? { id: startRoute.articleId, promise: startClient.getArticle(startRoute.articleId) } : null;

/** Settled when the app may be mounted (main.tsx): at once, unless a PDF's page 1 is being drawn before it. */
export const appMayMount: Promise<void> = startClient && prefetchedArticle ? prepare(startClient, prefetchedArticle) : Promise.resolve();

function prepare(client: GlossClient, prefetchedArticle: { id: string; promise: Promise<Article> }): Promise<void> {
  startPdfWorker();
  warmPdf();
  const box = earlyBox;
  const settings = earlySettings;
  let mayMount = (): void => undefined;
  const mounting = new Promise<void>((resolve) => (mayMount = resolve));
  // The app after the frame that shows the page: evaluated in that frame's way, it would hold the page off the screen.
  const afterFrame = (): void => void requestAnimationFrame(() => setTimeout(mayMount, 0));
  const article = prefetchedArticle.promise;
  article.then(
    (a) => {
      performance.mark('gloss:article'); // bench/pdf-run.mjs lists the app's marks in its timeline
      if (a.kind === 'pdf') return;
      mayMount();
      stopIdlePdfWorker();
    },
    () => {
      mayMount(); // a failure is reported where App awaits the article
      stopIdlePdfWorker();
    },
  );
  if (!box || !settings) {
    mayMount();
    article.then((a) => preopenPdf(a, client.documentSource)).catch(() => undefined);
    return mounting;
  }
  setTimeout(mayMount, EARLY_PAGE_WAIT_MS);
  // Drawn early only at the top of the document, laid out as the box was measured, for a PDF whose document sits where
  // the box says (a scan has a banner above it, unless the box was measured with that very PDF), and, when its bytes
  // were asked for already, for the file the box was measured with: else the reader draws it, and the app need not wait.
  const early = Promise.all([article, settings]).then(
    ([a, { ui }]) => {
      const pdf = a.kind === 'pdf' && !a.pdf?.password;
      const sits = a.id === box.articleId || a.pdf?.hasTextLayer !== false;
      const sameFile = !knownFile || a.pdf?.sha256 === knownFile.sha256;
      if (!pdf || !sits || !sameFile || !earlyBoxFits(box, ui) || (ui?.scroll?.[a.id] ?? 0) !== 0) {
        mayMount();
        return null;
      }
      applyUiSettings(ui); // the theme the page's surroundings will have
      return box;
    },
    () => {
      mayMount();
      return null;
    },
  );
  // The PDF the box was measured with starts loading as soon as its bytes are here, while the article and the settings
  // are on the way; another starts when its article says it is a PDF (preopenPdf leaves what is not one alone).
  const known = knownFile && ({ id: knownFile.articleId, kind: 'pdf', pdf: { sha256: knownFile.sha256 } } as Pick<Article, 'id' | 'kind' | 'pdf'>);
  const drawing = known ? preopenPdf(known, client.documentSource, { article, box: early }) : article.then((a) => preopenPdf(a, client.documentSource, { article, box: early }));
  void drawing.catch(() => undefined).then(afterFrame);
  return mounting;
}
