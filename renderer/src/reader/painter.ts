/**
 * Paints highlights with the CSS Custom Highlight API: one `Highlight` registry entry per colour holding live DOM
 * Ranges, styled by `::highlight(gloss-<colour>)` in CSS. Nothing in the article's DOM changes, so the text model
 * (offset <-> node map) stays valid, find-in-page and screen readers see the untouched text, and adding a highlight
 * costs one Range, not a re-render. Measured (bench/RESULTS.md): mark.js wrapping all 2,000 highlights of a novel
 * takes far longer than this.
 *
 * Layers, lowest first:
 *  - gloss-<colour> (priority 1): every highlight's whole range, in its colour;
 *  - gloss-nested-<colour> (priority 2): where highlights overlap, the innermost one's colour, so a short highlight
 *    inside a long one keeps its own colour;
 *  - gloss-overlap (priority 3): the same overlap segments under a translucent darker shade, so the extent of each
 *    is visible;
 *  - gloss-focus (priority 4): the highlight whose card is hovered or focused.
 *
 * `sync` diffs by id and object identity (falling back to span and colour): a state change that touches one highlight
 * touches one Range, not 2,000.
 *
 * Every highlight gets its Range, but only those meeting the *visible span* (the text on and near the screen, set by
 * the reader from the scroll position: viewport-span.ts) are registered in `CSS.highlights`. Why: Chromium rebuilds
 * the markers of every registered Range in the next frame whenever a highlight changes *or the DOM or style changes
 * anywhere in the document* (HighlightRegistry::ValidateHighlightMarkers). With all 2,000 of a novel registered, each
 * such frame costs 10-30 ms here, so a new highlight (and every keystroke in a note) missed the 16 ms frame; with
 * the few dozen on screen it costs well under a millisecond. Scrolling moves the span before the frame is painted.
 */
import { HIGHLIGHT_COLORS, type Highlight, type HighlightColor } from '../../../electron/contract';
import { domRangePoints, type TextModel } from '../../../electron/text-model';
import { overlapSegments } from './overlaps';

const OVERLAP = 'gloss-overlap';
const FOCUS = 'gloss-focus';

export const paintName = (color: HighlightColor): string => `gloss-${color}`;
export const nestedName = (color: HighlightColor): string => `gloss-nested-${color}`;

export function highlightApiAvailable(): boolean {
  return typeof CSS !== 'undefined' && 'highlights' in CSS && typeof Highlight !== 'undefined';
}

interface Entry {
  range: Range;
  highlight: Highlight;
}

/** A stretch of the article's canonical text, [start, end). */
export interface TextSpan {
  start: number;
  end: number;
}

/** Where highlights overlap: the innermost one's colour over that stretch (see the layers above). */
interface Segment extends TextSpan {
  range: Range;
  color: HighlightColor;
}

export class HighlightPainter {
  private readonly entries = new Map<string, Entry>();
  /** Optimistic highlights painted before the notebook confirmed them; `sync` leaves them alone. */
  private readonly pending = new Set<string>();
  private readonly layers = new Map<string, globalThis.Highlight>();
  private segments: Segment[] = [];
  private focused: string | null = null;
  /** Highlights meeting this span are registered; null registers all of them (printing, or before any layout). */
  private span: TextSpan | null = null;

  constructor(private readonly model: TextModel) {
    for (const color of HIGHLIGHT_COLORS) this.layer(paintName(color), 1);
    for (const color of HIGHLIGHT_COLORS) this.layer(nestedName(color), 2);
    this.layer(OVERLAP, 3);
    this.layer(FOCUS, 4);
  }

