/**
 * Browser mode's backup routes over real HTTP on 127.0.0.1, on a real notebook: `GET /api/backup-file` streams the
 * whole-notebook backup (article by article: never one string), `POST /api/restore-file?mode=` restores an uploaded
 * backup file. Both need the token; a bad file is refused with restoreNotebook's error and changes nothing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKUP_ARTICLES_HEADER, BACKUP_FILE_PATH, RESTORE_FILE_PATH } from '../../electron/contract';
import { Notebook } from '../../electron/notebook/notebook';
import { sendHttp, type HttpReply } from '../support/http';
import { serveNotebook, type ServedNotebook } from '../support/web-server';

const TOKEN = 'unit-test-token';
let dir: string;
let notebook: Notebook;
let served: ServedNotebook;
let port: number;

/** With the token unless the test says otherwise. */
function send(options: { method?: string; path: string; headers?: Record<string, string | undefined>; body?: Buffer | string }): Promise<HttpReply> {
  return sendHttp(port, { ...options, headers: { Authorization: `Bearer ${TOKEN}`, ...options.headers } });
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gloss-web-backup-'));
  notebook = await Notebook.open(path.join(dir, 'notebook'), { owner: 'the web-backup test' });
  for (let i = 0; i < 3; i++) {
    const a = await notebook.importArticle({ format: 'text', title: `Article ${i}`, content: `Text of article ${i}, with “quotes” and ünïcödé.` });
    await notebook.addHighlight(a.id, { start: 0, end: 4, note: `note ${i}` });
  }
  served = await serveNotebook(dir, { api: notebook, subscribe: () => () => undefined, token: TOKEN });
  port = served.port;
});

afterEach(async () => {
  await served.close();
  await notebook.close();
  await rm(dir, { recursive: true, force: true });
});

describe('GET /api/backup-file', () => {
  it('streams the backup backupNotebook returns, as a download, with the article count; only with the token and GET', async () => {
    const reply = await send({ path: BACKUP_FILE_PATH });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-disposition']).toMatch(/^attachment; filename="gloss-backup-\d{4}-\d\d-\d\d\.json"$/);
    expect(reply.headers[BACKUP_ARTICLES_HEADER.toLowerCase()]).toBe('3');
    expect(reply.json).toEqual(await notebook.backupNotebook());
    expect(reply.text.trimEnd().split('\n')).toHaveLength(5); // streamed one article per line
    expect((await send({ path: BACKUP_FILE_PATH, headers: { Authorization: undefined } })).status).toBe(401);
    expect((await send({ path: BACKUP_FILE_PATH, headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await send({ path: BACKUP_FILE_PATH, method: 'POST' })).status).toBe(405);
  });
});

describe('POST /api/restore-file', () => {
  it('restores an uploaded backup (replace and merge) with restoreNotebook\'s reply', async () => {
    const backup = (await send({ path: BACKUP_FILE_PATH })).text;
    const [first] = await notebook.listArticles();
    await notebook.deleteArticle(first.id);
    const extra = await notebook.importArticle({ format: 'text', title: 'Later', content: 'Added after the backup.' });
    const merged = await send({ method: 'POST', path: `${RESTORE_FILE_PATH}?mode=merge`, headers: { 'Content-Type': 'application/octet-stream' }, body: backup });
    expect(merged.status).toBe(200);
    expect(merged.json).toMatchObject({ ok: true, value: { articles: 1, highlights: 1, skipped: 0 } });
    expect((await notebook.listArticles()).map((a) => a.title).sort()).toEqual(['Article 0', 'Article 1', 'Article 2', 'Later']);
    const replaced = await send({ method: 'POST', path: `${RESTORE_FILE_PATH}?mode=replace`, headers: { 'Content-Type': 'application/octet-stream' }, body: backup });
    expect(replaced.json).toMatchObject({ ok: true, value: { safetyBackup: expect.stringContaining('before-restore') } });
    expect((await notebook.listArticles()).map((a) => a.id)).not.toContain(extra.id);
    expect(await notebook.backupNotebook()).toEqual(JSON.parse(backup));
  });

  it('refuses a missing mode, a bad file and a missing token, changing nothing', async () => {
    const before = await notebook.backupNotebook();
    const noMode = await send({ method: 'POST', path: RESTORE_FILE_PATH, body: '{}' });
    expect(noMode.status).toBe(400);
    expect(noMode.json.error.message).toMatch(/mode=replace or \?mode=merge/);
    const truncated = JSON.stringify(before).slice(0, 200);
    const bad = await send({ method: 'POST', path: `${RESTORE_FILE_PATH}?mode=replace`, body: truncated });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringMatching(/^Backup is not valid JSON/) } });
    expect((await send({ method: 'POST', path: `${RESTORE_FILE_PATH}?mode=replace`, headers: { Authorization: undefined }, body: JSON.stringify(before) })).status).toBe(401);
    expect(await notebook.backupNotebook()).toEqual(before);
  });
});
