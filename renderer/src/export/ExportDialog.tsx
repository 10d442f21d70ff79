import { useCallback, useEffect, useId, useRef, useState } from 'react';
import {
  HIGHLIGHT_COLORS,
  type ExportGroupBy,
  type ExportOptions,
  type HighlightColor,
  type RestoreResult,
  type Settings,
  type TagCount,
} from '../../../electron/contract';
import type { GlossClient } from '../api/client';
import type { Notifier } from '../app/Toasts';
import { chooseFolder, copyText, downloadBlob, hasNativeDialogs, restoreWithDialog, safeDownloadName, saveBackupWithDialog, saveBinary, saveText } from './save';
import './export.css';

interface Props {
  client: GlossClient;
  /** The article on screen, if any: the default scope. */
  articleId: string | null;
  settings: Settings;
  notify: Notifier;
}

type Scope = 'article' | 'tag' | 'all';

const PREVIEW_DEBOUNCE_MS = 250;
const SAMPLE_TEMPLATE = `# {{article.title}}

{{#highlights}}
{{{quoteMarkdown}}}
{{colorLabel}} {{tagsInline}} ^{{blockId}}

{{{note}}}

{{/highlights}}`;

const capitalize = (s: string): string => s[0].toUpperCase() + s.slice(1);

/**
 * The Export dialog (File > Export…, Ctrl/Cmd+E, or the app bar button): choose what to export (this article, a tag,
 * the whole notebook), colours, grouping and template, see a live preview of the exact Markdown, then Save…, Copy, or
 * export one file per article to a folder. For a PDF on screen, "Annotated PDF" saves a copy of it with the highlights
 * written in. Backup / restore and W3C annotations live here too.
 */
