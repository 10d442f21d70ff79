import { useId, useMemo, useState } from 'react';
import type { TagCount } from '../../../electron/contract';
import { cleanTag, hasTag, tagKey, tagProblem, withTag, withoutTag } from './tags';

interface Props {
  tags: string[];
  /** Every tag in the notebook, for completion. */
  known: TagCount[];
  onChange: (tags: string[]) => void;
  /** Escape with nothing to close: hand focus back (to the card). */
  onEscape?: () => void;
}

const MAX_SUGGESTIONS = 8;

/**
 * The tags of one highlight and a combobox to add more (WAI-ARIA combobox with list autocomplete): completion from the
 * notebook's tags, Enter adds (the chosen suggestion or the typed text), Backspace on an empty field removes the last
 * tag, arrows move through suggestions, Escape closes them.
 */
export function TagInput({ tags, known, onChange, onEscape }: Props) {
  const [draft, setDraft] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [hint, setHint] = useState('');
  const listId = useId();

  const suggestions = useMemo(() => {
    const needle = tagKey(cleanTag(draft));
    return known
      .filter((t) => !hasTag(tags, t.name) && (!needle || tagKey(t.name).includes(needle)))
      .sort((a, b) => Number(tagKey(b.name).startsWith(needle)) - Number(tagKey(a.name).startsWith(needle)) || b.count - a.count)
      .slice(0, MAX_SUGGESTIONS);
  }, [known, tags, draft]);
  const expanded = open && suggestions.length > 0;

  const add = (raw: string): void => {
    const problem = tagProblem(raw);
    if (problem) {
      // Keep the draft so the user can fix it; say what is wrong in the hint (a live region).
      setHint(problem);
      setOpen(false);
      return;
    }
    const next = withTag(tags, raw);
    if (next) onChange(next);
    setHint(next || !cleanTag(raw) ? '' : `Already tagged "${cleanTag(raw)}".`);
    setDraft('');
    setActive(-1);
    setOpen(false);
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>): void => {
    switch (e.key) {
      case 'Enter':
        e.preventDefault();
        if (expanded && active >= 0) add(suggestions[active].name);
        else add(draft);
        break;
      case 'ArrowDown':
        e.preventDefault();
        setOpen(true);
        setActive((i) => (suggestions.length ? (i + 1) % suggestions.length : -1));
        break;
      case 'ArrowUp':
        e.preventDefault();
        setOpen(true);
        setActive((i) => (suggestions.length ? (i <= 0 ? suggestions.length - 1 : i - 1) : -1));
        break;
      case 'Escape':
        e.stopPropagation();
        e.preventDefault();
        if (expanded) setOpen(false);
        else if (draft) setDraft('');
        else onEscape?.();
        setActive(-1);
        break;
      case 'Backspace':
        if (draft === '' && tags.length) {
          e.preventDefault();
          onChange(tags.slice(0, -1));
        }
        break;
      default:
        break;
    }
  };

  return (
    <div className="tag-editor">
      {tags.length > 0 && (
        <ul className="tag-list" aria-label="Tags">
          {tags.map((tag) => (
            <li key={tagKey(tag)} className="tag-chip">
              <span>{tag}</span>
              <button type="button" className="tag-remove" aria-label={`Remove tag ${tag}`} onClick={() => onChange(withoutTag(tags, tag))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="tag-combo">
        <input
          type="text"
          role="combobox"
          className="tag-input"
          aria-label="Add tag"
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-activedescendant={expanded && active >= 0 ? `${listId}-${active}` : undefined}
          placeholder="Add tag…"
          maxLength={100}
          value={draft}
          onChange={(e) => {
            setDraft(e.target.value);
            setOpen(true);
            setActive(-1);
            setHint('');
          }}
          onFocus={() => setOpen(draft !== '')}
          onBlur={() => setOpen(false)}
          onKeyDown={onKeyDown}
        />
        <ul id={listId} role="listbox" aria-label="Tag suggestions" className="tag-suggestions" hidden={!expanded}>
          {expanded &&
            suggestions.map((t, i) => (
              <li
                key={t.name}
                id={`${listId}-${i}`}
                role="option"
                aria-selected={i === active}
                className={i === active ? 'active' : undefined}
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => add(t.name)}
              >
                {t.name} <span className="count">{t.count}</span>
              </li>
            ))}
        </ul>
      </div>
      {hint && (
        <p className="tag-hint" role="status">
          {hint}
        </p>
      )}
    </div>
  );
}
