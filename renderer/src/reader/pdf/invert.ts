/** The reader's inverted pages (a dark reading room), kept per browser: read by the reader and by early-page.ts. */
const INVERT_KEY = 'gloss.pdf.invert';

export function readInvert(): boolean {
  try {
    return localStorage.getItem(INVERT_KEY) === '1';
  } catch {
    return false;
  }
}

export function writeInvert(on: boolean): void {
  try {
    localStorage.setItem(INVERT_KEY, on ? '1' : '0');
  } catch {
    /* a choice that is not kept costs a click */
  }
}
