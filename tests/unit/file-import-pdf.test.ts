/**
 * The import UI's rules for PDFs (renderer/src/library/import/file-import.ts), which run before any byte is sent: what
 * counts as a PDF, and what is refused at once (empty, over the PDF limit), naming the file.
 */
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../electron/contract';
import { FILE_ACCEPT, fileImportRequest, isPdfFile, pdfImportRequest } from '../../renderer/src/library/import/file-import';

const file = (name: string, size: number, type = ''): File => ({ name, size, type }) as File;

describe('PDFs in the import UI', () => {
  it('the picker offers .pdf and application/pdf', () => {
    expect(FILE_ACCEPT.split(',')).toEqual(expect.arrayContaining(['.pdf', 'application/pdf']));
  });

  it('a PDF is one by its name, or by its type when the name has no known extension', () => {
    expect(isPdfFile(file('paper.pdf', 10))).toBe(true);
    expect(isPdfFile(file('PAPER.PDF', 10, 'application/octet-stream'))).toBe(true);
    expect(isPdfFile(file('download', 10, 'application/pdf'))).toBe(true);
    // A known extension wins over a type the platform guessed.
    expect(isPdfFile(file('notes.txt', 10, 'application/pdf'))).toBe(false);
    expect(isPdfFile(file('page.html', 10))).toBe(false);
  });

  it('refuses an empty PDF and one over the PDF limit before sending it, naming the file', async () => {
    expect(pdfImportRequest(file('paper.pdf', 1000))).toEqual({ format: 'pdf', fileName: 'paper.pdf' });
    expect(pdfImportRequest(file('big.pdf', LIMITS.maxPdfBytes))).toEqual({ format: 'pdf', fileName: 'big.pdf' });
    expect(() => pdfImportRequest(file('empty.pdf', 0))).toThrow('Cannot import "empty.pdf": it is empty');
    expect(() => pdfImportRequest(file('huge.pdf', LIMITS.maxPdfBytes + 10 * 1024 * 1024))).toThrow('Cannot import "huge.pdf": it is 266 MB, larger than the 256 MB limit for a PDF');
    expect(() => pdfImportRequest(file('just-over.pdf', LIMITS.maxPdfBytes + 1))).toThrow(/"just-over\.pdf".*larger than the 256 MB limit/);
    // Larger than the text import limit is fine for a PDF.
    expect(pdfImportRequest(file('long.pdf', LIMITS.maxImportBytes * 4)).format).toBe('pdf');
    // Never read as text or base64.
    await expect(fileImportRequest(file('paper.pdf', 10))).rejects.toThrow(/sent as bytes/);
  });
});
