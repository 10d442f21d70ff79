/**
 * Imported by main.tsx straight after api/token (which takes the token out of the address), so that this runs before
 * the rest of the bundle (React DOM, the app) is evaluated: when the start-up route names an article, which may be a
 * PDF, pdf.js's worker thread starts now and compiles its script on its own thread (warm.ts; bench/RESULTS.md, "PDFs",
 * says what this saves). main.tsx fetches the reader's chunk once the article's request is out (evaluating pdf.js
 * here would hold that request back by ~100 ms), and stops the worker again if the article is not a PDF.
 */
import { parseRoute } from './app/route';
import { startPdfWorker } from './reader/pdf/warm';

export const startRoute = parseRoute(window.location.hash);
if (startRoute.name === 'article') startPdfWorker();
