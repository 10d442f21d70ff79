/**
 * The page's first script, kept small on purpose: it takes browser mode's token out of the address and starts what
 * the start-up route needs (start.ts: the article, and for a PDF pdf.js's worker and its chunk) before the rest of the
 * app (React DOM and the app's components, ~1 MB, mount.tsx) has been fetched, let alone evaluated. With the app in
 * this chunk, nothing ran until all of it was downloaded and compiled (~80-150 ms after the HTML), and pdf.js's worker
 * thread, which a busy main thread holds back, came up ~200 ms later than bare pdf.js's (bench/RESULTS.md, "PDFs").
 */
// First: takes browser mode's token out of the address before any other module reads location.hash (api/token.ts).
import './api/token';
// Second: asks for the start-up route's article (and what a PDF needs).
import { appMayMount } from './start';
import './app/styles.css';

// At once, but for the PDF this window last drew: after its page 1 (start.ts, reader/pdf/early-box.ts).
void appMayMount.then(() => import('./mount')).then((m) => m.mount());
