/**
 * Small real PDFs for tests, made with pdf-lib: pages of Helvetica text (one drawText per line), Info metadata, and a
 * page with drawing but no text (what a scan is to a text reader). qpdf encrypts one where a test needs a password.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument, PDFName, rgb, StandardFonts } from 'pdf-lib';

export interface PageSpec {
  /** Lines drawn top to bottom; the first line of the first page may be drawn larger as the title. */
  lines: string[];
  /** Font size of the first line (a title), default the body's 11 pt. */
  firstLineSize?: number;
}

export interface PdfSpec {
  pages: (PageSpec | 'drawing')[];
  info?: { title?: string; author?: string; subject?: string; keywords?: string[]; creationDate?: Date };
  /** An XMP packet (the XML) stored as the catalog's /Metadata stream. */
  xmp?: string;
}

/** An XMP packet with the fields Gloss reads: dc:title, dc:creator (a list), xmp:CreateDate, prism:doi. */
export function xmpPacket(fields: { title?: string; creators?: string[]; createDate?: string; doi?: string }): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:prism="http://prismstandard.org/namespaces/basic/2.0/">
${fields.title ? `<dc:title><rdf:Alt><rdf:li xml:lang="x-default">${esc(fields.title)}</rdf:li></rdf:Alt></dc:title>` : ''}
${fields.creators ? `<dc:creator><rdf:Seq>${fields.creators.map((c) => `<rdf:li>${esc(c)}</rdf:li>`).join('')}</rdf:Seq></dc:creator>` : ''}
${fields.createDate ? `<xmp:CreateDate>${fields.createDate}</xmp:CreateDate>` : ''}
${fields.doi ? `<prism:doi>${esc(fields.doi)}</prism:doi>` : ''}
</rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>`;
}

export async function makePdf(spec: PdfSpec): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const pageSpec of spec.pages) {
    const page = doc.addPage([612, 792]);
    if (pageSpec === 'drawing') {
      page.drawRectangle({ x: 72, y: 400, width: 300, height: 200, color: rgb(0.2, 0.2, 0.2) });
      page.drawCircle({ x: 300, y: 200, size: 50, color: rgb(0.5, 0.5, 0.5) });
      continue;
    }
    let y = 720;
    pageSpec.lines.forEach((line, i) => {
      const size = i === 0 && pageSpec.firstLineSize ? pageSpec.firstLineSize : 11;
      page.drawText(line, { x: 72, y, size, font });
      y -= size * 1.6;
    });
  }
  // pdf-lib writes its own Producer/Creator and dates unless told otherwise; tests say what they need.
  const info = spec.info ?? {};
  if (info.title !== undefined) doc.setTitle(info.title);
  if (info.author !== undefined) doc.setAuthor(info.author);
  if (info.subject !== undefined) doc.setSubject(info.subject);
  if (info.keywords !== undefined) doc.setKeywords(info.keywords);
  if (info.creationDate !== undefined) doc.setCreationDate(info.creationDate);
  if (spec.xmp !== undefined) {
    // As UTF-8 bytes (XMP's encoding): a JS string would be written one byte per character, breaking the BOM.
    const stream = doc.context.stream(new TextEncoder().encode(spec.xmp), { Type: 'Metadata', Subtype: 'XML' });
    doc.catalog.set(PDFName.of('Metadata'), doc.context.register(stream));
  }
  return doc.save({ useObjectStreams: false });
}

/** The same PDF encrypted (AES-256) with qpdf: `user` opens it, `owner` has all rights. */
export function encryptPdf(bytes: Uint8Array, user: string, owner = 'owner-secret'): Uint8Array {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'gloss-qpdf-'));
  try {
    const input = path.join(folder, 'in.pdf');
    const output = path.join(folder, 'out.pdf');
    writeFileSync(input, bytes);
    execFileSync('qpdf', ['--encrypt', user, owner, '256', '--', input, output]);
    return new Uint8Array(readFileSync(output));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
