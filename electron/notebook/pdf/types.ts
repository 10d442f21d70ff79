/**
 * Types shared by the PDF modules on the Node side (extraction, in-file annotations, the annotated export). The
 * reader has its own copy of the text rules in electron/pdf-text.ts; these describe what pdf.js gave the worker.
 */
import type { HighlightColor, PdfPage } from '../../contract';

/** One pdf.js text item as the worker keeps it: its text and where it is drawn (PDF user space, points). */
export interface PdfTextItem {
  str: string;
  hasEOL: boolean;
  /** pdf.js's item transform [a, b, c, d, e, f]: e, f is the baseline origin; a..d hold the font's size and angle. */
  transform: number[];
  /** Advance width in user space (points) and height (the font size, roughly). */
  width: number;
  height: number;
  dir: string;
}

/** One page of the layout: its text items, where each starts in the article text, and the page's box. */
export interface PdfLayoutPage {
  number: number;
  /** Offset of the page's text in the article's text (PdfPage.start). */
  start: number;
  end: number;
  items: PdfTextItem[];
  /** itemStarts[i] = offset of items[i] in the PAGE text (electron/pdf-text.ts buildPageText), -1 for none. */
  itemStarts: number[];
  /** The page's view box [x1, y1, x2, y2] in user space (pdf.js page.view). */
  view: number[];
}

/** Everything the worker learned about a PDF's text: the article's text, its pages, and the geometry under them. */
export interface PdfLayout {
  text: string;
  pages: PdfPage[];
  layoutPages: PdfLayoutPage[];
}

/** A highlight found in the file (made in Acrobat, Preview, Zotero, Okular), anchored in the article's text. */
export interface FileAnnotation {
  start: number;
  end: number;
  page: number;
  color: HighlightColor;
  /** The annotation's comment (Contents or its popup's), '' when none. */
  note: string;
  subtype: 'Highlight' | 'Underline' | 'StrikeOut' | 'Squiggly';
  author?: string;
  /** Tags, only from Gloss's own annotated export (author "Gloss"), which writes them after the note (see GLOSS_AUTHOR). */
  tags?: string[];
}

/** What the import worker hands back for a PDF: the article's text and pages, metadata, and in-file highlights. */
export interface ExtractedPdf {
  title: string;
  authors: string[];
  publishedAt?: string;
  doi?: string;
  lang?: string;
  /** Journal, volume, pages, publisher, ISBN (pdf/metadata.ts pdfCitation). */
  citation?: import('../import/types').CitationFields;
  text: string;
  pages: PdfPage[];
  pageCount: number;
  hasTextLayer: boolean;
  encrypted: boolean;
  annotations: FileAnnotation[];
}
