/**
 * Text offsets <-> where that text is drawn on a PDF page: the geometry under in-file annotations (quads -> a span of
 * the article's text) and under the annotated export (a highlight's span -> QuadPoints).
 *
 * Everything is in PDF user space (points, y up), the space of pdf.js's text item transforms and of /QuadPoints.
 * A quad is 8 numbers in the order Acrobat writes and pdf.js reads: upper-left, upper-right, lower-left, lower-right
 * (x1 y1 x2 y2 x3 y3 x4 y4), "upper" and "left" meant in the text's own direction, so rotated text gets rotated quads.
 *
 * What is approximate, and why that is enough:
 *  - pdf.js gives one advance width per text item, not per glyph, so the item's width is split over its characters in
 *    proportion to Helvetica's or Times's widths (an "i" narrower than an "m"; beyond ASCII, an average width). Real
 *    fonts differ, so a quad's end inside a word may be off by up to a glyph (measured against pdf.js's own glyph
 *    positions in tests/unit/pdf-quads-oracle.test.ts): hidden under a highlight, and tolerated by spanForQuads's
 *    centre rule, which uses the same split; at a word's edge the quad reaches into the space, so whole words come out
 *    whole nearly always;
 *  - a right-to-left item (dir "rtl": its text in logical order, drawn from the right) is split from its right end;
 *  - a line's box runs from DESCENT below the baseline to ASCENT above it, as fractions of the item's height (pdf.js's
 *    height is about the font size; real fonts' metrics are not read);
 *  - "up" is the text direction turned 90 degrees, so skewed (oblique) text gets an upright box;
 *  - vertical (top-to-bottom) writing is treated like horizontal text along its transform, which pdf.js may not match.
 */
import type { PdfLayoutPage, PdfTextItem } from './types';

/** Below and above the baseline, as fractions of the item's height: close to what Acrobat draws for Latin fonts. */
const DESCENT = 0.2;
const ASCENT = 0.8;
/** Where a character's "centre" is between its baseline and its top, as a fraction of its height. */
const CENTRE_RISE = 0.3;
/**
 * How far (points) a character's centre may lie outside a quad and still count as under it (rounding, thin quads); never
 * more than a third of the character's width, so the neighbour of a quad's last character (its centre half a width
 * past the quad's end) stays out.
 */
const TOLERANCE = 1;
const TOLERANCE_OF_WIDTH = 0.3;
/** Two pieces of text are on one line when their baselines differ by less than this fraction of the height... */
const SAME_LINE = 0.5;
/** ...and the gap between them is less than this many heights (wider is another column). */
const MAX_GAP = 2;

export type Quad = [number, number, number, number, number, number, number, number];

export interface Span {
  start: number;
  end: number;
}

interface Frame {
  /** Baseline origin. */
  ox: number;
  oy: number;
  /** Unit vector along the text, and "up" (the text direction turned 90 degrees counter-clockwise). */
  ux: number;
  uy: number;
  vx: number;
  vy: number;
  /** Advance width and height in user space. */
  width: number;
  height: number;
}

/** Advance widths (1/1000 em) of the printable ASCII characters, space (32) to tilde (126), in the two faces most text
 * is set in or close to (pdf.js's metrics of the standard 14 fonts). */
const HELVETICA = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556,
  556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
  667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556,
  556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];
const TIMES = [
  250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278, 500, 500, 500, 500, 500, 500, 500, 500,
  500, 500, 278, 278, 564, 564, 564, 444, 921, 722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722, 722,
  556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611, 333, 278, 333, 469, 500, 333, 444, 500, 444, 500, 444, 333, 500,
  500, 278, 278, 500, 278, 778, 500, 500, 500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541,
];
const AVERAGE_WIDTH = 500;

function weightOf(table: readonly number[], char: string): number {
  const code = char.charCodeAt(0);
  if (code >= 32 && code <= 126) return table[code - 32];
  if (code >= 0xdc00 && code <= 0xdfff) return 0; // the second half of a surrogate pair: its first half has the width
  return AVERAGE_WIDTH;
}

/**
 * Where each character of an item starts along the text, as fractions of the item's width (length + 1 entries), by the
 * widths of the face (of the two) whose widths for this string, at the item's font size, add up closest to the item's
 * real width. (Giving justified text's extra width to its spaces was tried, and measured worse: see
 * tests/unit/pdf-quads-oracle.test.ts.)
 */
const fractionsCache = new WeakMap<PdfTextItem, number[]>();
function fractionsOf(item: PdfTextItem): number[] {
  let fractions = fractionsCache.get(item);
  if (fractions) return fractions;
  const scale = Math.hypot(item.transform[0], item.transform[1]) / 1000;
  let best: number[] = [];
  let bestError = Infinity;
  for (const table of [HELVETICA, TIMES]) {
    const widths = Array.from(item.str, (_, i) => weightOf(table, item.str[i]));
    const error = Math.abs(widths.reduce((a, b) => a + b, 0) * scale - item.width);
    if (error < bestError) {
      bestError = error;
      best = widths;
    }
  }
  const cumulative = [0];
  for (const w of best) cumulative.push(cumulative[cumulative.length - 1] + w);
  const total = cumulative[cumulative.length - 1] || 1;
  fractions = cumulative.map((w) => w / total);
  fractionsCache.set(item, fractions);
  return fractions;
}

