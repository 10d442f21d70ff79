/**
 * Where highlights overlap: the stretches of text covered by two or more, each with the innermost (shortest) highlight
 * covering it. The painter paints these in the innermost colour under a darker shade, so a nested highlight keeps
 * its own colour inside a longer one and every highlight's extent stays visible. Pure, so it is unit-tested.
 */
export interface Span {
  id: string;
  start: number;
  end: number;
  color: string;
}

export interface OverlapSegment<S extends Span = Span> {
  start: number;
  end: number;
  /** The most highlights covering any part of this stretch (2 or more). */
  depth: number;
  innermost: S;
}

/** A sweep over span boundaries: O(n log n) plus the (small) number of spans open at once. */
export function overlapSegments<S extends Span>(spans: readonly S[]): OverlapSegment<S>[] {
  const live = spans.filter((s) => s.start < s.end);
  if (live.length < 2) return [];
  const byStart = [...live].sort((a, b) => a.start - b.start);
  const points = [...new Set(live.flatMap((s) => [s.start, s.end]))].sort((a, b) => a - b);
  const out: OverlapSegment<S>[] = [];
  let open: S[] = [];
  let next = 0;
  for (let i = 0; i + 1 < points.length; i++) {
    const from = points[i];
    const to = points[i + 1];
    open = open.filter((s) => s.end > from);
    while (next < byStart.length && byStart[next].start <= from) {
      if (byStart[next].end > from) open.push(byStart[next]);
      next++;
    }
    if (open.length < 2) continue;
    let innermost = open[0];
    for (const s of open) if (isInner(s, innermost)) innermost = s;
    const last = out[out.length - 1];
    if (last && last.end === from && last.innermost === innermost) {
      last.end = to;
      last.depth = Math.max(last.depth, open.length);
    } else out.push({ start: from, end: to, depth: open.length, innermost });
  }
  return out;
}

/** Shorter wins; at equal length the later-starting one (drawn over the other). */
function isInner(a: Span, b: Span): boolean {
  const la = a.end - a.start;
  const lb = b.end - b.start;
  return la < lb || (la === lb && a.start > b.start);
}
