import type { ArticleSummary } from '../../../electron/contract';

interface Props {
  articles: ArticleSummary[] | null;
}

/** The article list. */
export function Library({ articles }: Props) {
  if (articles === null) return <p className="loading" role="status">Loading your notebook…</p>;
  return (
    <section className="library" aria-labelledby="library-title">
      <h1 id="library-title">Library</h1>
      {articles.length === 0 ? (
        <p className="empty">Your notebook is empty. Import an article to begin.</p>
      ) : (
        <ul className="article-list">
          {articles.map((a) => (
            <li key={a.id}>
              <a href={`#/article/${a.id}`} className="article-link">
                <span className="article-title">{a.title}</span>
                <span className="article-meta">
                  {[a.byline, a.siteName].filter(Boolean).join(' · ')}
                  {' '}
                  {a.highlightCount} highlight{a.highlightCount === 1 ? '' : 's'} · added {new Date(a.addedAt).toLocaleDateString()}
                </span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
