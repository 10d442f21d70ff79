import { useEffect, useMemo, useRef, useState } from 'react';
import type { Autosave } from './useAutosave';
import { renderNote } from './markdown';

interface Props {
  autosave: Autosave;
  /** The textbox's accessible name ("Note", "Article note"). */
  label: string;
  placeholder: string;
  /** Escape in the editor: saves, then hands focus back (to the card). */
  onEscape?: () => void;
  /**
   * When set, an empty note shows a button with this label instead of an empty textarea (the article note: one
   * textbox named "Note" per card is enough for a panel).
   */
  emptyAction?: string;
}

/**
 * A Markdown note: a textarea while editing (and while empty, so there is always somewhere to type), the rendered,
 * sanitized Markdown otherwise. Enter on the card, the Edit button or a click on the text switches to editing.
 */
export function NoteEditor({ autosave, label, placeholder, onEscape, emptyAction }: Props) {
  const [editing, setEditing] = useState(false);
  const areaRef = useRef<HTMLTextAreaElement>(null);
  const { text, conflict } = autosave;
  const showEditor = editing || (text === '' && !emptyAction) || conflict !== null;
  const html = useMemo(() => (showEditor ? '' : renderNote(text)), [showEditor, text]);

  // Switched to editing by a button or key: focus the textarea with the caret at the end.
  useEffect(() => {
    const area = areaRef.current;
    if (editing && area && document.activeElement !== area) {
      area.focus();
      area.setSelectionRange(area.value.length, area.value.length);
    }
  }, [editing]);

  return (
    <div className={`note${conflict !== null || autosave.status === 'error' ? ' note-attention' : ''}`}>
      {showEditor ? (
        <textarea
          ref={areaRef}
          className="note-input"
          aria-label={label}
          placeholder={placeholder}
          value={text}
          data-note-edit=""
          onChange={(e) => autosave.setText(e.target.value)}
          onFocus={() => setEditing(true)}
          onBlur={() => {
            autosave.flush();
            setEditing(false);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault();
              e.stopPropagation();
              autosave.flush();
              setEditing(false);
              onEscape?.();
            }
          }}
        />
      ) : text === '' ? (
        <button type="button" className="link-button note-add" data-note-edit="" onClick={() => setEditing(true)}>
          {emptyAction}
        </button>
      ) : (
        <div className="note-view">
          <div
            className="note-rendered"
            // Sanitized by renderNote (DOMPurify) from CommonMark with raw HTML disabled.
            dangerouslySetInnerHTML={{ __html: html }}
            onClick={(e) => {
              if (!(e.target as Element).closest('a')) setEditing(true);
            }}
          />
          <button
            type="button"
            className="link-button note-edit"
            data-note-edit=""
            aria-label={`Edit ${label.toLowerCase()}`}
            // No focus on press: in a compact card, focus would open the card and move this button before the click.
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => setEditing(true)}
          >
            Edit
          </button>
        </div>
      )}
      {autosave.status === 'error' && (
        <p className="note-error" role="alert">
          Not saved: {autosave.error}. Your text is kept here; it saves again when you edit or leave the note.
        </p>
      )}
      {(autosave.status === 'saving' || autosave.status === 'unsaved') && <span className="note-status">Saving…</span>}
      {conflict && (
        <div className="note-conflict" role="alert">
          <p>This note was changed in another window while you were editing it. Your text is kept above; the other version is:</p>
          <blockquote className="note-theirs">{conflict.text || '(empty)'}</blockquote>
          <div className="note-conflict-actions">
            <button type="button" onClick={autosave.keepMine}>
              Keep my version
            </button>
            <button type="button" onClick={autosave.takeTheirs}>
              Use the other version
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
