/**
 * A URL import that turns out to be a PDF goes to the PDF import: by Content-Type, or by its first bytes when the type
 * says nothing; up to the PDF limit, where a page keeps the page limit; under the same address rules. Every server here
 * is on 127.0.0.1, which only the tests-only loopback allowance lets through.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { PDFDocument } from 'pdf-lib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LIMITS } from '../../electron/contract';
import { Notebook } from '../../electron/notebook/notebook';
import { PDFS_DIR } from '../../electron/notebook/pdf/store';
import { stopNotebookWorkers } from '../../electron/notebook/workers/run';
import { makePdf } from '../support/make-pdf';

let server: http.Server;
let base: string;
let paper: Uint8Array;
let bigPaper: Uint8Array;
const routes = new Map<string, { type?: string; body: Uint8Array | string }>();

let dir: string;
let notebook: Notebook;

beforeAll(async () => {
  paper = await makePdf({ pages: [{ lines: ['Fetched Findings', 'A sentence fetched over HTTP.'], firstLineSize: 18 }] });
  // A PDF past the page limit (its attachment is random, so it does not compress): only the PDF limit lets it in.
  const big = await PDFDocument.load(await makePdf({ pages: [{ lines: ['Big Findings', 'A large paper.'], firstLineSize: 18 }] }));
  await big.attach(randomBytes(LIMITS.maxImportBytes + 1024 * 1024), 'data.bin', { mimeType: 'application/octet-stream' });
  bigPaper = await big.save();
  routes.set('/papers/fetched.pdf', { type: 'application/pdf', body: paper });
  routes.set('/download?id=7', { type: 'application/octet-stream', body: paper });
  routes.set('/untyped', { body: paper });
  routes.set('/big.pdf', { type: 'application/pdf', body: bigPaper });
  routes.set('/big-download', { type: 'application/octet-stream', body: bigPaper });
  routes.set('/big-as-html', { type: 'text/html', body: bigPaper });
  routes.set('/big-page', { type: 'text/html', body: `<!doctype html><html><body><p>${'x'.repeat(LIMITS.maxImportBytes + 10)}</p></body></html>` });
  routes.set('/not-really.pdf', { type: 'application/pdf', body: '<html>Not found</html>' });
  server = http.createServer((req, res) => {
    const route = routes.get(req.url ?? '');
    if (!route) return void res.writeHead(404).end();
    res.writeHead(200, route.type ? { 'content-type': route.type } : {}).end(route.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await stopNotebookWorkers();
});

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gloss-pdf-url-'));
  notebook = await Notebook.open(dir, { allowLoopbackImport: true });
});

afterEach(async () => {
  await notebook.close();
  await rm(dir, { recursive: true, force: true });
});

describe('importArticle({format: "url"}) of a PDF', () => {
  it('imports an application/pdf response as a PDF article, the URL its source, the file name from the path', async () => {
    const summary = await notebook.importArticle({ format: 'url', url: `${base}/papers/fetched.pdf` });
    expect(summary).toMatchObject({ kind: 'pdf', title: 'Fetched Findings', source: `${base}/papers/fetched.pdf` });
    const article = await notebook.getArticle(summary.id);
    expect(article.text).toContain('A sentence fetched over HTTP.');
    expect(article.pdf).toMatchObject({ fileName: 'fetched.pdf', bytes: paper.byteLength });
    expect((await notebook.articleFile(summary.id)).bytes).toBe(paper.byteLength);
  });

  it('knows a PDF by its bytes when the type says nothing (octet-stream, or no type)', async () => {
    for (const route of ['/download?id=7', '/untyped']) {
      const summary = await notebook.importArticle({ format: 'url', url: `${base}${route}` });
      expect(summary.kind).toBe('pdf');
      expect((await notebook.getArticle(summary.id)).pdf?.fileName).toBeUndefined();
    }
    expect(await readdir(path.join(dir, PDFS_DIR))).toHaveLength(1); // the same bytes: one original
  });

  it('takes a PDF larger than the page limit, while a page that large is still refused', async () => {
    const summary = await notebook.importArticle({ format: 'url', url: `${base}/big.pdf` });
    expect(summary).toMatchObject({ kind: 'pdf', title: 'Big Findings' });
    expect((await notebook.getArticle(summary.id)).pdf?.bytes).toBe(bigPaper.byteLength);
    expect((await notebook.importArticle({ format: 'url', url: `${base}/big-download` })).kind).toBe('pdf'); // known by its bytes
    await expect(notebook.importArticle({ format: 'url', url: `${base}/big-page` })).rejects.toMatchObject({ code: 'too_large' });
    // A type that says "page" keeps the page limit, whatever the bytes turn out to be.
    await expect(notebook.importArticle({ format: 'url', url: `${base}/big-as-html` })).rejects.toMatchObject({ code: 'too_large' });
  });

  it('refuses a body labelled PDF that is not one, naming the address, storing nothing', async () => {
    await expect(notebook.importArticle({ format: 'url', url: `${base}/not-really.pdf` })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringMatching(/"not-really\.pdf".*not a PDF/),
    });
    expect(await readdir(path.join(dir, PDFS_DIR)).catch(() => [])).toEqual([]);
  });

  it('keeps the address rules: without the tests-only allowance, a PDF on this computer is refused', async () => {
    const strict = await Notebook.open(await mkdtemp(path.join(os.tmpdir(), 'gloss-pdf-url-strict-')));
    try {
      await expect(strict.importArticle({ format: 'url', url: `${base}/papers/fetched.pdf` })).rejects.toMatchObject({
        code: 'invalid_input',
        message: expect.stringMatching(/this computer|local|private/i),
      });
      expect(await readdir(path.join(strict.dir, PDFS_DIR)).catch(() => [])).toEqual([]);
    } finally {
      await strict.close();
      await rm(strict.dir, { recursive: true, force: true });
    }
  });
});
