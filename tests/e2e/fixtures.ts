/**
 * Every e2e test gets its own Gloss: a real browser-mode server (the built out/main/web.js) on a free 127.0.0.1 port,
 * with its own temporary notebook folder and token. Nothing of Gloss's core is mocked.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ApiMethod, ApiResult } from '../../electron/contract';

export const repoRoot = path.resolve(__dirname, '../..');
// GLOSS_FIXTURES names the shared fixtures folder when it is not ../shared/fixtures (a git worktree elsewhere, say).
export const fixturesDir = path.resolve(repoRoot, process.env.GLOSS_FIXTURES ?? '../shared/fixtures');

export interface GlossServer {
  /**
   * The URL browser mode prints, `http://127.0.0.1:PORT/#token=T` (the token in the fragment, which no server sees).
   * Append a route as `${gloss.url}#/article/ID`: the page takes the token and keeps the route.
   */
  url: string;
  origin: string;
  token: string;
  dataDir: string;
  process: ChildProcess;
  /** Calls the local API the way scripts do (Bearer token), throwing on an error reply. */
  api<M extends ApiMethod>(method: M, ...args: unknown[]): Promise<ApiResult<M>>;
  /** Raw call: the HTTP status and parsed reply, for tests of refusals. */
  raw(method: string, body: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  /** Everything the server has written to stdout and stderr so far (its log). */
  log(): string;
  stop(): Promise<void>;
  restart(): Promise<GlossServer>;
}

export async function startGloss(options: { dataDir?: string; token?: string; args?: string[]; startTimeoutMs?: number } = {}): Promise<GlossServer> {
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'gloss-e2e-')));
  const token = options.token ?? randomBytes(16).toString('hex');
  const child = spawn(process.execPath, [path.join(repoRoot, process.env.GLOSS_OUT_DIR ?? 'out', 'main/web.js'), '--data-dir', dataDir, '--port', '0', '--token', token, ...(options.args ?? [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const origin = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /ready at (http:\/\/127\.0\.0\.1:\d+)\//.exec(output);
      if (match) resolve(match[1]);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => reject(new Error(`browser mode exited with ${code}:\n${output}`)));
    const limit = options.startTimeoutMs ?? 20_000;
    setTimeout(() => reject(new Error(`browser mode did not start in ${limit / 1000} s:\n${output}`)), limit).unref();
  });

  const raw: GlossServer['raw'] = async (method, body, headers = {}) => {
    const response = await fetch(`${origin}/api/${method}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* keep text */
    }
    return { status: response.status, body: parsed };
  };

  const server: GlossServer = {
    url: `${origin}/#token=${token}`,
    origin,
    token,
    dataDir,
    process: child,
    raw,
    log: () => output,
    async api(method, ...args) {
      const { status, body } = await raw(method, args);
      if (status !== 200 || !body.ok) throw new Error(`${method} failed (${status}): ${JSON.stringify(body)}`);
      return body.value;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
    async restart() {
      await server.stop();
      return startGloss({ dataDir, token });
    },
  };
  return server;
}

export const test = base.extend<{ gloss: GlossServer }>({
  // eslint-disable-next-line no-empty-pattern
  gloss: async ({}, use) => {
    const server = await startGloss();
    const servers: GlossServer[] = [server];
    await use(new Proxy(server, {
      get(target, prop, receiver) {
        if (prop === 'restart') {
          return async () => {
            const next = await target.restart();
            servers.push(next);
            return next;
          };
        }
        return Reflect.get(target, prop, receiver);
      },
    }));
    for (const s of servers) await s.stop();
    await rm(server.dataDir, { recursive: true, force: true });
  },
});

export { expect };

/**
 * Selects the first occurrence of `text` inside the reader's article with a real mouse drag (down, move, up through
 * the browser's input pipeline, as a person selects), from just inside the first character to just inside the last.
 * The points are found with caretPositionFromPoint, so right-to-left text works too; the drag's result is checked
 * against the text asked for, and a mismatch throws rather than letting a test run on a wrong selection.
 */
export async function selectText(page: Page, text: string): Promise<void> {
  await expect(page.locator('article.reader-article')).toContainText(text);
  const points = await page.evaluate((needle) => {
    const root = document.querySelector('article.reader-article');
    if (!root) return null;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const nodes: Text[] = [];
    let full = '';
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      nodes.push(n as Text);
      full += (n as Text).data;
    }
    const at = full.indexOf(needle);
    if (at < 0) return null;
    // A start boundary belongs to the node whose first characters follow it; an end boundary to the one it ends.
    const locate = (offset: number, edge: 'start' | 'end'): [Text, number] => {
      let seen = 0;
      for (const node of nodes) {
        const inside = edge === 'start' ? offset < seen + node.data.length : offset <= seen + node.data.length;
        if (inside) return [node, offset - seen];
        seen += node.data.length;
      }
      throw new Error('offset out of range');
    };
    const [sn, so] = locate(at, 'start');
    const [en, eo] = locate(at + needle.length, 'end');
    sn.parentElement!.scrollIntoView({ block: 'center', behavior: 'instant' });
    /** A point inside the character next to the boundary, on the side where the caret goes to that boundary. */
    const pointAt = (node: Text, offset: number, edge: 'start' | 'end') => {
      const char = document.createRange();
      char.setStart(node, edge === 'start' ? offset : offset - 1);
      char.setEnd(node, edge === 'start' ? offset + 1 : offset);
      const rects = [...char.getClientRects()].filter((r) => r.width > 0);
      const rect = edge === 'start' ? rects[0] : rects[rects.length - 1];
      const y = rect.top + rect.height / 2;
      const xs = [rect.left + 1, rect.right - 1];
      const x = xs.find((cx) => {
        const caret = document.caretPositionFromPoint(cx, y);
        return caret?.offsetNode === node && caret.offset === offset;
      });
      return { x: x ?? (edge === 'start' ? xs[0] : xs[1]), y };
    };
    const expected = document.createRange();
    expected.setStart(sn, so);
    expected.setEnd(en, eo);
    return { from: pointAt(sn, so, 'start'), to: pointAt(en, eo, 'end'), expected: expected.toString() };
  }, text);
  if (!points) throw new Error(`"${text}" is not in the article`);
  await page.mouse.move(points.from.x, points.from.y);
  await page.mouse.down();
  await page.mouse.move((points.from.x + points.to.x) / 2, (points.from.y + points.to.y) / 2, { steps: 3 });
  await page.mouse.move(points.to.x, points.to.y, { steps: 3 });
  await page.mouse.up();
  const selected = await page.evaluate(() => {
    const selection = document.getSelection();
    return selection && selection.rangeCount ? selection.getRangeAt(0).toString() : '';
  });
  if (selected !== points.expected) throw new Error(`dragging over "${text}" selected "${selected}" instead`);
}

/** The painted highlights as the user sees them: each CSS highlight layer's ranges, as text. */
export async function paintedQuotes(page: Page): Promise<Record<string, string[]>> {
  return page.evaluate(() => {
    const out: Record<string, string[]> = {};
    for (const color of ['yellow', 'green', 'blue', 'pink', 'purple']) {
      const layer = CSS.highlights.get(`gloss-${color}`);
      out[color] = layer ? [...layer].map((r) => (r as Range).toString()) : [];
    }
    return out;
  });
}
