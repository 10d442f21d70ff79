import { useId, useState, type FormEvent } from 'react';
import { LIMITS, type ArticleMetaPatch, type ArticleSummary } from '../../../electron/contract';
import { Dialog } from './Dialog';

interface Props {
  article: ArticleSummary;
  save: (patch: ArticleMetaPatch) => Promise<unknown>;
  onClose: () => void;
}

/** YYYY-MM-DD for a date input when the stored value is a parseable date; '' otherwise (the raw words are shown). */
function dateInputValue(value: string | undefined): string {
  if (!value) return '';
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const t = Date.parse(value);
  return Number.isNaN(t) ? '' : new Date(t).toISOString().slice(0, 10);
}

/** Rename and edit an article's details: title, author, source URL and published date. Only changed fields are sent. */
export function MetadataDialog({ article, save, onClose }: Props) {
  const id = useId();
  const initial = {
    title: article.title,
    byline: article.byline ?? '',
    source: article.source ?? '',
    publishedAt: dateInputValue(article.publishedAt),
  };
  const [values, setValues] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const unparsedDate = article.publishedAt && !initial.publishedAt ? article.publishedAt : null;

  const field = (key: keyof typeof initial) => ({
    id: `${id}-${key}`,
    value: values[key],
    onChange: (e: { target: { value: string } }) => setValues((v) => ({ ...v, [key]: e.target.value })),
  });

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const patch: ArticleMetaPatch = {};
    for (const key of Object.keys(initial) as (keyof typeof initial)[]) {
      if (values[key].trim() !== initial[key].trim()) patch[key] = values[key].trim();
    }
    if (patch.title !== undefined && !patch.title) {
      setError('A title cannot be empty.');
      return;
    }
    if (Object.keys(patch).length === 0) {
      onClose();
      return;
    }
    setSaving(true);
    setError(null);
    save(patch).then(onClose, (e: Error) => {
      setSaving(false);
      setError(e.message);
    });
  };

  return (
    <Dialog labelledBy={`${id}-heading`} onClose={onClose} className="metadata-dialog">
      <form onSubmit={submit} noValidate>
        <h2 id={`${id}-heading`}>Edit article details</h2>
        <label htmlFor={`${id}-title`}>Title</label>
        <input {...field('title')} type="text" required maxLength={LIMITS.maxTitleChars} autoFocus />
        <label htmlFor={`${id}-byline`}>Author</label>
        <input {...field('byline')} type="text" maxLength={LIMITS.maxTitleChars} />
        <label htmlFor={`${id}-source`}>Source URL</label>
        <input {...field('source')} type="url" inputMode="url" placeholder="https://…" />
        <label htmlFor={`${id}-publishedAt`}>Published date</label>
        <input {...field('publishedAt')} type="date" aria-describedby={unparsedDate ? `${id}-date-hint` : undefined} />
        {unparsedDate && (
          <p id={`${id}-date-hint`} className="field-hint">
            The page gave “{unparsedDate}”; pick a date to replace it.
          </p>
        )}
        {error && (
          <p role="alert" className="form-error">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={saving}>
            {saving ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
