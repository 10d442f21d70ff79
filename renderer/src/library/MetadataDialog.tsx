import { useId, useState, type FormEvent, type ReactNode } from 'react';
import {
  citekeyProblem,
  DATE_FORM_HINT,
  doiProblem,
  isbnProblem,
  languageProblem,
  LIMITS,
  publishedDateProblem,
  WORK_TYPES,
  type ArticleMetaPatch,
  type ArticleSummary,
  type WorkType,
} from '../../../electron/contract';
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

/** The kinds of work, in words (CSL types underneath, as BibTeX and CSL-JSON exports write them). */
const WORK_TYPE_LABELS: Record<WorkType, string> = {
  'article-journal': 'Journal article',
  'article-newspaper': 'Newspaper article',
  'article-magazine': 'Magazine article',
  webpage: 'Web page',
  'post-weblog': 'Blog post',
  book: 'Book',
  chapter: 'Book chapter',
  'paper-conference': 'Conference paper',
  report: 'Report',
  thesis: 'Thesis',
  document: 'Other document',
};

type TextKey = 'title' | 'byline' | 'source' | 'publishedAt' | 'container' | 'publisher' | 'volume' | 'issue' | 'pageRange' | 'doi' | 'isbn' | 'lang' | 'citekey';
type Values = Record<TextKey, string> & { authors: string; workType: string };

/** Field rules shared with the core (contract.ts), so the message here is the one the API would give. */
const RULES: Partial<Record<TextKey, (value: string) => string | undefined>> = {
  publishedAt: publishedDateProblem,
  doi: doiProblem,
  isbn: isbnProblem,
  lang: languageProblem,
  citekey: citekeyProblem,
};

const authorLines = (text: string): string[] =>
  text
    .split('\n')
    .map((a) => a.trim())
    .filter(Boolean);

/**
 * Rename and edit an article's details: title, author as shown, source URL and published date, and what a citation
 * needs (authors as a list, journal or site, DOI, ISBN, language, kind of work, citation key). Only changed fields are
 * sent; each checked field shows its problem beside it and the dialog stays open until it is right.
 */
