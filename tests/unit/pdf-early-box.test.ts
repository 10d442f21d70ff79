/**
 * early-box.ts: the reader's document box is remembered and handed to the start-up of any PDF, in a window of its
 * width, with the notes panel as it was; a page drawn early goes to the reader of its document once
 * drawn, else it is dropped, and the app going to another article drops it.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { EarlyPage } from '../../renderer/src/reader/pdf/early-box';
import { memoryStorage } from '../support/memory-storage';

type Box = typeof import('../../renderer/src/reader/pdf/early-box');

const rect = { left: 0, top: 98, width: 896, height: 702 } as DOMRect;

function page(key: string, drawn: boolean): EarlyPage<string> & { said: string[] } {
  const said: string[] = [];
  return { key, view: `view of ${key}`, drawn, said, release: () => said.push('release'), drop: () => said.push('drop') };
}

describe('the box a PDF is drawn in before the app', () => {
  let early: Box;
  beforeEach(async () => {
    vi.resetModules();
    vi.stubGlobal('window', { innerWidth: 1280, innerHeight: 800, devicePixelRatio: 1 });
    vi.stubGlobal('localStorage', memoryStorage());
    early = await import('../../renderer/src/reader/pdf/early-box');
  });

  it('is given for any PDF in a window of the size it was measured in, the notes panel being as it was', () => {
    expect(early.earlyBoxFor('a')).toBeNull();
    early.rememberEarlyBox({ id: 'a', pdf: { sha256: 'ff', bytes: 1, pageCount: 1, hasTextLayer: true } }, rect, { notesWidth: 400 }, false);
    const box = early.earlyBoxFor('a')!;
    expect(box).toMatchObject({ articleId: 'a', sha256: 'ff', password: false, banner: false, left: 0, top: 98, width: 896, height: 702, notesWidth: 400, notesHidden: false });
    // The app's layout, not the PDF's: another PDF opens into the same box (and says whose it was).
    expect(early.earlyBoxFor('b')).toEqual(box);
    expect(early.earlyBoxFits(box, { notesWidth: 400 })).toBe(true);
    expect(early.earlyBoxFits(box, { notesWidth: 300 })).toBe(false);
    expect(early.earlyBoxFits(box, { notesWidth: 400, notesHidden: true })).toBe(false);
    // The page is drawn at the screen's own pixel ratio: another ratio moves nothing.
    vi.stubGlobal('window', { innerWidth: 1280, innerHeight: 800, devicePixelRatio: 2 });
    expect(early.earlyBoxFor('a')).toEqual(box);
  });

  it("in a window of the same width moves with the window's bottom edge; another width, and it is not given", () => {
    early.rememberEarlyBox({ id: 'a' }, rect, undefined, false);
    vi.stubGlobal('window', { innerWidth: 1280, innerHeight: 900, devicePixelRatio: 1 });
    expect(early.earlyBoxFor('b')).toMatchObject({ left: 0, top: 98, width: 896, height: 802, innerWidth: 1280, innerHeight: 900 });
    vi.stubGlobal('window', { innerWidth: 1280, innerHeight: 300, devicePixelRatio: 1 });
    expect(early.earlyBoxFor('b')).toMatchObject({ height: 202 });
    vi.stubGlobal('window', { innerWidth: 1280, innerHeight: 150, devicePixelRatio: 1 });
    expect(early.earlyBoxFor('b')).toBeNull(); // no room for a page
    // Another width wraps the app's bar and the reader's toolbar differently, and shares it with the notes panel anew.
    vi.stubGlobal('window', { innerWidth: 1600, innerHeight: 800, devicePixelRatio: 1 });
    expect(early.earlyBoxFor('a')).toBeNull();
    vi.stubGlobal('window', { innerWidth: 1279, innerHeight: 800, devicePixelRatio: 1 });
    expect(early.earlyBoxFor('a')).toBeNull();
  });

  it('keeps the box of the last few window widths, one each, and reads a box kept alone (before there were several)', () => {
    for (const innerWidth of [1000, 1100, 1200, 1280, 1400]) {
      vi.stubGlobal('window', { innerWidth, innerHeight: 800, devicePixelRatio: 1 });
      early.rememberEarlyBox({ id: `at ${innerWidth}` }, rect, undefined, false);
    }
    vi.stubGlobal('window', { innerWidth: 1100, innerHeight: 800, devicePixelRatio: 1 });
    early.rememberEarlyBox({ id: 'again at 1100' }, rect, undefined, false);
    const at = (innerWidth: number): string | null => {
      vi.stubGlobal('window', { innerWidth, innerHeight: 800, devicePixelRatio: 1 });
      return early.earlyBoxFor('x')?.articleId ?? null;
    };
    expect([1000, 1100, 1200, 1280, 1400].map(at)).toEqual([null, 'again at 1100', 'at 1200', 'at 1280', 'at 1400']);
    localStorage.setItem('gloss.pdf.box', JSON.stringify({ ...early.earlyBoxFor('x'), articleId: 'alone' }));
    expect(at(1400)).toBe('alone');
  });

  it('measured below a banner, is given only for the PDF it was measured with', () => {
    early.rememberEarlyBox({ id: 'scan' }, rect, undefined, true);
    expect(early.earlyBoxFor('scan')).toMatchObject({ banner: true, top: 98 });
    expect(early.earlyBoxFor('b')).toBeNull();
  });

  it('is not given for what is not a box', () => {
    localStorage.setItem('gloss.pdf.box', '{not json');
    expect(early.earlyBoxFor('a')).toBeNull();
    localStorage.setItem('gloss.pdf.box', JSON.stringify({ articleId: 'a', innerWidth: 1280, innerHeight: 800, left: 0, top: 0, width: 'wide', height: 900 }));
    expect(early.earlyBoxFor('a')).toBeNull();
    localStorage.setItem('gloss.pdf.box', JSON.stringify({ articleId: 'a', innerWidth: 1280, innerHeight: 800, left: 0, top: 0, width: 800, height: 9 }));
    expect(early.earlyBoxFor('a')).toBeNull();
  });

  it("hands a drawn page to its document's reader once; one still drawing, or of another document, is dropped", () => {
    const drawn = page('a\nsha\n', true);
    early.setEarlyPage(drawn);
    expect(early.takeEarlyPage('b\nsha\n')).toBeNull();
    expect(drawn.said).toEqual(['drop']);

    const mine = page('a\nsha\n', true);
    early.setEarlyPage(mine);
    expect(early.takeEarlyPage('a\nsha\n')).toBe('view of a\nsha\n');
    expect(mine.said).toEqual(['release']); // its box and painter go; the view is the reader's now
    expect(early.takeEarlyPage('a\nsha\n')).toBeNull();

    const drawing = page('a\nsha\n', false);
    early.setEarlyPage(drawing);
    expect(early.takeEarlyPage('a\nsha\n')).toBeNull();
    expect(drawing.said).toEqual(['drop']);
  });

  it('is dropped when the app goes to another article or the library, kept while it stays on its own', () => {
    const p = page('a\nsha\n', true);
    early.setEarlyPage(p);
    early.dropEarlyPage('a');
    expect(p.said).toEqual([]);
    early.dropEarlyPage('b');
    expect(p.said).toEqual(['drop']);
    const q = page('a\nsha\n', false);
    early.setEarlyPage(q);
    early.setEarlyPage(page('c\nsha\n', false)); // another one drawn early replaces it
    expect(q.said).toEqual(['drop']);
    early.dropEarlyPage(null);
    expect(early.takeEarlyPage('c\nsha\n')).toBeNull();
  });
});
