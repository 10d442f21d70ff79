import { memo, useCallback, useMemo, useRef, useState } from 'react';
import { HIGHLIGHT_COLORS, type Highlight, type HighlightColor, type Settings, type TagCount } from '../../../electron/contract';
import { ApiCallError } from '../api/client';
import { colorLabel, colorTitle } from '../app/colors';
import { fetchHighlight, type EditContext } from './edit-context';
import { callOnUnload } from './keepalive';
import { NoteConflict } from './NoteConflict';
import { NoteEditor } from './NoteEditor';
import { TagInput } from './TagInput';
import { useAutosave } from './useAutosave';
import { useCardWrites } from './card-writes';
import { adjacentCard } from './card-groups';

interface Props {
  highlight: Highlight;
  /** Only the colour labels: a card must not re-render when other settings change (the reading place, say). */
  settings: Pick<Settings, 'colorLabels'>;
  focused: boolean;
  knownTags: TagCount[];
  edit: EditContext;
  onFocusHighlight: (id: string) => void;
  onDelete: (highlight: Highlight) => void;
  onRecolor?: (highlight: Highlight, color: HighlightColor) => void;
  onShowInText?: (highlight: Highlight) => void;
  /** Escape on the card: back to the reader. */
  onLeave: () => void;
}

const LONG_QUOTE = 280;

/**
 * One highlight's card: quote (clamped, expandable), colour, tags, note and date. Keys on the focused card: Enter edits
 * the note, t adds a tag, 1-5 recolour, Delete deletes, arrows move between cards, Escape returns to the reader.
 * Compact until focus is in it (styles.css, `.card:not(:focus-within)`): quote, colour, tags and the note's first line;
 * its other controls are only visually hidden then, so Tab, the keys above and screen readers still reach them, and a
 * control that takes focus opens the card. No React state is involved: opening a card re-renders nothing.
 */
export const HighlightCard = memo(HighlightCardView);

/**
 * Memoized above: a panel of 2,000 cards re-renders on every change to the list (a new highlight, a save coming back,
 * an event from another window); with unchanged props (the same highlight object, stable callbacks) a card is skipped.
 */
