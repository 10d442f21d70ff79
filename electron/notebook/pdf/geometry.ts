/**
 * Text offsets <-> where that text is drawn on a PDF page: the geometry under in-file annotations (quads -> a span of
 * the article's text) and under the annotated export (a highlight's span -> QuadPoints).
 *
 * Everything is in PDF user space (points, y up), the space of pdf.js's text item transforms and of /QuadPoints.
 * A quad is 8 numbers in the order Acrobat writes and pdf.js reads: upper-left, upper-right, lower-left, lower-right
 * (x1 y1 x2 y2 x3 y3 x4 y4), "upper" and "left" meant in the text's own direction, so rotated text gets rotated quads.
 *
 * What is approximate, and why that is enough:
 *  - a character's advance is the item's advance width split evenly over its UTF-16 code units (pdf.js gives one width
 *    per item, not per glyph), so an "i" and an "m" get the same width; a quad's ends may be off by part of a glyph,
 *    which a highlight hides and which the centre rule of spanForQuads tolerates;
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
    const per = frame.width / item.str.length;
    const piece = { frame, x0: k0 * per, x1: k1 * per };
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

/**
 * Whether a point lies in a quad (within TOLERANCE points). The quad's corners are taken in any order: writers differ
 * (Acrobat's UL UR LL LR, some tools' counter-clockwise order), so the corners are sorted around their centre first.
 */
function inQuad(quad: Quad, x: number, y: number, tolerance: number): boolean {
  const pts: [number, number][] = [];
  for (let i = 0; i < 8; i += 2) pts.push([quad[i], quad[i + 1]]);
  const cx = (pts[0][0] + pts[1][0] + pts[2][0] + pts[3][0]) / 4;
  const cy = (pts[0][1] + pts[1][1] + pts[2][1] + pts[3][1]) / 4;
  pts.sort((p, q) => Math.atan2(p[1] - cy, p[0] - cx) - Math.atan2(q[1] - cy, q[0] - cx));
  for (let i = 0; i < 4; i++) {
    const [ax, ay] = pts[i];
    const [bx, by] = pts[(i + 1) % 4];
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
  const list = splitQuads(quads);
  if (list.length === 0) return null;
  const pageLength = page.end - page.start;
  let first = Infinity;
  let last = -Infinity;
  page.items.forEach((item, i) => {
    const range = itemRange(page, i);
    const frame = range && frameOf(item);
    if (!range || !frame || frame.width === 0) return;
    const per = frame.width / item.str.length;
    const rise = CENTRE_RISE * frame.height;
    const tolerance = Math.min(TOLERANCE, TOLERANCE_OF_WIDTH * per);
    for (let k = 0; k < item.str.length; k++) {
      const offset = range.start + k;
      if (offset >= pageLength || /\s/u.test(item.str[k])) continue;
      const along = (k + 0.5) * per;
      const x = frame.ox + frame.ux * along + frame.vx * rise;
      const y = frame.oy + frame.uy * along + frame.vy * rise;
      if (!list.some((quad) => inQuad(quad, x, y, tolerance))) continue;
      first = Math.min(first, offset);
      last = Math.max(last, offset);
    }
  });
  if (first > last) return null;
  return { start: page.start + first, end: page.start + last + 1 };
}
