/**
 * Browser mode's file routes over real HTTP on 127.0.0.1: `GET /files/<id>.pdf` (the reader's PDF bytes: Bearer token,
 * byte ranges) and `POST /api/import-file` (a raw upload). The notebook is a real one in a temp folder; its two file
 * methods are replaced on this instance by recorders, so the test sees exactly what the server hands over.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { request, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { articleFilePath, IMPORT_FILE_HEADER, IMPORT_FILE_PATH, type ImportedArticleSummary } from '../../electron/contract';
import { GlossError, notFound } from '../../electron/notebook/errors';
import { parseArticleFileName, parseRange, type ImportFileRequest } from '../../electron/notebook/file-transfer';
import { Notebook } from '../../electron/notebook/notebook';
import { createWebServer } from '../../electron/web/server';

const TOKEN = 'unit-test-token';
const FILE_ID = 'paper_1';
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(5000)]);
let dir: string;
let notebook: Notebook;
let servers: Server[] = [];
let port: number;
let smallPort: number;
let imported: { bytes: Uint8Array; request: ImportFileRequest }[] = [];

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  json: any;
}

function send(options: {
  method?: string;
  path: string;
  port?: number;
  headers?: Record<string, string | undefined>;
  body?: Buffer | string;
  /** Sent chunked (no Content-Length), a piece at a time. */
  chunks?: Buffer[];
}): Promise<Reply> {
  const to = options.port ?? port;
  return new Promise((resolve, reject) => {
    const headers = Object.fromEntries(
      Object.entries({ Host: `127.0.0.1:${to}`, Authorization: `Bearer ${TOKEN}`, ...options.headers }).filter(([, v]) => v !== undefined),
    ) as Record<string, string>;
    const req = request({ host: '127.0.0.1', port: to, method: options.method ?? 'GET', path: options.path, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => {
        const body = Buffer.concat(parts);
        let json: unknown;
        try {
          json = JSON.parse(body.toString('utf8'));
        } catch {
          /* not JSON */
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json });
      });
    });
    // The server may answer 413 and close while a chunked upload is still being written: that is the point.
    req.on('error', (error: NodeJS.ErrnoException) => (['EPIPE', 'ECONNRESET'].includes(error.code ?? '') ? undefined : reject(error)));
    if (options.chunks) {
      for (const chunk of options.chunks) req.write(chunk);
    } else if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

const importHeader = (request: unknown): string => encodeURIComponent(JSON.stringify(request));

async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gloss-web-files-'));
  const rendererDir = path.join(dir, 'renderer');
  await mkdir(rendererDir);
  await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>Gloss</title>');
  await mkdir(path.join(rendererDir, 'assets'));
  await writeFile(path.join(rendererDir, 'assets', 'mount-Ab12Cd34.js'), 'export {};');
  const stored = path.join(dir, 'stored.pdf');
  await writeFile(stored, PDF);
  notebook = await Notebook.open(path.join(dir, 'notebook'), { owner: 'the web-files test' });
  // The two file methods, recorded: one article has a stored file; an import asks for a password unless given "right".
  notebook.articleFile = async (id: string) => {
    if (id !== FILE_ID) throw notFound(`The article "${id}" has no stored file.`);
    return { path: stored, bytes: PDF.length };
  };
  notebook.importFile = async (bytes, req): Promise<ImportedArticleSummary> => {
    if (req.password !== undefined && req.password !== 'right') throw new GlossError('password_required', `The password for "${req.fileName}" is wrong.`);
    imported.push({ bytes, request: req });
    return { id: 'new_1', title: req.title ?? 'Untitled', createdAt: new Date().toISOString(), highlightCount: 0, importedHighlights: 2 } as unknown as ImportedArticleSummary;
  };
  const options = { api: notebook, subscribe: () => () => undefined, token: TOKEN, rendererDir };
  port = await listen(createWebServer(options));
  smallPort = await listen(createWebServer({ ...options, maxPdfBytes: 64 * 1024 }));
});

afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  servers = [];
  await notebook.close();
  await rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  imported = [];
});

