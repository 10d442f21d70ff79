/**
 * PDFs in through the browser-mode page, as a user brings them: the Import… button's file chooser (the OS dialog's
 * stand-in), a password-protected PDF (made here with qpdf) and its password dialog, a file that only claims to be a
 * PDF. And the reader's way to the bytes: GET /files/<id>.pdf behind the token, by byte range.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { articleFilePath } from '../../electron/contract';
import { expect, fixturesDir, repoRoot, test } from './fixtures';

const TRACEMONKEY = path.join(fixturesDir, 'pdf', 'tracemonkey.pdf');

/** Clicks Import… and answers the file chooser it opens with these files. */
async function chooseFiles(page: Page, files: string[]): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import…' }).click();
  await (await chooser).setFiles(files);
}

/** The articles added since `before` (each test's notebook starts with the sample article). */
async function added(gloss: { api: (m: 'listArticles') => Promise<{ id: string; title: string; kind?: string }[]> }, before: { id: string }[]) {
  const ids = new Set(before.map((a) => a.id));
  return (await gloss.api('listArticles')).filter((a) => !ids.has(a.id));
}

function hasQpdf(): boolean {
  try {
    execFileSync('qpdf', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

let tmp: string;
test.beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'gloss-pdf-e2e-'));
});
test.afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

test('a PDF chosen in the file chooser is imported as bytes, opens, and is marked PDF in the library', async ({ page, gloss }) => {
  const before = await gloss.api('listArticles');
  await page.goto(gloss.url);
  await chooseFiles(page, [TRACEMONKEY]);
  await expect(page).toHaveURL(/#\/article\//);
  const [article] = await added(gloss, before);
  expect(article).toMatchObject({ kind: 'pdf' });
  const stored = await gloss.api('getArticle', article.id);
  expect(stored.pdf).toMatchObject({ fileName: 'tracemonkey.pdf', bytes: (await readFile(TRACEMONKEY)).length, pageCount: 14 });

  await page.goto(gloss.url);
  const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: article.title }) });
  await expect(row).toBeVisible();
  await expect(row.getByText('PDF', { exact: true })).toBeVisible();
});

test('PDFs dropped on the window go in as PDFs, by extension or, without one, by their type', async ({ page, gloss }) => {
  const before = await gloss.api('listArticles');
  const pdf = [...(await readFile(path.join(fixturesDir, 'pdf', 'pdkids.pdf')))];
  const arabic = [...(await readFile(path.join(fixturesDir, 'pdf', 'ArabicCIDTrueType.pdf')))];
  await page.goto(gloss.url);
  await expect(page.getByRole('heading', { name: 'Library' })).toBeVisible();
  const dropped = await page.evaluateHandle(
    ([a, b]) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(a)], 'kids.pdf', { type: '' }));
      dt.items.add(new File([new Uint8Array(b)], 'download', { type: 'application/pdf' }));
      dt.items.add(new File(['Shipping forecast\n\nViking, North Utsire: southwesterly 5 to 7.\n'], 'forecast.txt', { type: 'text/plain' }));
      return dt;
    },
    [pdf, arabic],
  );
  await page.dispatchEvent('body', 'dragenter', { dataTransfer: dropped });
  await expect(page.getByText('Drop .html, .md, .txt, .pdf or .epub files to import them')).toBeVisible();
  await page.dispatchEvent('body', 'drop', { dataTransfer: dropped });
  await expect(page.getByRole('status').filter({ hasText: 'Imported 3 articles.' })).toBeVisible({ timeout: 30_000 });
  const now = await added(gloss, before);
  expect(now.map((a) => a.kind ?? 'text').sort()).toEqual(['pdf', 'pdf', 'text']);
  const files = await Promise.all(now.filter((a) => a.kind === 'pdf').map(async (a) => (await gloss.api('getArticle', a.id)).pdf?.fileName));
  expect(files.sort()).toEqual(['download', 'kids.pdf']);
});

