import { useId, useState, type FormEvent } from 'react';
import { TOOL_IMPORT_FORMATS, type ToolImportFormat, type ToolImportReport } from '../../../../electron/contract';
import type { GlossClient } from '../../api/client';
import { Dialog } from '../Dialog';
import { ImportStatus, plural } from './ImportStatus';

interface Props {
  client: GlossClient;
  onClose: () => void;
}

/** Each tool people leave, what its export is called and which files to offer. */
const TOOLS: Record<ToolImportFormat, { name: string; file: string; accept: string }> = {
  kindle: { name: 'Kindle', file: 'the “My Clippings.txt” file from the Kindle’s documents folder', accept: '.txt,text/plain' },
  readwise: { name: 'Readwise', file: 'the CSV from Readwise’s “Export to CSV”', accept: '.csv,text/csv' },
  hypothesis: { name: 'Hypothesis', file: 'annotations as Hypothesis’s API returns them (JSON)', accept: '.json,application/json' },
  omnivore: { name: 'Omnivore', file: 'the export zip (metadata, content and highlights)', accept: '.zip,application/zip' },
};

/** A file's bytes as base64, in chunks (a large zip would overflow String.fromCharCode's argument list). */
async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * Import from another tool…: highlights, notes and tags from Kindle, Readwise, Hypothesis or Omnivore. The notebook
 * parses the file whole before it writes anything; the report (what was added, matched, and what could not be)
 * stays in the dialog until it is closed.
 */
export function ToolImportDialog({ client, onClose }: Props) {
  const id = useId();
  const [tool, setTool] = useState<ToolImportFormat>('kindle');
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [report, setReport] = useState<ToolImportReport | null>(null);

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (!file) {
      setError('Choose the file to import.');
      document.getElementById(`${id}-file`)?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    setReport(null);
    base64Of(file)
      .then((contentBase64) => client.importAnnotationsFrom({ format: tool, contentBase64, fileName: file.name }))
      .then(setReport, (e: Error) => setError(e.message))
      .finally(() => setBusy(false));
  };

  return (
    <Dialog labelledBy={`${id}-heading`} onClose={onClose} className="tool-import-dialog">
      <form onSubmit={submit} noValidate aria-busy={busy}>
        <h2 id={`${id}-heading`}>Import from another tool</h2>
        <fieldset className="tool-choice">
          <legend>Exported from</legend>
          {TOOL_IMPORT_FORMATS.map((t) => (
            <label key={t}>
              <input type="radio" name={`${id}-tool`} value={t} checked={tool === t} onChange={() => setTool(t)} /> {TOOLS[t].name}
            </label>
          ))}
        </fieldset>
        <label htmlFor={`${id}-file`}>File</label>
        <input
          id={`${id}-file`}
          type="file"
          accept={TOOLS[tool].accept}
          aria-describedby={`${id}-file-hint`}
          onChange={(e) => {
            setFile(e.target.files?.[0] ?? null);
            setError(null);
          }}
        />
        <p id={`${id}-file-hint`} className="field-hint">
          {TOOLS[tool].name}: {TOOLS[tool].file}. Highlights go onto the article with the same web address or title, or a new one.
        </p>
        <ImportStatus busy={busy} error={error} />
        {report && (
          <section role="status" aria-label="Import report" className="tool-report">
            <p>
              {plural(report.highlights, 'highlight')} added, {plural(report.orphaned, 'passage')} kept without a place in the text,{' '}
              {report.skipped} skipped; {plural(report.articlesCreated, 'article')} made, {report.articlesMatched} matched.
            </p>
            {report.problems.length > 0 && (
              <>
                <h3>Could not be matched or kept as it was</h3>
                <ul>
                  {report.problems.map((p, i) => (
                    <li key={i}>{p}</li>
                  ))}
                  {report.problemsOmitted ? <li>…and {report.problemsOmitted} more.</li> : null}
                </ul>
              </>
            )}
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
