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
  url: string;
  origin: string;
  token: string;
  dataDir: string;
  process: ChildProcess;
  /** Calls the local API the way scripts do (Bearer token), throwing on an error reply. */
  api<M extends ApiMethod>(method: M, ...args: unknown[]): Promise<ApiResult<M>>;
  /** Raw call: the HTTP status and parsed reply, for tests of refusals. */
  raw(method: string, body: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
  restart(): Promise<GlossServer>;
}

export async function startGloss(options: { dataDir?: string; token?: string; args?: string[] } = {}): Promise<GlossServer> {
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
    setTimeout(() => reject(new Error(`browser mode did not start in 20 s:\n${output}`)), 20_000).unref();
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
    url: `${origin}/?token=${token}`,
    origin,
    token,
    dataDir,
    process: child,
    raw,
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

/** Selects the first occurrence of `text` inside the reader's article, as a user's drag would. */
export async function selectText(page: Page, text: string): Promise<void> {
  await expect(page.locator('article.reader-article')).toContainText(text);
  const found = await page.evaluate((needle) => {
    const root = document.querySelector('article.reader-article');
    if (!root) return false;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const nodes: Text[] = [];
    let full = '';
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      nodes.push(n as Text);
      full += (n as Text).data;
    }
    const at = full.indexOf(needle);
    if (at < 0) return false;
    const locate = (offset: number): [Text, number] => {
      let seen = 0;
      for (const node of nodes) {
        if (offset <= seen + node.data.length) return [node, offset - seen];
        seen += node.data.length;
      }
      throw new Error('offset out of range');
    };
    const [sn, so] = locate(at);
    const [en, eo] = locate(at + needle.length);
    const range = document.createRange();
    range.setStart(sn, so);
    range.setEnd(en, eo);
    const sel = document.getSelection()!;
    sel.removeAllRanges();
    sel.addRange(range);
    return true;
  }, text);
  if (!found) throw new Error(`"${text}" is not in the article`);
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
