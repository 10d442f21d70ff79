/**
 * The built command line (out/main/cli.js, or $GLOSS_OUT_DIR/main/cli.js), spawned on temporary notebook folders:
 * imports by extension, folder export through the same core (in place, filters, conflict copies), the lock, and the
 * documented exit codes.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CLI, runGloss, type CliRun } from '../support/cli';
import { Notebook } from '../../electron/notebook/notebook';
import { blockquoteTexts, frontmatterOf } from '../support/export-readback';

const ROOT = path.resolve(__dirname, '../..');
const FIXTURES = path.resolve(ROOT, '../shared/fixtures');

function gloss(...args: string[]): Promise<CliRun> {
  return runGloss(work, args);
}

let work: string;
let data: string;

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is not built: run electron-vite build (GLOSS_OUT_DIR picks the folder)`);
});
beforeEach(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'gloss-cli-'));
  data = path.join(work, 'notebook');
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('gloss command line', () => {
  it('prints help, and exits 2 on wrong usage and 1 when there is no notebook', async () => {
    const help = await gloss('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: gloss <command>/);
    expect(help.stdout).toMatch(/--tag T/);
    expect((await gloss('frobnicate')).code).toBe(2);
    const noOut = await gloss('export', '--data-dir', data);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toMatch(/export needs --out/);
    expect((await gloss('export', '--data-dir', data, '--out', 'x', '--group-by', 'mood')).code).toBe(2);
    const missing = await gloss('export', '--data-dir', data, '--out', path.join(work, 'out'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`There is no Gloss notebook at ${data}`);
    expect(existsSync(data)).toBe(false); // export never creates a notebook
  });

  it('imports files by extension and W3C annotations, then exports a folder in place with filters and conflict copies', async () => {
    await writeFile(path.join(work, 'plain.txt'), 'Plain title\n\nThe first *paragraph* with # marks and <b>tags</b>.\n\nA second one.');
    await writeFile(path.join(work, 'notes.md'), '# Markdown title\n\nSome **bold** text and a list:\n\n- one\n- two\n');
    const bad = path.join(work, 'missing.html');
    const imported = await gloss('import', path.join(work, 'plain.txt'), path.join(work, 'notes.md'), bad, '--data-dir', data);
    expect(imported.code).toBe(1); // one of three failed...
    expect(imported.stdout).toMatch(/Imported "Plain title"/);
    expect(imported.stdout).toMatch(/Imported "Markdown title"/);
    expect(imported.stderr).toContain('missing.html');
    expect(imported.stderr).toMatch(/1 of 3 files were not imported/); // ...and the others were still imported

    // Highlights through the same core, then W3C annotations from a file onto the article by id.
    const nb = await Notebook.open(data);
    const [plain] = await nb.listArticles();
    const { text } = await nb.getArticle(plain.id);
    const start = text.indexOf('The first');
    await nb.addHighlight(plain.id, { start, end: start + 'The first *paragraph*'.length, tags: ['method'], note: 'why' });
    await nb.close();
    const annotations = path.join(work, 'hypothesis.json');
    await writeFile(
      annotations,
      JSON.stringify({
        '@context': 'http://www.w3.org/ns/anno.jsonld',
        type: 'Annotation',
        body: [{ type: 'TextualBody', value: 'second', purpose: 'tagging' }],
        target: { source: 'https://example.com/x', selector: { type: 'TextQuoteSelector', exact: 'A second one.' } },
      }),
    );
    const anno = await gloss('import', annotations, '--article', plain.id, '--data-dir', data);
    expect(anno.code).toBe(0);
    expect(anno.stdout).toMatch(/1 anchored, 0 orphaned/);

    const out = path.join(work, 'vault');
    const first = await gloss('export', '--data-dir', data, '--out', out, '--tag', 'method');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Exported 1 article to .*: 1 written, 0 unchanged, 0 conflicts/);
    const [file] = (await readdir(out)).filter((f) => f.endsWith('.md'));
    expect(file).toBe('Plain title.md'); // the title alone: no other title collides
    const body = await readFile(path.join(out, file), 'utf8');
    expect(frontmatterOf(body)?.title).toBe('Plain title');
    expect(blockquoteTexts(body)).toEqual(['The first *paragraph*']); // the tag filter left out the 'second' highlight

    const again = await gloss('export', '--data-dir', data, '--out', out, '--tag', 'method');
    expect(again.stdout).toMatch(/0 written, 1 unchanged/);

    // The user edits the file: the next export leaves it alone and writes a conflict copy.
    await writeFile(path.join(out, file), `${body}\nMy own addition.\n`);
    const all = await gloss('export', '--data-dir', data, '--out', out);
    expect(all.code).toBe(0);
    expect(all.stderr).toMatch(/kept Plain title\.md \(it was edited since the last export\); wrote .*\.conflict-1\.md instead/);
    expect(await readFile(path.join(out, file), 'utf8')).toContain('My own addition.');
    const conflict = await readFile(path.join(out, file.replace(/\.md$/, '.conflict-1.md')), 'utf8');
    expect(blockquoteTexts(conflict)).toEqual(['The first *paragraph*', 'A second one.']);

    // One document on stdout, and a template error named without writing anything.
    const stdout = await gloss('export', '--data-dir', data, '--out', '-', '--color', 'yellow');
    expect(blockquoteTexts(stdout.stdout)).toEqual(['The first *paragraph*', 'A second one.']);
    await writeFile(path.join(work, 'bad.mustache'), '{{#highlights}}{{quote}}');
    const before = await readdir(out);
    const badTemplate = await gloss('export', '--data-dir', data, '--out', out, '--template', path.join(work, 'bad.mustache'));
    expect(badTemplate.code).toBe(1);
    expect(badTemplate.stderr).toMatch(/Export template does not parse: Unclosed section "highlights"/);
    expect(await readdir(out)).toEqual(before);
  });

  it('round-trips a backup file, and imports the W3C example collection onto the article with that source', async () => {
    const nb = await Notebook.open(data);
    await nb.importArticle({ format: 'text', title: 'Page one', source: 'http://example.org/page1', content: 'Lead in. And this is an anotation that has some words.' });
    await nb.close();
    const backup = path.join(work, 'backup.json');
    expect((await gloss('export', '--data-dir', data, '--format', 'backup', '--out', backup)).code).toBe(0);
    const restored = path.join(work, 'restored');
    const r = await gloss('import', backup, '--data-dir', restored);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Restored .*backup\.json \(merge\): 1 articles/);
    const again = path.join(work, 'backup2.json');
    await gloss('export', '--data-dir', restored, '--format', 'backup', '--out', again);
    expect(JSON.parse(await readFile(again, 'utf8'))).toEqual(JSON.parse(await readFile(backup, 'utf8')));

    const w3c = await gloss('import', path.join(FIXTURES, 'w3c-annotation/cr-2016-06-examples/anno26.json'), '--data-dir', data);
    expect(w3c.stdout).toMatch(/1 anchored/);
  });

  it('refuses while another process holds the notebook, naming it', async () => {
    const app = await Notebook.open(data, { owner: 'the Gloss desktop app (test)' });
    try {
      const r = await gloss('export', '--data-dir', data, '--out', path.join(work, 'out'));
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/already open in the Gloss desktop app \(test\)/);
      const i = await gloss('import', path.join(FIXTURES, 'sample-article.txt'), '--data-dir', data);
      expect(i.code).toBe(1);
      expect(existsSync(path.join(work, 'out'))).toBe(false);
    } finally {
      await app.close();
    }
    expect((await gloss('export', '--data-dir', data, '--out', path.join(work, 'out'))).code).toBe(0);
  });

  it('searches with the query syntax, folds accents and quotes, pages with the true total, and saves its index', async () => {
    await writeFile(path.join(work, 'war.txt'), 'War and Peace\n\nNatásha said: “Man’s greed is the stranding of the whale.”\n\nNatásha laughed.');
    await writeFile(path.join(work, 'reo.txt'), 'Te reo\n\nKo te reo Māori te reo taketake. A whale stranding.');
    expect((await gloss('import', path.join(work, 'war.txt'), path.join(work, 'reo.txt'), '--data-dir', data)).code).toBe(0);
    const natasha = await gloss('search', 'natasha', '--data-dir', data);
    expect(natasha.code).toBe(0);
    expect(natasha.stdout).toMatch(/^1 result, 1-1 shown\ntext\tWar and Peace \(\S+\) 0-7\n\tNatásha said/);
    const json = JSON.parse((await gloss('search', "man's greed", '--json', '--data-dir', data)).stdout);
    expect(json).toMatchObject({ total: 1, matches: [{ kind: 'text', snippet: expect.stringContaining('Man’s greed') }] });
    const phrase = JSON.parse((await gloss('search', '"whale stranding"', '--json', '--data-dir', data)).stdout);
    expect(phrase.matches.map((m: { articleTitle: string }) => m.articleTitle)).toEqual(['Te reo']);
    const paged = JSON.parse((await gloss('search', '--json', '--data-dir', data, '--', 'whale', '-stranding')).stdout);
    expect(paged.total).toBe(0);
    const page2 = JSON.parse((await gloss('search', 'whale', '--offset', '1', '--limit', '1', '--json', '--data-dir', data)).stdout);
    expect(page2).toMatchObject({ total: 2, offset: 1, limit: 1 });
    expect(page2.matches).toHaveLength(1);
    expect(existsSync(path.join(data, 'local', 'cache', 'search-index.bin'))).toBe(true);
    const bad = await gloss('search', 'whale', '--limit', '0', '--data-dir', data);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--limit must be a whole number from 1 to 200/);
    expect((await gloss('search', '--data-dir', data)).code).toBe(2);
  });
});
