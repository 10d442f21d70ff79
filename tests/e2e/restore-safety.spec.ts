/**
 * Issue 13 item 4, replayed: a backup whose article carries SVG with CSS-escaped url() references (`\75rl(`...),
 * SVG hrefs and `loadRemoteImages: true`, merge-restored through the API of a real browser-mode server and opened in
 * Chromium, must make no request to the "remote" site. The remote site is a TCP server on 127.0.0.1 reached as
 * https://127.0.0.1:PORT (the page's CSP allows https: images, so only Gloss's sanitizing stands between the article
 * and the request); it counts connections, so a request whose TLS handshake fails still counts.
 */
import net, { type AddressInfo } from 'node:net';
import { JSDOM } from 'jsdom';
import type { Page } from '@playwright/test';
import { buildTextModel } from '../../electron/text-model';
import { test, expect } from './fixtures';

interface Counter {
  port: number;
  connections: () => number;
  close: () => void;
}

async function countingServer(): Promise<Counter> {
  let connections = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.destroy(); // no TLS here: the attempt is what counts
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => connections,
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

/** The article as the attack wrote it; its `text` is what the text model reads from it, so the reader renders the HTML. */
function hostileHtml(remote: string): string {
  return [
    '<p>The harbour at dawn is a quiet place, and the boats come back with the tide.</p>',
    '<svg width="40" height="40" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">',
    `<rect width="10" height="10" fill="\\75rl(${remote}/fill.svg#p)"/>`,
    `<rect width="10" height="10" filter="\\000075rl(${remote}/filter.svg#f)"/>`,
    `<rect width="10" height="10" mask="u\\rl(${remote}/mask.svg#m)"/>`,
    `<rect width="10" height="10" clip-path="\\55 RL(${remote}/clip.svg#c)"/>`,
    `<rect width="10" height="10" style="fill: u/**/rl(${remote}/style.svg#s)"/>`,
    `<use href="${remote}/use.svg#u"/><use xlink:href="${remote}/xlink.svg#u"/>`,
    `<image href="${remote}/image.png" width="10" height="10"/>`,
    `<filter id="f"><feImage href="${remote}/feimage.png"/></filter>`,
    '</svg>',
    `<p title="\\75rl(${remote}/title.png)">By seven the market opens and the buyers walk the rows.</p>`,
    `<p><img data-src="${remote}/consented-by-a-file.png" alt="The quay"></p>`,
  ].join('');
}

function textOf(html: string): string {
  const { window } = new JSDOM('<!doctype html><body></body>');
  const article = window.document.createElement('article');
  article.innerHTML = html;
  return buildTextModel(article).text;
}

/** Waits until `sentinel` has seen a connection from an image created after the article was painted. */
async function afterPaint(page: Page, sentinel: Counter): Promise<void> {
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  await page.evaluate((port) => {
    const img = new Image();
    img.src = `https://127.0.0.1:${port}/sentinel.png`;
    document.body.appendChild(img);
  }, sentinel.port);
  await expect.poll(() => sentinel.connections()).toBeGreaterThan(0);
}

test('a merge-restored backup with escaped url() in SVG and loadRemoteImages: true makes no request when opened', async ({ page, gloss }) => {
  const remote = await countingServer();
  const sentinel = await countingServer();
  try {
    const base = `https://127.0.0.1:${remote.port}`;
    const html = hostileHtml(base);
    const text = textOf(html);
    expect(text).toContain('By seven the market opens');
    const now = new Date().toISOString();
    const backup = await gloss.api('backupNotebook');
    backup.articles = [
      {
        id: 'restored-harbour',
        title: 'A restored harbour',
        addedAt: now,
        updatedAt: now,
        highlightCount: 0,
        source: 'https://paper.example/harbour',
        loadRemoteImages: true,
        text,
        html,
        note: '',
        highlights: [],
      },
    ];
    const result = await gloss.api('restoreNotebook', backup, { mode: 'merge' });
    expect(result).toMatchObject({ articles: 1 });

    // Stored: sanitized as an import is (no SVG, no escaped url(), the image still deferred) and no consent.
    const stored = await gloss.api('getArticle', 'restored-harbour');
    expect(stored.loadRemoteImages).toBeUndefined();
    expect(stored.text).toBe(text);
    expect(stored.html).not.toMatch(/<svg|\\75|rl\(|href="https:\/\/127/i);
    expect(stored.html).toContain(`data-src="${base}/consented-by-a-file.png"`);

    // A W3C import brings a note with a Markdown image and raw SVG: neither may load anything either.
    const annotations = {
      '@context': 'http://www.w3.org/ns/anno.jsonld',
      type: 'Annotation',
      body: { type: 'TextualBody', value: `Look: ![quay](${base}/note.png) <svg><image href="${base}/note.svg"/></svg>`, format: 'text/html', purpose: 'commenting' },
      target: { source: 'urn:gloss:article:restored-harbour', selector: [
          { type: 'TextPositionSelector', start: text.indexOf('the market opens'), end: text.indexOf('the market opens') + 16 },
          { type: 'TextQuoteSelector', exact: 'the market opens', prefix: 'By seven ', suffix: ' and the buyers' },
        ],
      },
    };
    expect(await gloss.api('importAnnotations', annotations, { articleId: 'restored-harbour' })).toEqual({ imported: 1, orphaned: 0, skipped: 0 });

    await page.goto(`${gloss.url}#/article/restored-harbour`);
    await expect(page.locator('h1.reader-title')).toHaveText('A restored harbour');
    await expect(page.locator('article.reader-article')).toContainText('By seven the market opens');
    await expect(page.locator('[data-notes-panel]')).toContainText('Look:');
    // The consent in the file was not taken: the reader asks.
    await expect(page.getByText('1 image from the web is not loaded')).toBeVisible();
    await afterPaint(page, sentinel);
    expect(remote.connections()).toBe(0);
    // And the DOM the reader built holds nothing that could fetch later.
    const leftovers = await page.evaluate(() =>
      [...document.querySelectorAll('article.reader-article *, [data-notes-panel] *')].flatMap((el) =>
        el.namespaceURI !== 'http://www.w3.org/1999/xhtml' ? [`<${el.tagName}>`] : [...el.attributes].filter((a) => /rl\(|\\/i.test(a.value)).map((a) => `${a.name}=${a.value}`),
      ),
    );
    expect(leftovers).toEqual([]);
  } finally {
    remote.close();
    sentinel.close();
  }
});
