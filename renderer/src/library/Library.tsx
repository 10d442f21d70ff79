import { useDeferredValue, useId, useMemo, useRef, useState } from 'react';
import type { ArticleSummary } from '../../../electron/contract';
import type { GlossClient } from '../api/client';
import type { Notifier } from '../app/Toasts';
import { undoAction, type History } from '../app/history';
import { MetadataDialog } from './MetadataDialog';
import { warmPdf } from '../reader/pdf/warm';
import {
  DEFAULT_QUERY,
  FIRST_DIRECTION,
  formatDate,
  sourceLabel,
  viewLibrary,
  type AddedFilter,
  type HighlightFilter,
  type LibraryQuery,
  type SortKey,
} from './library-view';
import { useVirtualRows } from './virtual-rows';
import './library.css';

interface Props {
  articles: ArticleSummary[] | null;
  client: GlossClient;
  notify: Notifier;
  /** When given, a delete is also one Ctrl+Z step. */
  history?: History;
}

const COLUMNS: { key: SortKey; label: string; numeric?: boolean }[] = [
  { key: 'title', label: 'Title' },
  { key: 'author', label: 'Author' },
  { key: 'source', label: 'Source' },
  { key: 'publishedAt', label: 'Published' },
  { key: 'addedAt', label: 'Added' },
  { key: 'highlightCount', label: 'Highlights', numeric: true },
];

