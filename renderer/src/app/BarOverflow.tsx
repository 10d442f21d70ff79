import { useCallback, useEffect, useId, useLayoutEffect, useRef, useState } from 'react';

/**
 * The app bar's actions that give way in a narrow window, first to go first. Each is the bar button carrying
 * `data-bar-action="<key>"`; its menu item presses that same button, so every action keeps one owner (its dialog,
 * its shortcut, where focus returns when the dialog closes).
 */
const COLLAPSIBLE: { key: string; label: string }[] = [
  { key: 'import-gloss-export', label: 'From a Gloss export…' },
  { key: 'import-tool', label: 'Import from another tool…' },
  { key: 'colour-labels', label: 'Colour labels…' },
  { key: 'import-url', label: 'Import from URL…' },
  { key: 'preferences', label: 'Preferences…' },
  { key: 'export', label: 'Export…' },
  { key: 'import', label: 'Import…' },
  { key: 'notes-panel', label: 'Notes panel' },
];

/**
 * Actions that live in More at every width: rare ones (a Gloss export read back in is a once-a-year move), so the bar
 * keeps its room for what a reader does daily. They come first in COLLAPSIBLE.
 */
const MENU_ONLY = new Set(['import-gloss-export']);

const buttonOf = (bar: Element | null, key: string): HTMLElement | null => bar?.querySelector<HTMLElement>(`[data-bar-action="${key}"]`) ?? null;

/**
 * Hides bar actions, in COLLAPSIBLE order, until the bar fits its width; returns the keys hidden, in the bar's order. Measured, not guessed
 * from breakpoints: labels, fonts and the article view's extra button all change what fits. Each trial is a style
 * change on the bar's own buttons and one layout of the bar.
 */
function collapseToFit(bar: HTMLElement, more: HTMLElement): string[] {
  const present = COLLAPSIBLE.filter((a) => buttonOf(bar, a.key));
  const setCollapsed = (n: number): void => {
    present.forEach((a, i) => buttonOf(bar, a.key)?.toggleAttribute('data-collapsed', i < n));
    more.toggleAttribute('data-collapsed', n === 0);
  };
  const fits = (): boolean => bar.scrollWidth <= bar.clientWidth;
  let n = present.filter((a) => MENU_ONLY.has(a.key)).length;
  setCollapsed(n);
  while (!fits() && n < present.length) setCollapsed(++n);
  // In the bar's order, as the menu lists them.
  return [...bar.querySelectorAll('[data-bar-action][data-collapsed]')].map((el) => el.getAttribute('data-bar-action')!);
}

/**
 * "More": the menu of the bar's actions that did not fit (the ARIA menu button pattern). Enter, Space or Down opens it
 * on the first item, Up on the last; Up/Down/Home/End and a first letter move; Enter or Space activates; Escape closes
 * and returns to the button; Tab closes and moves on.
 */
