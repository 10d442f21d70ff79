/**
 * Theme and reading comfort, applied to the page: `data-theme` on <html> when the user overrides the system
 * (styles.css keys its colour tokens on it and on prefers-color-scheme), and CSS variables for the reader's
 * typeface, text size and line width. The choices themselves live in the notebook's settings (`Settings.ui`).
 */
import { useEffect, useState } from 'react';
import { UI_LIMITS, type LineWidth, type ThemeChoice, type Typeface, type UiSettings } from '../../../electron/contract';

export const DEFAULT_FONT_SIZE = 18;

export const TYPEFACES: { value: Typeface; label: string; stack: string }[] = [
  { value: 'serif', label: 'Serif', stack: "Georgia, 'Iowan Old Style', 'Noto Serif', 'DejaVu Serif', serif" },
  { value: 'sans', label: 'Sans-serif', stack: "system-ui, -apple-system, 'Segoe UI', 'Noto Sans', 'DejaVu Sans', sans-serif" },
  { value: 'mono', label: 'Monospace', stack: "ui-monospace, 'SF Mono', Menlo, Consolas, 'DejaVu Sans Mono', monospace" },
];

export const LINE_WIDTHS: { value: LineWidth; label: string; css: string }[] = [
  { value: 'narrow', label: 'Narrow', css: '34rem' },
  { value: 'medium', label: 'Medium', css: '42rem' },
  { value: 'wide', label: 'Wide', css: '54rem' },
];

export const THEMES: { value: ThemeChoice; label: string }[] = [
  { value: 'system', label: 'Follow the system' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

export const clampFontSize = (px: number): number => Math.min(UI_LIMITS.maxFontSize, Math.max(UI_LIMITS.minFontSize, Math.round(px)));

/** The theme actually shown. */
export function effectiveTheme(choice: ThemeChoice | undefined, systemDark: boolean): 'light' | 'dark' {
  if (choice === 'light' || choice === 'dark') return choice;
  return systemDark ? 'dark' : 'light';
}

/** View > Toggle Theme: the other one of what is shown now (an explicit choice from then on). */
export function toggledTheme(choice: ThemeChoice | undefined, systemDark: boolean): ThemeChoice {
  return effectiveTheme(choice, systemDark) === 'dark' ? 'light' : 'dark';
}

/** Puts the choices on <html>. "System" removes the override, so the prefers-color-scheme rules decide. */
export function applyUiSettings(ui: UiSettings | undefined, root: HTMLElement = document.documentElement): void {
  const theme = ui?.theme;
  if (theme === 'light' || theme === 'dark') root.dataset.theme = theme;
  else delete root.dataset.theme;
  const face = TYPEFACES.find((t) => t.value === ui?.typeface) ?? TYPEFACES[0];
  const width = LINE_WIDTHS.find((w) => w.value === ui?.lineWidth) ?? LINE_WIDTHS[1];
  root.style.setProperty('--reader-font', face.stack);
  root.style.setProperty('--reader-width', width.css);
  root.style.setProperty('--reader-size', `${clampFontSize(ui?.fontSize ?? DEFAULT_FONT_SIZE)}px`);
  // Off unless chosen: every note and tag field inherits it (the desktop app also switches its spell checker, main/).
  root.spellcheck = ui?.spellcheck === true;
  // The width the user chose; styles.css narrows the panel further when the window cannot fit it beside the reader.
  if (ui?.notesWidth) root.style.setProperty('--notes-width', `${ui.notesWidth}px`);
  else root.style.removeProperty('--notes-width');
}

/** Whether the system asks for dark, kept current when the user switches it while Gloss is open. */
export function useSystemDark(): boolean {
  const [dark, setDark] = useState(() => typeof matchMedia === 'function' && matchMedia(DARK_QUERY).matches);
  useEffect(() => {
    if (typeof matchMedia !== 'function') return;
    const query = matchMedia(DARK_QUERY);
    const onChange = (e: MediaQueryListEvent): void => setDark(e.matches);
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, []);
  return dark;
}

const DARK_QUERY = '(prefers-color-scheme: dark)';
