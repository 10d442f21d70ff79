/**
 * The window's size and place survive a restart (a real file in a temp folder), and a place that no display shows any
 * more is not used. Electron's screen and window are small fakes: only their shapes matter here.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readWindowState, restoreBounds, trackWindowState, type TrackedWindow, type WindowState } from '../../electron/main/window-state';

const LIMITS = { width: 1280, height: 840, minWidth: 720, minHeight: 480 };
const laptop = { workArea: { x: 0, y: 0, width: 1440, height: 870 } };
const monitorOnTheRight = { workArea: { x: 1440, y: 0, width: 2560, height: 1410 } };
const screenOf = (...displays: { workArea: { x: number; y: number; width: number; height: number } }[]) => ({ getAllDisplays: () => displays });

class FakeWindow implements TrackedWindow {
  bounds = { x: 100, y: 80, width: 1000, height: 700 };
  maximized = false;
  private listeners = new Map<string, (() => void)[]>();
  getNormalBounds() {
    return { ...this.bounds };
  }
  isMaximized() {
    return this.maximized;
  }
  on(event: string, listener: () => void) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  emit(event: string) {
    for (const l of this.listeners.get(event) ?? []) l();
  }
}

describe('window state', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'gloss-window-'));
    file = path.join(dir, 'window-state.json');
  });
  afterEach(async () => {
    vi.useRealTimers();
    await rm(dir, { recursive: true, force: true });
  });

  it('saves the place after moving stops and on close, and the next start restores it', async () => {
    vi.useFakeTimers();
    const win = new FakeWindow();
    const saved: WindowState[] = [];
    const flush = trackWindowState(win, file, { onSaved: (s) => saved.push(s) });
    win.bounds = { x: 1600, y: 120, width: 1400, height: 900 };
    win.emit('move');
    win.emit('resize');
    expect(saved).toHaveLength(0); // still moving: nothing written yet
    await vi.advanceTimersByTimeAsync(600);
    expect(saved).toHaveLength(1);
    vi.useRealTimers();
    await flush();
    expect(await readWindowState(file)).toEqual({ x: 1600, y: 120, width: 1400, height: 900, maximized: false });

    win.maximized = true;
    win.emit('close');
    await flush();
    const next = await readWindowState(file);
    expect(next).toEqual({ x: 1600, y: 120, width: 1400, height: 900, maximized: true });
    // Both displays still there: it opens exactly where it was, maximized on the monitor.
    expect(restoreBounds(next, screenOf(laptop, monitorOnTheRight), LIMITS)).toEqual(next);
  });

  it('a place on a display that is gone is dropped (centred), and the size is shrunk to fit the display left', () => {
    const onMonitor: WindowState = { x: 1600, y: 120, width: 2400, height: 1300, maximized: false };
    const place = restoreBounds(onMonitor, screenOf(laptop), LIMITS);
    expect(place.x).toBeUndefined();
    expect(place.y).toBeUndefined();
    expect(place).toMatchObject({ width: 1440, height: 870, maximized: false });
  });

  it('a window whose title bar hangs off the top or mostly off the side is not put back there', () => {
    const aboveTheScreen: WindowState = { x: 100, y: -500, width: 1000, height: 700, maximized: false };
    expect(restoreBounds(aboveTheScreen, screenOf(laptop), LIMITS).x).toBeUndefined();
    const sliverOnTheLeft: WindowState = { x: -960, y: 50, width: 1000, height: 700, maximized: false };
    expect(restoreBounds(sliverOnTheLeft, screenOf(laptop), LIMITS).x).toBeUndefined();
    // Mostly visible but too big after the resolution dropped: kept on that display, slid back inside it.
    const overTheEdge: WindowState = { x: 700, y: 300, width: 1300, height: 800, maximized: false };
    expect(restoreBounds(overTheEdge, screenOf(laptop), LIMITS)).toEqual({ x: 140, y: 70, width: 1300, height: 800, maximized: false });
  });

  it('no file, a damaged file or nonsense values give the defaults; never smaller than the minimum size', async () => {
    expect(await readWindowState(file)).toBeNull();
    await writeFile(file, '{"width": 12');
    expect(await readWindowState(file)).toBeNull();
    await writeFile(file, JSON.stringify({ width: 'wide', height: 10 }));
    expect(await readWindowState(file)).toBeNull();
    expect(restoreBounds(null, screenOf(laptop), LIMITS)).toEqual({ width: 1280, height: 840, maximized: false });
    const tiny: WindowState = { x: 10, y: 10, width: 50, height: 40, maximized: false };
    expect(restoreBounds(tiny, screenOf(laptop), LIMITS)).toMatchObject({ width: 720, height: 480 });
  });

  it('a failed write is reported, not thrown into the window events', async () => {
    const errors: unknown[] = [];
    const win = new FakeWindow();
    const flush = trackWindowState(win, path.join(dir, 'missing-folder', 'window-state.json'), { onError: (e) => errors.push(e) });
    win.emit('close');
    await flush();
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toMatch(/ENOENT/);
  });
});
