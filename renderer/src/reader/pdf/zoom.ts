/**
 * Zoom: a named mode that follows the window (auto, fit width, fit page) or a fixed percentage. Scales are CSS pixels
 * per PDF point; 100% is pdf.js's (a point is 96/72 CSS pixels, so a page shows at its printed size).
 */
/** CSS pixels per PDF point at 100% (pdf.js's PixelsPerInch.PDF_TO_CSS_UNITS). */
export const CSS_UNITS = 96 / 72;

export interface PageSize {
  /** In PDF points, at scale 1 (rotation applied). */
  width: number;
  height: number;
}

export type ZoomMode = 'auto' | 'page-width' | 'page-fit' | number;

/** The steps + and - move through (percent). */
export const ZOOM_STEPS = [25, 33, 50, 67, 75, 90, 100, 110, 125, 150, 175, 200, 250, 300, 400];
/** Room around a page inside the scroller (its margins and a scroll bar), in CSS px. */
const SIDE_ROOM = 40;
const TOP_ROOM = 24;
/** "Auto" is fit width, but no larger than this (a wide window would make a paper's text huge). */
const AUTO_MAX_PERCENT = 150;

export function scaleFor(mode: ZoomMode, page: PageSize, box: { width: number; height: number }): number {
  if (typeof mode === 'number') return (mode / 100) * CSS_UNITS;
  const width = Math.max(100, box.width - SIDE_ROOM) / page.width;
  if (mode === 'page-width') return width;
  if (mode === 'page-fit') return Math.min(width, Math.max(100, box.height - TOP_ROOM) / page.height);
  return Math.min(width, (AUTO_MAX_PERCENT / 100) * CSS_UNITS);
}

export const percentOf = (scale: number): number => Math.round((scale / CSS_UNITS) * 100);

/** The next step up (+1) or down (-1) from the current scale. */
export function stepZoom(scale: number, direction: 1 | -1): number {
  const current = percentOf(scale);
  if (direction > 0) return ZOOM_STEPS.find((p) => p > current) ?? ZOOM_STEPS[ZOOM_STEPS.length - 1];
  return [...ZOOM_STEPS].reverse().find((p) => p < current) ?? ZOOM_STEPS[0];
}
