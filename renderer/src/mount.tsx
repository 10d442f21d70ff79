/**
 * The app itself: React and every component, in a chunk of its own that main.tsx imports once it has started what
 * the start-up route needs (start.ts).
 */
import { currentToken, onTokenChange } from './api/token';
import { onTokenRefused, prefetchedArticle, startClient } from './start';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { OpenPrintedUrl } from './app/OpenPrintedUrl';

export function mount(): void {
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
    // The printed URL opened in this tab while this chunk was loading: its token came after start.ts looked (and
    // before the listener above was there to hear it). Start over with it.
    if (currentToken() !== null) return window.location.reload();
    lock(false);
  } else {
    onTokenRefused(() => lock(true));
    root.render(
      <StrictMode>
        <App client={startClient} prefetchedArticle={prefetchedArticle} />
      </StrictMode>,
    );
  }
}