describe('GET /files/<id>.pdf', () => {
  it('needs the Bearer token, exactly as /api does, and the Host and Origin checks come first', async () => {
    for (const headers of [{ Authorization: undefined }, { Authorization: 'Bearer wrong' }, { Authorization: `Basic ${TOKEN}` }]) {
      const reply = await send({ path: articleFilePath(FILE_ID), headers });
      expect(reply.status, JSON.stringify(headers)).toBe(401);
      expect(reply.json.error.code).toBe('unauthorized');
      expect(reply.body.includes(PDF.subarray(0, 9))).toBe(false);
    }
    expect((await send({ path: articleFilePath(FILE_ID), headers: { Host: 'attacker.example' } })).status).toBe(403);
    expect((await send({ path: articleFilePath(FILE_ID), headers: { Origin: 'http://attacker.example' } })).status).toBe(403);
    expect((await send({ path: articleFilePath(FILE_ID), headers: { 'Sec-Fetch-Site': 'cross-site' } })).status).toBe(403);
    // A token in the query string is not a token here.
    expect((await send({ path: `${articleFilePath(FILE_ID)}?token=${TOKEN}`, headers: { Authorization: undefined } })).status).toBe(401);
  });

  it('serves the whole file as application/pdf, uncached, unsniffed, announcing byte ranges', async () => {
    const reply = await send({ path: articleFilePath(FILE_ID) });
    expect(reply.status).toBe(200);
    expect(reply.body.equals(PDF)).toBe(true);
    expect(reply.headers).toMatchObject({
      'content-type': 'application/pdf',
      'accept-ranges': 'bytes',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'content-length': String(PDF.length),
    });
    const head = await send({ method: 'HEAD', path: articleFilePath(FILE_ID) });
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(PDF.length));
    expect(head.body.length).toBe(0);
  });

  it("lets the browser keep the build's hashed assets (and their compiled code), never the page that names them", async () => {
    const asset = await send({ path: '/assets/mount-Ab12Cd34.js', headers: { Authorization: undefined } });
    expect(asset.status).toBe(200);
    expect(asset.headers['cache-control']).toBe('private, max-age=31536000, immutable');
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    const page = await send({ path: '/', headers: { Authorization: undefined } });
    expect(page.status).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
  });

  it('answers a byte range with 206 and exactly those bytes, and an unsatisfiable one with 416', async () => {
    const cases: [string, number, number][] = [
      ['bytes=0-99', 0, 99],
      ['bytes=100-', 100, PDF.length - 1],
      ['bytes=-10', PDF.length - 10, PDF.length - 1],
      [`bytes=4000-${PDF.length + 500}`, 4000, PDF.length - 1],
    ];
    for (const [range, start, end] of cases) {
      const reply = await send({ path: articleFilePath(FILE_ID), headers: { Range: range } });
      expect(reply.status, range).toBe(206);
      expect(reply.headers['content-range'], range).toBe(`bytes ${start}-${end}/${PDF.length}`);
      expect(reply.headers['content-length'], range).toBe(String(end - start + 1));
      expect(reply.body.equals(PDF.subarray(start, end + 1)), range).toBe(true);
    }
    for (const range of [`bytes=${PDF.length}-`, `bytes=${PDF.length + 10}-${PDF.length + 20}`, 'bytes=-0']) {
      const reply = await send({ path: articleFilePath(FILE_ID), headers: { Range: range } });
      expect(reply.status, range).toBe(416);
      expect(reply.headers['content-range'], range).toBe(`bytes */${PDF.length}`);
      expect(reply.body.length).toBe(0);
    }
    // A range the server may ignore (another unit, several ranges) gets the whole file.
    for (const range of ['items=0-5', 'bytes=0-1,5-6']) {
      const reply = await send({ path: articleFilePath(FILE_ID), headers: { Range: range } });
      expect(reply.status, range).toBe(200);
      expect(reply.body.equals(PDF), range).toBe(true);
    }
  });

  it('is a JSON 404 for an article without a file and for names that are not an id', async () => {
    const missing = await send({ path: articleFilePath('no_such_article') });
    expect(missing.status).toBe(404);
    expect(missing.json.error).toMatchObject({ code: 'not_found', message: expect.stringContaining('no_such_article') });
    for (const p of ['/files/paper_1', '/files/paper_1.txt', '/files/..%2Fstored.pdf', '/files/a.b.pdf', '/files/.pdf', '/files/%2e%2e.pdf']) {
      const reply = await send({ path: p });
      expect(reply.status, p).toBe(404);
      expect(reply.json.error.code, p).toBe('not_found');
    }
    expect((await send({ method: 'POST', path: articleFilePath(FILE_ID) })).status).toBe(405);
  });
});

