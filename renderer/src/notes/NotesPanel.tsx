import { useEffect, useRef } from 'react';
import type { Highlight, Settings } from '../../../electron/contract';
import { colorLabel } from '../app/colors';

interface Props {
  highlights: Highlight[];
  settings: Settings;
  focusedId: string | null;
  onFocusHighlight: (id: string | null) => void;
  onDelete: (highlight: Highlight) => void;
}

/** The side panel: one card per highlight, in document order. */
export function NotesPanel({ highlights, settings, focusedId, onFocusHighlight, onDelete }: Props) {
  const listRef = useRef<HTMLOListElement>(null);

  // When a highlight is activated in the text, bring its card into view and give it focus.
  useEffect(() => {
    if (!focusedId) return;
    const card = listRef.current?.querySelector<HTMLElement>(`[data-highlight-id="${CSS.escape(focusedId)}"]`);
    if (card && !card.contains(document.activeElement)) {
      card.scrollIntoView({ block: 'nearest' });
      card.focus({ preventScroll: true });
    }
  }, [focusedId]);

  return (
    <aside className="notes-panel" aria-label="Notes">
      <h2 className="panel-title">
        Notes <span className="count">{highlights.length}</span>
      </h2>
      {highlights.length === 0 ? (
        <p className="empty">Select a passage and press <kbd>h</kbd> to highlight it.</p>
      ) : (
        <ol className="cards" ref={listRef}>
          {highlights.map((h) => (
            <li
              key={h.id}
              className={`card card-${h.color}${h.id === focusedId ? ' focused' : ''}${h.orphaned ? ' orphaned' : ''}`}
              data-highlight-id={h.id}
              tabIndex={-1}
              aria-label={`Highlight: ${h.quote.slice(0, 80)}`}
              onMouseEnter={() => onFocusHighlight(h.id)}
              onFocus={() => onFocusHighlight(h.id)}
            >
              <blockquote className="card-quote">{h.quote}</blockquote>
              <div className="card-meta">
                <span className={`color-dot dot-${h.color}`} aria-hidden="true" />
                <span className="color-label">{colorLabel(h.color, settings)}</span>
                {h.orphaned && <span className="orphan-badge">orphaned: passage not found in the current text</span>}
                <button type="button" className="link-button" onClick={() => onDelete(h)} aria-label="Delete highlight">
                  Delete
                </button>
              </div>
            </li>
          ))}
        </ol>
      )}
    </aside>
  );
}
