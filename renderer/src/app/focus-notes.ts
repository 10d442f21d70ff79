import { focusRegion } from './Shortcuts';

/** How long `n` waits for a card that is still on its way (the panel fills in after the reader paints). */
const WAIT_FOR_CARD_MS = 3000;

/**
 * `n`: focus the notes panel's current card. The panel's list is a deferred render and its cards mount in batches, so
 * right after an article opens the article can have highlights whose cards are not in the DOM yet; focusing the panel
 * then would land on its first control and leave the reader there. Instead the key waits for the first card and
 * focuses it when it arrives, unless the user has moved focus meanwhile (then their choice stands).
 */
export function focusNotesPanel(expectCards: boolean): void {
  const panel = document.querySelector<HTMLElement>('[data-notes-panel]');
  if (!panel) return;
  // Filters that match nothing say so (role=status): no card is coming.
  if (!expectCards || panel.querySelector('li.card, p.empty[role="status"]')) {
    focusRegion(panel);
    return;
  }
  const focusAtKey = document.activeElement;
  const stop = (): void => {
    observer.disconnect();
    clearTimeout(timer);
  };
  const observer = new MutationObserver(() => {
    if (document.activeElement !== focusAtKey) return stop();
    if (!panel.isConnected || !panel.querySelector('li.card')) return;
    stop();
    focusRegion(panel);
  });
  observer.observe(panel, { childList: true, subtree: true });
  const timer = setTimeout(() => {
    stop();
    if (document.activeElement === focusAtKey && panel.isConnected) focusRegion(panel); // no card came: the panel itself
  }, WAIT_FOR_CARD_MS);
}
