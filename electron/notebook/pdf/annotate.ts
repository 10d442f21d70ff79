/**
 * Hand the highlights back: a COPY of the original PDF with every Gloss highlight written into it as a standard text
 * markup annotation (/Subtype /Highlight), so Acrobat, Preview, Zotero, Okular and pdf.js show them and keep them.
 *
 * Runs in the notebook's worker (jobs.ts `annotatePdf`): pdf.js reads the text geometry (the same layout the import
 * anchored the article's text to), pdf-lib writes the annotations. pdf-lib parses the original bytes into objects and
 * serializes a whole new file; the input buffer is never written to, and the notebook never writes to the stored
 * original (it only reads it). Being a new file, not an incremental update, the copy of a digitally signed PDF no
 * longer carries a valid signature (pdf-lib 1.17 cannot append an update).
 *
 * Each annotation carries what viewers read: /Rect and /QuadPoints over the text (one quad per line, see geometry.ts),
 * /C the Gloss colour, /CA opacity, /Contents the note then the tags, /Subj the tags (or the colour's name), /T "Gloss",
 * /NM the highlight's id, /M and /CreationDate, /F 4 (print), and an appearance stream (/AP /N: the quads filled with
 * the colour, blended with Multiply so the text stays black) for the viewers that draw only appearance streams.
 *
 * A text markup annotation already in the file that covers exactly the text of a Gloss highlight is replaced by it
 * (with its popup): that highlight was most likely imported from it (or written by an earlier export), and may have a
 * new colour or note since; writing both would show it twice and import it twice. Every other annotation in the file
 * (other markup, links, ink, notes, form fields) stays as it is.
 */
import { PDFArray, PDFDocument, PDFHexString, PDFName, PDFRef, PDFString, type PDFPage } from 'pdf-lib';
import type { HighlightColor } from '../../contract';
import { GlossError } from '../errors';
import { glossPdfColor } from './colors';
import { contentsWithTags, GLOSS_AUTHOR, readMarkupAnnotations, type MarkupAnnotation } from './file-annotations';
import { quadsForSpan, spanForQuads, type Quad } from './geometry';
import { readPdfLayout } from './layout';
import { closePdf, openPdf } from './pdfjs-node';
import type { PdfLayout } from './types';

/** What the export needs of a highlight (structured-clone friendly). */
export interface HighlightToWrite {
  id: string;
  start: number;
  end: number;
  quote: string;
  color: HighlightColor;
  note: string;
  tags: string[];
  createdAt: string;
  updatedAt: string;
}

export interface AnnotatePdfInput {
  /** The stored original's bytes (a copy: the job owns them). */
  bytes: Uint8Array;
  password?: string;
  highlights: HighlightToWrite[];
  /** The user's names for colours (Settings.colorLabels), for /Subj when a highlight has no tags. */
  colorLabels?: Partial<Record<HighlightColor, string>>;
}

export interface AnnotatePdfResult {
  bytes: Uint8Array;
  /** Highlights written (one may be several annotations: one per page it spans). */
  written: number;
  /** Highlights whose text could not be found in the file's text (not written; the notebook still has them). */
  missing: string[];
  /** Annotations of the file replaced by a Gloss highlight on the same text (popups not counted). */
  replaced: number;
}

/** Fill opacity: Gloss's colours are pastel and multiplied, so the text under them stays fully legible at 1. */
const OPACITY = 1;

