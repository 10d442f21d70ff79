/**
 * In-document links (issue 17): a footnote marker ("[164]"), a reference, "see section 3". The importer points them at
 * prefixed ids (`#gloss-ref-<id>`: electron/notebook/import/sanitize.ts). The app's routes live in the address's
 * fragment, so following such a link must never change location.hash: a click scrolls the reader to the target, and
 * remembers where the reader was, so Back (the button, or Alt+Left) returns there and to the link itself.
 */

export interface Place {
  /** The scroll position of the reader's scrolling box when the link was followed. */
  scrollTop: number;
  /** The link that was followed: focus goes back to it. */
  link: HTMLElement;
}

export const IN_DOCUMENT_HREF_PREFIX = '#gloss-ref-';

/** The element an in-document link leads to, inside `root`, or null (a link elsewhere, or a target not there). */
export function targetOf(link: Element, root: HTMLElement): HTMLElement | null {
  const href = link.getAttribute('href');
  if (!href || !href.startsWith(IN_DOCUMENT_HREF_PREFIX)) return null;
  const target = root.ownerDocument.getElementById(href.slice(1));
  return target && root.contains(target) ? target : null;
}

/** The nearest ancestor that scrolls (the reader pane), or the page's scrolling element. */
export function scrollerOf(element: HTMLElement): HTMLElement {
  for (let el = element.parentElement; el; el = el.parentElement) {
    const { overflowY } = getComputedStyle(el);
    if ((overflowY === 'auto' || overflowY === 'scroll') && el.scrollHeight > el.clientHeight) return el;
  }
  return (document.scrollingElement as HTMLElement | null) ?? document.documentElement;
}

/** Scrolls to `target` and puts focus on it (without a second scroll) so a screen reader reads the note. */
export function goTo(target: HTMLElement): void {
  target.scrollIntoView({ block: 'start' });
  if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
  target.focus({ preventScroll: true });
  // A brief mark on the target, so the eye finds the note the click led to (styles.css .in-document-target).
  target.classList.remove('in-document-target');
  void target.offsetWidth; // restart the animation when the same note is followed twice
  target.classList.add('in-document-target');
  target.addEventListener('animationend', () => target.classList.remove('in-document-target'), { once: true });
}

/** Back to a remembered place: the scroll position, and focus on the link that was followed. */
export function returnTo(place: Place, scroller: HTMLElement): void {
  scroller.scrollTop = place.scrollTop;
  if (place.link.isConnected) place.link.focus({ preventScroll: true });
}
