import { useEffect, useRef } from 'react';
import { HIGHLIGHT_COLORS, type Highlight, type HighlightColor, type Settings } from '../../../electron/contract';
import { colorTitle } from '../app/colors';

interface Props {
  highlight: Highlight;
  /** Where to float, in the reader's coordinates. */
  position: { top: number; left: number };
  settings: Settings;
  /** Move focus into the popover (it was opened by keyboard). */
  takeFocus: boolean;
  onRecolor: (highlight: Highlight, color: HighlightColor) => void;
  onDelete: (highlight: Highlight) => void;
  /**
   * Note and Tag: open this highlight's card in the notes panel at its note editor or its tag field. The card's own
   * editors save through the card's write queue (card-writes.ts), so an edit begun here cannot race the panel's.
   */
  onEditCard?: (highlight: Highlight, what: 'note' | 'tag') => void;
  onClose: () => void;
}

/**
 * Opens on a clicked (or Enter-ed) highlight: recolour it, write its note, tag it or delete it. Keys inside: 1-5
 * recolour, n note, t tag, Delete removes, arrows move between the buttons, Escape closes. The current colour's button
 * is pressed.
 */
export function HighlightPopover({ highlight, position, settings, takeFocus, onRecolor, onDelete, onEditCard, onClose }: Props) {
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!takeFocus) return;
    // After this commit's effects: the notes panel focuses the activated card in the same commit, and a keyboard user
    // who pressed Enter on a highlight asked for this editor.
    const timer = setTimeout(() => ref.current?.querySelector<HTMLButtonElement>('button[aria-pressed="true"]')?.focus(), 0);
    return () => clearTimeout(timer);
  }, [takeFocus, highlight.id]);

  const onKeyDown = (event: React.KeyboardEvent): void => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === 'Escape') onClose();
    else if (event.key === 'Delete' || event.key === 'Backspace') onDelete(highlight);
    else if ((event.key === 'n' || event.key === 't') && onEditCard) onEditCard(highlight, event.key === 'n' ? 'note' : 'tag');
    else if (/^[1-5]$/.test(event.key)) onRecolor(highlight, HIGHLIGHT_COLORS[Number(event.key) - 1]);
    else if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
      const buttons = [...(ref.current?.querySelectorAll<HTMLButtonElement>('button') ?? [])];
      const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
      const step = event.key === 'ArrowRight' ? 1 : -1;
      buttons[(at + step + buttons.length) % buttons.length]?.focus();
    } else return;
    event.preventDefault();
    event.stopPropagation();
  };

  return (
    <div
      ref={ref}
      className="highlight-popover"
      role="toolbar"
      aria-label="Edit highlight"
      style={position}
      onKeyDown={onKeyDown}
    >
      {HIGHLIGHT_COLORS.map((color, i) => (
        <button
          key={color}
          type="button"
          className={`swatch swatch-${color}`}
          aria-pressed={highlight.color === color}
          aria-label={`Recolour ${colorTitle(color, settings)}`}
          title={`Recolour ${colorTitle(color, settings)} (${i + 1})`}
          onClick={() => highlight.color !== color && onRecolor(highlight, color)}
        >
          <span aria-hidden="true">{i + 1}</span>
        </button>
      ))}
      {onEditCard && (
        <>
          <button type="button" className="popover-note" onClick={() => onEditCard(highlight, 'note')} title={`${highlight.note ? 'Edit the' : 'Write a'} note (n)`}>
            Note
          </button>
          <button type="button" onClick={() => onEditCard(highlight, 'tag')} title="Add a tag (t)">
            Tag
          </button>
        </>
      )}
      <button type="button" className="popover-delete" aria-label="Delete highlight" onClick={() => onDelete(highlight)} title="Delete highlight (Delete)">
        Delete
      </button>
    </div>
  );
}
