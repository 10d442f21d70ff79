// First: takes browser mode's token out of the address before any other module reads location.hash (api/token.ts).
import { currentToken, onTokenChange } from './api/token';
// Second: starts what a PDF needs when the start-up route names an article, before the rest of the bundle evaluates.
import { startRoute } from './start-pdf';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient } from './api/client';
import { App } from './app/App';
import { OpenPrintedUrl } from './app/OpenPrintedUrl';
import { preopenPdf, stopIdlePdfWorker, warmPdf } from './reader/pdf/warm';
import './app/styles.css';

const root = createRoot(document.getElementById('root')!);
let locked = false;
const lock = (refused: boolean): void => {
  if (locked) return;
  locked = true;
  root.render(<OpenPrintedUrl refused={refused} />);
};
// The printed URL opened in this tab later (a same-document navigation): start over with the token it carries.
onTokenChange(() => {
  if (locked) window.location.reload();
});

if (!window.gloss && currentToken() === null) {
  lock(false);
} else {
  const client = createClient(() => lock(true));

  // Opening straight onto an article (a deep link, a reload): ask for it now, while React and the library list start,
  // rather than after the first render. A failure is reported where App awaits it.
  const prefetchedArticle = startRoute.name === 'article' ? { id: startRoute.articleId, promise: client.getArticle(startRoute.articleId) } : null;
  // It may be a PDF (start-pdf.ts started pdf.js's worker): the reader's chunk is fetched beside the article, and the
  // document starts loading as soon as the article says it is a PDF, before React renders the reader. Not one: the
  // worker started for it goes.
  if (prefetchedArticle) warmPdf();
  prefetchedArticle?.promise.then(
    (a) => {
      performance.mark('gloss:article');
      if (a.kind === 'pdf') preopenPdf(a, client.documentSource);
      else stopIdlePdfWorker();
    },
    () => stopIdlePdfWorker(),
  );

  root.render(
    <StrictMode>
      <App client={client} prefetchedArticle={prefetchedArticle} />
    </StrictMode>,
  );
}