test('an encrypted PDF asks for its password: a wrong one is said in the dialog, the right one imports it', async ({ page, gloss }) => {
  test.skip(!hasQpdf(), 'qpdf is not installed (apt-get install qpdf), so no encrypted PDF can be made for this test');
  const locked = path.join(tmp, 'locked.pdf');
  execFileSync('qpdf', ['--encrypt', 'user', 'owner', '256', '--', TRACEMONKEY, locked]);
  const before = await gloss.api('listArticles');
  await page.goto(gloss.url);
  await chooseFiles(page, [locked]);

  const dialog = page.getByRole('dialog', { name: 'This PDF is locked' });
  await expect(dialog).toBeVisible();
  const field = dialog.getByLabel('Password for “locked.pdf”');
  await expect(field).toBeFocused();
  await page.keyboard.type('not it');
  await page.keyboard.press('Enter');
  await expect(dialog.getByRole('alert')).toHaveText('That password is wrong for “locked.pdf”. Try again.');
  await expect(dialog).toBeVisible();
  await expect(field).toHaveValue('');
  await expect(field).toBeFocused();
  expect(await added(gloss, before)).toEqual([]);

  await page.keyboard.type('user');
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(page).toHaveURL(/#\/article\//);
  const [article] = await added(gloss, before);
  expect(article).toMatchObject({ kind: 'pdf' });
  expect((await gloss.api('getArticle', article.id)).pdf).toMatchObject({ encrypted: true, pageCount: 14 });
  // Nothing was reported as a failure along the way.
  await expect(page.getByRole('alert').filter({ hasText: 'import failed' })).toHaveCount(0);
});

test('cancelling the password dialog (Escape) skips the file: no article, no failure reported', async ({ page, gloss }) => {
  test.skip(!hasQpdf(), 'qpdf is not installed (apt-get install qpdf), so no encrypted PDF can be made for this test');
  const locked = path.join(tmp, 'locked.pdf');
  execFileSync('qpdf', ['--encrypt', 'user', 'owner', '256', '--', TRACEMONKEY, locked]);
  const before = await gloss.api('listArticles');
  await page.goto(gloss.url);
  await chooseFiles(page, [locked]);
  const dialog = page.getByRole('dialog', { name: 'This PDF is locked' });
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('button', { name: 'Import…' })).toBeFocused(); // focus back where it was
  expect(await added(gloss, before)).toEqual([]);
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('a text file named .pdf is refused with the reason, and nothing is stored', async ({ page, gloss }) => {
  const fake = path.join(tmp, 'x.pdf');
  await writeFile(fake, 'Just some words, not a PDF at all.\n');
  await page.goto(gloss.url);
  const articles = await gloss.api('listArticles');
  const before = await readdir(gloss.dataDir, { recursive: true });
  await chooseFiles(page, [fake]);
  const report = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: 'One import failed' }) });
  await expect(report).toBeVisible();
  await expect(report.getByRole('listitem')).toHaveText(/"x\.pdf".*not a PDF/);
  expect(await added(gloss, articles)).toEqual([]);
  // No article file and no stored original (settings the page saves meanwhile, like the last route, do not count).
  const stored = (files: string[]) => files.filter((f) => /^(articles|pdfs)\b/.test(f)).sort();
  expect(stored(await readdir(gloss.dataDir, { recursive: true }))).toEqual(stored(before));
});

