/** Importing PDFs into a real notebook folder: the worker reads the file, the original is stored content-addressed. */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Notebook, ARTICLES_DIR } from '../../electron/notebook/notebook';
import { PDFS_DIR } from '../../electron/notebook/pdf/store';
import { highlightsFromFile } from '../../electron/notebook/pdf/import';
import { GlossError } from '../../electron/notebook/errors';
import { stopNotebookWorkers } from '../../electron/notebook/workers/run';
import { HTTP_STATUS, LIMITS } from '../../electron/contract';
import { encryptPdf, makePdf } from '../support/make-pdf';

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

afterAll(() => stopNotebookWorkers());

describe('importArticle({format: "pdf"})', () => {
  it('stores the original under its SHA-256 and makes a PDF article with text, pages and file info', async () => {
    const bytes = await fixture('tracemonkey.pdf');
    const summary = await notebook.importArticle({ format: 'pdf', contentBase64: bytes.toString('base64'), fileName: 'tracemonkey.pdf' });
    expect(summary.kind).toBe('pdf');
    expect(summary.importedHighlights).toBe(0);
    // The library list names the kind and the DOI, not the page table or the file's details (a password among them).
    const [listed] = await notebook.listArticles();
    expect(listed).toMatchObject({ id: summary.id, kind: 'pdf' });
    expect(listed).not.toHaveProperty('pages');
    expect(listed).not.toHaveProperty('pdf');
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

  it('keeps the metadata on the article: byline from the authors, date, DOI, language; a given title wins', async () => {
    const bytes = await makePdf({
      pages: [{ lines: ['Anchoring Text', 'doi:10.4242/anchors.2020.7'], firstLineSize: 20 }],
      info: { author: 'Ada Lovelace; Alan Turing', creationDate: new Date('2020-02-29T12:00:00Z') },
    });
    const summary = await notebook.importFile(bytes, { format: 'pdf', fileName: 'anchors.pdf' });
    expect(summary).toMatchObject({ title: 'Anchoring Text', byline: 'Ada Lovelace, Alan Turing', publishedAt: '2020-02-29', doi: '10.4242/anchors.2020.7' });
    const titled = await notebook.importFile(bytes, { format: 'pdf', fileName: 'anchors.pdf', title: 'My Own Title' });
    expect(titled.title).toBe('My Own Title');
  });

  it('keeps one copy of the same file imported twice, through importArticle and importFile alike', async () => {
    const bytes = await fixture('annotation-highlight.pdf');
    const a = await notebook.importArticle({ format: 'pdf', contentBase64: bytes.toString('base64'), fileName: 'a.pdf' });
    const stored = await stat((await notebook.articleFile(a.id)).path);
    // A password given for a file that needs none is not kept.
    const b = await notebook.importFile(new Uint8Array(bytes), { format: 'pdf', fileName: 'b.pdf', password: 'unneeded' });
    expect(a.id).not.toBe(b.id);
    expect((await notebook.getArticle(b.id)).pdf).not.toHaveProperty('password');
    // Never rewritten: the second import left the very file the first wrote (same inode, same time).
    const again = await stat((await notebook.articleFile(b.id)).path);
    expect([again.ino, again.mtimeMs]).toEqual([stored.ino, stored.mtimeMs]);
    expect(await readdir(path.join(dir, PDFS_DIR))).toHaveLength(1);
    expect((await notebook.articleFile(a.id)).path).toBe((await notebook.articleFile(b.id)).path);
    expect(await readdir(path.join(dir, ARTICLES_DIR))).toEqual(expect.arrayContaining([`${a.id}.json`, `${b.id}.json`]));
  });
});

/** Every file in the notebook folder (names, recursively), to show a refusal left nothing behind. */
async function filesIn(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(folder, path.join(e.parentPath, e.name))).sort();
}

async function refusal(run: () => Promise<unknown>): Promise<GlossError> {
  const before = await filesIn(dir);
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GlossError);
  expect(await filesIn(dir)).toEqual(before);
  expect(await readdir(path.join(dir, PDFS_DIR)).catch(() => [])).toEqual([]);
  return error as GlossError;
}

const asBase64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

