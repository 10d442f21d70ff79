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
 * The PDF this window last drew, at this size, opened at the top (early-box.ts): its page 1 is drawn before the app.
 * Its bytes and the settings are asked for before the article, so the server sends the file first: pdf.js opens it
 * while the article (the book's whole text and its highlights) is on the way. Not for a deep link (it opens where it
 * points), nor in a window nobody sees (it would wait for frames that do not come), nor for a PDF opened with a
 * password (the article has the password: the ordinary way).
 */
const remembered =
  startClient && startRoute.name === 'article' && !startRoute.highlightId && !startRoute.at && document.visibilityState === 'visible' ? earlyBoxFor(startRoute.articleId) : null;
const earlyBox = remembered && !remembered.password && remembered.sha256 ? remembered : null;
if (startClient && earlyBox) prefetchPdfBytes(earlyBox.articleId, startClient.documentSource(earlyBox.articleId));
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
      if (a.kind !== 'pdf') {
        mayMount();
        stopIdlePdfWorker();
      } else if (!box) preopenPdf(a, client.documentSource);
    },
    () => {
      mayMount(); // a failure is reported where App awaits the article
      stopIdlePdfWorker();
    },
  );
  if (!box || !settings) {
    mayMount();
    return mounting;
  }
  setTimeout(mayMount, EARLY_PAGE_WAIT_MS);
  // Drawn early only for the file the box was measured with, at the top of the document, laid out as it was measured:
  // else the reader draws it (the file that came, or where it is read) and the app need not wait.
  const early = Promise.all([article, settings]).then(
    ([a, { ui }]) => {
      const sameFile = a.kind === 'pdf' && a.pdf?.sha256 === box.sha256 && !a.pdf?.password;
      if (!sameFile || !earlyBoxFits(box, ui) || (ui?.scroll?.[a.id] ?? 0) !== 0) {
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
  // Its document starts loading as soon as its bytes are here, while the article and the settings are on the way.
  const known = { id: box.articleId, kind: 'pdf' as const, pdf: box.sha256 ? { sha256: box.sha256 } : undefined } as Pick<Article, 'id' | 'kind' | 'pdf'>;
  void preopenPdf(known, client.documentSource, { article, box: early }).finally(afterFrame);
  return mounting;
}
