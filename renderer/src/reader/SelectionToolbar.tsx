import { HIGHLIGHT_COLORS, type HighlightColor, type Settings } from '../../../electron/contract';
import { colorTitle } from '../app/colors';

interface Props {
  /** Where to float, in the reader's coordinates (it scrolls with the text). */
  position: { top: number; left: number };
  settings: Settings;
  onPick: (color: HighlightColor) => void;
}

/**
 * Floats beside the selection: one button per colour, named by its colour (and label). Buttons keep the selection
 * alive by not taking focus on mouse down; by keyboard, h and 1-5 do the same without reaching for it, and Tab
 * reaches the buttons (focus moving to a button leaves the selection in place).
 */
export function SelectionToolbar({ position, settings, onPick }: Props) {
  return (
    <div className="selection-toolbar" role="toolbar" aria-label="Highlight selection" style={position}>
      {HIGHLIGHT_COLORS.map((color, i) => (
        <button
          key={color}
          type="button"
          className={`swatch swatch-${color}`}
          aria-label={`Highlight ${colorTitle(color, settings)}`}
          title={`Highlight ${colorTitle(color, settings)} (${i === 0 ? 'h or 1' : i + 1})`}
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => onPick(color)}
        >
          <span aria-hidden="true">{i + 1}</span>
        </button>
      ))}
    </div>
  );
}