/** Every article with its title, author, source, dates and highlight count; sort, filter, edit details, delete + undo. */
export function Library({ articles, client, notify, history }: Props) {
  const id = useId();
  const [query, setQuery] = useState<LibraryQuery>(DEFAULT_QUERY);
  const [editing, setEditing] = useState<ArticleSummary | null>(null);
  // Filtering and sorting 10,000 rows takes a few ms: typing stays responsive, the table follows a moment later.
  const deferredQuery = useDeferredValue(query);
  const shown = useMemo(() => (articles ? viewLibrary(articles, deferredQuery) : []), [articles, deferredQuery]);
  const body = useRef<HTMLTableSectionElement>(null);
  // Only the rows on screen (and a margin) are in the DOM: a library of 10,000 scrolls like one of 10.
  const rows = useVirtualRows(shown.length, body);

  if (articles === null) return <p className="loading" role="status">Loading your notebook…</p>;

  const sortBy = (key: SortKey): void =>
    setQuery((q) => ({
      ...q,
      sort: key,
      direction: q.sort === key ? (q.direction === 'ascending' ? 'descending' : 'ascending') : FIRST_DIRECTION[key],
    }));

  const remove = (a: ArticleSummary): void => {
    client.deleteArticle(a.id).then(
      () => {
        const restore = (): Promise<unknown> => client.restoreArticle(a.id);
        const step = history?.push({ label: `delete “${a.title}”`, undo: restore, redo: () => client.deleteArticle(a.id) });
        notify.show(
          `Deleted “${a.title}”.`,
          'info',
          history && step !== undefined
            ? undoAction(history, step, notify) // the same step as Ctrl+Z: the two cannot both restore it
            : { label: 'Undo', run: () => void restore().catch((e: Error) => notify.error(`Could not undo: ${e.message}`)) },
        );
      },
      (e: Error) => notify.error(`Could not delete “${a.title}”: ${e.message}`),
    );
  };

  const filtered = shown.length !== articles.length;
  return (
    <section className="library" aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>Library</h1>
      {articles.length === 0 ? (
        <p className="empty">Your notebook is empty. Import an article to begin: use Import, drop files here, or paste.</p>
      ) : (
        <>
          <div className="library-filters" role="search" aria-label="Filter articles">
            <label>
              <span className="visually-hidden">Filter by title, author or source</span>
              <input
                type="search"
                placeholder="Filter by title, author or source"
                value={query.text}
                onChange={(e) => setQuery((q) => ({ ...q, text: e.target.value }))}
              />
            </label>
            <label>
              Highlights{' '}
              <select value={query.highlights} onChange={(e) => setQuery((q) => ({ ...q, highlights: e.target.value as HighlightFilter }))}>
                <option value="any">Any</option>
                <option value="with">With highlights</option>
                <option value="without">Without highlights</option>
              </select>
            </label>
            <label>
              Added{' '}
              <select value={query.added} onChange={(e) => setQuery((q) => ({ ...q, added: e.target.value as AddedFilter }))}>
                <option value="any">Any time</option>
                <option value="day">Past day</option>
                <option value="week">Past 7 days</option>
                <option value="month">Past 30 days</option>
              </select>
            </label>
            <p role="status" className="library-count">
              {filtered ? `${shown.length} of ${articles.length} articles` : `${articles.length} article${articles.length === 1 ? '' : 's'}`}
            </p>
          </div>
          <table className="library-table" aria-labelledby={`${id}-title`} aria-rowcount={shown.length + 1}>
            <thead>
              <tr>
                {COLUMNS.map((c) => (
                  <th
                    key={c.key}
                    scope="col"
                    aria-sort={query.sort === c.key ? query.direction : undefined}
                    className={c.numeric ? 'numeric' : undefined}
                    data-col={c.key}
                  >
                    <button type="button" className="sort-button" onClick={() => sortBy(c.key)}>
                      {c.label}
                      <span aria-hidden="true" className="sort-arrow">
                        {query.sort === c.key ? (query.direction === 'ascending' ? '▲' : '▼') : ''}
                      </span>
                    </button>
                  </th>
                ))}
                <th scope="col" className="col-actions">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody ref={body}>
              {rows.before > 0 && <tr aria-hidden="true" className="spacer-row" style={{ height: rows.before }} />}
              {shown.slice(rows.start, rows.end).map((a, i) => (
                <tr key={a.id} data-row="" aria-rowindex={rows.start + i + 2}>
                  <th scope="row" className="cell-title" dir="auto" lang={a.lang} title={a.title}>
                    <div className="title-line">
                      <a
                        href={`#/article/${encodeURIComponent(a.id)}`}
                        className="article-link"
                        // A PDF about to be opened: pdf.js's chunk and worker start on the way (reader/pdf/warm.ts).
                        onPointerEnter={a.kind === 'pdf' ? warmPdf : undefined}
                        onFocus={a.kind === 'pdf' ? warmPdf : undefined}
                      >
                        {a.title}
                      </a>
                      {a.kind === 'pdf' && (
                        <span className="kind-badge" title="A PDF document">
                          PDF
                        </span>
                      )}
                      {a.kind === 'epub' && (
                        <span className="kind-badge" title="An EPUB book">
                          EPUB
                        </span>
                      )}
                    </div>
                  </th>
                  <td dir="auto" data-col="author" className="cell-author" title={a.byline}>
                    {a.byline}
                  </td>
                  <td className="cell-source" data-col="source" title={a.source}>
                    {sourceLabel(a)}
                  </td>
                  <td className="cell-date" data-col="publishedAt">
                    {formatDate(a.publishedAt)}
                  </td>
                  <td className="cell-date">
                    <time dateTime={a.addedAt}>{formatDate(a.addedAt)}</time>
                  </td>
                  <td className="numeric">{a.highlightCount}</td>
                  <td className="cell-actions">
                    <button type="button" onClick={() => setEditing(a)} aria-label={`Edit details of ${a.title}`}>
                      Edit
                    </button>
                    <button type="button" className="danger" onClick={() => remove(a)} aria-label={`Delete ${a.title}`}>
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
              {rows.after > 0 && <tr aria-hidden="true" className="spacer-row" style={{ height: rows.after }} />}
            </tbody>
          </table>
          {shown.length === 0 && <p className="empty">No article matches these filters.</p>}
        </>
      )}
      {editing && (
        <MetadataDialog
          article={editing}
          save={(patch) => client.updateArticleMeta(editing.id, patch)}
          onClose={() => setEditing(null)}
        />
      )}
    </section>
  );
}
