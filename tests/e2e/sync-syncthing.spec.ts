/**
 * One notebook on two machines (issue 18), on real engines: two Syncthing daemons on 127.0.0.1 (discovery and relays
 * off, each other's static device) sync two notebook folders, with one Gloss browser-mode host on each. Both sides add,
 * edit, recolour and delete highlights and notes through the API and the UI, some on the same highlight at the same
 * moment, some while one daemon is paused; once Syncthing settles (its REST API says so) both notebooks hold the same
 * merged content with every acknowledged change. And the same story with the folders synced by hand, file copies the
 * way Dropbox makes them (a conflicted copy included), without any engine.
 */
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Article } from '../../electron/contract';
import { startSyncPair, syncthingMissing, type SyncPair } from '../support/syncthing';
import { expect, selectText, startGloss, test, type GlossServer } from './fixtures';

const TEXT = [
  'Tides',
  '',
  'The tide came in over the flats at dawn, and the ships waited for the water to lift them.',
  '',
  'The harbour master counted the hulls and wrote their names in a ledger kept dry under oilcloth.',
  '',
  'By noon the channel was deep enough, and the first of them slipped out past the breakwater.',
].join('\n');

/** What each test started, stopped after it even when it timed out (a `finally` does not run then). */
const cleanups: (() => Promise<void>)[] = [];
test.afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch((error: unknown) => console.error('sync-syncthing: cleanup failed', error));
});

const CONFLICT_COPY = /\.sync-conflict-|conflicted copy| \d+\.json$/;

/** An article as both machines must agree on it: every field (in one key order), highlights by id. */
function canonical(article: Article): unknown {
  const sorted = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sorted);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sorted((value as Record<string, unknown>)[k])]));
    }
    return value;
  };
  return sorted({ ...article, highlights: [...article.highlights].sort((a, b) => a.id.localeCompare(b.id)) });
}

async function conflictCopies(dir: string): Promise<string[]> {
  const top = (await readdir(dir)).filter((n) => CONFLICT_COPY.test(n));
  const articles = (await readdir(path.join(dir, 'articles')).catch(() => [] as string[])).filter((n) => CONFLICT_COPY.test(n));
  return [...top, ...articles];
}

/**
 * Lets the engine run (`sync`) until both Glosses hold the same article and no conflict copy is left, and answers it.
 * Each round waits on the engine's own "done" (Syncthing's REST API, or the copying finishing), not on a fixed time.
 */