  /**
   * Make the painted set equal `highlights`. Unchanged highlights (same object, or same span and colour) cost a map
   * lookup; a recolour moves one Range between layers; only a changed span builds a new Range.
   */
  sync(highlights: readonly Highlight[]): void {
    // Spans added, removed or recoloured; the overlap layers need rebuilding only if one of them meets another.
    const touched: Highlight[] = [];
    const seen = new Set<string>();
    for (const h of highlights) {
      seen.add(h.id);
      const entry = this.entries.get(h.id);
      if (entry?.highlight === h) continue;
      if (entry && entry.highlight.start === h.start && entry.highlight.end === h.end && !h.orphaned) {
        if (entry.highlight.color !== h.color) {
          this.unplace(paintName(entry.highlight.color), entry.range);
          this.place(paintName(h.color), entry.range, h);
          touched.push(h); // the nested layer may show its colour
        }
        entry.highlight = h;
        continue;
      }
      if (entry) {
        touched.push(entry.highlight);
        this.removeRange(h.id);
      } else if (this.adoptPending(h)) {
        continue; // the notebook's copy of a highlight painted optimistically: same Range, new id
      }
      if (this.paintOne(h)) touched.push(h);
    }
    for (const [id, entry] of [...this.entries]) {
      if (!seen.has(id) && !this.pending.has(id)) {
        touched.push(entry.highlight);
        this.removeRange(id);
      }
    }
    if (this.overlapsAffected(touched)) this.repaintOverlaps();
    if (this.focused) this.emphasize(this.focused);
  }

  /** Paint one highlight now (optimistically, before the notebook has it): its own Range, and overlaps if it has any. */
  paintPending(h: Highlight): void {
    this.pending.add(h.id);
    const previous = this.entries.get(h.id)?.highlight;
    this.removeRange(h.id);
    this.paintOne(h);
    if (this.overlapsAffected(previous ? [previous, h] : [h])) this.repaintOverlaps();
  }

  remove(id: string): void {
    this.pending.delete(id);
    const previous = this.entries.get(id)?.highlight;
    this.removeRange(id);
    if (previous && this.overlapsAffected([previous])) this.repaintOverlaps();
    if (this.focused === id) this.emphasize(null);
  }

  /** Rename a painted highlight (an optimistic temporary id replaced by the notebook's). */
  rekey(fromId: string, to: Highlight): void {
    this.pending.delete(fromId);
    const entry = this.entries.get(fromId);
    if (this.entries.has(to.id)) {
      // The change event beat the reply and `sync` painted (or adopted) it already: drop the temporary Range.
      if (entry) {
        this.removeRange(fromId);
        if (this.overlapsAffected([entry.highlight])) this.repaintOverlaps();
      }
      return;
    }
    if (!entry) {
      this.paintOne(to);
      this.repaintOverlaps();
      return;
    }
    this.entries.delete(fromId);
    this.entries.set(to.id, { range: entry.range, highlight: to });
    if (this.focused === fromId) this.focused = to.id;
  }

  emphasize(id: string | null): void {
    this.focused = id;
    const layer = this.layers.get(FOCUS)!;
    const range = (id && this.entries.get(id)?.range) || null;
    // Any change to a registered highlight makes Chromium revalidate every painted range: touch it only on a change.
    if (range ? layer.size === 1 && layer.has(range) : layer.size === 0) return;
    layer.clear();
    if (range) layer.add(range);
  }

  /**
   * Registers the highlights that meet `span` and unregisters the rest (null: all). Only Ranges whose membership
   * changes are touched, so scrolling within the span costs nothing.
   */
  setVisibleSpan(span: TextSpan | null): void {
    const current = this.span;
    if (span === current || (span && current && span.start === current.start && span.end === current.end)) return;
    this.span = span ? { start: span.start, end: span.end } : null;
    for (const { range, highlight } of this.entries.values()) this.place(paintName(highlight.color), range, highlight);
    for (const segment of this.segments) {
      this.place(nestedName(segment.color), segment.range, segment);
      this.place(OVERLAP, segment.range, segment);
    }
  }

  /** The span whose highlights are registered now (null: all of them). */
  get visibleSpan(): TextSpan | null {
    return this.span;
  }

  /** The optimistic highlights not yet confirmed (a painter rebuilt over a new text model paints them again). */
  get pendingHighlights(): Highlight[] {
    return [...this.pending].map((id) => this.entries.get(id)?.highlight).filter((h): h is Highlight => h !== undefined);
  }

  /** How many highlights have a Range: every one that anchored, painted as soon as it is on or near the screen. */
  get paintedCount(): number {
    return this.entries.size;
  }

  rangeOf(id: string): Range | null {
    return this.entries.get(id)?.range ?? null;
  }

  /** Highlights covering a text offset, innermost (shortest) first: what a click at that point most likely means. */
  highlightsAt(offset: number): Highlight[] {
    const hits: Highlight[] = [];
    for (const { highlight } of this.entries.values()) {
      if (highlight.start <= offset && offset < highlight.end) hits.push(highlight);
    }
    return hits.sort((a, b) => a.end - a.start - (b.end - b.start) || b.start - a.start);
  }

