/**
 * Highlights made elsewhere (Acrobat, Preview, Zotero, Okular) come in: the file's Highlight, Underline, StrikeOut and
 * Squiggly annotations become Gloss highlights on the text under their quads.
 */
import type { PdfDocument } from './pdfjs-node';
import type { FileAnnotation, PdfLayout } from './types';

export async function readFileAnnotations(_doc: PdfDocument, _layout: PdfLayout): Promise<FileAnnotation[]> {
  return []; // issue 14: the PDF annotations helper builds this
}
