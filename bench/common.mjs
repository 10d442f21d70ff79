/**
 * What the Chromium benches share (bench/run.mjs for articles, bench/pdf-run.mjs for PDFs): the browser they launch,
 * the real browser-mode server on a temporary notebook, medians, and the machine they ran on.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const outDir = path.resolve(repo, process.env.GLOSS_OUT_DIR ?? 'out');
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

export const log = (...args) => console.log('[bench]', ...args);
export const median = (xs) => quantile(xs, 0.5);
export const p95 = (xs) => quantile(xs, 0.95);
export function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const i = (s.length - 1) * q;
  const lo = Math.floor(i);
  return s[lo] + (s[Math.ceil(i)] - s[lo]) * (i - lo);
}
export const ms = (x) => `${x.toFixed(1)} ms`;

/** A real browser-mode server (the built out/main/web.js) on its own temporary notebook. */
export async function startGloss() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gloss-bench-'));
  const token = randomBytes(16).toString('hex');
  const child = spawn(process.execPath, [path.join(outDir, 'main/web.js'), '--data-dir', dataDir, '--port', '0', '--token', token, '--no-seed'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const origin = await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /ready at (http:\/\/127\.0\.0\.1:\d+)\//.exec(output);
      if (match) resolve(match[1]);
    });
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('exit', (code) => reject(new Error(`browser mode exited with ${code}:\n${output}`)));
  });
  const raw = async (method, ...args) => {
    const response = await fetch(`${origin}/api/${method}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(args),
    });
    return response.text();
  };
  const api = async (method, ...args) => {
    const reply = JSON.parse(await raw(method, ...args));
    if (!reply.ok) throw new Error(`${method}: ${reply.error.message}`);
    return reply.value;
  };
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  return { origin, token, api, raw, stop, dataDir };
}

export async function machine(browserVersion) {
  const cpuinfo = await readFile('/proc/cpuinfo', 'utf8').catch(() => '');
  const model = /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
  return {
    nproc: os.availableParallelism?.() ?? os.cpus().length,
    cpu: model,
    memoryGiB: (os.totalmem() / 2 ** 30).toFixed(1),
    chromium: browserVersion,
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
    date: new Date().toISOString(),
    loadAverage: os.loadavg().map((x) => x.toFixed(2)).join(' '),
  };
}
