/** The built command line (out/main/cli.js, or $GLOSS_OUT_DIR/main/cli.js), run as a user runs it, for the CLI tests. */
import { spawn } from 'node:child_process';
import path from 'node:path';

export const CLI = path.join(path.resolve(__dirname, '../..'), process.env.GLOSS_OUT_DIR ?? 'out', 'main/cli.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `gloss ARGS` in `cwd` with GLOSS_DATA_DIR cleared (each test names its folder), and collects what it printed. */
export function runGloss(cwd: string, args: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, GLOSS_DATA_DIR: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
