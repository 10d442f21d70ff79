import { HIGHLIGHT_COLORS, type HighlightColor, type Settings } from '../../../electron/contract';
import { colorTitle } from '../app/colors';

interface Props {
  rect: DOMRect;
  settings: Settings;
  onPick: (color: HighlightColor) => void;
}

/**
 * Floats beside the selection: one button per colour, named by its colour (and label). Buttons keep the selection
 * alive by not taking focus on mouse down; by keyboard, h and 1-5 do the same without reaching for it.
 */
export function SelectionToolbar({ rect, settings, onPick }: Props) {
  // Viewport coordinates (the toolbar is position: fixed): below the selection's last line, kept on screen.
  const top = Math.min(window.innerHeight - 52, Math.max(8, rect.bottom + 8));
  const left = Math.min(window.innerWidth - 240, Math.max(8, rect.left));
  return (
    <div className="selection-toolbar" role="toolbar" aria-label="Highlight selection" style={{ top, left }}>
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
