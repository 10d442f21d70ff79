/**
 * Stored images end to end in the notebook and both hosts (issue 17 item 2): an import writes them and says how many,
 * an image goes when no article (live or undoable) uses it, browser mode serves `/images/<name>` only with the image
 * key (or the token) and the desktop scheme serves it from the notebook, both with inert headers. Real notebook in a
 * temp folder, real HTTP on 127.0.0.1, the real worker (built out/).
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { imageFilePath, imageKeyOf } from '../../electron/contract';
import { appSchemeHandler } from '../../electron/main/app-protocol';
import { Notebook } from '../../electron/notebook/notebook';
import { createWebServer } from '../../electron/web/server';
import { makePng } from '../support/make-image';

const TOKEN = 'image-test-token';
let dir: string;
let notebook: Notebook;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gloss-images-nb-'));
  notebook = await Notebook.open(dir);
});
afterEach(async () => {
  await notebook.close();
  await rm(dir, { recursive: true, force: true });
});

const PROSE = '<p>The harbour wakes before dawn, when the boats come in with the night\'s catch and the gulls follow them home.</p>'.repeat(6);
const pageWith = (png: Buffer, title: string): string =>
  `<html><head><title>${title}</title></head><body><article><h1>${title}</h1>${PROSE}<figure><img src="data:image/png;base64,${png.toString('base64')}" alt="Quay"><figcaption>The quay.</figcaption></figure>${PROSE}</article></body></html>`;

const storedNames = async (): Promise<string[]> => (await readdir(path.join(dir, 'images')).catch(() => [] as string[])).sort();

describe('the notebook keeps images while an article uses them', () => {
  it('writes them at import, shares one copy, and removes it with the last article that used it', async () => {
    const png = makePng(50, 40);
    const a = await notebook.importArticle({ format: 'html', content: pageWith(png, 'Quay one') });
    expect(a.images).toEqual({ stored: 1, notStored: {} });
    const [name] = await storedNames();
    expect(name).toMatch(/^[0-9a-f]{64}\.png$/);
    expect(await readFile(path.join(dir, 'images', name))).toEqual(png);
    expect((await notebook.getArticle(a.id)).html).toContain(`src="gloss-image:${name}"`);
    const b = await notebook.importArticle({ format: 'html', content: pageWith(png, 'Quay two') });
    expect(await storedNames()).toEqual([name]);

    await notebook.deleteArticle(a.id);
    await notebook.close(); // ends the undo window: a is purged, b still uses the image
    notebook = await Notebook.open(dir);
    await notebook.whenChecked(); // the sweeps (trash, originals, images) run behind the open
    expect(await storedNames()).toEqual([name]);
    await notebook.deleteArticle(b.id);
    await notebook.restoreArticle(b.id); // undo: still used
    await notebook.deleteArticle(b.id);
    expect(await storedNames()).toEqual([name]); // deleted but undoable: kept
    await notebook.close();
    notebook = await Notebook.open(dir);
    await notebook.whenChecked(); // the sweeps (trash, originals, images) run behind the open
    expect(await storedNames()).toEqual([]);
  });

  it('sweeps at open what no article names (a stop between writing an image and its article)', async () => {
    const { storeImage } = await import('../../electron/notebook/images');
    await storeImage(dir, makePng(3, 3));
    expect((await storedNames()).length).toBe(1);
    await notebook.close();
    notebook = await Notebook.open(dir);
    await notebook.whenChecked(); // the sweeps (trash, originals, images) run behind the open
    expect(await storedNames()).toEqual([]);
  });
});

describe('hosts serve stored images', () => {
  let server: Server;
  let origin: string;
  let name: string;
  const png = makePng(30, 20);

  beforeEach(async () => {
    await notebook.importArticle({ format: 'html', content: pageWith(png, 'Served') });
    [name] = await storedNames();
    server = createWebServer({ api: notebook, subscribe: () => () => undefined, token: TOKEN, rendererDir: dir });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('browser mode: with the image key (or the token) only; inert, immutable, its own type', async () => {
    const key = await imageKeyOf(TOKEN);
    const ok = await fetch(`${origin}${imageFilePath(name)}?key=${key}`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('image/png');
    expect(ok.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'; sandbox");
    expect(ok.headers.get('cache-control')).toContain('immutable');
    expect(Buffer.from(await ok.arrayBuffer())).toEqual(png);
    expect((await fetch(`${origin}${imageFilePath(name)}`, { headers: { Authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    expect((await fetch(`${origin}${imageFilePath(name)}`)).status).toBe(401);
    expect((await fetch(`${origin}${imageFilePath(name)}?key=${TOKEN}`)).status).toBe(401); // the token is not the key
    expect((await fetch(`${origin}${imageFilePath(name)}?key=${key.replace(/^./, (c) => (c === '0' ? '1' : '0'))}`)).status).toBe(401);
    // The key opens images and nothing else.
    expect((await fetch(`${origin}/api/listArticles?key=${key}`, { method: 'POST' })).status).toBe(401);
    expect((await fetch(`${origin}/images/..%2Fgloss-index.json?key=${key}`)).status).toBe(404);
    expect((await fetch(`${origin}/images/${'0'.repeat(64)}.png?key=${key}`)).status).toBe(404);
    expect((await fetch(`${origin}${imageFilePath(name)}?key=${key}`, { method: 'POST' })).status).toBe(405);
  });

  it('desktop: gloss-app://renderer/images/<name> from the notebook, nothing else', async () => {
    const handler = appSchemeHandler(dir, () => notebook);
    const ok = await handler(new Request(`gloss-app://renderer${imageFilePath(name)}`));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('image/png');
    expect(ok.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(Buffer.from(await ok.arrayBuffer())).toEqual(png);
    expect((await handler(new Request('gloss-app://renderer/images/..%2F..%2Fetc%2Fpasswd'))).status).toBe(404);
    expect((await handler(new Request(`gloss-app://renderer/images/${'1'.repeat(64)}.gif`))).status).toBe(404);
    expect((await appSchemeHandler(dir, () => null)(new Request(`gloss-app://renderer${imageFilePath(name)}`))).status).toBe(404);
  });
});
