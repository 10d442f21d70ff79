import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { OutlineState } from './useOutline';
import './outline.css';

interface Props {
  outline: OutlineState;
  open: boolean;
  onToggle: () => void;
}

/**
 * The outline side panel beside the reader: a toggle (always there, sticky), the reading place ("Chapter 12 · 34%"),
 * and, when open, the entries as buttons in a nav landmark; the entry being read is aria-current and stays in view.
 * Click or Enter on an entry jumps there; focus stays in the panel so the next entry is one key away. The list is one
 * tab stop (a book has a hundred chapters): the arrow keys, Home and End move between entries, as in a toolbar.
 */
export function OutlinePanel({ outline, open, onToggle }: Props) {
  const { items, current, percent, go } = outline;
  const listRef = useRef<HTMLOListElement>(null);
  const place = items[current]?.label ?? 'Start';
  const [focused, setFocused] = useState<number | null>(null);
  const tabStop = Math.min(items.length - 1, focused ?? Math.max(0, current));

  const onKeyDown = (event: KeyboardEvent<HTMLOListElement>): void => {
    const moves: Record<string, number> = { ArrowDown: tabStop + 1, ArrowUp: tabStop - 1, Home: 0, End: items.length - 1 };
    const next = moves[event.key];
    if (next === undefined || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    const index = Math.max(0, Math.min(items.length - 1, next));
    setFocused(index);
    listRef.current?.querySelectorAll<HTMLElement>('.outline-entry')[index]?.focus();
  };

  // The current entry stays visible in the panel's own list (not by scrollIntoView: that would scroll the reader too).
  useEffect(() => {
    const list = listRef.current;
    const button = list?.querySelector<HTMLElement>('[aria-current="location"]');
    if (!list || !button) return;
    const top = button.offsetTop - list.offsetTop;
    if (top < list.scrollTop) list.scrollTop = top;
    else if (top + button.offsetHeight > list.scrollTop + list.clientHeight) list.scrollTop = top + button.offsetHeight - list.clientHeight;
  }, [current, open]);

  return (
    <section className={`outline-rail${open ? ' open' : ''}`} aria-label="Outline and reading progress">
      <button type="button" className="outline-toggle" aria-expanded={open} aria-controls="reader-outline" onClick={onToggle}>
        Outline
      </button>
      <p className="outline-place" data-outline-place>
        <span className="outline-place-label">{place}</span>
        <span className="outline-place-percent"> · {percent}%</span>
      </p>
      <progress className="outline-progress" max={100} value={percent} aria-label={`Reading progress: ${percent}%`} />
      {open && (
        <nav id="reader-outline" className="outline" aria-label="Outline">
          <ol ref={listRef} onKeyDown={onKeyDown} onBlur={(e) => !e.currentTarget.contains(e.relatedTarget) && setFocused(null)}>
            {items.map((item, i) => (
              <li key={`${item.start}-${i}`}>
                <button
                  type="button"
                  className="outline-entry"
                  style={{ paddingInlineStart: `${0.5 + item.depth * 0.9}rem` }}
                  tabIndex={i === tabStop ? 0 : -1}
                  aria-current={i === current ? 'location' : undefined}
                  onClick={() => {
                    setFocused(i);
                    go(i);
                  }}
                >
                  {item.label}
                </button>
              </li>
            ))}
          </ol>
        </nav>
      )}
    </section>
  );
}
