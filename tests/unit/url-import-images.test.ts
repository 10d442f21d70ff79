/**
 * A URL import's images are fetched under the page's own address rules (issue 17 item 2): an image on a public
 * address is stored; one on this computer (directly, or by a redirect from a public one) is never connected to and is
 * counted as not kept. 127.0.0.2 stands in for a public server (the resolver seam maps public.example to it and only
 * it is allowed, as in url-import.test.ts); 127.0.0.1 is "this computer", still refused. No packet leaves the machine.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { importArticleContent } from '../../electron/notebook/import';
import { allowLoopbackOnly, type LoopbackOnly } from '../support/loopback-only';
import { makePng } from '../support/make-image';

let guard: LoopbackOnly;
let publicSite: http.Server;
let privateSite: http.Server;
let privateConnections = 0;
const png = makePng(16, 8);

beforeAll(async () => {
  guard = allowLoopbackOnly();
  privateSite = http.createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'image/png' }).end(png));
  privateSite.on('connection', () => (privateConnections += 1));
  await new Promise<void>((resolve) => privateSite.listen(0, '127.0.0.1', resolve));
  const privatePort = (privateSite.address() as AddressInfo).port;
  publicSite = http.createServer((req, res) => {
    if (req.url === '/story') {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end(`<html><head><title>Story</title></head><body><article><h1>Story</h1>${'<p>The tide comes in twice a day and goes out twice a day, pulled by the moon and the sun together.</p>'.repeat(6)}
        <figure><img src="/ok.png" alt="ok"><figcaption>Public.</figcaption></figure>
        <figure><img src="http://127.0.0.1:${privatePort}/secret.png" alt="direct"><figcaption>Direct.</figcaption></figure>
        <figure><img src="/redirect.png" alt="redirected"><figcaption>Redirected.</figcaption></figure></article></body></html>`);
    } else if (req.url === '/ok.png') res.writeHead(200, { 'Content-Type': 'image/png' }).end(png);
    else if (req.url === '/redirect.png') res.writeHead(302, { Location: `http://127.0.0.1:${privatePort}/secret.png` }).end();
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => publicSite.listen(0, '127.0.0.2', resolve));
});

afterAll(async () => {
  guard.restore();
  await new Promise((r) => publicSite.close(r));
  await new Promise((r) => privateSite.close(r));
});

it('stores the public image and never connects to this computer for the others', async () => {
  const port = (publicSite.address() as AddressInfo).port;
  const article = await importArticleContent(
    { format: 'url', url: `http://public.example:${port}/story` },
    { lookup: async (name) => (name === 'public.example' ? [{ address: '127.0.0.2', family: 4 }] : []), allowPrivateRanges: ['127.0.0.2/32'] },
  );
  expect(article.images!.images.map((i) => i.type)).toEqual(['image/png']);
  expect(article.images!.report).toEqual({ stored: 1, refused: { unavailable: 2 } });
  expect(article.html).toContain(`src="gloss-image:${article.images!.images[0].name}"`);
  expect((article.html.match(/data-src="http:\/\/127\.0\.0\.1:/g) ?? []).length).toBe(1); // still deferred, never loaded
  expect(privateConnections).toBe(0);
  expect(guard.blocked).toEqual([]);
});
