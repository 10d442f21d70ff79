/**
 * The command line for issue 16 (built out/main/cli.js, spawned): `gloss import --from TOOL` with its report, and
 * `gloss export --format bibtex|csl-json`, read back by real parsers.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse as parseBibtex } from '@retorquere/bibtex-parser';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CLI, runGloss } from '../support/cli';

const FIXTURES = path.resolve(__dirname, '../fixtures/interop');
let work: string;
let data: string;
const gloss = (...args: string[]) => runGloss(work, [...args, '--data-dir', data]);

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is not built: run electron-vite build (GLOSS_OUT_DIR picks the folder)`);
});
beforeEach(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'gloss-interop-cli-'));
  data = path.join(work, 'notebook');
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('gloss import --from and export --format bibtex|csl-json', () => {
  it('imports Kindle clippings and Readwise CSV with a report, then exports citations that parse', async () => {
    const kindle = await gloss('import', path.join(FIXTURES, 'My Clippings.txt'), '--from', 'kindle');
    expect(kindle.code).toBe(0);
    expect(kindle.stdout).toMatch(/4 highlights anchored, 0 orphaned \(quote not found, kept\), 2 skipped; 3 articles made, 0 matched/);
    expect(kindle.stderr).toMatch(/kept as a note on the book/);
    const readwise = await gloss('import', path.join(FIXTURES, 'readwise-export.csv'), '--from', 'readwise');
    expect(readwise.code).toBe(0);

    const bib = await gloss('export', '--format', 'bibtex', '--out', '-');
    expect(bib.code).toBe(0);
    const parsed = parseBibtex(bib.stdout, { sentenceCase: false, english: false });
    expect(parsed.errors).toEqual([]);
    const keys = parsed.entries.map((e) => e.key);
    expect(keys).toContain('leguinleft');
    expect(keys).toContain('proustsearch');
    expect(new Set(keys).size).toBe(keys.length);

    const out = path.join(work, 'library.json');
    const csl = await gloss('export', '--format', 'csl-json', '--out', out);
    expect(csl.code).toBe(0);
    const items = JSON.parse(await readFile(out, 'utf8')) as { id: string; author?: { family?: string; given?: string }[] }[];
    // The keys were made by the first export and kept: the second export uses the same ones.
    expect(items.map((i) => i.id).sort()).toEqual([...keys].sort());
    expect(items.find((i) => i.id === 'leguinleft')?.author).toEqual([{ family: 'Le Guin', given: 'Ursula K.' }]);
  });

  it('refuses an unknown tool (usage) and a malformed file (exit 1, the reason named)', async () => {
    const usage = await gloss('import', path.join(FIXTURES, 'My Clippings.txt'), '--from', 'pocket');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--from pocket: use hypothesis, kindle, readwise, omnivore/);
    const wrong = await gloss('import', path.join(FIXTURES, 'readwise-export.csv'), '--from', 'kindle');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/readwise-export.csv: Cannot import "readwise-export.csv": it is not a Kindle "My Clippings.txt"/);
  });
});