test('the toast says how many highlights came from the file\'s own annotations', async ({ page, gloss }) => {
  // Reading a file's annotations is pdf-annot's part of issue 14 (electron/notebook/pdf/file-annotations.ts); while its
  // stub is in place there is nothing to count. Skipped only then, saying so.
  const reader = await readFile(path.join(repoRoot, 'electron/notebook/pdf/file-annotations.ts'), 'utf8');
  test.skip(reader.includes('the PDF annotations helper builds this'), 'in-file annotations are not read yet (file-annotations.ts is still the stub)');
  const before = await gloss.api('listArticles');
  await page.goto(gloss.url);
  await chooseFiles(page, [path.join(fixturesDir, 'pdf', 'annotation-highlight.pdf')]);
  await expect(page).toHaveURL(/#\/article\//);
  const [article] = await added(gloss, before);
  const { highlights } = await gloss.api('getArticle', article.id);
  expect(highlights.length).toBeGreaterThan(0);
  const count = `${highlights.length} highlight${highlights.length === 1 ? '' : 's'}`;
  await expect(page.getByRole('status').filter({ hasText: `Imported “${article.title}” with ${count} from the file's annotations.` })).toBeVisible();
});

test('GET /files/<id>.pdf needs the token, and serves byte ranges', async ({ gloss }) => {
  const bytes = await readFile(TRACEMONKEY);
  const upload = await fetch(`${gloss.origin}/api/import-file`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${gloss.token}`,
      'Content-Type': 'application/octet-stream',
      'X-Gloss-Import': encodeURIComponent(JSON.stringify({ format: 'pdf', fileName: 'tracemonkey.pdf' })),
    },
    body: bytes,
  });
  expect(upload.status).toBe(200);
  const { value: article } = (await upload.json()) as { value: { id: string } };
  const url = `${gloss.origin}${articleFilePath(article.id)}`;

  const anonymous = await fetch(url, { headers: { Range: 'bytes=0-99' } });
  expect(anonymous.status).toBe(401);
  expect((await anonymous.json()).error.code).toBe('unauthorized');

  const first = await fetch(url, { headers: { Authorization: `Bearer ${gloss.token}`, Range: 'bytes=0-99' } });
  expect(first.status).toBe(206);
  expect(first.headers.get('content-range')).toBe(`bytes 0-99/${bytes.length}`);
  expect(first.headers.get('content-type')).toBe('application/pdf');
  expect(Buffer.from(await first.arrayBuffer()).equals(bytes.subarray(0, 100))).toBe(true);

  const whole = await fetch(url, { headers: { Authorization: `Bearer ${gloss.token}` } });
  expect(whole.status).toBe(200);
  expect(Buffer.from(await whole.arrayBuffer()).equals(bytes)).toBe(true);
  expect((await fetch(url, { headers: { Authorization: `Bearer ${gloss.token}`, Range: `bytes=${bytes.length}-` } })).status).toBe(416);
});

test('the page\'s CSP lets pdf.js compile WebAssembly and start a worker from its own origin, and nothing more', async ({ page, gloss }) => {
  await page.goto(gloss.url);
  await expect(page.getByRole('button', { name: 'Import…' })).toBeVisible();
  const verdicts = await page.evaluate(async () => {
    const violations: string[] = [];
    document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.violatedDirective} ${e.blockedURI.split(':')[0]}`));
    const attempt = async (run: () => unknown): Promise<string> => {
      try {
        await run();
        return 'allowed';
      } catch (error) {
        return `refused: ${(error as Error).name}`;
      }
    };
    // A worker refused by the CSP only reports a violation (its error event looks like any script error's).
    const startWorker = (url: string) => {
      const worker = new Worker(url, { type: 'module' });
      return new Promise((resolve) => setTimeout(resolve, 300)).then(() => worker.terminate());
    };
    // The smallest valid module: the magic number and version. pdf.js's colour-profile and JPEG 2000 decoders are WASM.
    const wasm = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    const ownScript = [...document.scripts].map((s) => s.src).find((src) => src.startsWith(`${location.origin}/assets/`))!;
    const result = {
      wasm: await attempt(() => WebAssembly.compile(wasm)),
      eval: await attempt(() => (0, eval)('1 + 1')),
      fn: await attempt(() => new Function('return 1')()),
      remote: await attempt(() => fetch('https://example.com/', { mode: 'no-cors' })),
    };
    await startWorker(ownScript);
    await startWorker(URL.createObjectURL(new Blob(['postMessage(1)'], { type: 'text/javascript' })));
    await new Promise((resolve) => setTimeout(resolve, 100));
    return { ...result, violations: [...new Set(violations)].sort() };
  });
  expect(verdicts).toEqual({
    wasm: 'allowed',
    eval: 'refused: EvalError',
    fn: 'refused: EvalError',
    remote: 'refused: TypeError',
    // Our own worker script is not among them: only eval, the remote fetch and the blob: worker were stopped.
    violations: ['connect-src https', 'script-src eval', 'worker-src blob'],
  });
});
