import { useEffect, useRef, useState } from 'react';
import type { Highlight, Settings } from '../../../electron/contract';
import type { HighlightPainter } from '../reader/painter';
import { colorTitle } from './colors';

interface Props {
  highlights: Highlight[];
  settings: Settings;
  getPainter: () => HighlightPainter | null;
}

/** The caret has settled: announce then, not on every arrow press of a long Shift+Arrow run. */
const SETTLE_MS = 250;
const NOTE_CHARS = 120;

/**
 * What a screen reader cannot see: the CSS Custom Highlight API paints highlights without touching the DOM, so the
 * article's accessibility tree has no trace of them. Two text alternatives make up for it: the notes panel lists every
 * highlight (quote, colour, tags, note) in text order, and this polite live region says which highlights the caret or
 * the selection in the article is in ("In a yellow highlight, tagged method; note: …"), once each time that changes.
 *
 * Honest limits: it follows the DOM selection, which keyboard users move in the focused article (Shift+Arrows, caret
 * browsing) and which NVDA and JAWS move in browse mode in Chromium; a screen reader's virtual cursor that does not
 * move the selection (VoiceOver's, by default) is served by the notes panel instead.
 */
export function HighlightAnnouncer({ highlights, settings, getPainter }: Props) {
  const [message, setMessage] = useState('');
  const latest = useRef({ highlights, settings, getPainter });
  latest.current = { highlights, settings, getPainter };

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let lastKey = '';
    const check = (): void => {
      timer = null;
      const { highlights: list, settings: s, getPainter: painterOf } = latest.current;
      const hits = highlightsUnderSelection(list, painterOf());
      const key = hits.map((h) => `${h.id}:${h.color}:${h.updatedAt}`).join('|');
      if (key === lastKey) return;
      lastKey = key;
      setMessage(hits.length ? describe(hits, s) : '');
    };
    const onChange = (): void => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(check, SETTLE_MS);
    };
    document.addEventListener('selectionchange', onChange);
    return () => {
      document.removeEventListener('selectionchange', onChange);
      if (timer) clearTimeout(timer);
    };
  }, []);

  return (
    <p className="visually-hidden" role="status" aria-live="polite" data-highlight-announcer>
      {message}
    </p>
  );
}

/** Highlights the selection overlaps, or that contain the caret; outermost first (document order). */
export function highlightsUnderSelection(highlights: readonly Highlight[], painter: HighlightPainter | null): Highlight[] {
  const selection = document.getSelection();
  const article = document.querySelector('article.reader-article');
  if (!painter || !article || !selection || selection.rangeCount === 0 || !article.contains(selection.focusNode)) return [];
  const selected = selection.getRangeAt(0);
  const hits: Highlight[] = [];
  for (const h of highlights) {
    if (h.orphaned) continue;
    const range = painter.rangeOf(h.id);
    if (!range) continue;
    const inside = selected.collapsed
      ? range.isPointInRange(selected.startContainer, selected.startOffset)
      : // the selection starts before the highlight ends and ends after it starts
        selected.compareBoundaryPoints(Range.END_TO_START, range) < 0 && selected.compareBoundaryPoints(Range.START_TO_END, range) > 0;
    if (inside) hits.push(h);
  }
  return hits;
}

function describeOne(h: Highlight, settings: Settings): string {
  const parts = [`${colorTitle(h.color, settings)} highlight`];
  if (h.tags.length) parts.push(`tagged ${h.tags.join(', ')}`);
  const note = h.note.trim();
  if (note) parts.push(`note: ${note.length > NOTE_CHARS ? `${note.slice(0, NOTE_CHARS)}…` : note}`);
  return parts.join(', ');
}

/** Ends a sentence once: a note that ends in its own full stop does not get a second one. */
const sentence = (s: string): string => (/[.!?…]$/.test(s) ? s : `${s}.`);

export function describe(hits: readonly Highlight[], settings: Settings): string {
  if (hits.length === 1) return `${sentence(`In a ${describeOne(hits[0], settings)}`)} Enter opens it.`;
  return `${sentence(`In ${hits.length} overlapping highlights: ${hits.map((h) => describeOne(h, settings)).join('; ')}`)} Enter opens the innermost.`;
}
