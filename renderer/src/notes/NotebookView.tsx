import { useEffect, useMemo, useState } from 'react';
import type { HighlightListing, SearchMatch, SearchResult, Settings } from '../../../electron/contract';
import { colorLabel } from '../app/colors';
import { highlightHref, notebookTagHref, textMatchHref } from '../app/route';
import type { EditContext } from './edit-context';
import { NO_FILTERS, type NoteFilters } from './filter';
import { Filters } from './Filters';
import { renderNote } from './markdown';
import { TagManager } from './TagManager';
import { useTags } from './useTags';

interface Props {
  settings: Settings;
  edit: EditContext;
  /** From the route (#/notebook/tag/<tag>): start filtered by this tag. */
  tag?: string;
}

const KIND_LABEL: Record<SearchMatch['kind'], string> = {
  text: 'Article text',
  title: 'Title',
  quote: 'Highlight',
  note: 'Note',
  'article-note': 'Article note',
};

const PAGE = 20;

function resultHref(m: SearchMatch): string {
  if (m.highlightId) return highlightHref(m.articleId, m.highlightId);
  if (m.kind === 'text') return textMatchHref(m.articleId, m.start, m.end);
  return `#/article/${encodeURIComponent(m.articleId)}`;
}

/** The snippet with the match marked. */
function Snippet({ m }: { m: SearchMatch }) {
  if (!m.snippetMatch || m.snippetMatch[0] === m.snippetMatch[1]) return <p className="snippet">{m.snippet}</p>;
  const [a, b] = m.snippetMatch;
  return (
    <p className="snippet">
      {m.snippet.slice(0, a)}
      <mark>{m.snippet.slice(a, b)}</mark>
      {m.snippet.slice(b)}
    </p>
  );
}

/** One page of results, with the true total and the way to the other pages. */
function SearchResults({ result, onPage }: { result: SearchResult; onPage: (offset: number) => void }) {
  const { total, offset, limit, matches } = result;
  const last = Math.min(total, offset + matches.length);
  return (
    <>
      <p role="status" className="count">
        {total === 0
          ? 'No matches.'
          : `${result.totalIsUpperBound ? 'At most ' : ''}${total.toLocaleString()} result${total === 1 ? '' : 's'}${total > matches.length ? `, ${offset + 1}–${last} shown` : ''}.`}
        {result.totalIsUpperBound && ' (The phrase is checked in each text as its page is shown.)'}
        {result.indexing &&
          (result.indexing.unsearched > 0
            ? ` Still indexing: ${result.indexing.unsearched.toLocaleString()} article${result.indexing.unsearched === 1 ? ' was' : 's were'} not searched yet; search again in a moment.`
            : ` Still indexing ${result.indexing.pending.toLocaleString()} article${result.indexing.pending === 1 ? '' : 's'}: searched directly meanwhile.`)}
      </p>
      {result.problems?.map((p) => (
        <p key={p} className="search-problem">
          {p}
        </p>
      ))}
      {matches.length > 0 && (
        <ol className="search-results" aria-label="Search results" start={offset + 1}>
          {matches.map((m, i) => (
            <li key={`${m.articleId}-${m.kind}-${m.highlightId ?? ''}-${m.start}-${i}`}>
              <a href={resultHref(m)}>
                <span className="result-kind">{KIND_LABEL[m.kind]}</span> · {m.articleTitle}
              </a>
              {m.occurrences !== undefined && m.occurrences > 1 && <span className="result-count"> ({m.occurrences} times)</span>}
              <Snippet m={m} />
            </li>
          ))}
        </ol>
      )}
      {total > limit && (
        <nav className="search-pages" aria-label="Search result pages">
          <button type="button" disabled={offset === 0} onClick={() => onPage(Math.max(0, offset - limit))}>
            Previous {limit}
          </button>
          <button type="button" disabled={offset + limit >= total} onClick={() => onPage(offset + limit)}>
            Next {limit}
          </button>
        </nav>
      )}
    </>
  );
}

