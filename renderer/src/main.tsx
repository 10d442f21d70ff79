// First: takes browser mode's token out of the address before any other module reads location.hash (api/token.ts).
import { onTokenChange } from './api/token';
// Second: asks for the start-up route's article (and what a PDF needs) before the rest of the bundle evaluates.
import { onTokenRefused, prefetchedArticle, startClient } from './start';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { OpenPrintedUrl } from './app/OpenPrintedUrl';
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

if (!startClient) {
  lock(false);
} else {
  onTokenRefused(() => lock(true));
  root.render(
    <StrictMode>
      <App client={startClient} prefetchedArticle={prefetchedArticle} />
    </StrictMode>,
  );
}
