/**
 * A document's outline for the side panel: entries at offsets in the article's text, whatever made them. In order of
 * preference: an EPUB's stored table of contents (Article.toc, made at import), the HTML's headings, and for a plain
 * text (a novel pasted or saved as .txt) its chapter lines ("CHAPTER 12. The Whiteness of the Whale"). The PDF reader
 * keeps its own panel (pdf/PdfOutline.tsx), fed by the PDF's bookmarks and pages rather than text offsets.
 */
import type { TocEntry } from '../../../../electron/contract';
import { textOffsetOf, type TextModel } from '../../../../electron/text-model';

export interface OutlineItem {
  label: string;
  /** Offset in the article's text where the entry begins. */
  start: number;
  /** 0 for top-level entries. */
  depth: number;
}

/** Fewer entries than this is not a structure worth a panel (a title and one subheading). */
export const MIN_ENTRIES = 2;
/** Labels are one line in the panel; a "heading" longer than this is a paragraph set in bold. */
const MAX_LABEL = 160;

export function outlineFromToc(toc: readonly TocEntry[]): OutlineItem[] {
  return toc.map((t) => ({ label: t.label, start: t.start, depth: Math.min(t.depth, 5) }));
}

/** The article's h1-h6, at their text offsets, depth relative to the highest level used. */
export function outlineFromHeadings(root: HTMLElement, model: TextModel, nodeIndex: Map<Node, number>): OutlineItem[] {
  const headings = Array.from(root.querySelectorAll<HTMLElement>('h1, h2, h3, h4, h5, h6'));
  const found: { label: string; start: number; level: number }[] = [];
  for (const h of headings) {
    const label = (h.textContent ?? '').replace(/\s+/g, ' ').trim();
    if (!label || label.length > MAX_LABEL) continue;
    const start = textOffsetOf(model, nodeIndex, h, 0);
    if (start === null) continue;
    found.push({ label, start, level: Number(h.tagName.slice(1)) });
  }
  const top = Math.min(...found.map((f) => f.level));
  return found.map((f) => ({ label: f.label, start: f.start, depth: f.level - top }));
}

const NUMBER = String.raw`(?:\d{1,4}|[IVXLCDM]{1,8}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|[a-z]+teen|twenty|thirty|forty|fifty|first|second|third|fourth|fifth|last)`;
/** "CHAPTER 12.", "Chapter XII", "BOOK ONE", "PART 2 — The Sea", "Prologue", "Epilogue". */
const CHAPTER_LINE = new RegExp(String.raw`^(?:(?:chapter|book|part|volume|act|canto)\s+${NUMBER}\b|prologue\b|epilogue\b|preface\b|introduction\b)`, 'i');
const BOOK_OR_PART = /^(?:book|part|volume)\b/i;

/**
 * Chapter lines of a plain text: short paragraphs that start like a chapter heading. Books and parts nest chapters. A
 * line that comes again later was a contents list's (a Gutenberg text lists every chapter before the first): only its
 * last occurrence, where the chapter begins, is kept.
 */
export function outlineFromChapterLines(text: string): OutlineItem[] {
  const out: OutlineItem[] = [];
  let hasParts = false;
  let at = 0;
  for (const paragraph of text.split('\n\n')) {
    if (paragraph.length <= MAX_LABEL && CHAPTER_LINE.test(paragraph)) {
      const part = BOOK_OR_PART.test(paragraph);
      hasParts ||= part;
      out.push({ label: paragraph.replace(/\s+/g, ' ').trim(), start: at, depth: part ? 0 : 1 });
    }
    at += paragraph.length + 2;
  }
  const last = new Map(out.map((o, i) => [o.label.toLowerCase(), i]));
  const kept = out.filter((o, i) => last.get(o.label.toLowerCase()) === i);
  return hasParts ? kept : kept.map((o) => ({ ...o, depth: 0 }));
}

/** The outline an article shows: its table of contents, else its headings, else its chapter lines; [] for none. */
export function outlineOf(toc: readonly TocEntry[] | undefined, root: HTMLElement, model: TextModel, nodeIndex: Map<Node, number>): OutlineItem[] {
  const candidates = [
    () => (toc ? outlineFromToc(toc) : []),
    () => outlineFromHeadings(root, model, nodeIndex),
    () => outlineFromChapterLines(model.text),
  ];
  for (const make of candidates) {
    const items = make();
    if (items.length >= MIN_ENTRIES) return items;
  }
  return [];
}

/** Index of the entry an offset is in: the last one starting at or before it (-1 before the first). */
export function entryIndexAt(items: readonly OutlineItem[], offset: number): number {
  let lo = 0;
  let hi = items.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid].start <= offset) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}
