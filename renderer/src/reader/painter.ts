/**
 * Paints highlights with the CSS Custom Highlight API: one `Highlight` registry entry per colour holding live DOM
 * Ranges, styled by `::highlight(gloss-<colour>)` in CSS. Nothing in the article's DOM changes, so the text model
 * (offset <-> node map) stays valid, find-in-page and screen readers see the untouched text, and adding a highlight
 * costs one Range, not a re-render. Measured (bench/RESULTS.md): mark.js wrapping all 2,000 highlights of a novel
 * takes ~50x longer than this.
 */
import { HIGHLIGHT_COLORS, type Highlight, type HighlightColor } from '../../../electron/contract';
import { domRangePoints, type TextModel } from '../../../electron/text-model';

const OVERLAP = 'gloss-overlap';
const FOCUS = 'gloss-focus';

export const paintName = (color: HighlightColor): string => `gloss-${color}`;

export function highlightApiAvailable(): boolean {
  return typeof CSS !== 'undefined' && 'highlights' in CSS && typeof Highlight !== 'undefined';
}

export class HighlightPainter {
  private readonly ranges = new Map<string, { range: Range; highlight: Highlight }>();
  private readonly layers = new Map<string, globalThis.Highlight>();
  private focused: string | null = null;

  constructor(private model: TextModel) {
    for (const color of HIGHLIGHT_COLORS) this.layer(paintName(color), 1);
    this.layer(OVERLAP, 2);
    this.layer(FOCUS, 3);
  }

  /** Replace everything painted (article opened, text replaced). */
  setAll(highlights: readonly Highlight[], model: TextModel = this.model): void {
    this.model = model;
    for (const layer of this.layers.values()) layer.clear();
    this.ranges.clear();
    for (const h of highlights) this.paintOne(h);
    this.repaintOverlaps();
    if (this.focused) this.emphasize(this.focused);
  }

  /** Add or update one highlight: touches its own Range and the overlap layer only. */
  upsert(h: Highlight): void {
    this.removeRange(h.id);
    this.paintOne(h);
    this.repaintOverlaps();
    if (this.focused === h.id) this.emphasize(h.id);
  }

  remove(id: string): void {
    this.removeRange(id);
    this.repaintOverlaps();
    if (this.focused === id) this.emphasize(null);
  }

  /** Rename a painted highlight (an optimistic temporary id replaced by the notebook's). */
  rekey(fromId: string, to: Highlight): void {
    const entry = this.ranges.get(fromId);
    if (!entry) return this.upsert(to);
    this.ranges.delete(fromId);
    this.ranges.set(to.id, { range: entry.range, highlight: to });
    if (this.focused === fromId) this.focused = to.id;
  }

  emphasize(id: string | null): void {
    this.focused = id;
    const layer = this.layers.get(FOCUS)!;
    layer.clear();
    const entry = id ? this.ranges.get(id) : undefined;
    if (entry) layer.add(entry.range);
  }

  rangeOf(id: string): Range | null {
    return this.ranges.get(id)?.range ?? null;
  }

  /** Highlights covering a text offset, innermost (shortest) first: what a click at that point most likely means. */
  highlightsAt(offset: number): Highlight[] {
    const hits: Highlight[] = [];
    for (const { highlight } of this.ranges.values()) {
      if (!highlight.orphaned && highlight.start <= offset && offset < highlight.end) hits.push(highlight);
    }
    return hits.sort((a, b) => a.end - a.start - (b.end - b.start));
  }

  dispose(): void {
    for (const name of this.layers.keys()) CSS.highlights.delete(name);
    this.layers.clear();
    this.ranges.clear();
  }

  private layer(name: string, priority: number): void {
    const layer = new Highlight();
    layer.priority = priority;
    CSS.highlights.set(name, layer);
    this.layers.set(name, layer);
  }

  private paintOne(h: Highlight): void {
    if (h.orphaned) return;
    const points = domRangePoints(this.model, h.start, h.end);
    if (!points) return;
    const range = document.createRange();
    range.setStart(points.startNode, points.startOffset);
    range.setEnd(points.endNode, points.endOffset);
    this.ranges.set(h.id, { range, highlight: h });
    this.layers.get(paintName(h.color))!.add(range);
  }

  private removeRange(id: string): void {
    const entry = this.ranges.get(id);
    if (!entry) return;
    this.layers.get(paintName(entry.highlight.color))?.delete(entry.range);
    this.ranges.delete(id);
  }

  /** Where two or more highlights overlap, a second layer (underlined) keeps each one distinguishable. */
  private repaintOverlaps(): void {
    const layer = this.layers.get(OVERLAP)!;
    layer.clear();
    const spans = [...this.ranges.values()].map((e) => e.highlight).sort((a, b) => a.start - b.start);
    let reach = -1;
    for (const h of spans) {
      if (h.start < reach) {
        const points = domRangePoints(this.model, h.start, Math.min(reach, h.end));
        if (points) {
          const range = document.createRange();
          range.setStart(points.startNode, points.startOffset);
          range.setEnd(points.endNode, points.endOffset);
          layer.add(range);
        }
      }
      reach = Math.max(reach, h.end);
    }
  }
}