describe(`POST ${IMPORT_FILE_PATH}`, () => {
  const upload = (body: Buffer, headers: Record<string, string | undefined> = {}, to = port) =>
    send({
      method: 'POST',
      path: IMPORT_FILE_PATH,
      port: to,
      body,
      headers: { 'Content-Type': 'application/octet-stream', [IMPORT_FILE_HEADER]: importHeader({ format: 'pdf', fileName: 'paper.pdf' }), ...headers },
    });

  it('hands the body to importFile as bytes, unchanged, with the request from the header', async () => {
    const reply = await upload(PDF, { [IMPORT_FILE_HEADER]: importHeader({ format: 'pdf', fileName: 'Gödel – ünïcode.pdf', title: 'A title' }) });
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ ok: true, value: { id: 'new_1', importedHighlights: 2 } });
    expect(imported).toHaveLength(1);
    expect(Buffer.isBuffer(imported[0].bytes)).toBe(true);
    expect(Buffer.from(imported[0].bytes).equals(PDF)).toBe(true);
    expect(imported[0].request).toEqual({ format: 'pdf', fileName: 'Gödel – ünïcode.pdf', title: 'A title' });
    expect((await upload(PDF, { 'Content-Type': 'application/pdf' })).status).toBe(200);
  });

  it('needs the token and the Host and Origin checks like every API call', async () => {
    expect((await upload(PDF, { Authorization: undefined })).status).toBe(401);
    expect((await upload(PDF, { Origin: 'http://attacker.example' })).status).toBe(403);
    expect((await upload(PDF, { Host: 'attacker.example' })).status).toBe(403);
    expect(imported).toHaveLength(0);
  });

  it('refuses other content types with 415, before reading the body', async () => {
    for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/plain', 'application/json', undefined]) {
      const reply = await upload(PDF, { 'Content-Type': type });
      expect(reply.status, String(type)).toBe(415);
      expect(reply.json.error.message, String(type)).toMatch(/application\/octet-stream/);
    }
    expect(imported).toHaveLength(0);
  });

  it('says which header is wrong when X-Gloss-Import is missing, not JSON, or not a valid request', async () => {
    const bad: [string | undefined, RegExp][] = [
      [undefined, /X-Gloss-Import/],
      ['%E0%A4%A', /X-Gloss-Import/],
      ['not json', /X-Gloss-Import/],
      [importHeader({ format: 'pdf', content: 'text instead of bytes' }), /content/],
      [importHeader({ format: 'pdf', url: 'https://example.com/a.pdf' }), /url/],
      [importHeader({ format: 'pdf', contentBase64: 'AAAA' }), /contentBase64/],
      [importHeader({ format: 'spreadsheet' }), /format/],
      [importHeader({ format: 'pdf', password: 'x'.repeat(2000) }), /password/],
    ];
    for (const [header, message] of bad) {
      const reply = await upload(PDF, { [IMPORT_FILE_HEADER]: header });
      expect(reply.status, String(header)).toBe(400);
      expect(reply.json.error.code).toBe('invalid_input');
      expect(reply.json.error.message, String(header)).toMatch(message);
    }
    expect(imported).toHaveLength(0);
  });

  it('answers password_required with 423, never 401 (which would mean the token was refused)', async () => {
    const reply = await upload(PDF, { [IMPORT_FILE_HEADER]: importHeader({ format: 'pdf', fileName: 'locked.pdf', password: 'wrong' }) });
    expect(reply.status).toBe(423);
    expect(reply.json.error).toEqual({ code: 'password_required', message: 'The password for "locked.pdf" is wrong.' });
  });

  it('refuses a file over the limit with 413 naming it, declared or streamed, and stores nothing', async () => {
    const limit = 64 * 1024;
    const atLimit = await upload(Buffer.alloc(limit, 1), {}, smallPort);
    expect(atLimit.status).toBe(200);
    expect(imported[0].bytes.byteLength).toBe(limit);
    imported = [];

    const declared = await upload(Buffer.alloc(limit + 1), {}, smallPort);
    expect(declared.status).toBe(413);
    expect(declared.json.error).toMatchObject({ code: 'too_large', message: expect.stringContaining('65536 bytes') });
    // Chunked, without a Content-Length: the server stops once the limit is passed.
    const streamed = await send({
      method: 'POST',
      path: IMPORT_FILE_PATH,
      port: smallPort,
      headers: { 'Content-Type': 'application/octet-stream', [IMPORT_FILE_HEADER]: importHeader({ format: 'pdf' }) },
      chunks: Array.from({ length: 40 }, () => Buffer.alloc(4096)),
    });
    expect(streamed.status).toBe(413);
    expect(streamed.json.error.code).toBe('too_large');
    expect(imported).toHaveLength(0);
  });
});

