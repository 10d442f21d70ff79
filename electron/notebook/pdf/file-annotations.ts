/**
 * Highlights made elsewhere (Acrobat, Preview, Zotero, Okular) come in: the file's Highlight, Underline, StrikeOut and
 * Squiggly annotations become Gloss highlights on the text under their quads, their comment as the note, their colour
 * as the nearest Gloss colour. An annotation with no text under it (on a scan, or quads off the text) cannot be a
 * highlight and is left out.
 */
import { nearestGlossColor } from './colors';
import { spanForQuads } from './geometry';
import type { PdfDocument } from './pdfjs-node';
import type { FileAnnotation, PdfLayout } from './types';

const TEXT_MARKUP = new Set<FileAnnotation['subtype']>(['Highlight', 'Underline', 'StrikeOut', 'Squiggly']);

/** The /T Gloss's annotated export writes; such an annotation's contents end with its tags (see contentsWithTags). */
export const GLOSS_AUTHOR = 'Gloss';

/** The part of pdf.js's annotation data read here. */
interface AnnotationData {
  id?: string;
  subtype?: string;
  quadPoints?: ArrayLike<number> | null;
  color?: ArrayLike<number> | null;
  contentsObj?: { str?: string };
  richText?: { str?: string };
  titleObj?: { str?: string };
  popupRef?: string | null;
}

export async function readFileAnnotations(doc: PdfDocument, layout: PdfLayout): Promise<FileAnnotation[]> {
  return (await readMarkupAnnotations(doc, layout)).map(({ objectId: _id, popupId: _popup, ...annotation }) => annotation);
}

/** A file annotation with the ids pdf.js gives its object and its popup's ("19R"), to find them again in the file. */
export interface MarkupAnnotation extends FileAnnotation {
  objectId?: string;
  popupId?: string;
}

export async function readMarkupAnnotations(doc: PdfDocument, layout: PdfLayout): Promise<MarkupAnnotation[]> {
  const found: MarkupAnnotation[] = [];
  for (const layoutPage of layout.layoutPages) {
    const page = await doc.getPage(layoutPage.number);
    const annotations = (await page.getAnnotations()) as AnnotationData[];
    page.cleanup();
    for (const annotation of annotations) {
      const subtype = annotation.subtype as FileAnnotation['subtype'];
      if (!TEXT_MARKUP.has(subtype)) continue;
      // (pdf.js itself leaves out a markup annotation without QuadPoints, so every one here has them.)
      const span = annotation.quadPoints?.length ? spanForQuads(layoutPage, annotation.quadPoints) : null;
      if (!span) continue;
      const author = annotation.titleObj?.str?.trim() || undefined;
      // The comment is the annotation's /Contents, or its rich text (/RC). A popup shows its parent's comment: pdf.js
      // gives a Popup its parent's /Contents, never its own, so there is nothing more to read there.
      const comment = commentOf(annotation);
      const { note, tags } = author === GLOSS_AUTHOR ? splitTags(comment) : { note: comment, tags: undefined };
      found.push({
        ...span,
        page: layoutPage.number,
        color: nearestGlossColor(annotation.color),
        note,
        subtype,
        ...(author && { author }),
        ...(tags && { tags }),
        ...(annotation.id && { objectId: annotation.id }),
        ...(annotation.popupRef && { popupId: annotation.popupRef }),
      });
    }
  }
  return found.sort((a, b) => a.start - b.start || a.end - b.end);
}

function commentOf(annotation: AnnotationData): string {
  return (annotation.contentsObj?.str || annotation.richText?.str || '').replace(/\r\n?/gu, '\n').trim();
}

/** The contents Gloss writes: the note, then a blank line and the tags ("#econ #to read"), when there are tags. */
export function contentsWithTags(note: string, tags: readonly string[]): string {
  const line = tags.map((tag) => `#${tag}`).join(' ');
  if (!line) return note;
  return note ? `${note}\n\n${line}` : line;
}

/** contentsWithTags read back: a last paragraph starting with "#" is the tags (split at " #", so "to read" survives). */
function splitTags(contents: string): { note: string; tags?: string[] } {
  const cut = contents.lastIndexOf('\n\n');
  const last = cut < 0 ? contents : contents.slice(cut + 2);
  if (!last.startsWith('#') || last.includes('\n')) return { note: contents };
  const tags = last
    .slice(1)
    .split(' #')
    .map((tag) => tag.trim())
    .filter(Boolean);
  return { note: cut < 0 ? '' : contents.slice(0, cut), tags };
}
