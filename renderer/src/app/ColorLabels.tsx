import { useRef, useState } from 'react';
import { HIGHLIGHT_COLORS, type HighlightColor, type Settings } from '../../../electron/contract';

interface Props {
  settings: Settings;
  /** Saves the labels (an empty label removes it); rejects with the notebook's message. */
  onSave: (labels: Partial<Record<HighlightColor, string>>) => Promise<unknown>;
}

const MAX_LABEL = 40;

/**
 * "Colour labels": give each highlight colour a meaning ("claim", "evidence"). A modal <dialog> (focus trapped and
 * restored, Escape closes, by the browser). Labels appear in the toolbar's button names, the notes panel and exports.
 */
export function ColorLabels({ settings, onSave }: Props) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [draft, setDraft] = useState<Partial<Record<HighlightColor, string>>>({});
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  // Each opening starts from the stored labels (they may have changed in another window meanwhile).
  const open = (): void => {
    setDraft({ ...settings.colorLabels });
    setError(null);
    dialogRef.current?.showModal();
  };

  const submit = (event: React.FormEvent): void => {
    event.preventDefault();
    const labels = Object.fromEntries(HIGHLIGHT_COLORS.map((c) => [c, (draft[c] ?? '').trim()])) as Record<HighlightColor, string>;
    setSaving(true);
    onSave(labels).then(
      () => {
        setSaving(false);
        dialogRef.current?.close();
      },
      (e: Error) => {
        setSaving(false);
        setError(`The labels were not saved: ${e.message}`);
      },
    );
  };

  return (
    <>
      <button type="button" className="app-bar-button" data-bar-action="colour-labels" onClick={open} aria-haspopup="dialog">
        Colour labels
      </button>
      <dialog ref={dialogRef} className="color-labels-dialog" aria-labelledby="color-labels-title">
        <form method="dialog" onSubmit={submit}>
          <h2 id="color-labels-title">Colour labels</h2>
          <p className="dialog-hint">Give a colour a meaning, such as “claim” or “evidence”. Leave it empty for none.</p>
          {HIGHLIGHT_COLORS.map((color) => (
            <label key={color} className="color-label-row">
              <span className={`color-dot dot-${color}`} aria-hidden="true" />
              <span className="color-label-name">{color[0].toUpperCase() + color.slice(1)}</span>
              <input
                type="text"
                name={color}
                maxLength={MAX_LABEL}
                value={draft[color] ?? ''}
                placeholder="no label"
                onChange={(e) => setDraft((d) => ({ ...d, [color]: e.target.value }))}
              />
            </label>
          ))}
          {error && <p role="alert">{error}</p>}
          <div className="dialog-actions">
            <button type="button" onClick={() => dialogRef.current?.close()}>
              Cancel
            </button>
            <button type="submit" className="primary" disabled={saving}>
              Save labels
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
