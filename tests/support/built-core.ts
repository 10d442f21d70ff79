/**
 * Tests that run the built notebook core in real child processes (the crash and lock tests) need the shared chunk
 * `out/main/web.js` requires: a child loads that same chunk, so it runs exactly the code browser mode runs.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '../..');
export const outDir = path.resolve(repoRoot, process.env.GLOSS_OUT_DIR ?? 'out');
export const webJs = path.join(outDir, 'main/web.js');

/** The path of the built notebook core chunk; `what` names the tests in the error when nothing is built. */
export async function builtCoreChunk(what: string): Promise<string> {
  if (!existsSync(webJs)) {
    throw new Error(`The ${what} tests run the built core, and ${webJs} does not exist: run \`npx electron-vite build\` first (or set GLOSS_OUT_DIR).`);
  }
  // The chunk named after notebook.ts (the build may put a small runtime chunk before it).
  const match = /require\("\.\/(chunks\/notebook-[^"]+)"\)/.exec(await readFile(webJs, 'utf8'));
  if (!match) throw new Error(`Could not find the notebook core chunk required by ${webJs}.`);
  return path.join(outDir, 'main', match[1]);
}
