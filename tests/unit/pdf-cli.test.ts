/** The built command line imports PDFs by extension (out/main/cli.js, or $GLOSS_OUT_DIR/main/cli.js), with --password. */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CLI, runGloss, type CliRun } from '../support/cli';
import { Notebook } from '../../electron/notebook/notebook';
import { PDFS_DIR } from '../../electron/notebook/pdf/store';
import { encryptPdf, makePdf } from '../support/make-pdf';

function gloss(...args: string[]): Promise<CliRun> {
  return runGloss(work, args);
}

let work: string;
let data: string;

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is not built: run electron-vite build (GLOSS_OUT_DIR picks the folder)`);
});
beforeEach(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'gloss-pdf-cli-'));
  data = path.join(work, 'notebook');
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('gloss import paper.pdf', () => {
  it('imports a PDF by its extension, and an encrypted one with --password (saying plainly when it is missing)', async () => {
    const paper = path.join(work, 'paper.pdf');
    await writeFile(paper, await makePdf({ pages: [{ lines: ['Command Line Paper', 'Body text of the paper.'], firstLineSize: 18 }] }));
    const plain = await gloss('import', paper, '--data-dir', data);
    expect(plain.stderr).toBe('');
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/Imported "Command Line Paper" \([\w-]+\) from .*paper\.pdf/);

    const locked = path.join(work, 'locked.pdf');
    await writeFile(locked, encryptPdf(await makePdf({ pages: [{ lines: ['Locked Paper', 'Secret body.'], firstLineSize: 18 }] }), 'pw123'));
    const without = await gloss('import', locked, '--data-dir', data);
    expect(without.code).toBe(1);
    expect(without.stderr).toMatch(/locked\.pdf.*protected by a password/);
    const wrong = await gloss('import', locked, '--password', 'nope', '--data-dir', data);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/password given is wrong/);
    const right = await gloss('import', locked, '--password', 'pw123', '--data-dir', data);
    expect(right.code).toBe(0);
    expect(right.stdout).toMatch(/Imported "Locked Paper"/);

    const nb = await Notebook.open(data);
    try {
      const articles = await nb.listArticles();
      expect(articles.map((a) => [a.title, a.kind])).toEqual([
        ['Command Line Paper', 'pdf'],
        ['Locked Paper', 'pdf'],
      ]);
      expect(await readdir(path.join(data, PDFS_DIR))).toHaveLength(2);
    } finally {
      await nb.close();
    }
  });
});