function HighlightCardView({ highlight: h, settings, focused, knownTags, edit, onFocusHighlight, onDelete, onRecolor, onShowInText, onLeave }: Props) {
  const { client, history, notify, onChanged } = edit;
  const cardRef = useRef<HTMLLIElement>(null);
  const [expanded, setExpanded] = useState(false);
  // Tags shown ahead of the `highlight` prop: while changes are in flight, and after the last one settles until the
  // prop has caught up with its save (`until`). The list reaches the panel as a deferred value, later than this state;
  // showing the older prop in between let a quick Backspace remove the wrong tag (seen in CI).
  const [pendingTags, setPendingTags] = useState<{ tags: string[]; until: string | null } | null>(null);
  const tagSeq = useRef(0);
  const shortQuote = h.quote.length > 60 ? `${h.quote.slice(0, 60)}…` : h.quote;

  const stored = useMemo(() => ({ text: h.note, revision: h.updatedAt }), [h.note, h.updatedAt]);
  const lastSave = useRef<Promise<unknown>>(Promise.resolve());
  const writes = useCardWrites(h);
  const autosave = useAutosave({
    stored,
    save: (text, ifRevision) =>
      writes.enqueue(async () => {
        const from = writes.forward(ifRevision);
        const saved = await client.updateHighlight(h.id, { note: text, ifUpdatedAt: from });
        writes.recordOwnWrite(from, saved);
        onChanged(saved);
        return saved.updatedAt;
      }),
    reload: async () => {
      const latest = await fetchHighlight(client, h);
      if (!latest) throw new Error('the highlight was deleted');
      onChanged(latest);
      return { text: latest.note, revision: latest.updatedAt };
    },
    saveOnUnload: (text, ifRevision) => callOnUnload(client, 'updateHighlight', h.id, { note: text, ifUpdatedAt: writes.forward(ifRevision) }),
    onSaving: (before, after, saved) => {
      lastSave.current = saved.catch(() => undefined);
      // Undo and redo wait for the latest save of this note, so they apply after it, never before.
      const settled = () => lastSave.current;
      history.push({
        label: 'note edit',
        coalesceKey: `note:${h.id}`,
        undo: async () => (await settled(), client.updateHighlight(h.id, { note: before })),
        redo: async () => (await settled(), client.updateHighlight(h.id, { note: after })),
      });
    },
    onLost: (text, reason) => notify.error(`Your note on "${shortQuote}" was not saved (${reason}). Your text: ${text}`),
  });

  // Tag edits are applied to the latest tags, one at a time: if another window changed them meanwhile, the edit is
  // re-applied on top (a tag change is a delta, so re-applying it is safe).
  const applyTags = useCallback(
    (change: (tags: string[]) => string[], optimistic: string[]) => {
      setPendingTags({ tags: optimistic, until: null });
      const attempt = async (base: Highlight, retriesLeft: number): Promise<Highlight> => {
        try {
          const saved = await client.updateHighlight(h.id, { tags: change(base.tags), ifUpdatedAt: base.updatedAt });
          writes.recordOwnWrite(base.updatedAt, saved);
          return saved;
        } catch (e) {
          if (!(retriesLeft > 0 && e instanceof ApiCallError && e.code === 'conflict')) throw e;
          const latest = await fetchHighlight(client, h);
          if (!latest) throw new Error('the highlight was deleted', { cause: e });
          return attempt(latest, retriesLeft - 1);
        }
      };
      const before = h.tags;
      const saving = writes.enqueue(() => attempt(writes.latest(), 3));
      const settled = saving.catch(() => undefined);
      // Pushed before the save resolves (undo waits for it): a quick Ctrl+Z undoes this change, not the one before.
      history.push({
        label: 'tag change',
        undo: async () => (await settled, client.updateHighlight(h.id, { tags: before })),
        redo: async () => (await settled, client.updateHighlight(h.id, { tags: optimistic })),
      });
      // Show the optimistic tags until the LAST change in flight settles: an earlier reply must not put back an
      // older list while the user goes on typing (Backspace would then remove the wrong tag).
      const seq = ++tagSeq.current;
      saving.then(
        (saved) => {
          if (seq === tagSeq.current) setPendingTags({ tags: saved.tags, until: saved.updatedAt });
          onChanged(saved);
        },
        (e: Error) => {
          if (seq === tagSeq.current) setPendingTags(null);
          notify.error(`Could not change the tags: ${e.message}`);
        },
      );
    },
    [client, h, history, notify, onChanged, writes],
  );

  const tags = pendingTags && (pendingTags.until === null || h.updatedAt < pendingTags.until) ? pendingTags.tags : h.tags;
  const onTagsChange = (next: string[]): void => {
    const added = next.filter((t) => !tags.includes(t));
    const removed = tags.filter((t) => !next.includes(t));
    applyTags((current) => [...current.filter((t) => !removed.includes(t)), ...added], next);
  };

  const focusCard = (): void => cardRef.current?.focus();

  const onKeyDown = (e: React.KeyboardEvent<HTMLLIElement>): void => {
    if (e.target !== e.currentTarget || e.ctrlKey || e.metaKey || e.altKey) return;
    const card = e.currentTarget;
    const move = (to: Element | null): void => {
      if (to instanceof HTMLElement) to.focus();
    };
    if (e.key === 'Enter') {
      const editor = card.querySelector<HTMLElement>('[data-note-edit]');
      if (editor instanceof HTMLTextAreaElement) editor.focus();
      else editor?.click();
    } else if (e.key === 't') {
      card.querySelector<HTMLElement>('[aria-label="Add tag"]')?.focus();
    } else if (e.key === 'Delete' || e.key === 'Backspace') {
      const next = adjacentCard(card, 1) ?? adjacentCard(card, -1);
      onDelete(h);
      move(next);
    } else if (e.key === 'ArrowDown' || e.key === 'j') {
      move(adjacentCard(card, 1));
    } else if (e.key === 'ArrowUp' || e.key === 'k') {
      move(adjacentCard(card, -1));
    } else if (/^[1-5]$/.test(e.key) && onRecolor) {
      onRecolor(h, HIGHLIGHT_COLORS[Number(e.key) - 1]);
    } else if (e.key === 'Escape') {
      onLeave();
    } else return;
    e.preventDefault();
  };

  return (
    // role="listitem" said outright: a card's parent is its group (role="none"), the list is the one around the
    // groups (NotesPanel).
    <li
      ref={cardRef}
      role="listitem"
      className={`card card-${h.color}${focused ? ' focused' : ''}${h.orphaned ? ' orphaned' : ''}`}
      data-highlight-id={h.id}
      tabIndex={focused ? 0 : -1}
      aria-label={`Highlight: ${h.quote.slice(0, 80)}`}
      onMouseEnter={() => onFocusHighlight(h.id)}
      onFocus={() => onFocusHighlight(h.id)}
      onKeyDown={onKeyDown}
    >
      <blockquote className={`card-quote${expanded ? ' expanded' : ''}`}>{h.quote}</blockquote>
      {h.quote.length > LONG_QUOTE && (
        <button type="button" className="link-button quote-toggle" aria-expanded={expanded} onClick={() => setExpanded((x) => !x)}>
          {expanded ? 'Show less' : 'Show more'}
        </button>
      )}
      <div className="card-meta">
        <span className={`color-dot dot-${h.color}`} aria-hidden="true" />
        {onRecolor && (
          <select
            className="color-select"
            aria-label="Colour"
            value={h.color}
            onChange={(e) => onRecolor(h, e.target.value as HighlightColor)}
          >
            {HIGHLIGHT_COLORS.map((c) => (
              <option key={c} value={c}>
                {colorTitle(c, settings)}
              </option>
            ))}
          </select>
        )}
        {/* The compact card's colour name; an open card shows the select instead (which names it to screen readers). */}
        <span className="color-label" aria-hidden={onRecolor ? true : undefined}>
          {colorLabel(h.color, settings)}
        </span>
        <time className="card-date" dateTime={h.createdAt} title={new Date(h.createdAt).toLocaleString()}>
          {new Date(h.createdAt).toLocaleDateString()}
        </time>
        {h.orphaned && <span className="orphan-badge">orphaned: passage not found in the current text</span>}
        {onShowInText && !h.orphaned && (
          // Pressing it does not take focus: a compact card would open under the pointer and the click land elsewhere.
          <button type="button" className="link-button card-show" onMouseDown={(e) => e.preventDefault()} onClick={() => onShowInText(h)}>
            Show in text
          </button>
        )}
        <button type="button" className="link-button card-delete" onClick={() => onDelete(h)} aria-label="Delete highlight">
          Delete
        </button>
      </div>
      <TagInput tags={tags} known={knownTags} onChange={onTagsChange} onEscape={focusCard} />
      <NoteEditor autosave={autosave} label="Note" placeholder="Add a note (Markdown)…" onEscape={focusCard} />
      {h.noteConflicts && h.noteConflicts.length > 0 && (
        <NoteConflict
          note={h.note}
          others={h.noteConflicts}
          label={`Note on “${shortQuote}”`}
          choose={async (text) => onChanged(await client.updateHighlight(h.id, { note: text, resolvesNoteConflict: true }))}
          onError={notify.error}
        />
      )}
    </li>
  );
}
