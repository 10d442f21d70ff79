/**
 * `npm start` on a machine without the Electron binary (this one: it cannot be downloaded here) says so in one line
 * and starts browser mode, which prints its URL and serves the notebook.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { findElectronBinary } = require('../../scripts/electron-binary.cjs') as { findElectronBinary: () => { path?: string; missing?: string } };

const root = path.resolve(__dirname, '../..');

describe('npm start', () => {
  it.skipIf(Boolean(findElectronBinary().path))('falls back to browser mode in one line when there is no Electron binary', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'gloss-start-'));
    const child = spawn(process.execPath, [path.join(root, 'scripts/start.cjs'), '--data-dir', dir, '--port', '0', '--token', 'start-test'], {
      cwd: root,
      env: { ...process.env, GLOSS_SKIP_BUILD: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const match = /ready at (http:\/\/127\.0\.0\.1:\d+)\/#token=start-test/.exec(output);
          if (match) resolve(match[1]);
        });
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
      });
      const notice = output.split('\n').filter((line) => line.includes('Electron'));
      expect(notice).toHaveLength(1);
      expect(notice[0]).toMatch(/^Gloss: no Electron binary here \(.+\), so browser mode starts instead\.$/);
      const reply = await fetch(`${url}/api/listArticles`, { method: 'POST', headers: { Authorization: 'Bearer start-test' }, body: '[]' });
      expect((await reply.json()).value[0].title).toMatch(/^Iran will never forget/);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      await rm(dir, { recursive: true, force: true });
    }
  });
});