export async function annotatePdf(input: AnnotatePdfInput): Promise<AnnotatePdfResult> {
  const doc = await openPdf(input.bytes, input.password);
  let layout: PdfLayout;
  let existing: MarkupAnnotation[];
  try {
    layout = await readPdfLayout(doc);
    existing = await readMarkupAnnotations(doc, layout);
  } finally {
    await closePdf(doc);
  }
  let pdf: PDFDocument;
  try {
    pdf = await PDFDocument.load(input.bytes, { updateMetadata: false });
  } catch (error) {
    if (error instanceof Error && error.name === 'EncryptedPDFError') throw encryptedError();
    throw new GlossError('invalid_input', `Cannot write annotations into this PDF: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (pdf.isEncrypted) throw encryptedError();

  const pageCount = pdf.getPageCount();
  // Where each highlight goes: one part per page it is on, each with its quads and the text they cover.
  const parts: { pageNumber: number; quads: Quad[]; highlight: HighlightToWrite }[] = [];
  const missing: string[] = [];
  let written = 0;
  const replacedIds = new Set<string>();
  let replaced = 0;
  for (const highlight of input.highlights) {
    const span = locate(layout.text, highlight);
    let placed = false;
    for (const layoutPage of span ? layout.layoutPages : []) {
      if (layoutPage.end <= span!.start || layoutPage.start >= span!.end) continue;
      const quads = quadsForSpan(layoutPage, span!.start, span!.end);
      // pdf-lib may count a damaged page tree differently from pdf.js: a page it does not have gets nothing.
      if (quads.length === 0 || layoutPage.number > pageCount) continue;
      parts.push({ pageNumber: layoutPage.number, quads, highlight });
      placed = true;
      const covered = spanForQuads(layoutPage, quads);
      for (const old of existing) {
        if (old.page !== layoutPage.number || !covered || old.start !== covered.start || old.end !== covered.end || !old.objectId) continue;
        if (!replacedIds.has(old.objectId)) replaced++;
        replacedIds.add(old.objectId);
        if (old.popupId) replacedIds.add(old.popupId);
      }
    }
    if (placed) written++;
    else missing.push(highlight.id);
  }
  const pages = pdf.getPages();
  if (replacedIds.size > 0) for (const page of pages) removeAnnotations(page, replacedIds);
  for (const part of parts) addHighlightAnnotation(pdf, pages[part.pageNumber - 1], part.quads, part.highlight, input.colorLabels);
  // No object streams: the copy keeps the original's header version, and a PDF 1.4 file stays readable as one (about
  // 5% larger than with them). Form fields keep their own appearances.
  const bytes = await pdf.save({ useObjectStreams: false, updateFieldAppearances: false });
  return { bytes, written, missing, replaced };
}

/** How pdf.js names an object reference ("19R", or "19R2" for generation 2): the ids of its annotation data. */
function pdfJsId(ref: PDFRef): string {
  return ref.generationNumber === 0 ? `${ref.objectNumber}R` : `${ref.objectNumber}R${ref.generationNumber}`;
}

/** Takes the named annotations off a page's /Annots (the objects stay in the file, unreferenced). */
function removeAnnotations(page: PDFPage, ids: ReadonlySet<string>): void {
  const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray);
  if (!annots) return;
  for (let i = annots.size() - 1; i >= 0; i--) {
    const entry = annots.get(i);
    if (entry instanceof PDFRef && ids.has(pdfJsId(entry))) annots.remove(i);
  }
}

function encryptedError(): GlossError {
  return new GlossError(
    'invalid_input',
    'This PDF is encrypted, and an annotated copy of an encrypted PDF cannot be written. Export the highlights as Markdown instead, or import a copy of the PDF saved without a password.',
  );
}

/**
 * The highlight's span in the file's text: its offsets when the quote is there (the usual case: the article's text is
 * this very text), else the quote's occurrence nearest to them (the text was read differently), else null.
 */
function locate(text: string, highlight: HighlightToWrite): { start: number; end: number } | null {
  if (highlight.end <= highlight.start) return null;
  if (text.slice(highlight.start, highlight.end) === highlight.quote) return { start: highlight.start, end: highlight.end };
  if (!highlight.quote) return null;
  let best = -1;
  for (let at = text.indexOf(highlight.quote); at >= 0; at = text.indexOf(highlight.quote, at + 1)) {
    if (best < 0 || Math.abs(at - highlight.start) < Math.abs(best - highlight.start)) best = at;
  }
  return best < 0 ? null : { start: best, end: best + highlight.quote.length };
}

function addHighlightAnnotation(
  pdf: PDFDocument,
  page: PDFPage,
  quads: Quad[],
  highlight: HighlightToWrite,
  colorLabels: AnnotatePdfInput['colorLabels'],
): void {
  const xs = quads.flatMap((q) => [q[0], q[2], q[4], q[6]]);
  const ys = quads.flatMap((q) => [q[1], q[3], q[5], q[7]]);
  const rect = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)].map(tidy);
  const color = glossPdfColor(highlight.color);
  const context = pdf.context;
  const appearance = context.stream(appearanceOperators(quads, color), {
    Type: 'XObject',
    Subtype: 'Form',
    FormType: 1,
    BBox: rect,
    Resources: { ExtGState: { GlossHighlight: { Type: 'ExtGState', BM: 'Multiply', CA: OPACITY, ca: OPACITY } } },
  });
  const subject = highlight.tags.length ? highlight.tags.map((t) => `#${t}`).join(' ') : (colorLabels?.[highlight.color] ?? highlight.color);
  const annotation = context.obj({
    Type: 'Annot',
    Subtype: 'Highlight',
    Rect: rect,
    QuadPoints: quads.flat().map(tidy),
    C: color.map(tidy),
    CA: OPACITY,
    F: 4,
    AP: { N: context.register(appearance) },
  });
  annotation.set(PDFName.of('Contents'), PDFHexString.fromText(contentsWithTags(highlight.note, highlight.tags)));
  annotation.set(PDFName.of('Subj'), PDFHexString.fromText(subject));
  annotation.set(PDFName.of('T'), PDFHexString.fromText(GLOSS_AUTHOR));
  annotation.set(PDFName.of('NM'), PDFHexString.fromText(highlight.id));
  annotation.set(PDFName.of('M'), PDFString.fromDate(validDate(highlight.updatedAt)));
  annotation.set(PDFName.of('CreationDate'), PDFString.fromDate(validDate(highlight.createdAt)));
  annotation.set(PDFName.of('P'), page.ref);
  const ref = context.register(annotation);
  // addAnnot would do, but a page whose /Annots is an indirect reference needs it resolved first: do that by hand.
  const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray);
  if (annots) annots.push(ref);
  else page.node.set(PDFName.of('Annots'), context.obj([ref]));
}

/** The appearance: every quad filled, Multiply-blended (viewers that draw only /AP still show the highlight). */
function appearanceOperators(quads: Quad[], [r, g, b]: number[]): string {
  const lines = ['/GlossHighlight gs', `${tidy(r)} ${tidy(g)} ${tidy(b)} rg`];
  for (const q of quads.map((quad) => quad.map(tidy))) {
    // corners in drawing order: upper-left, upper-right, lower-right, lower-left
    lines.push(`${q[0]} ${q[1]} m ${q[2]} ${q[3]} l ${q[6]} ${q[7]} l ${q[4]} ${q[5]} l h f`);
  }
  return lines.join('\n');
}

/** Numbers as PDF writes them: 3 decimals are a thousandth of a point, well below what anyone sees. */
function tidy(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function validDate(iso: string): Date {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? new Date(0) : date;
}
