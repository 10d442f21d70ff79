import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient } from './api/client';
import { App } from './app/App';
import { parseRoute } from './app/route';
import './app/styles.css';

const client = createClient();

// Opening straight onto an article (a deep link, a reload): ask for it now, while React and the library list start,
// rather than after the first render. A failure is reported where App awaits it.
const start = parseRoute(window.location.hash);
const prefetchedArticle = start.name === 'article' ? { id: start.articleId, promise: client.getArticle(start.articleId) } : null;
prefetchedArticle?.promise.catch(() => undefined);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App client={client} prefetchedArticle={prefetchedArticle} />
  </StrictMode>,
);
