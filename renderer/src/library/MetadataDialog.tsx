import { useId, useState, type FormEvent } from 'react';
import { DATE_FORM_HINT, LIMITS, publishedDateProblem, type ArticleMetaPatch, type ArticleSummary } from '../../../electron/contract';
import { Dialog } from './Dialog';

interface Props {
  article: ArticleSummary;
  save: (patch: ArticleMetaPatch) => Promise<unknown>;
  onClose: () => void;
}

/**
 * What the Published field starts with: the calendar date of a stored ISO date or date-time, else the stored words as
 * they are (an older version or a page may have stored anything; they still show, and are only checked when edited).
 */
function dateFieldValue(value: string | undefined): string {
  if (!value) return '';
  return publishedDateProblem(value) ? value : value.slice(0, 10);
}

/** Rename and edit an article's details: title, author, source URL and published date. Only changed fields are sent. */
export function MetadataDialog({ article, save, onClose }: Props) {
  const id = useId();
  const initial = {
    title: article.title,
    byline: article.byline ?? '',
    source: article.source ?? '',
    publishedAt: dateFieldValue(article.publishedAt),
  };
  const [values, setValues] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [dateError, setDateError] = useState<string | null>(null);
  const storedDateIsWords = initial.publishedAt !== '' && publishedDateProblem(initial.publishedAt) !== undefined;

  const field = (key: keyof typeof initial) => ({
    id: `${id}-${key}`,
    value: values[key],
    onChange: (e: { target: { value: string } }) => {
      setValues((v) => ({ ...v, [key]: e.target.value }));
      if (key === 'publishedAt') setDateError(null);
    },
  });

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const patch: ArticleMetaPatch = {};
    for (const key of Object.keys(initial) as (keyof typeof initial)[]) {
      if (values[key].trim() !== initial[key].trim()) patch[key] = values[key].trim();
    }
    // A date the user typed is checked here, with the reason beside the field; the dialog stays open until it is right.
    const dateProblem = patch.publishedAt ? publishedDateProblem(patch.publishedAt) : undefined;
    setDateError(dateProblem ?? null);
    if (dateProblem) {
      document.getElementById(`${id}-publishedAt`)?.focus();
      return;
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
        {/* A text field, not type="date": Chromium's date field splits into locale segments (mm/dd/yyyy in en-US), so
            typing 2017-01-13 put 2 in the month, 01 in the day and 70113 in the year. Typed ISO text cannot be misread. */}
        <input
          {...field('publishedAt')}
          type="text"
          placeholder="YYYY-MM-DD"
          autoComplete="off"
          spellCheck={false}
          aria-invalid={dateError ? true : undefined}
          aria-describedby={`${id}-date-hint`}
        />
        <p id={`${id}-date-hint`} className={dateError ? 'field-error' : 'field-hint'} role={dateError ? 'alert' : undefined}>
          {dateError ??
            (storedDateIsWords ? `Stored as “${initial.publishedAt}”, which is not a date Gloss can sort by. ${DATE_FORM_HINT}` : DATE_FORM_HINT)}
        </p>
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