export function MetadataDialog({ article, save, onClose }: Props) {
  const id = useId();
  const initial: Values = {
    title: article.title,
    byline: article.byline ?? '',
    source: article.source ?? '',
    publishedAt: dateFieldValue(article.publishedAt),
    authors: (article.authors ?? []).join('\n'),
    container: article.container ?? '',
    publisher: article.publisher ?? '',
    volume: article.volume ?? '',
    issue: article.issue ?? '',
    pageRange: article.pageRange ?? '',
    doi: article.doi ?? '',
    isbn: article.isbn ?? '',
    lang: article.lang ?? '',
    workType: article.workType ?? '',
    citekey: article.citekey ?? '',
  };
  const [values, setValues] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [problems, setProblems] = useState<Partial<Record<TextKey, string>>>({});
  const storedDateIsWords = initial.publishedAt !== '' && publishedDateProblem(initial.publishedAt) !== undefined;

  const field = (key: keyof Values) => ({
    id: `${id}-${key}`,
    name: key,
    value: values[key],
    onChange: (e: { target: { value: string } }) => {
      setValues((v) => ({ ...v, [key]: e.target.value }));
      setProblems((p) => ({ ...p, [key]: undefined }));
    },
  });

  /** A checked text field: its label, the input, and its hint or problem beside it (announced when it appears). */
  const checked = (key: TextKey, label: string, hint: string, extra: Record<string, unknown> = {}): ReactNode => (
    <>
      <label htmlFor={`${id}-${key}`}>{label}</label>
      <input
        {...field(key)}
        type="text"
        autoComplete="off"
        spellCheck={false}
        aria-invalid={problems[key] ? true : undefined}
        aria-describedby={`${id}-${key}-hint`}
        {...extra}
      />
      <p id={`${id}-${key}-hint`} className={problems[key] ? 'field-error' : 'field-hint'} role={problems[key] ? 'alert' : undefined}>
        {problems[key] ?? hint}
      </p>
    </>
  );

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const patch: ArticleMetaPatch = {};
    for (const key of Object.keys(initial) as (keyof Values)[]) {
      if (key === 'authors' || key === 'workType' || values[key].trim() === initial[key].trim()) continue;
      patch[key] = values[key].trim();
    }
    if (authorLines(values.authors).join('\n') !== authorLines(initial.authors).join('\n')) patch.authors = authorLines(values.authors);
    if (values.workType !== initial.workType) patch.workType = values.workType as WorkType | '';
    // Each typed value is checked here, with the reason beside its field; the first wrong field gets the focus.
    const found: Partial<Record<TextKey, string>> = {};
    for (const [key, rule] of Object.entries(RULES) as [TextKey, (v: string) => string | undefined][]) {
      const value = patch[key];
      if (typeof value === 'string' && value) found[key] = rule(value);
    }
    setProblems(found);
    const firstWrong = (Object.keys(found) as TextKey[]).find((k) => found[k]);
    if (firstWrong) {
      document.getElementById(`${id}-${firstWrong}`)?.focus();
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
        {/* A text field, not type="date": Chromium's date field splits into locale segments (mm/dd/yyyy in en-US), so
            typing 2017-01-13 put 2 in the month, 01 in the day and 70113 in the year. Typed ISO text cannot be misread. */}
        {checked(
          'publishedAt',
          'Published date',
          storedDateIsWords ? `Stored as “${initial.publishedAt}”, which is not a date Gloss can sort by. ${DATE_FORM_HINT}` : DATE_FORM_HINT,
          { placeholder: 'YYYY-MM-DD' },
        )}
        <fieldset className="citation-fields">
          <legend>Citation</legend>
          <label htmlFor={`${id}-authors`}>Authors, one per line</label>
          <textarea {...field('authors')} rows={3} spellCheck={false} aria-describedby={`${id}-authors-hint`} />
          <p id={`${id}-authors-hint`} className="field-hint">
            “Jane Q. Doe” or “Doe, Jane”; an organisation as it is named. Empty: the author as shown is used.
          </p>
          <label htmlFor={`${id}-workType`}>Kind of work</label>
          <select {...field('workType')}>
            <option value="">Guess (ISBN: book; DOI or journal: article; else web page)</option>
            {WORK_TYPES.map((t) => (
              <option key={t} value={t}>
                {WORK_TYPE_LABELS[t]}
              </option>
            ))}
          </select>
          <label htmlFor={`${id}-container`}>Journal, site or series</label>
          <input {...field('container')} type="text" maxLength={LIMITS.maxTitleChars} placeholder={article.siteName ?? ''} />
          <label htmlFor={`${id}-publisher`}>Publisher</label>
          <input {...field('publisher')} type="text" maxLength={LIMITS.maxTitleChars} />
          <div className="citation-row">
            <span>
              <label htmlFor={`${id}-volume`}>Volume</label>
              <input {...field('volume')} type="text" maxLength={100} />
            </span>
            <span>
              <label htmlFor={`${id}-issue`}>Issue</label>
              <input {...field('issue')} type="text" maxLength={100} />
            </span>
            <span>
              <label htmlFor={`${id}-pageRange`}>Pages</label>
              <input {...field('pageRange')} type="text" maxLength={100} placeholder="117-128" />
            </span>
          </div>
          {checked('doi', 'DOI', 'For example 10.1145/1542476.1542528 (a doi.org link is fine).')}
          {checked('isbn', 'ISBN', 'ISBN-13 or ISBN-10, hyphens allowed.')}
          {checked('lang', 'Language', 'A language code: en, de, pt-BR.')}
          {checked('citekey', 'Citation key', article.citekey ? 'Used as [@key] in exports; change it only if no document cites it yet.' : 'Made at the first BibTeX, CSL-JSON or Markdown export, then kept.')}
        </fieldset>
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
