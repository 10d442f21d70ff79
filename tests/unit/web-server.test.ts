/**
 * The browser-mode server in-process, over a real notebook in a temp folder: what tests/e2e/security.spec.ts checks
 * against the built server, plus what only an in-process test can see (the server's own Object.prototype).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Notebook } from '../../electron/notebook/notebook';
import { createWebServer, sameOriginLocation } from '../../electron/web/server';
import { sendHttp, type HttpReply } from '../support/http';
import { serveNotebook, type ServedNotebook } from '../support/web-server';

const TOKEN = 'unit-test-token';
let dir: string;
let notebook: Notebook;
let served: ServedNotebook;
let port: number;
let articleId: string;

/** A call as the page makes it: POST, the token, JSON (each overridable; an undefined header is not sent). */
function send(options: { method?: string; path: string; headers?: Record<string, string | undefined>; body?: string }): Promise<HttpReply> {
  return sendHttp(port, { method: 'POST', ...options, headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', ...options.headers } });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gloss-web-'));
  notebook = await Notebook.open(path.join(dir, 'notebook'), { owner: 'the web-server test' });
  articleId = (await notebook.importArticle({ format: 'text', content: 'Words to highlight, and more words.', title: 'T' })).id;
  served = await serveNotebook(dir, { api: notebook, subscribe: (l) => notebook.subscribe(l), token: TOKEN });
  port = served.port;
});

afterAll(async () => {
  await served.close();
  await notebook.close();
  await rm(dir, { recursive: true, force: true });
});

