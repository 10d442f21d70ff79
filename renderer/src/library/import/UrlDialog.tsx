import { useId, useState, type FormEvent } from 'react';
import { Dialog } from '../Dialog';
import { ImportProblem, normalizeUrl } from './file-import';

interface Props {
  importUrl: (url: string) => Promise<unknown>;
  onClose: () => void;
}

/** Import from URL: the page is fetched by the notebook (never by this page), which may take up to its 15 s timeout. */
export function UrlDialog({ importUrl, onClose }: Props) {
  const id = useId();
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    let url: string;
    try {
      url = normalizeUrl(value);
    } catch (e) {
      setError(e instanceof ImportProblem ? e.message : String(e));
      return;
    }
    setBusy(true);
    setError(null);
    importUrl(url).then(onClose, (e: Error) => {
      setBusy(false);
      setError(e.message);
    });
  };

  return (
    <Dialog labelledBy={`${id}-heading`} onClose={onClose} className="url-dialog">
      <form onSubmit={submit} noValidate aria-busy={busy}>
        <h2 id={`${id}-heading`}>Import from URL</h2>
        <label htmlFor={`${id}-url`}>Web address</label>
        <input
          id={`${id}-url`}
          type="url"
          inputMode="url"
          placeholder="https://example.com/article"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          autoFocus
          required
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
        />
        {busy && (
          <p role="status" className="import-progress">
            <progress aria-label="Fetching the page" /> Fetching the page…
          </p>
        )}
        {error && (
          <p role="alert" id={`${id}-error`} className="form-error">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            Import
          </button>
        </div>
      </form>
    </Dialog>
  );
}