/** Characters [k0, k1) of an item, along its text from its origin: [x0, x1] in user space units. */
function extentOf(item: PdfTextItem, frame: Frame, k0: number, k1: number): [number, number] {
  const fractions = fractionsOf(item);
  const a = fractions[k0] * frame.width;
  const b = fractions[k1] * frame.width;
  return item.dir === 'rtl' ? [frame.width - b, frame.width - a] : [a, b];
}

function frameOf(item: PdfTextItem): Frame | null {
  const [a, b, c, d, e, f] = item.transform;
  const scale = Math.hypot(a, b);
  if (!(scale > 0) || !Number.isFinite(e) || !Number.isFinite(f)) return null;
  const ux = a / scale;
  const uy = b / scale;
  const height = item.height > 0 ? item.height : Math.hypot(c, d) || scale;
  return { ox: e, oy: f, ux, uy, vx: -uy, vy: ux, width: Math.max(0, item.width), height };
}

/** The item's offset range in the PAGE text, or null for an item with no text there. */
function itemRange(page: PdfLayoutPage, i: number): Span | null {
  const start = page.itemStarts[i];
  const length = page.items[i].str.length;
  if (start === undefined || start < 0 || length === 0) return null;
  return { start, end: start + length };
}

/** One piece of a run: characters [k0, k1) of one item, in that item's frame. */
interface Piece {
  frame: Frame;
  /** Along the text, from the item's origin: where the piece starts and ends. */
  x0: number;
  x1: number;
}

