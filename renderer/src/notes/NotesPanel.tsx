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
import { focusRegion } from '../app/Shortcuts';

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
   * The id of a highlight just made in the reader. Its card comes into view but does not take focus: the reader keeps
   * it, so Shift+Arrows go on selecting from the end of the new highlight; `n` then goes to this card (cardRequest).
   */
  justCreated?: string | null;
  /**
   * Focus a card when it is there (it may still be saving, or not yet mounted in a long list): the card itself, its
   * note editor or its tag field. `seq` makes a repeated request for the same card a new one.
   */
  cardRequest?: CardRequest | null;
  /**
   * The cards are held back a moment (App: a PDF's until its first page is drawn, a long list behind the reader's
   * paint): no count and no "select a passage" hint meanwhile, which would say the article has no highlight.
   */
  pending?: boolean;
}

export interface CardRequest {
  id: string;
  what: 'card' | 'note' | 'tag';
  seq: number;
}

/** Cards mounted per frame while a long list fills in (about 15 ms of work each on the bench machine). */
const CARD_BATCH = 25;
/**
 * A card's height, roughly, for the size a group that has never been on screen takes up (styles.css .card-group):
 * compact cards measure 70-115 px (narrow-windows.spec.ts); once a group has been shown its real size is kept.
 */
const CARD_HEIGHT_ESTIMATE = 100;

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
  cardRequest = null,
  pending = false,
}: Props) {
  const panelRef = useRef<HTMLElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const [filters, setFilters] = useState<NoteFilters>(NO_FILTERS);
  const knownTags = useTags(edit.client);

  // Held back with none shown yet: the panel would otherwise say "0" and invite a first highlight.
  const waiting = pending && highlights.length === 0;
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
    // A new highlight's card only comes into view (see `justCreated`: the reader keeps focus, `n` goes to the card);
    // later activations of it focus as usual, but not while the pointer is over the panel: hovering a card activates
    // it too (to shade its passage), and focus, which opens a compact card, must not follow the pointer (nor leave the
    // resize handle under a resting pointer).
    const freshlyCreated = id === justCreated && announcedCreation.current !== id;
    if (freshlyCreated) announcedCreation.current = id;
    else if (!panelRef.current?.matches(':hover')) card.focus({ preventScroll: true });
    // After focus: a focused card is open (taller than a compact one), and all of it should come into view.
    card.scrollIntoView({ block: 'nearest' });
  }, [focusedId, shown, justCreated, mounted]);

  // A card asked for by key or button (`n`, the popover's Note and Tag): focus it, or its editor, once it is there.
  const handledRequest = useRef(0);
  useEffect(() => {
    if (!cardRequest || handledRequest.current === cardRequest.seq) return;
    const card = listRef.current?.querySelector<HTMLElement>(`[data-highlight-id="${CSS.escape(cardRequest.id)}"]`);
    if (!card) {
      const index = shown.findIndex((h) => h.id === cardRequest.id);
      if (index >= mounted) setMounted(index + CARD_BATCH);
      else if (index === -1 && highlights.some((h) => h.id === cardRequest.id)) {
        // Filtered out of the panel: to write its note or tag it, show it; `n` alone just goes to the panel.
        if (cardRequest.what === 'card') {
          handledRequest.current = cardRequest.seq;
          if (panelRef.current) focusRegion(panelRef.current);
        } else setFilters(NO_FILTERS);
      }
      return; // not rendered yet (saving, or the list catching up): this runs again when it is
    }
    handledRequest.current = cardRequest.seq;
    card.scrollIntoView({ block: 'nearest' });
    card.focus({ preventScroll: true });
    if (cardRequest.what !== 'card') openCardEditor(card, cardRequest.what);
  }, [cardRequest, shown, highlights, mounted]);

  return (
    <aside className="notes-panel" aria-label="Notes" aria-busy={waiting || undefined} ref={panelRef} data-notes-panel="">
      <h2 className="panel-title">
        Notes {!waiting && <span className="count">{isFiltering(filters) ? `${shown.length} of ${highlights.length}` : highlights.length}</span>}
      </h2>
      <ArticleNote key={article.id} article={article} edit={edit} />
      {highlights.length > 0 && <Filters value={filters} onChange={setFilters} tags={panelTags} settings={settings} label="Filter notes" />}
      {waiting ? null : highlights.length === 0 ? (
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

/**
 * On a focused card, what Enter and `t` do: open the note editor (a textarea, or the button that shows one) or focus
 * the tag field. Tried for a few frames: a card may render its editors only once it has focus.
 */
function openCardEditor(card: HTMLElement, what: 'note' | 'tag', framesLeft = 10): void {
  const target = card.querySelector<HTMLElement>(what === 'note' ? '[data-note-edit]' : '[aria-label="Add tag"]');
  if (!target) {
    if (framesLeft > 0 && card.isConnected) requestAnimationFrame(() => openCardEditor(card, what, framesLeft - 1));
    return;
  }
  if (what === 'tag' || target instanceof HTMLTextAreaElement) target.focus();
  else target.click();
}
