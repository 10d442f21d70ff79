/**
 * Remembers the main window's size and place (userData/window-state.json) and puts it back on the next start.
 *
 * Displays change between runs (a laptop undocked, a monitor unplugged, resolution lowered), so a saved place is used
 * only if enough of the window's top edge (where the title bar is) lands on a display that exists now; otherwise the
 * size is kept and the window is centred. Sizes are shrunk to fit the display they land on. Electron is reached through
 * the small interfaces below (types only), so this runs under Vitest with a fake screen and window.
 */
import { readFile } from 'node:fs/promises';
import type { Rectangle } from 'electron';
import { writeFileDurably } from '../notebook/store/durable-file';

export const WINDOW_STATE_FILE = 'window-state.json';

export interface WindowState {
  width: number;
  height: number;
  /** Absent: let the window manager centre it. */
  x?: number;
  y?: number;
  maximized: boolean;
}

export interface WindowLimits {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
}

/** What we need of Electron's `screen`. */
export interface DisplaySource {
  getAllDisplays(): { workArea: Rectangle }[];
}

/** What we need of a BrowserWindow. */
export interface TrackedWindow {
  getNormalBounds(): Rectangle;
  isMaximized(): boolean;
  on(event: 'resize' | 'move' | 'maximize' | 'unmaximize' | 'close', listener: () => void): unknown;
}

/** At least this much of the title bar strip must be on a display for a saved place to be used. */
const VISIBLE_WIDTH = 120;
const TITLE_BAR_HEIGHT = 32;
const SAVE_DELAY_MS = 500;

const isFiniteInt = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The saved state, or null when there is none or it is not a window state (a hand-edited or damaged file). */
export async function readWindowState(file: string): Promise<WindowState | null> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  if (!isFiniteInt(r.width) || !isFiniteInt(r.height) || r.width <= 0 || r.height <= 0) return null;
  const state: WindowState = { width: Math.round(r.width), height: Math.round(r.height), maximized: r.maximized === true };
  if (isFiniteInt(r.x) && isFiniteInt(r.y)) {
    state.x = Math.round(r.x);
    state.y = Math.round(r.y);
  }
  return state;
}

function overlap(a: Rectangle, b: Rectangle): { width: number; height: number } {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return { width: Math.max(0, width), height: Math.max(0, height) };
}

/**
 * Where the window should open: the saved state checked against the displays there are now. Without a saved state,
 * the defaults (centred). A size larger than the display it lands on (or the primary one, when centred) is shrunk.
 */
export function restoreBounds(saved: WindowState | null, displays: DisplaySource, defaults: WindowLimits): WindowState {
  const areas = displays.getAllDisplays().map((d) => d.workArea);
  const fit = (state: WindowState, area: Rectangle | undefined): WindowState => {
    const width = Math.max(defaults.minWidth, area ? Math.min(state.width, area.width) : state.width);
    const height = Math.max(defaults.minHeight, area ? Math.min(state.height, area.height) : state.height);
    return { ...state, width, height };
  };
  if (!saved) return fit({ width: defaults.width, height: defaults.height, maximized: false }, areas[0]);
  if (saved.x !== undefined && saved.y !== undefined) {
    const titleBar = { x: saved.x, y: saved.y, width: saved.width, height: TITLE_BAR_HEIGHT };
    const home = areas.find((area) => {
      const seen = overlap(titleBar, area);
      return seen.width >= Math.min(VISIBLE_WIDTH, saved.width) && seen.height >= TITLE_BAR_HEIGHT / 2;
    });
    if (home) {
      const sized = fit(saved, home);
      // Shrinking may leave the window hanging off the right or bottom edge: slide it back onto its display.
      const x = Math.max(home.x, Math.min(saved.x, home.x + home.width - sized.width));
      const y = Math.max(home.y, Math.min(saved.y, home.y + home.height - sized.height));
      return { ...sized, x, y };
    }
  }
  // The place is off every display now (or was never saved): keep the size, let the window be centred.
  const { x: _x, y: _y, ...sizeOnly } = saved;
  return fit(sizeOnly, areas[0]);
}

/**
 * Saves the window's normal (unmaximized) bounds and whether it is maximized, shortly after it stops moving or
 * resizing, and at once when it closes. Returns a function that writes any pending state (for quit).
 */
export function trackWindowState(
  win: TrackedWindow,
  file: string,
  { onError = () => undefined, onSaved = () => undefined }: { onError?: (error: unknown) => void; onSaved?: (state: WindowState) => void } = {},
): () => Promise<void> {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let writing: Promise<void> = Promise.resolve();
  const snapshot = (): WindowState => {
    const b = win.getNormalBounds();
    return { x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() };
  };
  const save = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = null;
    const state = snapshot();
    onSaved(state);
    // One write at a time, in order: the last state asked for is the one on disk.
    writing = writing.then(() => writeFileDurably(file, `${JSON.stringify(state, null, 2)}\n`)).catch(onError);
    return writing;
  };
  const later = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void save(), SAVE_DELAY_MS);
  };
  for (const event of ['resize', 'move', 'maximize', 'unmaximize'] as const) win.on(event, later);
  win.on('close', () => void save());
  return async () => {
    if (timer) await save();
    else await writing;
  };
}