/** A line run being merged: its frame is the first piece's; extents are in that frame. */
interface Run {
  frame: Frame;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

function toRunFrame(run: Run, x: number, y: number): [number, number] {
  const dx = x - run.frame.ox;
  const dy = y - run.frame.oy;
  return [dx * run.frame.ux + dy * run.frame.uy, dx * run.frame.vx + dy * run.frame.vy];
}

/** Adds a piece to the run when it continues the run's line (same direction, same baseline, no column gap). */
function extendRun(run: Run, piece: Piece): boolean {
  const f = piece.frame;
  if (f.ux * run.frame.ux + f.uy * run.frame.uy < 0.999) return false;
  const [px0, baseline] = toRunFrame(run, f.ox + f.ux * piece.x0, f.oy + f.uy * piece.x0);
  const px1 = px0 + (piece.x1 - piece.x0);
  const height = Math.max(f.height, run.y1 - run.y0);
  if (Math.abs(baseline) > SAME_LINE * height) return false;
  if (px0 > run.x1 + MAX_GAP * height || px1 < run.x0 - MAX_GAP * height) return false;
  run.x0 = Math.min(run.x0, px0);
  run.x1 = Math.max(run.x1, px1);
  run.y0 = Math.min(run.y0, baseline - DESCENT * f.height);
  run.y1 = Math.max(run.y1, baseline + ASCENT * f.height);
  return true;
}

function runOf(piece: Piece): Run {
  const f = piece.frame;
  const frame = { ...f, ox: f.ox + f.ux * piece.x0, oy: f.oy + f.uy * piece.x0 };
  return { frame, x0: 0, x1: piece.x1 - piece.x0, y0: -DESCENT * f.height, y1: ASCENT * f.height };
}

function quadOf(run: Run): Quad {
  const { ox, oy, ux, uy, vx, vy } = run.frame;
  const at = (x: number, y: number): [number, number] => [ox + ux * x + vx * y, oy + uy * x + vy * y];
  return [...at(run.x0, run.y1), ...at(run.x1, run.y1), ...at(run.x0, run.y0), ...at(run.x1, run.y0)] as Quad;
}

/**
 * The quads covering the article's text [startInArticle, endInArticle) on one page: one per line run (adjacent items
 * on the same line merged), in reading order. Whitespace at either end of a piece gets no quad of its own; the part of
 * the span outside this page is ignored.
 */
export function quadsForSpan(page: PdfLayoutPage, startInArticle: number, endInArticle: number): Quad[] {
  const from = Math.max(startInArticle, page.start) - page.start;
  const to = Math.min(endInArticle, page.end) - page.start;
  if (to <= from) return [];
  const runs: Run[] = [];
  let run: Run | null = null;
  page.items.forEach((item, i) => {
    const range = itemRange(page, i);
    if (!range || range.end <= from || range.start >= to) return;
    const frame = frameOf(item);
    if (!frame || frame.width === 0) return;
    let k0 = Math.max(from, range.start) - range.start;
    let k1 = Math.min(to, range.end) - range.start;
    while (k0 < k1 && /\s/u.test(item.str[k0])) k0++;
    while (k1 > k0 && /\s/u.test(item.str[k1 - 1])) k1--;
    if (k1 <= k0) return;
    let [x0, x1] = extentOf(item, frame, k0, k1);
    // At a word's edge, reach halfway into the space beside it: the estimated split may fall short of the edge glyph.
    for (const k of [k0 - 1, k1]) {
      if (k < 0 || k >= item.str.length || !/\s/u.test(item.str[k])) continue;
      const [s0, s1] = extentOf(item, frame, k, k + 1);
      x0 = Math.min(x0, (s0 + s1) / 2);
      x1 = Math.max(x1, (s0 + s1) / 2);
    }
    const piece = { frame, x0, x1 };
    if (run && extendRun(run, piece)) return;
    run = runOf(piece);
    runs.push(run);
  });
  return runs.map(quadOf);
}

/** The quads of a pdf.js quadPoints array (flat, 8 numbers a quad) or of a list of quads. */
export function splitQuads(points: ArrayLike<number> | readonly ArrayLike<number>[]): Quad[] {
  const flat: number[] = [];
  for (let i = 0; i < points.length; i++) {
    const p = (points as ArrayLike<unknown>)[i];
    if (typeof p === 'number') flat.push(p);
    else flat.push(...Array.from(p as ArrayLike<number>));
  }
  const quads: Quad[] = [];
  for (let i = 0; i + 8 <= flat.length; i += 8) {
    const q = flat.slice(i, i + 8);
    if (q.every(Number.isFinite)) quads.push(q as Quad);
  }
  return quads;
}

/** A quad as a convex polygon, counter-clockwise, with its bounding box (for a quick "no"). */
interface Polygon {
  corners: [number, number][];
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/**
 * The quad as a polygon. Its corners are taken in any order: writers differ (Acrobat's UL UR LL LR, some tools'
 * counter-clockwise order), so they are sorted around their centre.
 */
function polygonOf(quad: Quad): Polygon {
  const corners: [number, number][] = [];
  for (let i = 0; i < 8; i += 2) corners.push([quad[i], quad[i + 1]]);
  const cx = (corners[0][0] + corners[1][0] + corners[2][0] + corners[3][0]) / 4;
  const cy = (corners[0][1] + corners[1][1] + corners[2][1] + corners[3][1]) / 4;
  corners.sort((p, q) => Math.atan2(p[1] - cy, p[0] - cx) - Math.atan2(q[1] - cy, q[0] - cx));
  const xs = corners.map((c) => c[0]);
  const ys = corners.map((c) => c[1]);
  return { corners, minX: Math.min(...xs), minY: Math.min(...ys), maxX: Math.max(...xs), maxY: Math.max(...ys) };
}

/** Whether a point lies in the polygon, or within `tolerance` points of it. */
function inPolygon(polygon: Polygon, x: number, y: number, tolerance: number): boolean {
  if (x < polygon.minX - tolerance || x > polygon.maxX + tolerance || y < polygon.minY - tolerance || y > polygon.maxY + tolerance) return false;
  const { corners } = polygon;
  for (let i = 0; i < 4; i++) {
    const [ax, ay] = corners[i];
    const [bx, by] = corners[(i + 1) % 4];
    const ex = bx - ax;
    const ey = by - ay;
    const length = Math.hypot(ex, ey);
    if (length === 0) continue;
    // Counter-clockwise corners: inside is left of every edge. Signed distance from this edge, positive inside.
    const distance = (ex * (y - ay) - ey * (x - ax)) / length;
    if (distance < -tolerance) return false;
  }
  return true;
}

/**
 * The span of the article's text under some quads on a page: from the first to the last character whose box centre
 * lies in a quad (within TOLERANCE), whitespace at the ends left out; null when no character is under them.
 */
export function spanForQuads(page: PdfLayoutPage, quads: ArrayLike<number> | readonly ArrayLike<number>[]): Span | null {
  const list = splitQuads(quads).map(polygonOf);
  if (list.length === 0) return null;
  const pageLength = page.end - page.start;
  let first = Infinity;
  let last = -Infinity;
  page.items.forEach((item, i) => {
    const range = itemRange(page, i);
    const frame = range && frameOf(item);
    if (!range || !frame || frame.width === 0) return;
    const rise = CENTRE_RISE * frame.height;
    for (let k = 0; k < item.str.length; k++) {
      const offset = range.start + k;
      if (offset >= pageLength || /\s/u.test(item.str[k])) continue;
      const [x0, x1] = extentOf(item, frame, k, k + 1);
      if (x1 <= x0) continue; // the low half of a surrogate pair: its character is counted at the high half
      const along = (x0 + x1) / 2;
      const tolerance = Math.min(TOLERANCE, TOLERANCE_OF_WIDTH * (x1 - x0));
      const x = frame.ox + frame.ux * along + frame.vx * rise;
      const y = frame.oy + frame.uy * along + frame.vy * rise;
      if (!list.some((polygon) => inPolygon(polygon, x, y, tolerance))) continue;
      first = Math.min(first, offset);
      const pair = /[\ud800-\udbff]/u.test(item.str[k]) && k + 1 < item.str.length ? 1 : 0; // keep a surrogate pair whole
      last = Math.max(last, offset + pair);
    }
  });
  if (first > last) return null;
  return { start: page.start + first, end: page.start + last + 1 };
}
