/**
 * A PDF's first page drawn before the app is mounted: where it goes, and the page itself until the reader takes it.
 *
 * Opening the window straight onto a PDF (a reload, the last route put back, a link), the app's chunk (React DOM and
 * every component) and React's first renders cost ~200 ms of main thread before the reader exists; bare pdf.js has
 * none of it (bench/RESULTS.md, "PDFs"). So page 1 is drawn first (reader/pdf/early-page.ts, in the reader's chunk) in
 * a box where the reader's document will be, and the app is mounted after it; the reader then takes that page in as
 * its own (PdfReader's openPages).
 *
 * Where the document will be is remembered, not computed: after each PDF's page 1 the reader writes down its
 * document's box (localStorage, this browser only). That box is the app's layout, not the PDF's: any PDF opens into
 * the same one (the outline starts closed), so it serves every PDF, not only the one it was measured with, in a window
 * of the same width (a taller or shorter one moves its bottom edge; the last few widths are kept). The page's scale is fitted to the box as the
 * reader fits it, so a box that turns out wrong costs a redraw at the right scale, never a wrong page.
 *
 * This module is in the page's first script (start.ts uses it): no pdf.js here, types only.
 */
import type { Article, UiSettings } from '../../../../electron/contract';

const BOX_KEY = 'gloss.pdf.box';

/** Where the reader's scrolling document was (its border box in the window) the last time it drew a PDF's page 1. */
export interface EarlyBox {
  /** The PDF it was measured with: its bytes may be asked for before its article says it is still a PDF. */
  articleId: string;
  /** The file it was (its pdf.sha256): its document starts loading before the article says it is still the one. */
  sha256: string | null;
  /** A PDF opened with a password waits for its article (the password is never kept here). */
  password: boolean;
  /** A banner (a scan's, the app's notices) stood above the document: the box is that PDF's, not every PDF's. */
  banner: boolean;
  /** The window it was measured in. */
  innerWidth: number;
  innerHeight: number;
  /** What of the settings moves the document's box (the notes panel), as they were then. */
  notesWidth: number | null;
  notesHidden: boolean;
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * Boxes are kept for this many window widths, the latest first: a window moved between two screens, or maximised
 * and not, finds the box of each.
 */
const WIDTHS_KEPT = 4;

/** The boxes remembered, the latest first (one per window width); none when storage is empty, blocked or not boxes. */
function rememberedBoxes(): EarlyBox[] {
  try {
    const kept: unknown = JSON.parse(localStorage.getItem(BOX_KEY) ?? '[]');
    return (Array.isArray(kept) ? kept : [kept]).filter(isBox);
  } catch {
    return [];
  }
}

function isBox(box: unknown): box is EarlyBox {
  if (!box || typeof box !== 'object') return false;
  const b = box as EarlyBox;
  return typeof b.articleId === 'string' && [b.innerWidth, b.innerHeight, b.left, b.top, b.width, b.height].every(Number.isFinite);
}

/** Remembered by the reader once its first page is drawn, in place of the box of the same window width. */
export function rememberEarlyBox(article: Pick<Article, 'id' | 'pdf'>, rect: DOMRect, ui: UiSettings | undefined, banner: boolean): void {
  const box: EarlyBox = {
    articleId: article.id,
    sha256: article.pdf?.sha256 ?? null,
    password: Boolean(article.pdf?.password),
    banner,
    innerWidth: window.innerWidth,
    innerHeight: window.innerHeight,
    notesWidth: ui?.notesWidth ?? null,
    notesHidden: ui?.notesHidden === true,
    left: rect.left,
    top: rect.top,
    width: rect.width,
    height: rect.height,
  };
  const others = rememberedBoxes().filter((b) => b.innerWidth !== box.innerWidth);
  try {
    localStorage.setItem(BOX_KEY, JSON.stringify([box, ...others].slice(0, WIDTHS_KEPT)));
  } catch {
    /* not kept: the next start-up opens the ordinary way */
  }
}

/**
 * Where the reader's document will be in this window when it opens `articleId`, if a remembered box tells: one
 * measured in a window of this width (what wraps, the app bar and the reader's toolbar, and the notes panel's share
 * follow the width), its bottom edge moved with the window's. Null when none is, or a banner stood above the document
 * of another PDF. Whether the notes panel is still as it was is for the settings to say (earlyBoxFits).
 */
export function earlyBoxFor(articleId: string): EarlyBox | null {
  const box = rememberedBoxes().find((b) => b.innerWidth === window.innerWidth);
  if (!box || (box.banner && box.articleId !== articleId)) return null;
  const height = box.height + window.innerHeight - box.innerHeight;
  if (box.width < 100 || height < 100) return null;
  return height === box.height ? box : { ...box, innerHeight: window.innerHeight, height };
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
