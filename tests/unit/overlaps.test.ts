import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { overlapSegments, type Span } from '../../renderer/src/reader/overlaps';

const span = (id: string, start: number, end: number, color = 'yellow'): Span => ({ id, start, end, color });

describe('overlapSegments', () => {
  it('finds nothing where highlights only touch or stand apart', () => {
    expect(overlapSegments([span('a', 0, 5), span('b', 5, 9), span('c', 20, 30)])).toEqual([]);
  });

  it('gives a nested highlight its own colour, and a partial overlap to the shorter one', () => {
    const outer = span('outer', 0, 100, 'yellow');
    const inner = span('inner', 10, 20, 'green');
    const tail = span('tail', 90, 130, 'blue');
    const segments = overlapSegments([outer, inner, tail]);
    expect(segments.map((s) => [s.start, s.end, s.innermost.id, s.depth])).toEqual([
      [10, 20, 'inner', 2],
      [90, 100, 'tail', 2],
    ]);
  });

  it('splits three-deep nesting by the innermost at each point', () => {
    const segments = overlapSegments([span('a', 0, 50), span('b', 10, 40), span('c', 20, 30)]);
    expect(segments.map((s) => [s.start, s.end, s.innermost.id, s.depth])).toEqual([
      [10, 20, 'b', 2],
      [20, 30, 'c', 3],
      [30, 40, 'b', 2],
    ]);
  });

  it('covers exactly the points that two or more spans cover, each by the shortest span there (property)', () => {
    const arbSpans = fc.array(
      fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 25 })).map(([s, l]) => [s, s + l] as const),
      { maxLength: 12 },
    );
    fc.assert(
      fc.property(arbSpans, (pairs) => {
        const spans = pairs.map(([s, e], i) => span(`h${i}`, s, e));
        const segments = overlapSegments(spans);
        for (let x = 0; x < 90; x++) {
          const covering = spans.filter((s) => s.start <= x && x < s.end);
          const seg = segments.find((s) => s.start <= x && x < s.end);
          if (covering.length < 2) expect(seg).toBeUndefined();
          else {
            expect(seg).toBeDefined();
            const shortest = Math.min(...covering.map((s) => s.end - s.start));
            expect(seg!.innermost.end - seg!.innermost.start).toBe(shortest);
          }
        }
        // Segments are ordered and disjoint.
        segments.forEach((s, i) => i > 0 && expect(s.start).toBeGreaterThanOrEqual(segments[i - 1].end));
      }),
    );
  });
});
