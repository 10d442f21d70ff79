// First: takes browser mode's token out of the address before any other module reads location.hash (api/token.ts).
import { currentToken, onTokenChange } from './api/token';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient } from './api/client';
import { App } from './app/App';
import { OpenPrintedUrl } from './app/OpenPrintedUrl';
import { parseRoute } from './app/route';
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
  const start = parseRoute(window.location.hash);
  const prefetchedArticle = start.name === 'article' ? { id: start.articleId, promise: client.getArticle(start.articleId) } : null;
  prefetchedArticle?.promise.catch(() => undefined);

  root.render(
    <StrictMode>
      <App client={client} prefetchedArticle={prefetchedArticle} />
    </StrictMode>,
  );
}