/** The whole notebook: search over every article, every highlight (filterable like the panel) and the tags. */
export function NotebookView({ settings, edit, tag }: Props) {
  const { client } = edit;
  const tags = useTags(client);
  const [filters, setFilters] = useState<NoteFilters>(() => (tag ? { ...NO_FILTERS, tags: [tag] } : NO_FILTERS));
  const [listing, setListing] = useState<HighlightListing[] | null>(null);
  const [query, setQuery] = useState('');
  const [result, setResult] = useState<SearchResult | null>(null);
  const [offset, setOffset] = useState(0);
  const [revision, setRevision] = useState(0);

  useEffect(() => {
    if (tag) setFilters({ ...NO_FILTERS, tags: [tag] });
  }, [tag]);

  // Any change anywhere (this window or another) refreshes the lists.
  useEffect(
    () =>
      client.subscribe((e) => {
        if (e.type !== 'notice' && e.type !== 'settings-changed') setRevision((r) => r + 1);
      }),
    [client],
  );

  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      const { tags: t, colors, text } = filters;
      client
        .listHighlights({ ...(t.length && { tags: t }), ...(colors.length && { colors }), ...(text.trim() && { text: text.trim() }) })
        .then((list) => live && setListing(list), (e: Error) => edit.notify.error(`Could not list highlights: ${e.message}`));
    }, 100);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, filters, revision, edit.notify]);

  useEffect(() => {
    let live = true;
    if (!query.trim()) {
      setResult(null);
      return;
    }
    const timer = setTimeout(() => {
      const { tags: t, colors } = filters;
      client.search(query, { ...(t.length && { tags: t }), ...(colors.length && { colors }) }, { offset, limit: PAGE }).then(
        (found) => live && setResult(found),
        (e: Error) => edit.notify.error(`Search failed: ${e.message}`),
      );
    }, 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, query, filters, offset, revision, edit.notify]);

  const tagNames = useMemo(() => tags.map((t) => t.name), [tags]);

  return (
    <div className="notebook-view">
      <h1>Notebook</h1>
      <section aria-labelledby="nb-search-title" className="nb-section">
        <h2 id="nb-search-title">Search</h2>
        <input
          type="search"
          className="nb-search"
          aria-label="Search the notebook"
          aria-describedby="nb-search-help"
          placeholder="Search article text, highlights and notes…"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setOffset(0);
          }}
        />
        <p id="nb-search-help" className="search-help">
          Words in any order · <code>"exact phrase"</code> · <code>-word</code> leaves out · <code>tag:method</code> ·{' '}
          <code>color:green</code> (or a colour's label) · <code>article:title words</code>. Accents, case and curly quotes
          do not matter.
        </p>
        {result && <SearchResults result={result} onPage={setOffset} />}
      </section>
      <div className="nb-columns">
        <section aria-labelledby="nb-highlights-title" className="nb-section nb-highlights">
          <h2 id="nb-highlights-title">
            Highlights {listing && <span className="count">{listing.length}</span>}
          </h2>
          <Filters value={filters} onChange={setFilters} tags={tagNames} settings={settings} label="Filter highlights" />
          {listing === null ? (
            <p role="status">Loading…</p>
          ) : listing.length === 0 ? (
            <p className="empty">No highlight matches.</p>
          ) : (
            <ol className="nb-list" aria-label="Highlights in the notebook">
              {listing.map(({ highlight: h, articleTitle }) => (
                <li key={h.id} className={`card card-${h.color}`}>
                  <blockquote className="card-quote">{h.quote}</blockquote>
                  {h.note && <div className="note-rendered" dangerouslySetInnerHTML={{ __html: renderNote(h.note) }} />}
                  <div className="card-meta">
                    <span className={`color-dot dot-${h.color}`} aria-hidden="true" />
                    <span>{colorLabel(h.color, settings)}</span>
                    {h.tags.map((t) => (
                      <a key={t} className="tag-chip" href={notebookTagHref(t)}>
                        #{t}
                      </a>
                    ))}
                  </div>
                  <a className="nb-open" href={highlightHref(h.articleId, h.id)}>
                    {articleTitle}
                  </a>
                </li>
              ))}
            </ol>
          )}
        </section>
        <section aria-labelledby="nb-tags-title" className="nb-section nb-tags">
          <h2 id="nb-tags-title">Tags</h2>
          <TagManager tags={tags} edit={edit} onShow={(t) => setFilters({ ...NO_FILTERS, tags: [t] })} />
        </section>
      </div>
    </div>
  );
}
