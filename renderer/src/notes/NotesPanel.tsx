import { useEffect, useMemo, useRef, useState } from 'react';
import type { Article, Highlight, HighlightColor, Settings } from '../../../electron/contract';
import { isTypingTarget } from '../app/keys';
import { ArticleNote } from './ArticleNote';
import type { EditContext } from './edit-context';
import { isFiltering, matchesNoteFilters, NO_FILTERS, type NoteFilters } from './filter';
import { Filters } from './Filters';
import { HighlightCard } from './HighlightCard';
import { groupCards, groupSpanFor } from './card-groups';
import { tagKey } from './tags';
import { useTags } from './useTags';

interface Props {
  article: Pick<Article, 'id' | 'title' | 'note'>;
  highlights: Highlight[];
  settings: Settings;
  focusedId: string | null;
  edit: EditContext;
  onFocusHighlight: (id: string | null) => void;
  onDelete: (highlight: Highlight) => void;
  onRecolor?: (highlight: Highlight, color: HighlightColor) => void;
  /** Scrolls the reader to the highlight and emphasises it (not offered for orphans: they are not in the text). */
  onShowInText?: (highlight: Highlight) => void;
  /** Escape on a card: focus back to the reader. */
  onLeave: () => void;
  /**
   * A highlight just made in the reader, and where focus was at the key press. Its card takes focus (Enter then edits
   * its note) only if the user has not moved on since (focus elsewhere, or a new selection or caret in the text): the
   * card appears after the save, and focus must not jump away from someone already doing the next thing.
   */
  justCreated?: { id: string; focusAt: Element | null } | null;
}

/** Cards mounted per frame while a long list fills in (about 15 ms of work each on the bench machine). */
const CARD_BATCH = 25;
/** A card's height, roughly, for the size a group that has never been on screen takes up (styles.css .card-group). */
const CARD_HEIGHT_ESTIMATE = 280;

