import { useState } from 'react';

interface Props {
  /** The note as shown (the newest version). */
  note: string;
  /** The other versions, written on another machine while the two were not synced. */
  others: string[];
  /** What the note is on, for screen readers ("Article note", "Note on “tide”"). */
  label: string;
  /** Saves the chosen text as the note and drops the other versions. */
  choose: (text: string) => Promise<unknown>;
  onError: (message: string) => void;
}

/**
 * A note changed on two machines before they synced: Gloss kept both (sync/merge.ts), and here the user sees the other
 * version under the note and chooses: keep the note as shown, take the other version, or keep both, one after the
 * other. Nothing is dropped until they choose.
 */
export function NoteConflict({ note, others, label, choose, onError }: Props) {
  const [busy, setBusy] = useState(false);
  if (others.length === 0) return null;
  const run = (text: string) => {
    setBusy(true);
    choose(text)
      .catch((error: unknown) => onError(`The choice was not saved: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => setBusy(false));
  };
  const both = [note, ...others].filter((t) => t.trim() !== '').join('\n\n');
  return (
    <div className="note-conflict" role="group" aria-label={`${label}: changed on two machines`}>
      <p className="note-conflict-title">
        This note was also changed on another machine. Both versions are kept until you choose.
      </p>
      {others.map((other, i) => (
        <figure className="note-conflict-version" key={i}>
          <figcaption>{others.length > 1 ? `Other version ${i + 1}` : 'The other version'}</figcaption>
          <blockquote>{other === '' ? <em>(empty: the note was cleared there)</em> : other}</blockquote>
          <button type="button" disabled={busy} onClick={() => run(other)}>
            Use this version
          </button>
        </figure>
      ))}
      <div className="note-conflict-actions">
        <button type="button" disabled={busy} onClick={() => run(note)}>
          Keep the note as shown
        </button>
        <button type="button" disabled={busy} onClick={() => run(both)}>
          Keep both
        </button>
      </div>
    </div>
  );
}
