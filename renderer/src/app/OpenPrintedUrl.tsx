/**
 * What a browser-mode tab shows when it holds no token: opened without the URL Gloss printed (a new tab, a bookmark of
 * the bare address), or with a token this Gloss refused (it restarted with another one). Plain words and what to do,
 * instead of an app whose every call fails.
 */
export function OpenPrintedUrl({ refused }: { refused: boolean }) {
  const example = `${window.location.origin}/#token=…`;
  return (
    <main className="open-printed-url" aria-labelledby="open-printed-url-title">
      <h1 id="open-printed-url-title">Open the URL Gloss printed</h1>
      <p>
        {refused
          ? 'This tab’s key to the notebook was refused: Gloss may have restarted with a new one.'
          : 'This tab has no key to your notebook, so Gloss cannot show it here.'}
      </p>
      <p>
        When browser mode starts it prints a line like <code>Gloss is ready at {example}</code>. Open that exact URL in this
        tab. The key stays with this tab only: a reload keeps working, a new tab needs the printed URL again.
      </p>
    </main>
  );
}
