import { useEffect, useRef, useState } from 'react';
import type { GlossClient } from '../../api/client';
import type { Notifier } from '../../app/Toasts';
import { isTypingTarget } from '../../app/keys';
import { FILE_ACCEPT } from './file-import';
import { GlossExportDialog } from './GlossExportDialog';
import { filesOfDrop } from './saved-page';
import { PasswordDialog } from './PasswordDialog';
import { ToolImportDialog } from './ToolImportDialog';
import { UrlDialog } from './UrlDialog';
import { useImporter } from './useImporter';
import '../library.css';

interface Props {
  client: GlossClient;
  notify: Notifier;
}

function carriesFiles(event: DragEvent): boolean {
  return Boolean(event.dataTransfer && [...event.dataTransfer.types].includes('Files'));
}

/**
 * Every way in: the Import button (a file picker, several files at once), Import from URL, files dropped anywhere on
 * the window, and a paste (HTML, text or files) outside text fields. Lives in the app bar so it works from any view.
 */
export function ImportBar({ client, notify }: Props) {
  const importer = useImporter(client, notify);
  const inputRef = useRef<HTMLInputElement>(null);
  const [urlOpen, setUrlOpen] = useState(false);
  const [toolOpen, setToolOpen] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [glossExportOpen, setGlossExportOpen] = useState(false);
  const { importFiles, importPaste } = importer;

  // Drop files anywhere. dragenter/dragleave fire for every child crossed, so count them to know when the drag leaves.
  useEffect(() => {
    let depth = 0;
    const enter = (e: DragEvent): void => {
      if (!carriesFiles(e)) return;
      depth += 1;
      setDragging(true);
    };
    const over = (e: DragEvent): void => {
      if (!carriesFiles(e)) return;
      e.preventDefault(); // allows the drop (and stops the browser from opening the file)
      e.dataTransfer!.dropEffect = 'copy';
    };
    const leave = (e: DragEvent): void => {
      if (!carriesFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const drop = (e: DragEvent): void => {
      depth = 0;
      setDragging(false);
      if (!e.dataTransfer || e.dataTransfer.files.length === 0) return;
      e.preventDefault();
      // Folders are walked (a saved page's _files folder comes as one): filesOfDrop takes the entries now.
      void filesOfDrop(e.dataTransfer).then(importFiles);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, [importFiles]);

  // Paste outside text fields (and outside dialogs) becomes an article.
  useEffect(() => {
    const paste = (e: ClipboardEvent): void => {
      if (e.defaultPrevented || !e.clipboardData || isTypingTarget(e.target) || isTypingTarget(document.activeElement)) return;
      if (document.querySelector('dialog[open]')) return;
      if (importPaste(e.clipboardData)) e.preventDefault();
    };
    document.addEventListener('paste', paste);
    return () => document.removeEventListener('paste', paste);
  }, [importPaste]);

  // File > Import... and File > Import from URL... in the desktop menu.
  useEffect(
    () =>
      client.onCommand((command) => {
        if (command === 'import') inputRef.current?.click();
        if (command === 'import-url') setUrlOpen(true);
      }),
    [client],
  );

  const { progress, problems } = importer;
  return (
    <div className="import-bar">
      <button type="button" data-bar-action="import" onClick={() => inputRef.current?.click()}>
        Import…
      </button>
      <input
        ref={inputRef}
        type="file"
        multiple
        accept={FILE_ACCEPT}
        className="visually-hidden"
        tabIndex={-1}
        aria-label="Choose files to import"
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = ''; // choosing the same file again must fire change again
          importFiles(files);
        }}
      />
      <button type="button" data-bar-action="import-gloss-export" onClick={() => setGlossExportOpen(true)}>
        From a Gloss export…
      </button>
      <button type="button" data-bar-action="import-url" onClick={() => setUrlOpen(true)}>
        Import from URL…
      </button>
      <button type="button" data-bar-action="import-tool" onClick={() => setToolOpen(true)}>
        Import from another tool…
      </button>
      {progress && (
        <div role="status" className="import-progress" aria-live="polite">
          <progress max={progress.total} value={progress.done} aria-label="Import progress" />
          <span>
            Importing {Math.min(progress.done + 1, progress.total)} of {progress.total}: {progress.current}…
          </span>
        </div>
      )}
      {problems.length > 0 && (
        <section className="import-problems" role="alert" aria-label="Import problems">
          <h2>{problems.length === 1 ? 'One import failed' : `${problems.length} imports failed`}</h2>
          <ul>
            {problems.map((p, i) => (
              <li key={i}>{p}</li>
            ))}
          </ul>
          <button type="button" onClick={importer.dismissProblems}>
            Dismiss
          </button>
        </section>
      )}
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          <p>Drop .html, .md, .txt, .pdf or .epub files to import them</p>
        </div>
      )}
      {toolOpen && <ToolImportDialog client={client} onClose={() => setToolOpen(false)} />}
      {urlOpen && <UrlDialog importUrl={importer.importUrl} onClose={() => setUrlOpen(false)} />}
      {glossExportOpen && <GlossExportDialog client={client} onClose={() => setGlossExportOpen(false)} />}
      {importer.passwordPrompt && <PasswordDialog key={importer.passwordPrompt.fileName} prompt={importer.passwordPrompt} />}
    </div>
  );
}
