import { useId, useState, type FormEvent } from 'react';
import { LIMITS, type MarkdownImportResult } from '../../../../electron/contract';
import type { GlossClient } from '../../api/client';
import { Dialog } from '../Dialog';
import { ImportStatus, plural } from './ImportStatus';

interface Props {
  client: GlossClient;
  onClose: () => void;
}

/**
 * Import → Gloss Markdown export…: a Markdown export made by Gloss (one file, or the files of a folder export) back into
 * this notebook, with its quotes, notes, tags and colours (importMarkdownExport). The notebook reads the files whole
 * before it writes anything; the report stays in the dialog until it is closed.
 */
export function GlossExportDialog({ client, onClose }: Props) {
  const id = useId();
  const [files, setFiles] = useState<File[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [report, setReport] = useState<MarkdownImportResult | null>(null);

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (files.length === 0) {
      setError('Choose the exported Markdown file(s) to import.');
      document.getElementById(`${id}-files`)?.focus();
      return;
    }
    const tooBig = files.find((f) => f.size > LIMITS.maxImportBytes);
    if (tooBig) {
      setError(`Cannot import "${tooBig.name}": it is larger than the ${LIMITS.maxImportBytes / (1024 * 1024)} MB limit.`);
      return;
    }
    setBusy(true);
    setError(null);
    setReport(null);
    Promise.all(files.map(async (f) => ({ name: f.name, content: await f.text() })))
      .then((read) => client.importMarkdownExport(read))
      .then(setReport, (e: Error) => setError(e.message))
      .finally(() => setBusy(false));
  };

  return (
    <Dialog labelledBy={`${id}-heading`} onClose={onClose} className="tool-import-dialog gloss-export-import">
      <form onSubmit={submit} noValidate aria-busy={busy}>
        <h2 id={`${id}-heading`}>Import a Gloss Markdown export</h2>
        <label htmlFor={`${id}-files`}>Exported Markdown file(s)</label>
        <input
          id={`${id}-files`}
          type="file"
          multiple
          accept=".md,.markdown,text/markdown"
          aria-describedby={`${id}-hint`}
          onChange={(e) => {
            setFiles([...(e.target.files ?? [])]);
            setError(null);
          }}
        />
        <p id={`${id}-hint`} className="field-hint">
          A file from Export, or every .md file of a folder export. Highlights go onto the article the export links to, or one
          with the same web address whose text holds the quotes; otherwise the article is made from the export.
        </p>
        <ImportStatus busy={busy} error={error} />
        {report && (
          <section role="status" aria-label="Import report" className="tool-report">
            <p>
              {plural(report.imported, 'highlight')} added, {plural(report.orphaned, 'passage')} kept without a place in the text,{' '}
              {report.skipped} already there.
            </p>
            <ul>
              {report.articles.map((a) => (
                <li key={a.id}>
                  <a href={`#/article/${encodeURIComponent(a.id)}`} onClick={onClose}>
                    {a.title}
                  </a>
                  : {a.created ? 'made from the export' : 'added to the article already here'}, {plural(a.imported, 'highlight')}
                </li>
              ))}
            </ul>
          </section>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            {report ? 'Close' : 'Cancel'}
          </button>
          <button type="submit" className="primary" disabled={busy}>
            Import
          </button>
        </div>
      </form>
    </Dialog>
  );
}
