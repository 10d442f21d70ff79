/**
 * A PDF's first page drawn before the app is mounted: where it goes, and the page itself until the reader takes it.
 *
 * Opening the window straight onto a PDF (a reload, the last route put back), the app's chunk (React DOM and every
 * component) and React's first renders cost ~200 ms of main thread before the reader exists; bare pdf.js has none of
 * it (bench/RESULTS.md, "PDFs"). So for the PDF whose page 1 this window last drew, at the same window size, page 1 is
 * drawn first (reader/pdf/early-page.ts, in the reader's chunk) in a box where the reader's document was, and the app
 * is mounted after it; the reader then takes that page in as its own (PdfReader's openPages). Only the box is
 * remembered (localStorage, this browser only): the page's scale is fitted to it as the reader fits it, so a stale
 * box costs a redraw at the right scale, never a wrong page.
 *
 * This module is in the page's first script (start.ts uses it): no pdf.js here, types only.
 */
import type { Article, UiSettings } from '../../../../electron/contract';

const BOX_KEY = 'gloss.pdf.box';

/** Where the reader's scrolling document was (its border box in the window) the last time it drew a PDF's page 1. */
export interface EarlyBox {
  articleId: string;
  /** The file it was (its pdf.sha256): its document starts loading before the article says it is still the one. */
  sha256: string | null;
  /** A PDF opened with a password waits for its article (the password is never kept here). */
  password: boolean;
  /** The window it was measured in: another size, another layout. */
  innerWidth: number;
  innerHeight: number;
  devicePixelRatio: number;
  /** What of the settings moves the document's box (the notes panel), as they were then. */
  notesWidth: number | null;
  notesHidden: boolean;
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Remembered by the reader once its first page is drawn. */
export function rememberEarlyBox(article: Pick<Article, 'id' | 'pdf'>, rect: DOMRect, ui: UiSettings | undefined): void {
  const box: EarlyBox = {
    articleId: article.id,
    sha256: article.pdf?.sha256 ?? null,
    password: Boolean(article.pdf?.password),
    innerWidth: window.innerWidth,
    innerHeight: window.innerHeight,
    devicePixelRatio: window.devicePixelRatio || 1,
    notesWidth: ui?.notesWidth ?? null,
    notesHidden: ui?.notesHidden === true,
    left: rect.left,
    top: rect.top,
    width: rect.width,
    height: rect.height,
  };
  try {
    localStorage.setItem(BOX_KEY, JSON.stringify(box));
  } catch {
    /* not kept: the next start-up opens the ordinary way */
  }
}

/** The remembered box if it was measured for this article in a window of this size; null otherwise. */
export function earlyBoxFor(articleId: string): EarlyBox | null {
  let box: EarlyBox | null;
  try {
    box = JSON.parse(localStorage.getItem(BOX_KEY) ?? 'null') as EarlyBox | null;
  } catch {
    return null;
  }
  if (!box || typeof box !== 'object' || box.articleId !== articleId) return null;
  if (box.innerWidth !== window.innerWidth || box.innerHeight !== window.innerHeight || box.devicePixelRatio !== (window.devicePixelRatio || 1)) return null;
  if (![box.left, box.top, box.width, box.height].every(Number.isFinite) || box.width < 100 || box.height < 100) return null;
  return box;
}

/** The settings still lay the reader out as they did when the box was measured. */
export function earlyBoxFits(box: EarlyBox, ui: UiSettings | undefined): boolean {
  return (ui?.notesWidth ?? null) === box.notesWidth && (ui?.notesHidden === true) === box.notesHidden;
}

/** A page drawn early (early-page.ts), waiting for its reader. */
export interface EarlyPage<View = unknown> {
  /** pdfKey (warm.ts) of the document it is a page of. */
  key: string;
  view: View;
  /** True once its canvas, text layer and highlights are shown. */
  drawn: boolean;
  /** Hands the page's view over: the box it was shown in and its painter go, the view stays as it is. */
  release(): void;
  /** Throws it all away (the view's canvas and pdf.js's resources too). */
  drop(): void;
}

let early: EarlyPage | null = null;

export function setEarlyPage(page: EarlyPage): void {
  if (early && early !== page) early.drop();
  early = page;
}

export function isEarlyPage(page: EarlyPage): boolean {
  return early === page;
}

/** The reader's: the page drawn early for this document, if it is drawn (one still drawing is dropped). */
export function takeEarlyPage<View>(key: string): View | null {
  const page = early;
  early = null;
  if (!page) return null;
  if (page.key !== key || !page.drawn) {
    page.drop();
    return null;
  }
  page.release();
  return page.view as View;
}

/** The app went elsewhere: a page drawn early for another article (or any, with null) goes. */
export function dropEarlyPage(articleId: string | null = null): void {
  if (!early || (articleId !== null && early.key.startsWith(`${articleId}\n`))) return;
  early.drop();
  early = null;
}
