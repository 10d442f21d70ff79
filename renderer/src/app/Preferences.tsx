import { useEffect, useId, useRef } from 'react';
import { UI_LIMITS, type UiSettings } from '../../../electron/contract';
import { clampFontSize, DEFAULT_FONT_SIZE, effectiveTheme, LINE_WIDTHS, THEMES, TYPEFACES } from './theme';

interface Props {
  ui: UiSettings;
  systemDark: boolean;
  /** Applies at once and saves to the notebook (App does both; a failed save is a toast). */
  onChange: (patch: UiSettings) => void;
  open: boolean;
  onOpen: () => void;
  onClose: () => void;
  onAbout: () => void;
}

/**
 * Preferences (Ctrl/Cmd+,): theme, text size, line width, typeface, spell checking. Every change shows at once behind
 * the dialog and is saved in the notebook, so it holds after a restart and in browser mode alike. A modal <dialog>: the
 * browser traps and restores focus and closes it on Escape.
 */
export function Preferences({ ui, systemDark, onChange, open, onOpen, onClose, onAbout }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    else if (!open && dialog.open) dialog.close();
  }, [open]);

  // Ctrl/Cmd+, opens Preferences, the desktop convention (no native menu item needed, so it works in a browser tab too).
  const latestOpen = useRef(onOpen);
  latestOpen.current = onOpen;
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key === ',') {
        event.preventDefault();
        latestOpen.current();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const theme = ui.theme ?? 'system';
  const fontSize = clampFontSize(ui.fontSize ?? DEFAULT_FONT_SIZE);
  const lineWidth = ui.lineWidth ?? 'medium';
  const typeface = ui.typeface ?? 'serif';
  const shown = effectiveTheme(theme, systemDark);

  return (
    <>
      <button type="button" className="app-bar-button preferences-button" data-bar-action="preferences" onClick={onOpen} aria-haspopup="dialog">
        Preferences
      </button>
      <dialog ref={ref} className="preferences-dialog" aria-labelledby={`${id}-title`} onClose={onClose}>
        <h2 id={`${id}-title`}>Preferences</h2>
        <p className="dialog-hint">Changes apply at once and are kept in your notebook.</p>
        <fieldset className="pref-group">
          <legend>Theme</legend>
          {THEMES.map((t) => (
            <label key={t.value} className="pref-choice">
              <input type="radio" name={`${id}-theme`} value={t.value} checked={theme === t.value} onChange={() => onChange({ theme: t.value })} />
              {t.label}
              {t.value === 'system' && <span className="pref-note"> (now {systemDark ? 'dark' : 'light'})</span>}
            </label>
          ))}
        </fieldset>
        <div className="pref-group">
          <label htmlFor={`${id}-size`} className="pref-label">
            Text size
          </label>
          <div className="pref-size">
            <button type="button" aria-label="Smaller text" onClick={() => onChange({ fontSize: clampFontSize(fontSize - 1) })} disabled={fontSize <= UI_LIMITS.minFontSize}>
              A−
            </button>
            <input
              id={`${id}-size`}
              type="range"
              min={UI_LIMITS.minFontSize}
              max={UI_LIMITS.maxFontSize}
              step={1}
              value={fontSize}
              aria-valuetext={`${fontSize} pixels`}
              onChange={(e) => onChange({ fontSize: clampFontSize(Number(e.target.value)) })}
            />
            <button type="button" aria-label="Larger text" onClick={() => onChange({ fontSize: clampFontSize(fontSize + 1) })} disabled={fontSize >= UI_LIMITS.maxFontSize}>
              A+
            </button>
            <output htmlFor={`${id}-size`} className="pref-value">
              {fontSize} px
            </output>
          </div>
        </div>
        <fieldset className="pref-group">
          <legend>Line width</legend>
          {LINE_WIDTHS.map((w) => (
            <label key={w.value} className="pref-choice">
              <input type="radio" name={`${id}-width`} value={w.value} checked={lineWidth === w.value} onChange={() => onChange({ lineWidth: w.value })} />
              {w.label}
            </label>
          ))}
        </fieldset>
        <fieldset className="pref-group">
          <legend>Typeface</legend>
          {TYPEFACES.map((t) => (
            <label key={t.value} className="pref-choice" style={{ fontFamily: t.stack }}>
              <input type="radio" name={`${id}-face`} value={t.value} checked={typeface === t.value} onChange={() => onChange({ typeface: t.value })} />
              {t.label}
            </label>
          ))}
        </fieldset>
        <div className="pref-group">
          <label className="pref-choice">
            <input type="checkbox" checked={ui.spellcheck === true} onChange={(e) => onChange({ spellcheck: e.target.checked })} aria-describedby={`${id}-spell-note`} />
            Check spelling as you type
          </label>
          <p id={`${id}-spell-note`} className="pref-note pref-explain">
            Off by default. While it is on, the desktop app on Windows and Linux downloads spelling dictionaries from
            Google’s servers (macOS uses its own checker); turning it on there takes effect in new windows and at the next start. In
            browser mode, your browser’s own spell checker is used.
          </p>
        </div>
        <p className="pref-preview" aria-hidden="true">
          A {shown} page, {fontSize} px {TYPEFACES.find((t) => t.value === typeface)?.label.toLowerCase()} text: the quick brown fox
          jumps over the lazy dog.
        </p>
        <div className="dialog-actions">
          <button type="button" className="link-button about-link" onClick={onAbout}>
            About Gloss
          </button>
          <button type="button" className="primary" onClick={() => ref.current?.close()} autoFocus>
            Done
          </button>
        </div>
      </dialog>
    </>
  );
}