async function converge(sync: () => Promise<void>, a: GlossServer, b: GlossServer, articleId: string): Promise<Article> {
  const deadline = Date.now() + 90_000;
  let last: string;
  for (let round = 0; ; round++) {
    await sync();
    const [x, y] = await Promise.all([a.api('getArticle', articleId), b.api('getArticle', articleId)]);
    const copies = [...(await conflictCopies(a.dataDir)), ...(await conflictCopies(b.dataDir))];
    const same = JSON.stringify(canonical(x)) === JSON.stringify(canonical(y));
    if (same && copies.length === 0) return x;
    last = `round ${round}: copies ${JSON.stringify(copies)}\nA ${JSON.stringify(canonical(x))}\nB ${JSON.stringify(canonical(y))}`;
    if (Date.now() > deadline) throw new Error(`the two notebooks did not converge:\n${last}`);
    // Gloss takes a change in after its watcher's quiet time; the next round's engine wait covers it.
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

/** Waits until a Gloss has the article (its file arrived and the watcher took it in). */
async function waitForArticle(gloss: GlossServer, articleId: string): Promise<void> {
  await expect.poll(async () => (await gloss.api('listArticles')).some((s) => s.id === articleId), { timeout: 30_000 }).toBe(true);
}

function offsetOf(phrase: string): { start: number; end: number } {
  const body = TEXT.slice(TEXT.indexOf('\n\n') + 2);
  const start = body.indexOf(phrase);
  if (start < 0) throw new Error(`"${phrase}" is not in the text`);
  return { start, end: start + phrase.length };
}

interface Story {
  articleId: string;
  h1: string;
  h2: string;
}

/** Machine A makes the notebook: an article and two highlights, before B has anything. */
async function begin(a: GlossServer): Promise<Story> {
  const article = await a.api('importArticle', { format: 'text', content: TEXT });
  const h1 = await a.api('addHighlight', article.id, { ...offsetOf('the ships waited'), tags: ['sea'], note: 'first note' });
  const h2 = await a.api('addHighlight', article.id, { ...offsetOf('harbour master'), color: 'blue' });
  return { articleId: article.id, h1: h1.id, h2: h2.id };
}

/** Edits on both machines at the same moment, on the same highlight too. */
async function editTogether(a: GlossServer, b: GlossServer, s: Story): Promise<string> {
  const [, , added] = await Promise.all([
    a.api('updateHighlight', s.h1, { color: 'green' }),
    b.api('updateHighlight', s.h1, { tags: ['sea', 'ships'] }),
    b.api('addHighlight', s.articleId, { ...offsetOf('breakwater'), color: 'pink', note: 'from B' }),
  ]);
  return (added as { id: string }).id;
}

/** Edits while the machines cannot see each other: the same article note on both (a conflict), a delete here, a note there. */
async function editApart(a: GlossServer, b: GlossServer, s: Story): Promise<void> {
  await a.api('setArticleNote', s.articleId, 'A wrote this offline.');
  await a.api('deleteHighlight', s.h2);
  await a.api('updateHighlight', s.h1, { tags: ['sea', 'ships', 'dawn'] });
  await b.api('setArticleNote', s.articleId, 'B wrote this offline.');
  await b.api('updateHighlight', s.h1, { color: 'purple', note: 'first note, edited on B' });
}

function checkApart(article: Article, s: Story, h3: string): void {
  // Both notes kept, the newer shown: B wrote last.
  expect(article.note).toBe('B wrote this offline.');
  expect(article.noteConflicts).toEqual(['A wrote this offline.']);
  const h1 = article.highlights.find((h) => h.id === s.h1)!;
  expect(h1).toMatchObject({ color: 'purple', note: 'first note, edited on B' });
  expect([...h1.tags].sort()).toEqual(['dawn', 'sea', 'ships']);
  expect(article.highlights.find((h) => h.id === s.h2)).toBeUndefined();
  expect(article.highlights.find((h) => h.id === h3)).toMatchObject({ color: 'pink', note: 'from B' });
}

test.describe('a notebook synced by Syncthing between two machines', () => {
  const missing = syncthingMissing();
  if (missing) console.log(`sync-syncthing: skipped: ${missing}`);
  test.skip(missing !== undefined, missing);

  test('both machines edit, together and apart; after Syncthing settles both hold the same merged notebook', async ({ page }) => {
    test.setTimeout(240_000);
    const root = await mkdtemp(path.join(os.tmpdir(), 'gloss-sync-e2e-'));
    const [dirA, dirB] = [path.join(root, 'laptop'), path.join(root, 'desktop')];
    await mkdir(dirA);
    await mkdir(dirB);
    cleanups.push(() => rm(root, { recursive: true, force: true }));
    const pair: SyncPair = await startSyncPair(dirA, dirB);
    cleanups.push(() => pair.stop());
    const glosses: GlossServer[] = [];
    cleanups.push(async () => {
      for (const g of glosses) await g.stop();
    });
    const a = await startGloss({ dataDir: dirA, args: ['--no-seed'] });
    glosses.push(a);
    const s = await begin(a);
    await pair.settle();
    // Gloss keeps this machine's things (lock, backups, caches) out of the synced set.
    expect(await readFile(path.join(dirA, '.stignore'), 'utf8')).toMatch(/local/);
    const b = await startGloss({ dataDir: dirB, args: ['--no-seed'] });
    glosses.push(b);
    await waitForArticle(b, s.articleId);
    const settle = () => pair.settle();

    const t0 = Date.now();
    const phase = (name: string) => console.log(`sync-syncthing: ${name} after ${Date.now() - t0} ms`);
    const h3 = await editTogether(a, b, s);
    let merged = await converge(settle, a, b, s.articleId);
    phase('edits made together converged');
    expect(merged.highlights.find((h) => h.id === s.h1)).toMatchObject({ color: 'green', tags: ['sea', 'ships'] });
    expect(merged.highlights.map((h) => h.id).sort()).toEqual([s.h1, s.h2, h3].sort());

    await pair.pause(pair.b);
    await editApart(a, b, s);
    await pair.resume(pair.b);
    merged = await converge(settle, a, b, s.articleId);
    phase('edits made apart converged');
    checkApart(merged, s, h3);

    // The user on B sees the two notes and keeps both, with the mouse; A gets the one note.
    await page.goto(`${b.url}#/article/${s.articleId}`);
    const conflict = page.getByRole('group', { name: 'Article note: changed on two machines' });
    await expect(conflict).toContainText('A wrote this offline.');
    await conflict.getByRole('button', { name: 'Keep both' }).click();
    await expect(conflict).toBeHidden();
    // And a highlight made with the mouse on B reaches A.
    await selectText(page, 'slipped out');
    await page.getByRole('toolbar', { name: 'Highlight selection' }).getByRole('button', { name: /^Highlight yellow/ }).click();
    await expect.poll(async () => (await b.api('getArticle', s.articleId)).highlights.some((h) => h.quote === 'slipped out')).toBe(true);
    merged = await converge(settle, a, b, s.articleId);
    phase('the choice made in the UI converged');
    expect(merged.note).toBe('B wrote this offline.\n\nA wrote this offline.');
    expect(merged.noteConflicts).toBeUndefined();
    expect(merged.highlights.map((h) => h.quote)).toContain('slipped out');
    // A's window would have been told: the toast comes from the 'notice' event every window gets.
    expect(a.log()).not.toMatch(/could not take in/);
  });
});

/**
 * Dropbox, imitated: files copied between the two folders (never local/), a file changed on both sides since the last
 * copy kept under its name in the newer version and the other beside it as "<name> (Someone's conflicted copy
 * <date>).json" on both sides; deletions carried over. Every write is a temp file renamed into place, as the clients do.
 */
async function dropboxSync(dirA: string, dirB: string, base: Map<string, string | undefined>): Promise<void> {
  const list = async (dir: string): Promise<string[]> => {
    const top = (await readdir(dir)).filter((n) => n === 'notebook.json' || n === '.stignore' || CONFLICT_COPY.test(n));
    const nested: string[] = [];
    for (const folder of ['articles', 'content', 'pdfs']) {
      for (const n of await readdir(path.join(dir, folder)).catch(() => [] as string[])) nested.push(`${folder}/${n}`);
    }
    return [...top, ...nested].filter((n) => !n.split('/').pop()!.startsWith('.') || n === '.stignore');
  };
  const read = (file: string) => readFile(file, 'utf8').catch(() => undefined);
  const put = async (dir: string, rel: string, content: string | undefined): Promise<void> => {
    const file = path.join(dir, rel);
    if (content === undefined) {
      await rm(file, { force: true });
      return;
    }
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(`${file}.dropbox-tmp`, content);
    await rename(`${file}.dropbox-tmp`, file);
  };
  const names = new Set([...(await list(dirA)), ...(await list(dirB)), ...base.keys()]);
  for (const rel of names) {
    const [x, y] = [await read(path.join(dirA, rel)), await read(path.join(dirB, rel))];
    const was = base.get(rel);
    if (x === y) {
      base.set(rel, x);
    } else if (x === was) {
      await put(dirA, rel, y);
      base.set(rel, y);
    } else if (y === was) {
      await put(dirB, rel, x);
      base.set(rel, x);
    } else {
      // Changed on both: the newer wins the name, the other becomes a conflicted copy, on both sides.
      const [mx, my] = [await stat(path.join(dirA, rel)).then((s) => s.mtimeMs, () => 0), await stat(path.join(dirB, rel)).then((s) => s.mtimeMs, () => 0)];
      const [winner, loser] = my >= mx ? [y, x] : [x, y];
      const ext = path.extname(rel);
      const copy = `${rel.slice(0, -ext.length)} (Ada's conflicted copy ${new Date().toISOString().slice(0, 10)})${ext}`;
      for (const dir of [dirA, dirB]) {
        await put(dir, rel, winner);
        if (loser !== undefined) await put(dir, copy, loser);
      }
      base.set(rel, winner);
      base.set(copy, loser);
    }
  }
}

test('two folders synced by hand, as Dropbox copies files (a conflicted copy included), converge the same way', async ({ page }) => {
  test.setTimeout(120_000);
  const root = await mkdtemp(path.join(os.tmpdir(), 'gloss-dropbox-e2e-'));
  const [dirA, dirB] = [path.join(root, 'laptop'), path.join(root, 'desktop')];
  await mkdir(dirA);
  await mkdir(dirB);
  const glosses: GlossServer[] = [];
  const base = new Map<string, string | undefined>();
  cleanups.push(() => rm(root, { recursive: true, force: true }));
  cleanups.push(async () => {
    for (const g of glosses) await g.stop();
  });
  const a = await startGloss({ dataDir: dirA, args: ['--no-seed'] });
  glosses.push(a);
  const s = await begin(a);
  await dropboxSync(dirA, dirB, base);
  const b = await startGloss({ dataDir: dirB, args: ['--no-seed'] });
  glosses.push(b);
  await waitForArticle(b, s.articleId);
  const sync = () => dropboxSync(dirA, dirB, base);

  const h3 = await editTogether(a, b, s);
  await converge(sync, a, b, s.articleId);
  await editApart(a, b, s);
  // The laptop is shut before the copying: its offline edits are only in its file, which loses the name to the
  // desktop's newer one and becomes a conflicted copy on both sides. The desktop's Gloss merges it as it arrives;
  // the laptop's, when it starts again; each removes the copy once the merge is on disk.
  await a.stop();
  glosses.splice(glosses.indexOf(a), 1);
  await sync();
  const copies = [...(await conflictCopies(dirA)), ...(await conflictCopies(dirB))];
  expect(copies.some((n) => n.includes("(Ada's conflicted copy"))).toBe(true);
  const a2 = await startGloss({ dataDir: dirA, args: ['--no-seed'] });
  glosses.push(a2);
  const merged = await converge(sync, a2, b, s.articleId);
  checkApart(merged, s, h3);

  // The toast on A's window says a merge came from another machine.
  await page.goto(`${a2.url}#/article/${s.articleId}`);
  await expect(page.getByRole('group', { name: 'Article note: changed on two machines' })).toBeVisible();
  await a2.api('updateHighlight', s.h1, { color: 'yellow' });
  await b.api('updateHighlight', s.h1, { note: 'one more from B' });
  await sync();
  await expect(page.getByText(/from another machine/).first()).toBeVisible();
  const last = await converge(sync, a2, b, s.articleId);
  expect(last.highlights.find((h) => h.id === s.h1)).toMatchObject({ color: 'yellow', note: 'one more from B' });
});