export function ExportDialog({ client, articleId, settings, notify }: Props) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const ids = useId();
  const [open, setOpen] = useState(false);
  const [scope, setScope] = useState<Scope>('all');
  const [tags, setTags] = useState<TagCount[]>([]);
  const [tag, setTag] = useState('');
  const [colors, setColors] = useState<HighlightColor[]>([]);
  const [groupBy, setGroupBy] = useState<ExportGroupBy>('document');
  const [useTemplate, setUseTemplate] = useState(false);
  const [template, setTemplate] = useState(SAMPLE_TEMPLATE);
  const [preview, setPreview] = useState<string | null>(null);
  const [templateError, setTemplateError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const [folder, setFolder] = useState('');
  const [articleTitle, setArticleTitle] = useState('');
  const [articleIsPdf, setArticleIsPdf] = useState(false);
  const [backupFile, setBackupFile] = useState<File | null>(null);
  const [restoreMode, setRestoreMode] = useState<'merge' | 'replace'>('merge');
  const native = hasNativeDialogs();

  const show = useCallback(() => setOpen(true), []);

  // Ctrl+E (⌘E on macOS) and File > Export… open the dialog from anywhere.
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      const mod = client.platform === 'darwin' ? event.metaKey : event.ctrlKey;
      if (!mod || event.altKey || event.shiftKey || event.key.toLowerCase() !== 'e') return;
      event.preventDefault();
      show();
    };
    document.addEventListener('keydown', onKey);
    const off = client.onCommand((command) => command === 'export' && show());
    return () => {
      document.removeEventListener('keydown', onKey);
      off();
    };
  }, [client, show]);

  // Each opening starts from the notebook as it is now: tags, the article's title, the default scope.
  useEffect(() => {
    if (!open) return;
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
    setScope(articleId ? 'article' : 'all');
    setStatus('');
    setError(null);
    client.listTags().then(
      (list) => {
        setTags(list);
        setTag((current) => (list.some((t) => t.name === current) ? current : (list[0]?.name ?? '')));
      },
      (e: Error) => setError(`Could not list tags: ${e.message}`),
    );
    setArticleIsPdf(false);
    if (articleId) {
      client.getArticle(articleId).then(
        (a) => {
          setArticleTitle(a.title);
          setArticleIsPdf(a.kind === 'pdf');
        },
        () => setArticleTitle(''),
      );
    }
  }, [open, articleId, client]);

  const options = useCallback((): ExportOptions => {
    const o: ExportOptions = {};
    if (scope === 'article' && articleId) o.articleIds = [articleId];
    if (scope === 'tag' && tag) o.tags = [tag];
    if (colors.length > 0) o.colors = colors;
    if (groupBy !== 'document') o.groupBy = groupBy;
    if (useTemplate) o.template = template;
    return o;
  }, [scope, articleId, tag, colors, groupBy, useTemplate, template]);

  // Live preview, debounced; a late answer for older choices never overwrites a newer one.
  const seq = useRef(0);
  useEffect(() => {
    if (!open) return;
    const mine = ++seq.current;
    const timer = setTimeout(() => {
      client.exportMarkdown(options()).then(
        (markdown) => {
          if (mine !== seq.current) return;
          setPreview(markdown);
          setTemplateError(null);
          setError(null);
        },
        (e: Error & { code?: string }) => {
          if (mine !== seq.current) return;
          setPreview(null);
          if (useTemplate && e.code === 'invalid_input' && /template/i.test(e.message)) setTemplateError(e.message);
          else setError(e.message);
        },
      );
    }, PREVIEW_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [open, client, options, useTemplate]);

  const suggestedName = (): string => {
    if (scope === 'article' && articleTitle) return safeDownloadName(articleTitle, 'md');
    if (scope === 'tag' && tag) return safeDownloadName(`Gloss - ${tag}`, 'md');
    return safeDownloadName('Gloss notebook', 'md');
  };

  /** Runs one action with the buttons disabled, its outcome announced in the status line (or the error alert). */
  const run = async (action: () => Promise<string | null>): Promise<void> => {
    setBusy(true);
    setError(null);
    setStatus('');
    try {
      const message = await action();
      if (message) setStatus(message);
    } catch (e) {
      const message = (e as Error).message;
      if (useTemplate && /template/i.test(message)) setTemplateError(message);
      else setError(message);
    } finally {
      setBusy(false);
    }
  };

  const save = () =>
    run(async () => {
      const markdown = await client.exportMarkdown(options());
      const where = await saveText(suggestedName(), markdown, 'text/markdown');
      if (where === null) return 'Not saved.';
      return native ? `Saved to ${where}.` : `Downloaded ${where}.`;
    });

  /** The PDF on screen, copied with its highlights written in as standard annotations (the original stays as it is). */
  const saveAnnotatedPdf = () =>
    run(async () => {
      if (!articleId) return null;
      const pdf = await client.exportAnnotatedPdf(articleId);
      const where = await saveBinary(pdf.fileName, pdf.contentBase64, 'application/pdf');
      if (where === null) return 'Not saved.';
      return `Annotated PDF ${native ? `saved to ${where}` : `downloaded as ${where}`}.`;
    });

  const copy = () =>
    run(async () => {
      const markdown = await client.exportMarkdown(options());
      await copyText(markdown);
      return `Copied ${markdown.length.toLocaleString()} characters of Markdown to the clipboard.`;
    });

  const exportFolder = () =>
    run(async () => {
      const dir = native ? await chooseFolder() : folder.trim();
      if (!dir) return native ? 'No folder chosen.' : null;
      const r = await client.exportToFolder(dir, options());
      const parts = [`${r.written.length} written`, `${r.unchanged.length} unchanged`];
      if (r.conflicts.length) {
        parts.push(`${r.conflicts.length} kept because you edited them (${r.conflicts.map((c) => `${c.file} → ${c.writtenTo}`).join('; ')})`);
      }
      if (r.renamed?.length) parts.push(`${r.renamed.length} renamed`);
      if (r.stale.length) parts.push(`${r.stale.length} edited file(s) of renamed articles kept`);
      return `Exported to ${dir}: ${parts.join(', ')}.`;
    });

  /** The backup is streamed article by article into the file (never one string: a large library's would not fit). */
  const saveBackup = () =>
    run(async () => {
      const name = `gloss-backup-${new Date().toISOString().slice(0, 10)}.json`;
      if (native) {
        const saved = await saveBackupWithDialog(name);
        return saved.path === null ? 'Not saved.' : `Backup of ${saved.articles} articles saved to ${saved.path}.`;
      }
      const { blob, articles } = await client.downloadBackup!();
      downloadBlob(name, blob);
      return `Backup of ${articles} articles downloaded as ${name}.`;
    });

  const showRestored = (name: string, r: RestoreResult): string => {
    const kept = r.safetyBackup ? ` The notebook as it was is saved in ${r.safetyBackup}.` : '';
    notify.show(`Restored ${name}.`);
    return `Restored (${restoreMode}): ${r.articles} articles and ${r.highlights} highlights added or changed, ${r.skipped} skipped.${kept}`;
  };

  const restore = () =>
    run(async () => {
      if (native) {
        const restored = await restoreWithDialog(restoreMode);
        return restored.path === null || !restored.result ? 'No backup chosen.' : showRestored(restored.path, restored.result);
      }
      if (!backupFile) return 'Choose a backup file first.';
      return showRestored(backupFile.name, await client.restoreBackupFile!(backupFile, restoreMode));
    });

  const saveAnnotations = () =>
    run(async () => {
      const { articleIds, tags: t, colors: c } = options();
      const doc = await client.exportAnnotations({ articleIds, tags: t, colors: c });
      const where = await saveText(suggestedName().replace(/\.md$/, '.annotations.json'), `${JSON.stringify(doc, null, 2)}\n`, 'application/ld+json');
      return where === null ? 'Not saved.' : `W3C annotations ${native ? `saved to ${where}` : `downloaded as ${where}`}.`;
    });

  const importAnnotations = (file: File) =>
    run(async () => {
      const onArticle = scope === 'article' && articleId ? { articleId } : {};
      const r = await client.importAnnotations(await file.text(), onArticle);
      return `Imported ${file.name}: ${r.imported} anchored, ${r.orphaned} kept as orphans (passage not found), ${r.skipped} skipped.`;
    });

  /** The library (or the article on screen) as BibTeX or CSL-JSON; articles get their citation key on the way. */
  const saveCitations = (format: 'bibtex' | 'csl-json') =>
    run(async () => {
      const { articleIds } = options();
      const text = await client.exportCitations({ format, ...(articleIds && { articleIds }) });
      const base = scope === 'article' && articleTitle ? articleTitle : 'Gloss library';
      const name = format === 'bibtex' ? safeDownloadName(base, 'bib') : safeDownloadName(base, 'json').replace(/\.json$/, '.csl.json');
      const where = await saveText(name, text, format === 'bibtex' ? 'application/x-bibtex' : 'application/vnd.citationstyles.csl+json');
      const what = format === 'bibtex' ? 'BibTeX' : 'CSL-JSON';
      return where === null ? 'Not saved.' : `${what} ${native ? `saved to ${where}` : `downloaded as ${where}`}.`;
    });

  const toggleColor = (color: HighlightColor): void =>
    setColors((list) => (list.includes(color) ? list.filter((c) => c !== color) : HIGHLIGHT_COLORS.filter((c) => c === color || list.includes(c))));

  const title = `${ids}-title`;
  const templateErrorId = `${ids}-template-error`;
  return (
    <>
      <button type="button" className="export-open" data-bar-action="export" onClick={show} aria-haspopup="dialog" aria-keyshortcuts={client.platform === 'darwin' ? 'Meta+E' : 'Control+E'}>
        Export
      </button>
      {open && (
        <dialog ref={dialogRef} className="export-dialog" aria-labelledby={title} onClose={() => setOpen(false)}>
          <div className="export-header">
            <h2 id={title}>Export</h2>
            <button type="button" onClick={() => dialogRef.current?.close()}>
              Close
            </button>
          </div>
          <div className="export-body">
            <div className="export-options">
              <fieldset>
                <legend>Scope</legend>
                <label>
                  <input type="radio" name="scope" checked={scope === 'article'} disabled={!articleId} onChange={() => setScope('article')} />
                  This article{articleTitle && articleId ? ` (${articleTitle})` : ''}
                </label>
                <label>
                  <input type="radio" name="scope" checked={scope === 'tag'} disabled={tags.length === 0} onChange={() => setScope('tag')} />
                  Highlights tagged
                </label>
                <select aria-label="Tag to export" value={tag} disabled={tags.length === 0} onChange={(e) => { setTag(e.target.value); setScope('tag'); }}>
                  {tags.length === 0 && <option value="">(no tags yet)</option>}
                  {tags.map((t) => (
                    <option key={t.name} value={t.name}>
                      {t.name} ({t.count})
                    </option>
                  ))}
                </select>
                <label>
                  <input type="radio" name="scope" checked={scope === 'all'} onChange={() => setScope('all')} />
                  The whole notebook
                </label>
              </fieldset>
              <fieldset>
                <legend>Colours</legend>
                <p className="export-hint">None ticked: every colour.</p>
                {HIGHLIGHT_COLORS.map((color) => (
                  <label key={color} className="export-color">
                    <input type="checkbox" checked={colors.includes(color)} onChange={() => toggleColor(color)} />
                    <span className={`color-dot dot-${color}`} aria-hidden="true" />
                    {settings.colorLabels[color] ? `${capitalize(color)}: ${settings.colorLabels[color]}` : capitalize(color)}
                  </label>
                ))}
              </fieldset>
              <div className="export-field">
                <label htmlFor={`${ids}-group`}>Group by</label>
                <select id={`${ids}-group`} value={groupBy} onChange={(e) => setGroupBy(e.target.value as ExportGroupBy)}>
                  <option value="document">Document order</option>
                  <option value="tag">Tag</option>
                  <option value="color">Colour</option>
                </select>
              </div>
              <fieldset>
                <legend>Template</legend>
                <label>
                  <input type="radio" name="template" checked={!useTemplate} onChange={() => setUseTemplate(false)} />
                  Default (Obsidian-friendly)
                </label>
                <label>
                  <input type="radio" name="template" checked={useTemplate} onChange={() => setUseTemplate(true)} />
                  My template (Mustache)
                </label>
                {useTemplate && (
                  <>
                    <textarea
                      aria-label="Template"
                      className="export-template"
                      spellCheck={false}
                      value={template}
                      aria-invalid={templateError ? true : undefined}
                      aria-describedby={templateError ? templateErrorId : undefined}
                      onChange={(e) => setTemplate(e.target.value)}
                    />
                    {templateError && (
                      <p role="alert" id={templateErrorId} className="export-error">
                        {templateError}
                      </p>
                    )}
                    <p className="export-hint">
                      Per article: <code>{'{{article.title}}'}</code> <code>{'{{article.author}}'}</code> <code>{'{{article.source}}'}</code>{' '}
                      <code>{'{{{frontmatter}}}'}</code> <code>{'{{{article.note}}}'}</code>; inside <code>{'{{#highlights}}…{{/highlights}}'}</code>:{' '}
                      <code>{'{{{quoteMarkdown}}}'}</code> <code>{'{{quote}}'}</code> <code>{'{{{note}}}'}</code> <code>{'{{colorLabel}}'}</code>{' '}
                      <code>{'{{tagsInline}}'}</code> <code>{'{{blockId}}'}</code>, for PDFs <code>{'{{pageLabel}}'}</code> <code>{'{{pageLink}}'}</code>;{' '}
                      <code>{'{{#groups}}{{title}}…{{/groups}}'}</code> follows “Group by”.
                    </p>
                  </>
                )}
              </fieldset>
            </div>
            <section className="export-preview" aria-labelledby={`${ids}-preview`}>
              <h3 id={`${ids}-preview`}>Preview</h3>
              <pre tabIndex={0} aria-label="Markdown preview" className="export-preview-text">
                {preview === null
                  ? templateError
                    ? 'The template has an error (shown under it); the preview returns once it parses.'
                    : ''
                  : preview === ''
                    ? 'Nothing to export with these choices.'
                    : preview}
              </pre>
            </section>
          </div>
          {error && (
            <p role="alert" className="export-error">
              {error}
            </p>
          )}
          <p role="status" className="export-status">
            {status}
          </p>
          <div className="export-actions">
            <button type="button" className="primary" disabled={busy} onClick={() => void save()}>
              Save…
            </button>
            <button type="button" disabled={busy} onClick={() => void copy()}>
              Copy to clipboard
            </button>
            {articleIsPdf && (
              <button type="button" disabled={busy} onClick={() => void saveAnnotatedPdf()} title="A copy of this PDF with your highlights, notes and tags as annotations other PDF readers show">
                Annotated PDF
              </button>
            )}
          </div>
          <details className="export-more">
            <summary>Export to a folder</summary>
            <p className="export-hint">One Markdown file per article (an Obsidian vault, say). Re-exporting updates them in place; files you edited are never overwritten.</p>
            <div className="export-row">
              {!native && (
                <input type="text" aria-label="Folder path" placeholder="/home/me/Vault/Gloss" value={folder} onChange={(e) => setFolder(e.target.value)} />
              )}
              <button type="button" disabled={busy || (!native && folder.trim() === '')} onClick={() => void exportFolder()}>
                {native ? 'Choose folder and export…' : 'Export to folder'}
              </button>
            </div>
          </details>
          <details className="export-more">
            <summary>Citations (BibTeX, CSL-JSON)</summary>
            <p className="export-hint">
              {scope === 'article' && articleId ? 'This article' : 'Every article in the library'} as a reference list that Zotero, pandoc and LaTeX read. Each
              article keeps its citation key (<code>[@key]</code>) from its first export on.
            </p>
            <div className="export-row">
              <button type="button" disabled={busy} onClick={() => void saveCitations('bibtex')}>
                Save BibTeX…
              </button>
              <button type="button" disabled={busy} onClick={() => void saveCitations('csl-json')}>
                Save CSL-JSON…
              </button>
            </div>
          </details>
          <details className="export-more">
            <summary>Backup and W3C annotations</summary>
            <div className="export-row">
              <button type="button" disabled={busy} onClick={() => void saveBackup()}>
                Save backup…
              </button>
              <button type="button" disabled={busy} onClick={() => void saveAnnotations()}>
                Save W3C annotations…
              </button>
            </div>
            <div className="export-row">
              {!native && (
                <label>
                  Backup file <input type="file" accept=".json,application/json" onChange={(e) => setBackupFile(e.target.files?.[0] ?? null)} />
                </label>
              )}
              <select aria-label="Restore mode" value={restoreMode} onChange={(e) => setRestoreMode(e.target.value as 'merge' | 'replace')}>
                <option value="merge">Merge into this notebook</option>
                <option value="replace">Replace this notebook</option>
              </select>
              <button type="button" disabled={busy || (!native && !backupFile)} onClick={() => void restore()}>
                {native ? 'Choose backup and restore…' : 'Restore'}
              </button>
            </div>
            <div className="export-row">
              <label>
                Import W3C annotations (e.g. from Hypothesis){scope === 'article' && articleId ? ' onto this article' : ', matched by page URL'}{' '}
                <input
                  type="file"
                  accept=".json,.jsonld,application/json,application/ld+json"
                  onChange={(e) => {
                    const file = e.target.files?.[0];
                    if (file) void importAnnotations(file);
                    e.target.value = '';
                  }}
                />
              </label>
            </div>
          </details>
        </dialog>
      )}
    </>
  );
}