  dispose(): void {
    for (const name of this.layers.keys()) CSS.highlights.delete(name);
    this.layers.clear();
    this.entries.clear();
    this.pending.clear();
    this.segments = [];
  }

  /** Puts `range` in the layer if its span meets the visible span, and takes it out if not. */
  private place(layerName: string, range: Range, span: TextSpan): void {
    const layer = this.layers.get(layerName)!;
    const visible = !this.span || (span.start < this.span.end && span.end > this.span.start);
    // Any change to a registered highlight costs a marker rebuild next frame: touch a layer only on a real change.
    if (visible && !layer.has(range)) layer.add(range);
    else if (!visible && layer.has(range)) layer.delete(range);
  }

  private unplace(layerName: string, range: Range): void {
    const layer = this.layers.get(layerName);
    if (layer?.has(range)) layer.delete(range);
  }

  private layer(name: string, priority: number): void {
    const layer = new Highlight();
    layer.priority = priority;
    CSS.highlights.set(name, layer);
    this.layers.set(name, layer);
  }

  /** A DOM Range over the canonical text's [start, end), or null where the text is not rendered. */
  rangeForText(start: number, end: number): Range | null {
    return this.rangeFor(start, end);
  }

  private rangeFor(start: number, end: number): Range | null {
    const points = domRangePoints(this.model, start, end);
    if (!points) return null;
    const range = document.createRange();
    range.setStart(points.startNode, points.startOffset);
    range.setEnd(points.endNode, points.endOffset);
    return range;
  }

  private paintOne(h: Highlight): boolean {
    if (h.orphaned) return false; // listed in the panel, never painted: its offsets point at nothing it meant
    const range = this.rangeFor(h.start, h.end);
    if (!range) return false;
    this.entries.set(h.id, { range, highlight: h });
    this.place(paintName(h.color), range, h);
    return true;
  }

  /**
   * Whether any of these changed spans meets another painted highlight (or the overlap layers are stale anyway).
   * One new highlight in clear text, the usual case, then costs one Range and no rebuild.
   */
  private overlapsAffected(changed: readonly Highlight[]): boolean {
    if (changed.length === 0) return false;
    if (changed.length > 8) return true;
    const meets = (a: Highlight, b: Highlight): boolean => a.id !== b.id && a.start < b.end && b.start < a.end;
    // Two changed spans that met each other (both removed, say) leave a stale overlap segment behind.
    if (changed.some((a, i) => changed.some((b, j) => j > i && meets(a, b)))) return true;
    for (const c of changed) {
      for (const { highlight: other } of this.entries.values()) {
        if (meets(c, other)) return true;
      }
    }
    return false;
  }

  /** Gives a pending highlight's Range to the saved highlight `h` when they cover the same span. */
  private adoptPending(h: Highlight): boolean {
    if (h.orphaned) return false;
    for (const id of this.pending) {
      const entry = this.entries.get(id);
      if (!entry || entry.highlight.start !== h.start || entry.highlight.end !== h.end) continue;
      this.pending.delete(id);
      this.entries.delete(id);
      if (entry.highlight.color !== h.color) {
        this.unplace(paintName(entry.highlight.color), entry.range);
        this.place(paintName(h.color), entry.range, h);
      }
      this.entries.set(h.id, { range: entry.range, highlight: h });
      if (this.focused === id) this.focused = h.id;
      return true;
    }
    return false;
  }

  private removeRange(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.unplace(paintName(entry.highlight.color), entry.range);
    this.entries.delete(id);
  }

  /** Rebuilds the nested and overlap layers: a sweep over the spans, a few hundred Ranges for 2,000 highlights. */
  private repaintOverlaps(): void {
    for (const segment of this.segments) {
      this.unplace(OVERLAP, segment.range);
      this.unplace(nestedName(segment.color), segment.range);
    }
    const spans = [...this.entries.values()].map((e) => e.highlight);
    this.segments = [];
    for (const { start, end, innermost } of overlapSegments(spans)) {
      const range = this.rangeFor(start, end);
      if (!range) continue;
      const segment = { start, end, range, color: innermost.color };
      this.segments.push(segment);
      this.place(nestedName(segment.color), range, segment);
      this.place(OVERLAP, range, segment);
    }
  }
}
