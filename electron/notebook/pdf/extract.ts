/**
 * The worker's side of a PDF import: bytes in, the article's text, pages, metadata and in-file highlights out. Runs as
 * the notebook worker's 'extractPdf' job (workers/jobs.ts), so a hostile file meets the worker's time and memory limits.
 * Every refusal is a GlossError naming the file and saying what is wrong with it in the user's words.
 */
import { createHash } from 'node:crypto';
import { GlossError } from '../errors';
import { readFileAnnotations } from './file-annotations';
import { readPdfLayout } from './layout';
import { readPdfMetadata } from './metadata';
import { closePdf, openPdf, type PdfDocument } from './pdfjs-node';
import type { ExtractedPdf } from './types';

export interface ExtractPdfJob {
  bytes: Uint8Array;
  password?: string;
  /** How the file is named in messages, quoted: "\"paper.pdf\"". */
  name: string;
  /** The file's own name, which a title equal to it is not (metadata.ts). */
  fileName?: string;
}

/** What the job answers: the extraction, and the SHA-256 of the bytes (the stored original's name), hashed here. */
export interface ExtractedPdfFile extends ExtractedPdf {
  sha256: string;
  bytes: number;
}

/** How far into a file `%PDF-` may start (readers accept leading junk; pdf.js looks this far too). */
const HEADER_WINDOW = 1024;

/** Refuses bytes that are not a PDF at all (no `%PDF-` near the start), before anything is parsed or stored. */
export function assertPdfHeader(bytes: Uint8Array, name: string): void {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, HEADER_WINDOW)).toString('latin1');
  if (bytes.byteLength === 0) throw new GlossError('invalid_input', `Cannot import ${name}: the file is empty.`);
  if (!head.includes('%PDF-')) {
    throw new GlossError('invalid_input', `Cannot import ${name}: it is not a PDF (a PDF starts with "%PDF-"; this file does not).`);
  }
}

export async function extractPdf(job: ExtractPdfJob): Promise<ExtractedPdfFile> {
  assertPdfHeader(job.bytes, job.name);
  const sha256 = createHash('sha256').update(job.bytes).digest('hex');
  let doc: PdfDocument;
  try {
    doc = await openPdf(job.bytes, job.password || undefined);
  } catch (error) {
    throw openError(error, job);
  }
  try {
    const layout = await readPdfLayout(doc);
    const { info, metadata } = await doc.getMetadata().catch(() => ({ info: {}, metadata: null }));
    const infoRecord = { ...(info as Record<string, unknown>) };
    const meta = readPdfMetadata({
      info: infoRecord,
      xmp: metadata ? (Object.fromEntries(metadata) as Record<string, unknown>) : {},
      firstPageItems: layout.layoutPages[0]?.items ?? [],
      firstPageText: layout.pages[0] ? layout.text.slice(layout.pages[0].start, layout.pages[0].end) : '',
      fileName: job.fileName,
    });
    const annotations = await readFileAnnotations(doc, layout);
    return {
      ...meta,
      text: layout.text,
      pages: layout.pages,
      pageCount: doc.numPages,
      // A scan's pages are images: nothing to select. A stray OCR-less page number does not make a text layer either.
      hasTextLayer: /[\p{L}\p{N}]{2}/u.test(layout.text),
      encrypted: Boolean(infoRecord.EncryptFilterName),
      annotations,
      sha256,
      bytes: job.bytes.byteLength,
    };
  } catch (error) {
    if (error instanceof GlossError) throw error;
    throw damaged(job.name, error);
  } finally {
    await closePdf(doc).catch(() => undefined);
  }
}

/** pdf.js's refusal to open a file, in words: a password is needed or wrong (423), or the file is damaged. */
function openError(error: unknown, job: ExtractPdfJob): GlossError {
  const e = error as { name?: string; code?: number; message?: string };
  if (e?.name === 'PasswordException') {
    // pdf.js PasswordResponses: 1 NEED_PASSWORD, 2 INCORRECT_PASSWORD.
    return e.code === 2 && job.password
      ? new GlossError('password_required', `Cannot import ${job.name}: the password given is wrong. Check it and try again.`)
      : new GlossError('password_required', `Cannot import ${job.name}: it is protected by a password. Give its password to import it.`);
  }
  return damaged(job.name, error);
}

function damaged(name: string, error: unknown): GlossError {
  const detail = error instanceof Error && error.message ? ` (${error.message.replace(/\.$/, '')})` : '';
  return new GlossError('invalid_input', `Cannot import ${name}: the PDF is damaged or truncated and cannot be read${detail}.`);
}