/** The side panel: the article's note, filters, then one card per highlight in document order. */
export function NotesPanel({
  article,
  highlights,
  settings,
  focusedId,
  edit,
  onFocusHighlight,
  onDelete,
  onRecolor,
  onShowInText,
  onLeave,
  justCreated = null,
}: Props) {
  const panelRef = useRef<HTMLElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const [filters, setFilters] = useState<NoteFilters>(NO_FILTERS);
  const knownTags = useTags(edit.client);

  const shown = useMemo(() => highlights.filter((h) => matchesNoteFilters(h, filters)), [highlights, filters]);
  // The cards see only the colour labels, as an object that changes when they do: settings also change when the
  // reading place is saved (a second after each scroll), and re-rendering 2,000 cards then froze the page ~150 ms.
  const labelsKey = JSON.stringify(settings.colorLabels);
  const cardSettings = useMemo(() => ({ colorLabels: JSON.parse(labelsKey) as Settings['colorLabels'] }), [labelsKey]);
  const panelTags = useMemo(() => {
    const byKey = new Map<string, string>();
    for (const h of highlights) for (const t of h.tags) if (!byKey.has(tagKey(t))) byKey.set(tagKey(t), t);
    for (const t of filters.tags) if (!byKey.has(tagKey(t))) byKey.set(tagKey(t), t);
    return [...byKey.values()].sort((a, b) => a.localeCompare(b));
  }, [highlights, filters.tags]);

  // Cards mount a batch at a time, one batch a frame: mounting 2,000 at once held the main thread ~1.4 s after a long
  // article opened, and a key pressed meanwhile waited. A card asked for (activated, say) is mounted at once.
  const [mounted, setMounted] = useState(CARD_BATCH);
  const [mountedFor, setMountedFor] = useState(article.id);
  if (mountedFor !== article.id) {
    setMountedFor(article.id);
    setMounted(CARD_BATCH);
  }
  // Cards render in groups the browser skips while off screen (card-groups.ts says why); the grouping is fixed for
  // the article once its highlights have arrived, so that no card ever moves from one group to another.
  // (Only this article's: the list is a deferred value, and can still be the previous article's for a render.)
  const [grouping, setGrouping] = useState<{ articleId: string; span: number | null }>({ articleId: article.id, span: null });
  const listIsThisArticles = highlights.length > 0 && highlights[0].articleId === article.id;
  if (grouping.articleId !== article.id || (grouping.span === null && listIsThisArticles)) {
    setGrouping({ articleId: article.id, span: listIsThisArticles ? groupSpanFor(highlights) : null });
  }
  const groups = useMemo(
    () => groupCards(shown.slice(0, mounted), grouping.span ?? Number.POSITIVE_INFINITY),
    [shown, mounted, grouping.span],
  );
  useEffect(() => {
    if (mounted >= shown.length) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => setMounted((n) => n + CARD_BATCH), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [mounted, shown.length]);

  // When a highlight is activated in the text (click, new highlight, deep link), bring its card into view and focus
  // it, unless the user is typing somewhere or already working in the panel.
  // Once per activation: a later change to the list (an event, the deferred render of the cards) must not pull
  // focus back from the reader; `shown` only matters while the activated card has not been rendered yet.
  const cardToFocus = useRef<string | null>(null);
  const announcedCreation = useRef<string | null>(null);
  useEffect(() => {
    cardToFocus.current = focusedId;
  }, [focusedId]);
  useEffect(() => {
    const id = cardToFocus.current;
    if (!id) return;
    const card = listRef.current?.querySelector<HTMLElement>(`[data-highlight-id="${CSS.escape(id)}"]`);
    if (!card) {
      const index = shown.findIndex((h) => h.id === id);
      if (index >= mounted) setMounted(index + CARD_BATCH); // not mounted yet: mount up to it, then come back here
      return;
    }
    cardToFocus.current = null;
    const active = document.activeElement;
    if (panelRef.current?.contains(active) || isTypingTarget(active)) return;
    card.scrollIntoView({ block: 'nearest' });
    // Only the activation that announced the new highlight gets this care; later clicks on it focus as usual.
    const freshlyCreated = id === justCreated?.id && announcedCreation.current !== id;
    if (freshlyCreated) announcedCreation.current = id;
    const movedOn = freshlyCreated && (active !== justCreated.focusAt || (document.getSelection()?.rangeCount ?? 0) > 0);
    if (!movedOn) card.focus({ preventScroll: true });
  }, [focusedId, shown, justCreated, mounted]);

  return (
    <aside className="notes-panel" aria-label="Notes" ref={panelRef} data-notes-panel="">
      <h2 className="panel-title">
        Notes <span className="count">{isFiltering(filters) ? `${shown.length} of ${highlights.length}` : highlights.length}</span>
      </h2>
      <ArticleNote key={article.id} article={article} edit={edit} />
      {highlights.length > 0 && <Filters value={filters} onChange={setFilters} tags={panelTags} settings={settings} label="Filter notes" />}
      {highlights.length === 0 ? (
        <p className="empty">
          Select a passage and press <kbd>h</kbd> to highlight it.
        </p>
      ) : shown.length === 0 ? (
        <p className="empty" role="status">
          No highlight matches these filters.
        </p>
      ) : (
        // One list of cards to assistive technology: the groups between them are role="none", not there for it.
        <div className="cards" role="list" ref={listRef}>
          {groups.map((group) => (
            <div
              key={group.key}
              role="none"
              className="card-group"
              style={{ containIntrinsicSize: `auto ${group.items.length * CARD_HEIGHT_ESTIMATE}px` }}
            >
              {group.items.map((h) => (
                <HighlightCard
                  key={h.id}
                  highlight={h}
                  settings={cardSettings}
                  focused={h.id === focusedId}
                  knownTags={knownTags}
                  edit={edit}
                  onFocusHighlight={onFocusHighlight}
                  onDelete={onDelete}
                  onRecolor={onRecolor}
                  onShowInText={onShowInText}
                  onLeave={onLeave}
                />
              ))}
            </div>
          ))}
        </div>
      )}
    </aside>
  );
}
