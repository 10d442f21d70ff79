/**
 * The README's examples are copy-paste correct: every `curl` call in it runs, as written, against a real browser-mode
 * server (placeholders PORT, TOKEN and ARTICLE_ID filled in), and every `npm run gloss` line runs against a real
 * notebook folder. A README example that is refused (curl's default form encoding got 415) fails here.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { test, expect, repoRoot, fixturesDir } from './fixtures';

const run = promisify(execFile);

/** The README's shell examples: each command, with `\` line continuations joined. */
async function readmeCommands(startsWith: string): Promise<string[]> {
  const readme = await readFile(path.join(repoRoot, 'README.md'), 'utf8');
  const commands: string[] = [];
  for (const block of readme.matchAll(/```sh\n([\s\S]*?)```/g)) {
    const joined = block[1].replace(/\\\n\s*/g, ' ');
    for (const line of joined.split('\n')) if (line.trim().startsWith(startsWith)) commands.push(line.trim());
  }
  return commands;
}

test('every curl example in the README works as written', async ({ gloss }) => {
  test.skip(!existsSync('/usr/bin/curl') && !process.env.PATH?.split(':').some((d) => existsSync(path.join(d, 'curl'))), 'curl is not installed (.ci/run installs it)');
  const examples = await readmeCommands('curl ');
  expect(examples.length).toBeGreaterThanOrEqual(2);
  const [sample] = await gloss.api('listArticles');
  const port = new URL(gloss.origin).port;
  // The files the examples name (the raw PDF upload's paper.pdf), in the folder they run from.
  const cwd = await mkdtemp(path.join(os.tmpdir(), 'gloss-readme-curl-'));
  try {
    await writeFile(path.join(cwd, 'paper.pdf'), await readFile(path.join(fixturesDir, 'pdf/tracemonkey.pdf')));
    for (const example of examples) {
      const command = example.replaceAll('PORT', port).replaceAll('TOKEN', gloss.token).replaceAll('ARTICLE_ID', sample.id);
      const { stdout } = await run('bash', ['-c', command], { cwd });
      const reply = JSON.parse(stdout);
      expect(reply, `${example}\n-> ${stdout}`).toMatchObject({ ok: true });
    }
  } finally {
    await rm(cwd, { recursive: true, force: true });
  }
  // The addHighlight example made the highlight it describes.
  const { highlights } = await gloss.api('getArticle', sample.id);
  expect(highlights).toHaveLength(1);
  expect(highlights[0]).toMatchObject({ color: 'green', tags: ['IRGC'] });
  // The raw upload imported the paper as a PDF article.
  expect((await gloss.api('listArticles')).filter((a) => a.kind === 'pdf')).toHaveLength(1);
});

test('every command-line example in the README works as written', async () => {
  const examples = await readmeCommands('npm run gloss -- ');
  expect(examples.length).toBeGreaterThanOrEqual(4);
  const home = await mkdtemp(path.join(os.tmpdir(), 'gloss-readme-'));
  try {
    // The files the examples name, in the folder they run from.
    await writeFile(path.join(home, 'article.html'), await readFile(path.join(fixturesDir, 'readability/bbc-1/source.html')));
    await writeFile(path.join(home, 'notes.md'), '# Reading notes\n\nA *Markdown* article about whales.\n');
    await writeFile(path.join(home, 'paper.pdf'), await readFile(path.join(fixturesDir, 'pdf/tracemonkey.pdf')));
    await writeFile(path.join(home, 'book.epub'), await readFile(path.join(fixturesDir, 'epub/alice.epub')));
    // Annotations made elsewhere on the Markdown article above, as W3C Web Annotations.
    const annotation = {
      '@context': 'http://www.w3.org/ns/anno.jsonld',
      type: 'Annotation',
      body: { type: 'TextualBody', value: 'Whales!', purpose: 'commenting' },
      target: { source: 'notes.md', selector: { type: 'TextQuoteSelector', exact: 'about whales' } },
    };
    await writeFile(path.join(home, 'annotations.jsonld'), JSON.stringify({ '@context': 'http://www.w3.org/ns/anno.jsonld', type: 'AnnotationCollection', first: { type: 'AnnotationPage', items: [annotation] } }));
    await mkdir(path.join(home, 'Vault'), { recursive: true });
    // Imports first, so the exports have something to export; an export read back (--gloss-export) last, once written.
    const readBack = (e: string) => e.includes('--gloss-export');
    const ordered = [
      ...examples.filter((e) => e.includes(' import ') && !readBack(e)),
      ...examples.filter((e) => !e.includes(' import ')),
      ...examples.filter(readBack),
    ];
    for (const example of ordered) {
      const args = example
        .replace(/\s+#.*$/, '') // a trailing comment
        .replace(/^npm run gloss -- /, '')
        .split(/\s+/)
        .map((word) => word.replace(/^~\//, `${home}/`));
      const { stdout, stderr } = await run(process.execPath, [path.join(repoRoot, 'out/main/cli.js'), ...args], { cwd: home }).catch((error) => {
        throw new Error(`${example}\nfailed: ${error.stderr || error.message}`);
      });
      expect(stderr, example).not.toMatch(/error/i);
      if (args.includes('--help')) expect(stdout).toContain('Usage: gloss');
    }
    // The PDF example imported the paper (the backup written after it holds it, with its pages).
    const backup = JSON.parse(await readFile(path.join(home, 'backup.json'), 'utf8')) as { articles: { kind?: string; pages?: unknown[] }[] };
    expect(backup.articles.filter((a) => a.kind === 'pdf').map((a) => a.pages?.length)).toEqual([14]);
    expect(existsSync(path.join(home, 'backup.json'))).toBe(true);
    expect(existsSync(path.join(home, 'Vault/Gloss'))).toBe(true);
  } finally {
    await rm(home, { recursive: true, force: true });
  }
});