describe('browser-mode server', () => {
  it('serves the API with the Bearer token only: a cookie never authenticates, and none is ever set', async () => {
    expect((await send({ path: '/api/listArticles', body: '[]' })).status).toBe(200);
    for (const cookie of [`gloss_token_${port}=${TOKEN}`, `token=${TOKEN}`]) {
      const reply = await send({ path: '/api/listArticles', body: '[]', headers: { Authorization: undefined, Cookie: cookie } });
      expect(reply.status, cookie).toBe(401);
    }
    for (const [method, p] of [['GET', '/'], ['GET', `/?token=${TOKEN}`], ['POST', '/api/listArticles']]) {
      expect((await send({ method, path: p, body: method === 'POST' ? '[]' : undefined })).headers['set-cookie'], p).toBeUndefined();
    }
    // The app shell holds no data and is served without a token.
    expect((await send({ method: 'GET', path: '/', headers: { Authorization: undefined } })).status).toBe(200);
  });

  it('a stray cookie with a bad %-escape is ignored: with the token 200, without it 401, never a 500', async () => {
    expect((await send({ path: '/api/listArticles', body: '[]', headers: { Cookie: 'a=%' } })).status).toBe(200);
    expect((await send({ path: '/api/listArticles', body: '[]', headers: { Cookie: 'a=%', Authorization: undefined } })).status).toBe(401);
  });

  it('redirects an old ?token= address to the fragment form, at the root of this origin whatever the path', async () => {
    for (const p of [`/?token=${TOKEN}`, `/.//evil.example/?token=${TOKEN}`, `//evil.example/x?token=${TOKEN}`, `/\\evil.example/?token=${TOKEN}`]) {
      const reply = await send({ method: 'GET', path: p, headers: { Authorization: undefined } });
      expect(reply.status, p).toBe(303);
      expect(reply.headers.location, p).toBe(`/#token=${TOKEN}`);
    }
    expect((await send({ method: 'GET', path: '/.//evil.example/?token=wrong', headers: { Authorization: undefined } })).status).toBe(401);
  });

  it('lets a redirect name only a path on this origin: one leading slash, no backslash, no control characters', () => {
    for (const ok of ['/', '/#token=abc', '/index.html?x=1', '/a/b#c']) expect(sameOriginLocation(ok), ok).toBe(ok);
    for (const bad of ['//evil.example/', '/\\evil.example', '/\\/evil.example', '\\\\evil.example', 'http://evil.example/', 'evil.example', '/\t/evil.example', '/\n/evil.example', '', 'javascript:alert(1)']) {
      expect(sameOriginLocation(bad), JSON.stringify(bad)).toBe('/');
    }
  });

  it('refuses a missing or foreign Host and a foreign Origin before looking at the token', async () => {
    expect((await send({ path: '/api/listArticles', body: '[]', headers: { Host: 'attacker.example' } })).status).toBe(403);
    expect((await send({ method: 'GET', path: '/', headers: { Host: `attacker.example:${port}` } })).status).toBe(403);
    expect((await send({ path: '/api/listArticles', body: '[]', headers: { Origin: 'http://attacker.example', Authorization: undefined } })).status).toBe(403);
    expect((await send({ path: '/api/listArticles', body: '[]', headers: { Origin: `http://[::1]:${port}` } })).status).toBe(200);
  });

  it('accepts JSON bodies sent as application/json, text/plain (fetch’s default) or untyped, and refuses others with 415', async () => {
    for (const type of ['application/json; charset=utf-8', 'text/plain;charset=UTF-8', undefined]) {
      expect((await send({ path: '/api/listArticles', body: '[]', headers: { 'Content-Type': type } })).status, String(type)).toBe(200);
    }
    for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'text/html']) {
      const reply = await send({ path: '/api/listArticles', body: '[]', headers: { 'Content-Type': type } });
      expect(reply.status, type).toBe(415);
      expect(reply.json.error.code).toBe('invalid_input');
    }
  });

  it('leaves the server’s own objects unpolluted by __proto__ and constructor payloads', async () => {
    const payloads = [
      '{"__proto__": {"polluted": "yes"}}',
      `["${articleId}", {"start": 0, "end": 5, "__proto__": {"polluted": "yes"}}]`,
      `["${articleId}", {"start": 0, "end": 5, "constructor": {"prototype": {"polluted": "yes"}}}]`,
      '[{"format": "text", "content": "x", "__proto__": {"polluted": "yes"}}]',
    ];
    for (const body of payloads) {
      for (const method of ['addHighlight', 'importArticle', 'updateSettings', 'search']) {
        const reply = await send({ path: `/api/${method}`, body });
        expect(reply.status, `${method} ${body}`).toBe(400);
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect((await notebook.getArticle(articleId)).highlights).toEqual([]);
  });

  it('answers malformed addresses and traversal with JSON 4xx, never a file outside the renderer folder', async () => {
    await writeFile(path.join(dir, 'secret.txt'), 'do not serve me');
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/..%5csecret.txt', '/%2e%2e%2f%2e%2e%2fsecret.txt', '/index.html%00']) {
      const reply = await send({ method: 'GET', path: p });
      expect(reply.status, p).toBe(404);
      expect(reply.text).not.toContain('do not serve me');
    }
    const malformed = await send({ method: 'GET', path: '/%E0%A4%A' });
    expect(malformed.status).toBe(400);
    expect(malformed.json.error.message).toMatch(/malformed/);
    const page = await send({ method: 'GET', path: '/' });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
  });

  it('refuses a declared body far over the limit at once, and a streamed one once it passes the limit', async () => {
    const small = createWebServer({ api: notebook, subscribe: () => () => undefined, token: TOKEN, rendererDir: dir, maxBodyBytes: 1024 });
    await new Promise<void>((resolve) => small.listen(0, '127.0.0.1', resolve));
    const smallPort = (small.address() as { port: number }).port;
    const saved = port;
    port = smallPort;
    try {
      const reply = await send({ path: '/api/setArticleNote', body: JSON.stringify([articleId, 'x'.repeat(2000)]) });
      expect(reply.status).toBe(413);
      expect(reply.json.error).toMatchObject({ code: 'too_large' });
      expect((await notebook.getArticle(articleId)).note).toBe('');
    } finally {
      port = saved;
      small.closeAllConnections();
      await new Promise((resolve) => small.close(resolve));
    }
  });
});