describe('file-transfer rules', () => {
  it('reads Range headers as RFC 9110 says: one range served, nonsense ignored, past the end refused', () => {
    expect(parseRange(undefined, 100)).toBeNull();
    expect(parseRange('bytes=0-0', 100)).toEqual({ start: 0, end: 0 });
    expect(parseRange('bytes=10-', 100)).toEqual({ start: 10, end: 99 });
    expect(parseRange('bytes=-200', 100)).toEqual({ start: 0, end: 99 });
    expect(parseRange('bytes=90-1000', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=100-', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=-0', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=0-', 0)).toBe('unsatisfiable');
    for (const ignored of ['bytes=5-1', 'bytes=-', 'bytes=a-b', 'bytes=0-1,3-4', 'pages=1-2', '']) expect(parseRange(ignored, 100), ignored).toBeNull();
  });

  it('takes only an id and .pdf from a /files/ name', () => {
    expect(parseArticleFileName('abc_D-9.pdf')).toBe('abc_D-9');
    for (const bad of ['abc', 'abc.PDF.txt', '../x.pdf', 'a/b.pdf', '.pdf', 'a.b.pdf', `${'a'.repeat(101)}.pdf`]) expect(parseArticleFileName(bad), bad).toBeNull();
  });
});

describe('the CSP of both hosts, for pdf.js', () => {
  const directives = (policy: string) => new Map(policy.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));

  it('lets pdf.js run from our own origin only: worker from self, WASM but no eval, fetches to self, nothing remote', async () => {
    const { PAGE_CSP } = await import('../../electron/web/server');
    const { RENDERER_CSP } = await import('../../electron/main/security');
    const { readFile } = await import('node:fs/promises');
    const html = await readFile(path.resolve(__dirname, '../../renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBeDefined();
    for (const [name, policy] of [['browser mode', PAGE_CSP], ['desktop', RENDERER_CSP], ['index.html', meta!]] as const) {
      const d = directives(policy);
      expect(d.get('script-src'), name).toEqual(["'self'", "'wasm-unsafe-eval'"]);
      expect(d.get('worker-src'), name).toEqual(["'self'"]);
      expect(d.get('connect-src'), name).toEqual(["'self'"]);
      expect(d.get('default-src'), name).toEqual(["'self'"]);
      expect(d.get('object-src'), name).toEqual(["'none'"]);
      expect(policy, name).not.toMatch(/'unsafe-eval'|blob:.*worker|worker-src[^;]*blob:/);
      // https: is only for the images an article's reader consented to load; no other directive names a remote source.
      for (const [directive, values] of d) if (directive !== 'img-src') expect(values.join(' '), `${name} ${directive}`).not.toMatch(/https?:|\*/);
    }
    // The two hosts send the same policy (the meta tag cannot carry frame-ancestors).
    expect(directives(PAGE_CSP)).toEqual(directives(RENDERER_CSP));
  });
});
