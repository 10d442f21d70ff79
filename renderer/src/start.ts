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
import { preopenPdf, startPdfWorker, stopIdlePdfWorker, warmPdf } from './reader/pdf/warm';

let refused: () => void = () => undefined;
/** What to do when the server refuses the token (main.tsx shows the printed-URL page). */
export function onTokenRefused(handler: () => void): void {
  refused = handler;
}

/** Null in a browser tab opened without the printed URL's token: there is nothing it may ask for. */
export const startClient: GlossClient | null = window.gloss || currentToken() !== null ? createClient(() => refused()) : null;
export const startRoute = parseRoute(window.location.hash);

export const prefetchedArticle: { id: string; promise: Promise<Article> } | null =
  startClient && startRoute.name === 'article' ? { id: startRoute.articleId, promise: startClient.getArticle(startRoute.articleId) } : null;

if (startClient && prefetchedArticle) {
  const client = startClient;
  startPdfWorker();
  warmPdf();
  // A failure is reported where App awaits the article.
  prefetchedArticle.promise.then(
    (a) => {
      performance.mark('gloss:article'); // bench/pdf-run.mjs lists the app's marks in its timeline
      if (a.kind === 'pdf') preopenPdf(a, client.documentSource);
      else stopIdlePdfWorker();
    },
    () => stopIdlePdfWorker(),
  );
}
