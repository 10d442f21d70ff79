import { useEffect, useRef } from 'react';
import { isTypingTarget } from './keys';

/** Every shortcut, as the `?` dialog lists them. `Mod` is Ctrl, or ⌘ on macOS. */
export const SHORTCUTS: { group: string; items: [keys: string, action: string][] }[] = [
  {
    group: 'Anywhere',
    items: [
      ['?', 'Show these shortcuts'],
      ['Mod+Z', 'Undo (highlights, colours, tags, notes)'],
      ['Shift+Mod+Z or Mod+Y', 'Redo'],
      ['F6 / Shift+F6', 'Move between the reader, the notes panel and the top bar'],
      ['Mod+E', 'Export notes (Markdown, folder, backup, W3C annotations)'],
      ['Mod+,', 'Preferences: theme, text size, line width, typeface'],
      ['Shift+Mod+L', 'Switch between light and dark'],
      ['Mod+\\', 'Show or hide the notes panel'],
    ],
  },
  {
    group: 'Reader',
    items: [
      ['Shift+Arrows', 'Select text in the focused article'],
      ['h', 'Highlight the selection (yellow); focus stays here, Shift+Arrows go on from its end'],
      ['1 – 5', 'Highlight the selection in a colour'],
      ['Enter', 'Open the highlight at the caret (recolour, note, tag, delete)'],
      ['Escape', 'Dismiss the selection or the highlight bar'],
      ['Mod+F', 'Find in the article'],
      ['Enter / Shift+Enter', 'Next / previous match (in the find box)'],
      ['n', 'Go to the notes panel: the card of the highlight just made (or last opened)'],
      ['/', 'Filter the notes'],
    ],
  },
  {
    group: 'PDF (the document focused)',
    items: [
      ['Drag', 'Select text on the page; h or 1 – 5 highlight it as in any article'],
      ['Page Down / Space, Page Up / Shift+Space', 'Next / previous page'],
      ['Home / End', 'First / last page'],
      ['+ / -', 'Zoom in / out (the toolbar also fits the width or the page)'],
      ['Go to page (toolbar)', 'A page number or its label (xii), then Enter'],
    ],
  },
  {
    group: 'Highlight bar (on a highlight)',
    items: [
      ['1 – 5', 'Recolour the highlight'],
      ['n', 'Write its note (in its card)'],
      ['t', 'Add a tag (in its card)'],
      ['Delete', 'Delete the highlight'],
      ['← / →', 'Move between the buttons'],
    ],
  },
  {
    group: 'Notes panel (on a card)',
    items: [
      ['↑ / ↓ or k / j', 'Previous / next card'],
      ['Enter', 'Edit the note'],
      ['t', 'Add a tag'],
      ['1 – 5', 'Recolour the highlight'],
      ['Delete', 'Delete the highlight'],
      ['Escape', 'Back to the reader (from a note or tag field: back to the card)'],
      ['Enter / Backspace', 'In "Add tag": add the tag / remove the last tag'],
    ],
  },
  {
    group: 'Cards, the panel\'s edge, the More menu',
    items: [
      ['Tab', 'On a card: its controls (a card opens while focus is in it)'],
      ['← / → (Shift: bigger steps)', 'On the notes panel\'s resize handle: wider / narrower'],
      ['Home / End', 'On the resize handle: narrowest / widest'],
      ['Enter, Space, ↓ or ↑', 'On More (top bar, narrow windows): open the actions that did not fit'],
    ],
  },
];

interface DialogProps {
  open: boolean;
  onClose: () => void;
  mac: boolean;
}

/** The `?` dialog: a modal <dialog> (Escape closes it natively); focus goes back to where it was. */
export function ShortcutsDialog({ open, onClose, mac }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const returnTo = useRef<Element | null>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      returnTo.current = document.activeElement;
      dialog.showModal();
    } else if (!open && dialog.open) dialog.close();
  }, [open]);
  const mod = mac ? '⌘' : 'Ctrl';
  return (
    <dialog
      ref={ref}
      className="shortcuts-dialog"
      aria-labelledby="shortcuts-title"
      onClose={() => {
        onClose();
        const back = returnTo.current;
        if (back instanceof HTMLElement && back.isConnected) back.focus();
      }}
    >
      <h2 id="shortcuts-title">Keyboard shortcuts</h2>
      {SHORTCUTS.map((section) => (
        <section key={section.group}>
          <h3>{section.group}</h3>
          <dl className="shortcut-list">
            {section.items.map(([keys, action]) => (
              <div key={keys + action} className="shortcut">
                <dt>
                  <kbd>{keys.replaceAll('Mod', mod)}</kbd>
                </dt>
                <dd>{action}</dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
      <button type="button" onClick={() => ref.current?.close()} autoFocus>
        Close
      </button>
    </dialog>
  );
}

export interface GlobalShortcutHandlers {
  help: () => void;
  /** Absent where there is no article to search. */
  find?: () => void;
  focusNotes?: () => void;
  focusFilter?: () => void;
}

/** The regions F6 cycles through, in order. */
const REGIONS = ['article.reader-article', '[data-notes-panel]', '.app-bar'];

/** App-wide keys that are not the reader's or a card's own: ?, Mod+F, n, /, F6. */
export function useGlobalShortcuts(handlers: GlobalShortcutHandlers): void {
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.defaultPrevented) return;
      const h = latest.current;
      const mod = event.ctrlKey || event.metaKey;
      if (mod && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'f' && h.find) {
        event.preventDefault();
        h.find();
        return;
      }
      if (event.key === 'F6') {
        event.preventDefault();
        cycleRegion(event.shiftKey ? -1 : 1);
        return;
      }
      if (mod || event.altKey || isTypingTarget(event.target) || document.querySelector('dialog[open]')) return;
      if (event.key === '?') h.help();
      else if (event.key === 'n' && h.focusNotes) h.focusNotes();
      else if (event.key === '/' && h.focusFilter) h.focusFilter();
      else return;
      event.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}

function cycleRegion(step: 1 | -1): void {
  const regions = REGIONS.map((s) => document.querySelector<HTMLElement>(s)).filter((el): el is HTMLElement => el !== null);
  if (regions.length === 0) return;
  const at = regions.findIndex((r) => r.contains(document.activeElement));
  const next = regions[(at + step + regions.length) % regions.length];
  focusRegion(next);
}

/** Focuses a region: itself if focusable, else its focused card, else its first focusable control. */
export function focusRegion(region: HTMLElement): void {
  if (region.matches('[data-notes-panel]')) {
    const card = region.querySelector<HTMLElement>('li.card.focused') ?? region.querySelector<HTMLElement>('li.card');
    if (card) return card.focus();
  }
  if (region.tabIndex >= 0 || region.hasAttribute('tabindex')) return region.focus();
  region.querySelector<HTMLElement>('a[href], button, input, textarea, select, [tabindex]')?.focus();
}
