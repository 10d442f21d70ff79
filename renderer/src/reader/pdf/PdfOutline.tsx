import type { OutlineEntry } from './outline';

interface Props {
  entries: OutlineEntry[];
  current: number;
  onGo: (page: number) => void;
}

/** The PDF's outline as a side panel: a nested list of buttons (click or Enter goes to the entry's page). */
export function PdfOutline({ entries, current, onGo }: Props) {
  return (
    <nav className="pdf-outline" aria-label="Outline">
      <Entries entries={entries} current={current} onGo={onGo} />
    </nav>
  );
}

function Entries({ entries, current, onGo }: Props) {
  return (
    <ul>
      {entries.map((entry, i) => (
        <li key={i}>
          <button
            type="button"
            className="pdf-outline-entry"
            disabled={entry.page === null}
            aria-current={entry.page === current ? 'page' : undefined}
            onClick={() => entry.page !== null && onGo(entry.page)}
          >
            <span className="pdf-outline-title">{entry.title}</span>
            {entry.page !== null && <span className="pdf-outline-page">{entry.page}</span>}
          </button>
          {entry.children.length > 0 && <Entries entries={entry.children} current={current} onGo={onGo} />}
        </li>
      ))}
    </ul>
  );
}
