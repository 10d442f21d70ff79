/** Importing PDFs into a real notebook folder: the worker reads the file, the original is stored content-addressed. */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Notebook, ARTICLES_DIR } from '../../electron/notebook/notebook';
import { PDFS_DIR } from '../../electron/notebook/pdf/store';

const fixtures = path.resolve(__dirname, '../../../shared/fixtures/pdf');
const fixture = (name: string) => readFile(path.join(fixtures, name));

let dir: string;
let notebook: Notebook;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gloss-pdf-'));
  notebook = await Notebook.open(dir);
});

afterEach(async () => {
  await notebook.close();
  await rm(dir, { recursive: true, force: true });
});

describe('importArticle({format: "pdf"})', () => {
  it('stores the original under its SHA-256 and makes a PDF article with text, pages and file info', async () => {
    const bytes = await fixture('tracemonkey.pdf');
    const summary = await notebook.importArticle({ format: 'pdf', contentBase64: bytes.toString('base64'), fileName: 'tracemonkey.pdf' });
    expect(summary.kind).toBe('pdf');
    expect(summary.importedHighlights).toBe(0);
    expect(summary.title).toBe('Trace-based Just-in-Time Type Specialization for Dynamic Languages');
    const article = await notebook.getArticle(summary.id);
    expect(article.html).toBeUndefined();
    expect(article.pages).toHaveLength(14);
    expect(article.text.slice(article.pages![0].start, article.pages![0].end)).toContain('Trace-based Just-in-Time');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    expect(article.pdf).toEqual({ sha256, bytes: bytes.length, fileName: 'tracemonkey.pdf', pageCount: 14, hasTextLayer: true });
    const file = await notebook.articleFile(summary.id);
    expect(file).toEqual({ path: path.join(dir, PDFS_DIR, `${sha256}.pdf`), bytes: bytes.length });
    expect((await readFile(file.path)).equals(bytes)).toBe(true);
  });

  it('keeps one copy of the same file imported twice, through importArticle and importFile alike', async () => {
    const bytes = await fixture('annotation-highlight.pdf');
    const a = await notebook.importArticle({ format: 'pdf', contentBase64: bytes.toString('base64'), fileName: 'a.pdf' });
    const b = await notebook.importFile(new Uint8Array(bytes), { format: 'pdf', fileName: 'b.pdf' });
    expect(a.id).not.toBe(b.id);
    expect(await readdir(path.join(dir, PDFS_DIR))).toHaveLength(1);
    expect((await notebook.articleFile(a.id)).path).toBe((await notebook.articleFile(b.id)).path);
    expect(await readdir(path.join(dir, ARTICLES_DIR))).toEqual(expect.arrayContaining([`${a.id}.json`, `${b.id}.json`]));
  });
});
