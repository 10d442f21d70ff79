import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { closePdf, openPdf } from '../../electron/notebook/pdf/pdfjs-node';
import { readPdfLayout } from '../../electron/notebook/pdf/layout';
import { pageAtOffset } from '../../electron/pdf-text';

const fixtures = path.resolve(__dirname, '../../../shared/fixtures/pdf');

describe('readPdfLayout (pdf.js under Node)', () => {
  it('reads the paper page by page: pages joined by a blank line, each page its own slice', async () => {
    const doc = await openPdf(new Uint8Array(readFileSync(path.join(fixtures, 'tracemonkey.pdf'))));
    const layout = await readPdfLayout(doc);
    expect(layout.pages).toHaveLength(14);
    for (const [i, page] of layout.pages.entries()) {
      expect(page.number).toBe(i + 1);
      if (i > 0) expect(layout.text.slice(layout.pages[i - 1].end, page.start)).toBe('\n\n');
    }
    expect(layout.text).toContain('Trace-based Just-in-Time Type Specialization');
    const where = layout.text.indexOf('Trace-based');
    expect(pageAtOffset(layout.pages, where)).toBe(1);
    await closePdf(doc);
  });
});
