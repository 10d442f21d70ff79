import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Dialog } from '../Dialog';
import type { PasswordPrompt } from './useImporter';

/**
 * An encrypted PDF's password. Enter tries it; a wrong one is said in the dialog, which stays open with the field
 * emptied and focused for another try; Cancel or Escape skips the file. The password goes only to the notebook.
 */
export function PasswordDialog({ prompt }: { prompt: PasswordPrompt }) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [tries, setTries] = useState(0);

  // After a wrong password the field is emptied; focus goes back to it (it was disabled while the try ran).
  useEffect(() => {
    if (tries > 0) input.current?.focus();
  }, [tries]);

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (busy) return;
    if (value === '') {
      setError('Type the password to open this PDF, or cancel.');
      return;
    }
    setBusy(true);
    setError(null);
    void prompt.submit(value).then((outcome) => {
      if (outcome !== 'wrong') return; // imported (or failed otherwise, reported with the other import problems)
      setBusy(false);
      setValue('');
      setError(`That password is wrong for “${prompt.fileName}”. Try again.`);
      setTries((n) => n + 1);
    });
  };

  return (
    <Dialog labelledBy={`${id}-heading`} onClose={prompt.cancel} className="password-dialog">
      <form onSubmit={submit} noValidate aria-busy={busy}>
        <h2 id={`${id}-heading`}>This PDF is locked</h2>
        <label htmlFor={`${id}-password`}>Password for “{prompt.fileName}”</label>
        <input
          ref={input}
          id={`${id}-password`}
          type="password"
          autoComplete="off"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          autoFocus
          readOnly={busy}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
        />
        {busy && (
          <p role="status" className="import-progress">
            <progress aria-label="Opening the PDF" /> Opening the PDF…
          </p>
        )}
        {error && (
          <p role="alert" id={`${id}-error`} className="form-error">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={prompt.cancel}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            Open
          </button>
        </div>
      </form>
    </Dialog>
  );
}