export function BarOverflow() {
  const id = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLUListElement>(null);
  const [collapsed, setCollapsed] = useState<string[]>([]);
  const [open, setOpen] = useState(false);
  const focusOnOpen = useRef<'first' | 'last'>('first');

  const menuOpen = useRef(false);
  menuOpen.current = open;
  const refit = useCallback(() => {
    // Not while the menu is open: a trial hides the More button, and focus inside its menu would be lost.
    if (menuOpen.current) return;
    const more = buttonRef.current?.parentElement;
    const bar = more?.closest<HTMLElement>('.app-bar');
    if (!more || !bar) return;
    const keys = collapseToFit(bar, more);
    setCollapsed((old) => (old.join() === keys.join() ? old : keys));
  }, []);

  // Refit when the bar's width changes and when its content does (the Notes panel toggle comes with the reader,
  // import progress comes and goes).
  useLayoutEffect(() => {
    const bar = buttonRef.current?.closest<HTMLElement>('.app-bar');
    if (!bar) return;
    refit();
    let frame = 0;
    const soon = (): void => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(refit);
    };
    const resize = new ResizeObserver(soon);
    resize.observe(bar);
    const mutations = new MutationObserver(soon);
    mutations.observe(bar, { childList: true, characterData: true, subtree: true });
    return () => {
      cancelAnimationFrame(frame);
      resize.disconnect();
      mutations.disconnect();
    };
  }, [refit]);

  const items = (): HTMLElement[] => [...(menuRef.current?.querySelectorAll<HTMLElement>('[role^="menuitem"]') ?? [])];

  useEffect(() => {
    if (!open) return;
    const list = items();
    (focusOnOpen.current === 'first' ? list[0] : list[list.length - 1])?.focus();
    // A press anywhere outside closes the menu (focus goes where the press went).
    const outside = (e: PointerEvent): void => {
      if (!buttonRef.current?.parentElement?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, [open]);

  useEffect(() => {
    if (collapsed.length === 0) setOpen(false);
  }, [collapsed]);

  const openAt = (where: 'first' | 'last'): void => {
    focusOnOpen.current = where;
    setOpen(true);
  };
  const close = (refocus: boolean): void => {
    setOpen(false);
    if (refocus) buttonRef.current?.focus();
  };

  const activate = (key: string): void => {
    const target = buttonOf(buttonRef.current?.closest('.app-bar') ?? null, key);
    // Focus back on More first: a dialog the action opens returns focus to it when it closes.
    close(true);
    target?.click();
  };

  const onButtonKeyDown = (e: React.KeyboardEvent): void => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      openAt(e.key === 'ArrowDown' ? 'first' : 'last');
    }
  };

  const onMenuKeyDown = (e: React.KeyboardEvent): void => {
    const list = items();
    const at = list.indexOf(document.activeElement as HTMLElement);
    const focus = (i: number): void => list[(i + list.length) % list.length]?.focus();
    if (e.key === 'ArrowDown') focus(at + 1);
    else if (e.key === 'ArrowUp') focus(at - 1);
    else if (e.key === 'Home') focus(0);
    else if (e.key === 'End') focus(list.length - 1);
    else if (e.key === 'Escape') close(true);
    else if (e.key === 'Tab') {
      close(true); // from the button, Tab then moves on as usual
      return;
    } else if (e.key.length === 1 && /\S/.test(e.key)) {
      const letter = e.key.toLowerCase();
      const next = [...list.slice(at + 1), ...list.slice(0, at + 1)].find((el) => el.textContent?.trim().toLowerCase().startsWith(letter));
      next?.focus();
    } else return;
    e.preventDefault();
    e.stopPropagation();
  };

  const pressed = (key: string): boolean | undefined => {
    const value = buttonOf(buttonRef.current?.closest('.app-bar') ?? null, key)?.getAttribute('aria-pressed');
    return value === null || value === undefined ? undefined : value === 'true';
  };

  return (
    <div className="bar-overflow">
      <button
        ref={buttonRef}
        type="button"
        className="bar-more"
        id={`${id}-button`}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? `${id}-menu` : undefined}
        onClick={() => (open ? close(false) : openAt('first'))}
        onKeyDown={onButtonKeyDown}
      >
        More <span aria-hidden="true">▾</span>
      </button>
      {open && (
        <ul
          ref={menuRef}
          id={`${id}-menu`}
          role="menu"
          aria-labelledby={`${id}-button`}
          className="bar-menu"
          onKeyDown={onMenuKeyDown}
          onBlur={(e) => {
            if (!e.currentTarget.parentElement?.contains(e.relatedTarget as Node | null) && e.relatedTarget) setOpen(false);
          }}
        >
          {collapsed.map((key) => {
            const a = COLLAPSIBLE.find((c) => c.key === key)!;
            const checked = pressed(a.key);
            return (
              <li key={a.key} role="none">
                <button
                  type="button"
                  role={checked === undefined ? 'menuitem' : 'menuitemcheckbox'}
                  aria-checked={checked}
                  tabIndex={-1}
                  onClick={() => activate(a.key)}
                >
                  {a.label}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