describe('bad PDFs: clear words, nothing stored', () => {
  it('refuses a file that is not a PDF, naming it', async () => {
    const error = await refusal(() => notebook.importArticle({ format: 'pdf', contentBase64: Buffer.from('hello, I am text').toString('base64'), fileName: 'notes.pdf' }));
    expect(error.code).toBe('invalid_input');
    expect(error.message).toMatch(/"notes\.pdf".*not a PDF/);
    const empty = await refusal(() => notebook.importFile(new Uint8Array(0), { format: 'pdf', fileName: 'empty.pdf' }));
    expect(empty.message).toMatch(/"empty\.pdf".*empty/);
  });

  it('refuses a truncated and a damaged PDF', async () => {
    const bytes = await fixture('tracemonkey.pdf');
    const truncated = await refusal(() => notebook.importFile(new Uint8Array(bytes.subarray(0, 40_000)), { format: 'pdf', fileName: 'cut.pdf' }));
    expect(truncated.code).toBe('invalid_input');
    expect(truncated.message).toMatch(/"cut\.pdf".*damaged or truncated/);
    const damaged = Buffer.from(bytes);
    damaged.fill(0x41, 5000, 900_000);
    const error = await refusal(() => notebook.importFile(new Uint8Array(damaged), { format: 'pdf', fileName: 'bad.pdf' }));
    expect(error.message).toMatch(/"bad\.pdf".*damaged or truncated/);
  });

  it('refuses a file over the PDF limit before reading it', async () => {
    const huge = new Uint8Array(LIMITS.maxPdfBytes + 1);
    huge.set(Buffer.from('%PDF-1.7\n'));
    const error = await refusal(() => notebook.importFile(huge, { format: 'pdf', fileName: 'huge.pdf' }));
    expect(error.code).toBe('too_large');
    expect(error.message).toMatch(/"huge\.pdf".*256 MB/);
  });

  it('asks for the password of an encrypted file, says a wrong one is wrong, and opens it with the right one', async () => {
    const plain = await makePdf({ pages: [{ lines: ['Secret Findings', 'The treasure is under the old oak tree.'], firstLineSize: 18 }] });
    const locked = encryptPdf(plain, 'open-sesame');
    const needed = await refusal(() => notebook.importArticle({ format: 'pdf', contentBase64: asBase64(locked), fileName: 'secret.pdf' }));
    expect(needed.code).toBe('password_required');
    expect(HTTP_STATUS[needed.code]).toBe(423);
    expect(needed.message).toMatch(/"secret\.pdf".*password/);
    expect(needed.message).not.toMatch(/wrong/);
    const wrong = await refusal(() => notebook.importArticle({ format: 'pdf', contentBase64: asBase64(locked), fileName: 'secret.pdf', password: 'guess' }));
    expect(wrong.code).toBe('password_required');
    expect(wrong.message).toMatch(/"secret\.pdf".*password given is wrong/);

    const summary = await notebook.importFile(locked, { format: 'pdf', fileName: 'secret.pdf', password: 'open-sesame' });
    const article = await notebook.getArticle(summary.id);
    expect(article.title).toBe('Secret Findings');
    expect(article.text).toContain('under the old oak tree');
    expect(article.pdf).toMatchObject({ encrypted: true, password: 'open-sesame', hasTextLayer: true });
  });

  it('imports the fixture encrypted with an empty user password without one, keeping no password', async () => {
    const summary = await notebook.importFile(new Uint8Array(await fixture('empty_protected.pdf')), { format: 'pdf', fileName: 'empty_protected.pdf' });
    const article = await notebook.getArticle(summary.id);
    expect(article.pdf?.encrypted).toBe(true);
    expect(article.pdf?.password).toBeUndefined();
  });

  it('imports a PDF with no text layer (a scan), saying so', async () => {
    const summary = await notebook.importFile(await makePdf({ pages: ['drawing'] }), { format: 'pdf', fileName: 'scan.pdf' });
    const article = await notebook.getArticle(summary.id);
    expect(article.pdf?.hasTextLayer).toBe(false);
    expect(article.title).toBe('scan');
    expect(article.pages).toEqual([{ number: 1, start: 0, end: 0 }]);
  });

  it('removes an original stored for an article that could not be written', async () => {
    const bytes = await makePdf({ pages: [{ lines: ['A Paper'] }] });
    // The article file cannot be written: its folder is a file now.
    await rm(path.join(dir, ARTICLES_DIR), { recursive: true });
    await writeFile(path.join(dir, ARTICLES_DIR), 'not a folder');
    await expect(notebook.importFile(bytes, { format: 'pdf', fileName: 'paper.pdf' })).rejects.toThrow();
    expect(await readdir(path.join(dir, PDFS_DIR))).toEqual([]);
  });
});

describe('highlightsFromFile (the file’s own annotations as highlights)', () => {
  it('makes highlights with quote selectors, colour, note and page, and skips ranges outside the text', () => {
    const text = 'Page one text.\n\nPage two has the passage here.';
    const pages = [
      { number: 1, start: 0, end: 14 },
      { number: 2, start: 16, end: text.length },
    ];
    const start = text.indexOf('the passage');
    let n = 0;
    const made = highlightsFromFile(
      'art1',
      text,
      pages,
      [
        { start, end: start + 'the passage'.length, page: 2, color: 'blue', note: 'From Acrobat', subtype: 'Highlight' },
        { start: 5, end: 3, page: 1, color: 'yellow', note: '', subtype: 'Underline' },
        { start: 0, end: text.length + 5, page: 1, color: 'yellow', note: '', subtype: 'StrikeOut' },
      ],
      '2026-01-01T00:00:00.000Z',
      () => `h${++n}`,
    );
    expect(made).toEqual([
      {
        id: 'h1',
        articleId: 'art1',
        start,
        end: start + 11,
        quote: 'the passage',
        prefix: text.slice(0, start),
        suffix: ' here.',
        color: 'blue',
        tags: [],
        note: 'From Acrobat',
        createdAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-01T00:00:00.000Z',
        page: 2,
      },
    ]);
  });
});
