/**
 * The notebook's export, interop and backup methods on real notebook folders: Markdown that reads back exactly,
 * folder export, W3C annotation export and import (the W3C examples and a Hypothesis-style annotation), and backup /
 * restore that round-trips and refuses bad input whole.
 */
import { readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Article } from '../../electron/contract';
import { Notebook } from '../../electron/notebook/notebook';
import { unsafeExportTarget } from '../../electron/notebook/export/target';
import { NASTY_PASSAGES, blockquoteTexts, frontmatterOf, readbackParsers } from '../support/export-readback';
import { TempDirs } from '../support/temp-dirs';

const FIXTURES = path.resolve(__dirname, '../../../shared/fixtures');
const TITLE = 'Quotes: "yes" — #1 --- <b>not bold</b> [link](x) עברית 🎉';
const SOURCE = 'https://example.com/path/a?b=1&c=[2]';

const temp = new TempDirs();
const tempDir = (prefix: string): Promise<string> => temp.make(prefix);
let notebook: Notebook;

beforeEach(async () => {
  notebook = await Notebook.open(await tempDir('gloss-nbexport-'));
});
afterEach(async () => {
  await notebook.close().catch(() => undefined);
  await temp.removeAll();
});

/** Imports the nasty passages as a plain-text article and highlights each one, with notes and tags. */
async function nastyArticle(nb: Notebook = notebook): Promise<Article> {
  const summary = await nb.importArticle({ format: 'text', content: NASTY_PASSAGES.join('\n\n'), title: TITLE, source: SOURCE });
  const { text } = await nb.getArticle(summary.id);
  for (const [i, passage] of NASTY_PASSAGES.entries()) {
    const start = text.indexOf(passage);
    expect(start, passage).toBeGreaterThanOrEqual(0);
    await nb.addHighlight(summary.id, {
      start,
      end: start + passage.length,
      tags: i % 2 === 0 ? ['even tag', 'Ωmega'] : ['odd'],
      note: `Note ${i}: *why* this matters`,
      color: i % 3 === 0 ? 'green' : 'yellow',
    });
  }
  // One highlight across two paragraphs (the blank line between them is part of the quote).
  const across = text.indexOf('1984.') - 20;
  await nb.addHighlight(summary.id, { start: across, end: text.indexOf('1984.') + 5, tags: ['across'] });
  return nb.getArticle(summary.id);
}

async function htmlArticle(nb: Notebook = notebook): Promise<Article> {
  const html = `<!doctype html><html><head><title>HTML syntax</title></head><body><article>
    <h2>A heading</h2><p>Line one<br>line two with &lt;script&gt;alert(1)&lt;/script&gt; as text</p>
    <blockquote><p>A quoted paragraph &gt; with a &gt; sign</p></blockquote>
    <ul><li>item * one</li><li>item _two_</li></ul>
    <table><tr><td>cell | a</td><td>cell \\ b</td></tr></table><hr>
    <p dir="rtl">שלום עולם — مرحبا</p><p>Ends with two spaces and a tab</p></article></body></html>`;
  const summary = await nb.importArticle({ format: 'html', content: html, title: 'HTML syntax', source: 'https://example.org/html' });
  const { text } = await nb.getArticle(summary.id);
  for (const needle of ['Line one\nline two with <script>alert(1)</script> as text', 'A quoted paragraph > with a > sign', 'item * one', 'cell | a', 'שלום עולם — مرحبا']) {
    const start = text.indexOf(needle);
    expect(start, needle).toBeGreaterThanOrEqual(0);
    await nb.addHighlight(summary.id, { start, end: start + needle.length, tags: ['html'] });
  }
  const start = text.indexOf('A heading');
  await nb.addHighlight(summary.id, { start, end: text.indexOf('Line one') + 8, note: 'heading into paragraph' });
  return nb.getArticle(summary.id);
}

describe('exportMarkdown reads back exactly', () => {
  it('every blockquote is its quote, the frontmatter has the exact title and source, a tag filter narrows, twice identical', async () => {
    const article = await nastyArticle();
    const markdown = await notebook.exportMarkdown({ articleIds: [article.id] });
    const quotes = article.highlights.map((h) => h.quote);
    expect(quotes.some((q) => q.includes('\n\n'))).toBe(true);
    for (const parser of Object.values(readbackParsers)) expect(blockquoteTexts(markdown, parser)).toEqual(quotes);
    const fm = frontmatterOf(markdown)!;
    expect(fm.title).toBe(TITLE);
    expect(fm.source).toBe(SOURCE);
    expect(markdown).toContain('Note 3: *why* this matters');
    expect(markdown).toContain('#even_tag');
    expect(markdown).toMatch(/\^gloss-[A-Za-z0-9-]+\n/);

    const odd = await notebook.exportMarkdown({ articleIds: [article.id], tags: ['ODD'] });
    expect(blockquoteTexts(odd)).toEqual(article.highlights.filter((h) => h.tags.includes('odd')).map((h) => h.quote));
    expect(blockquoteTexts(odd).length).toBe(NASTY_PASSAGES.length / 2);

    const green = await notebook.exportMarkdown({ colors: ['green'] });
    expect(blockquoteTexts(green)).toEqual(article.highlights.filter((h) => h.color === 'green').map((h) => h.quote));

    expect(await notebook.exportMarkdown({ articleIds: [article.id] })).toBe(markdown);
  });

  it('HTML articles too: line breaks, quotes, lists, tables, RTL and a highlight across a heading', async () => {
    const article = await htmlArticle();
    const markdown = await notebook.exportMarkdown({ articleIds: [article.id], groupBy: 'tag' });
    const byTag = article.highlights.filter((h) => h.tags.includes('html')).map((h) => h.quote);
    const untagged = article.highlights.filter((h) => h.tags.length === 0).map((h) => h.quote);
    expect(blockquoteTexts(markdown)).toEqual([...byTag, ...untagged]);
    expect(markdown).toMatch(/^## html$/m);
    expect(markdown).toMatch(/^## Untagged$/m);
  });

  it('a bad template is refused with the problem named, and a good one renders the documented variables', async () => {
    const article = await nastyArticle();
    await expect(notebook.exportMarkdown({ template: '{{#highlights}}{{quote}}' })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringMatching(/Unclosed section "highlights"/),
    });
    const out = await notebook.exportMarkdown({ articleIds: [article.id], template: '{{article.title}}|{{#highlights}}{{colorLabel}};{{/highlights}}' });
    expect(out.startsWith(`${TITLE}|green;yellow;`)).toBe(true);
  });
});

describe('exportToFolder', () => {
  it('writes one file per article, leaves them untouched when nothing changed, refuses relative paths and the notebook folder', async () => {
    const a = await nastyArticle();
    await htmlArticle();
    const out = await tempDir('gloss-folder-');
    const first = await notebook.exportToFolder(out);
    const files = (await readdir(out)).filter((f) => f.endsWith('.md')).sort();
    expect(files).toHaveLength(2);
    expect(first.written.sort()).toEqual(files);
    const again = await notebook.exportToFolder(out);
    expect(again).toMatchObject({ written: [], conflicts: [] });
    expect(again.unchanged.sort()).toEqual(files);

    const nastyFile = files.find((f) => f.startsWith('Quotes'))!;
    const body = await readFile(path.join(out, nastyFile), 'utf8');
    expect(blockquoteTexts(body)).toEqual(a.highlights.map((h) => h.quote));

    await expect(notebook.exportToFolder('relative/dir')).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(notebook.exportToFolder(path.join(notebook.dir, 'articles'))).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('refuses the notebook, a folder inside it or one that holds it, also through symbolic links, writing nothing', async () => {
    await nastyArticle();
    const before = await snapshotTree(notebook.dir);
    const elsewhere = await tempDir('gloss-links-');
    // A link to the notebook, a link to its articles/ folder, a not-yet-existing folder under a link into the
    // notebook, a link to the notebook's parent, and a link chain (link -> link -> notebook).
    await symlink(notebook.dir, path.join(elsewhere, 'to-notebook'));
    await symlink(path.join(notebook.dir, 'articles'), path.join(elsewhere, 'to-articles'));
    await symlink(path.dirname(notebook.dir), path.join(elsewhere, 'to-parent'));
    await symlink(path.join(elsewhere, 'to-notebook'), path.join(elsewhere, 'chain'));
    const attempts = [
      [path.join(elsewhere, 'to-notebook'), /is the notebook's own folder/],
      [path.join(elsewhere, 'to-articles'), /is inside the notebook's folder/],
      [path.join(elsewhere, 'to-notebook', 'new', 'deeper'), /is inside the notebook's folder/],
      [path.join(elsewhere, 'to-parent'), /holds the notebook's folder/],
      [path.join(elsewhere, 'chain', 'backups'), /is inside the notebook's folder/],
      [path.dirname(notebook.dir), /holds the notebook's folder/],
    ] as const;
    for (const [target, reason] of attempts) {
      const error = await notebook.exportToFolder(target).then(() => null, (e: unknown) => e);
      expect(error, target).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(reason) });
      expect((error as Error).message).toMatch(/Choose a folder outside it/);
    }
    expect(await snapshotTree(notebook.dir)).toEqual(before);
    // A link to an ordinary folder is fine: the export lands in the real folder.
    const real = await tempDir('gloss-real-out-');
    await symlink(real, path.join(elsewhere, 'to-real'));
    expect((await notebook.exportToFolder(path.join(elsewhere, 'to-real'))).written).toHaveLength(1);
    expect((await readdir(real)).filter((f) => f.endsWith('.md'))).toHaveLength(1);
  });

  it('compares case-insensitively where the file system ignores case, and not where it does not', async () => {
    expect(unsafeExportTarget('/Users/ann/Gloss/notebook', '/users/ANN/gloss/Notebook/articles', true)).toBe('inside');
    expect(unsafeExportTarget('/Users/ann/Gloss/notebook', '/USERS/ann', true)).toBe('parent');
    expect(unsafeExportTarget('/Users/ann/Gloss/notebook', '/Users/ann/Gloss/NOTEBOOK', true)).toBe('same');
    expect(unsafeExportTarget('/Users/ann/Gloss/notebook', '/Users/ann/Gloss/NOTEBOOK', false)).toBeNull();
    expect(unsafeExportTarget('/Users/ann/Gloss/notebook', '/Users/ann/Gloss/notebook-export', true)).toBeNull();
    // This machine's temp folder is case-sensitive (Linux): a folder that differs only in case is another folder.
    if (process.platform === 'linux') {
      const upper = path.join(path.dirname(notebook.dir), path.basename(notebook.dir).toUpperCase());
      temp.track(upper);
      await expect(notebook.exportToFolder(upper)).resolves.toMatchObject({ conflicts: [] });
    }
  });
});

/** Every file under `root` with its bytes, to show nothing was written. */
async function snapshotTree(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(root, { recursive: true, withFileTypes: true })) {
    const file = path.join(e.parentPath, e.name);
    out[path.relative(root, file)] = e.isFile() ? (await readFile(file)).toString('base64') : e.isDirectory() ? 'dir' : 'other';
  }
  return out;
}

describe('W3C Web Annotations', () => {
  it('exports the selected highlights as an AnnotationCollection with quote and position selectors', async () => {
    const article = await nastyArticle();
    const doc = await notebook.exportAnnotations({ tags: ['across'] });
    expect(doc).toMatchObject({ '@context': 'http://www.w3.org/ns/anno.jsonld', type: 'AnnotationCollection', total: 1 });
    const [item] = (doc.first as { items: Record<string, any>[] }).items;
    const h = article.highlights.find((x) => x.tags.includes('across'))!;
    expect(item.target.source).toBe(SOURCE);
    expect(item.target.selector).toEqual([
      { type: 'TextQuoteSelector', exact: h.quote, prefix: h.prefix, suffix: h.suffix },
      { type: 'TextPositionSelector', start: h.start, end: h.end },
    ]);
  });

  it('imports the W3C examples onto the article with their source, anchored like any highlight', async () => {
    const page = await notebook.importArticle({
      format: 'text',
      title: 'Example page',
      source: 'http://example.org/page1',
      content: 'Intro. And this is an anotation that has some typos.\n\nMore: text before the Selected Text and text after it, done.',
    });
    const files = ['anno26.json', 'anno32.json', 'anno27.json', 'anno1.json'];
    let result = { imported: 0, orphaned: 0, skipped: 0 };
    for (const f of files) {
      const json = await readFile(path.join(FIXTURES, 'w3c-annotation/cr-2016-06-examples', f), 'utf8');
      const r = await notebook.importAnnotations(json);
      result = { imported: result.imported + r.imported, orphaned: result.orphaned + r.orphaned, skipped: result.skipped + r.skipped };
    }
    // anno26 and anno32 anchor on page1; anno27 targets another document (skipped); anno1 has no text selector.
    expect(result).toEqual({ imported: 2, orphaned: 0, skipped: 1 });
    const { highlights } = await notebook.getArticle(page.id);
    expect(highlights.map((h) => h.quote)).toEqual(['anotation', 'Selected Text']);
    expect(highlights[0].prefix.endsWith('this is an ')).toBe(true);

    // Re-importing is a no-op; a malformed file is refused whole with the place named.
    const again = await notebook.importAnnotations(await readFile(path.join(FIXTURES, 'w3c-annotation/cr-2016-06-examples/anno26.json'), 'utf8'));
    expect(again).toEqual({ imported: 0, orphaned: 0, skipped: 1 });
    const bad = await readFile(path.join(FIXTURES, 'w3c-annotation/wd2-incorrect/anno1.json'), 'utf8');
    await expect(notebook.importAnnotations(bad)).rejects.toMatchObject({ code: 'invalid_input' });
    expect((await notebook.getArticle(page.id)).highlights).toHaveLength(2);
  });

  it('imports a Hypothesis-style annotation (note, tags, fuzzy quote) and round-trips its own export onto a copy', async () => {
    const article = await nastyArticle();
    const hypothesis = {
      '@context': 'http://www.w3.org/ns/anno.jsonld',
      type: 'Annotation',
      id: 'https://hypothes.is/a/AbCdEf123',
      created: '2024-05-01T10:00:00.000000+00:00',
      modified: '2024-05-02T10:00:00.000000+00:00',
      creator: 'acct:someone@hypothes.is',
      body: [
        { type: 'TextualBody', value: 'A note from Hypothesis', format: 'text/markdown' },
        { type: 'TextualBody', value: 'hypo-tag', purpose: 'tagging' },
      ],
      target: [
        {
          source: `${SOURCE}#section`,
          selector: [
            { type: 'RangeSelector', startContainer: '/main[1]/p[3]', startOffset: 0, endContainer: '/main[1]/p[3]', endOffset: 20 },
            { type: 'TextPositionSelector', start: 5, end: 25 },
            // A typo relative to the stored text: found approximately, as Hypothesis would.
            { type: 'TextQuoteSelector', exact: 'mixed RTL txt', prefix: 'مرحبا بالعالم ', suffix: '' },
          ],
        },
      ],
    };
    const result = await notebook.importAnnotations(hypothesis);
    expect(result).toEqual({ imported: 1, orphaned: 0, skipped: 0 });
    const added = (await notebook.getArticle(article.id)).highlights.find((h) => h.note === 'A note from Hypothesis')!;
    expect(added).toMatchObject({ quote: 'mixed RTL text', tags: ['hypo-tag'], createdAt: '2024-05-01T10:00:00.000Z', updatedAt: '2024-05-02T10:00:00.000Z' });

    // A quote nowhere in the text is kept as an orphan (note and all), never dropped.
    const lost = { ...hypothesis, target: { source: SOURCE, selector: { type: 'TextQuoteSelector', exact: 'a sentence that is not in this article at all' } } };
    expect(await notebook.importAnnotations(lost)).toEqual({ imported: 0, orphaned: 1, skipped: 0 });

    // Gloss's own export imports onto another notebook's copy of the article with the same ids.
    const exported = await notebook.exportAnnotations({ articleIds: [article.id] });
    const other = await Notebook.open(await tempDir('gloss-nbexport-other-'));
    try {
      const copy = await other.importArticle({ format: 'text', content: NASTY_PASSAGES.join('\n\n'), title: TITLE, source: SOURCE });
      const r = await other.importAnnotations(JSON.stringify(exported));
      expect(r).toEqual({ imported: article.highlights.length + 1, orphaned: 1, skipped: 0 });
      const mine = (await notebook.getArticle(article.id)).highlights;
      const theirs = (await other.getArticle(copy.id)).highlights;
      const shape = (h: (typeof mine)[number]) => [h.id, h.start, h.end, h.quote, h.color, h.tags, h.note, h.orphaned ?? false];
      expect(theirs.map(shape).sort()).toEqual(mine.map(shape).sort());
    } finally {
      await other.close();
    }
  });
});

describe('a PDF article in the exports', () => {
  it('Markdown, folder and W3C exports name the page of each highlight and link to it in the file', async () => {
    const bytes = await readFile(path.join(FIXTURES, 'pdf', 'tracemonkey.pdf'));
    const { id } = await notebook.importArticle({ format: 'pdf', contentBase64: bytes.toString('base64'), fileName: 'trace monkey.pdf' });
    const article = await notebook.getArticle(id);
    const page3 = article.pages![2];
    const quote = article.text.slice(page3.start, page3.start + 40).replace(/\s\S*$/u, '');
    const h = await notebook.addHighlight(id, { start: page3.start, end: page3.start + quote.length, color: 'blue', tags: ['pdf'] });
    expect(h.page).toBe(3);

    for (const groupBy of ['document', 'tag', 'color'] as const) {
      const md = await notebook.exportMarkdown({ groupBy });
      expect(md, groupBy).toContain('[p. 3](trace%20monkey.pdf#page=3)');
      expect(blockquoteTexts(md)).toEqual([quote]);
    }
    const out = await tempDir('gloss-folder-pdf-');
    const folder = await notebook.exportToFolder(out);
    expect(await readFile(path.join(out, folder.written[0]), 'utf8')).toContain('[p. 3](trace%20monkey.pdf#page=3)');

    const doc = await notebook.exportAnnotations({ articleIds: [id] });
    const [item] = (doc.first as { items: { target: { selector: unknown[] } }[] }).items;
    expect(item.target.selector).toContainEqual({ type: 'FragmentSelector', conformsTo: 'http://tools.ietf.org/rfc/rfc3778', value: 'page=3' });
    // and the export imports back onto the same article (the page selector is passed over, the text ones anchor)
    await notebook.deleteHighlight(h.id);
    const result = await notebook.importAnnotations(doc, { articleId: id });
    expect(result).toMatchObject({ imported: 1 });
    expect((await notebook.getArticle(id)).highlights.map((x) => [x.quote, x.page])).toEqual([[quote, 3]]);
  }, 60_000);
});

describe('backup and restore', () => {
  it('backup -> restore into a fresh notebook -> backup is deep-equal (and identical JSON)', async () => {
    await nastyArticle();
    await htmlArticle();
    await notebook.updateSettings({ colorLabels: { green: 'Key idea' } });
    await notebook.setArticleNote((await notebook.listArticles())[0].id, '# My note\n\n> quoted');
    const backup = await notebook.backupNotebook();
    const fresh = await Notebook.open(await tempDir('gloss-restore-'), { seedArticlePath: path.resolve(__dirname, '../../resources/sample-article.txt') });
    try {
      const result = await fresh.restoreNotebook(JSON.parse(JSON.stringify(backup)), { mode: 'replace' });
      expect(result).toMatchObject({ articles: 2, skipped: 0 });
      expect(result.safetyBackup).toBeDefined(); // the seeded sample article was saved before being replaced
      const again = await fresh.backupNotebook();
      expect(again).toEqual(backup);
      expect(JSON.stringify(again)).toBe(JSON.stringify(backup));
      // And it is on disk: a reopen reads the same notebook.
      const dir = fresh.dir;
      await fresh.close();
      const reopened = await Notebook.open(dir);
      expect(await reopened.backupNotebook()).toEqual(backup);
      await reopened.close();
    } finally {
      await fresh.close().catch(() => undefined);
    }
  });

  it('refuses a bad backup whole, naming the field, and changes nothing', async () => {
    const article = await nastyArticle();
    const backup = await notebook.backupNotebook();
    const before = await readdir(path.join(notebook.dir, 'articles'));
    const broken = structuredClone(backup) as any;
    broken.articles.push({ ...broken.articles[0], id: 'second' });
    broken.articles[1].highlights = [{ ...broken.articles[0].highlights[0], articleId: 'second', id: 'x1', start: 3 }];
    await expect(notebook.restoreNotebook(broken, { mode: 'replace' })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('articles[1].highlights[0].quote'),
    });
    const traversal = structuredClone(backup) as any;
    traversal.articles[0].id = '../../evil';
    await expect(notebook.restoreNotebook(traversal, { mode: 'replace' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(notebook.restoreNotebook('{not json', { mode: 'merge' })).rejects.toMatchObject({ code: 'invalid_input' });
    expect(await readdir(path.join(notebook.dir, 'articles'))).toEqual(before);
    expect(await notebook.backupNotebook()).toEqual(backup);
    expect((await notebook.getArticle(article.id)).highlights).toHaveLength(article.highlights.length);
  });

  it('merge adds what is missing, keeps later edits and both notes, and loses nothing', async () => {
    const article = await nastyArticle();
    const backup = await notebook.backupNotebook();
    const [first, second] = article.highlights;
    await notebook.deleteHighlight(first.id);
    await notebook.updateHighlight(second.id, { note: 'edited after the backup' });
    await notebook.setArticleNote(article.id, 'note written after the backup');
    const b2 = structuredClone(backup);
    b2.articles[0].note = 'note in the backup';
    const result = await notebook.restoreNotebook(b2, { mode: 'merge' });
    expect(result).toMatchObject({ articles: 1, highlights: 1, skipped: 0 });
    const merged = await notebook.getArticle(article.id);
    expect(merged.highlights.map((h) => h.id).sort()).toEqual(article.highlights.map((h) => h.id).sort());
    expect(merged.highlights.find((h) => h.id === second.id)!.note).toBe('edited after the backup');
    expect(merged.note).toBe('note written after the backup\n\nnote in the backup');
    // Merging the same backup again changes nothing.
    expect(await notebook.restoreNotebook(b2, { mode: 'merge' })).toMatchObject({ articles: 0, highlights: 0 });
  });

  it('a restore that changes nothing writes no before-restore copy, and only the newest five are kept', async () => {
    const article = await nastyArticle();
    const snapshots = async () => (await readdir(path.join(notebook.dir, 'local', 'before-restore')).catch(() => [] as string[])).sort();
    const backup = await notebook.backupNotebook();
    for (const mode of ['merge', 'replace'] as const) {
      const result = await notebook.restoreNotebook(backup, { mode });
      expect(result.safetyBackup).toBeUndefined();
    }
    expect(await snapshots()).toEqual([]);
    // Seven restores that each change the note: seven copies written, the newest five kept, the last one among them.
    let last = '';
    for (let i = 0; i < 7; i++) {
      const changed = structuredClone(backup);
      changed.articles[0].note = `restored note ${i}`;
      const result = await notebook.restoreNotebook(changed, { mode: 'replace' });
      last = path.basename(result.safetyBackup!);
      expect((await notebook.getArticle(article.id)).note).toBe(`restored note ${i}`);
    }
    const kept = await snapshots();
    expect(kept).toHaveLength(5);
    expect(kept.at(-1)).toBe(last);
    // The newest snapshot is the notebook as it was before the last restore.
    const newest = JSON.parse(await readFile(path.join(notebook.dir, 'local', 'before-restore', last), 'utf8'));
    expect(newest.articles[0].note).toBe('restored note 5');
  });

  it('a replace restore removes the backups of the articles it removed, once it is on disk, and keeps the others', async () => {
    const kept = await nastyArticle();
    const backup = await notebook.backupNotebook();
    const gone = await htmlArticle();
    await notebook.setArticleNote(gone.id, 'a second version, so it has older backups');
    const backupsOf = async (id: string) => (await readdir(path.join(notebook.dir, 'local', 'backups', 'articles'))).filter((f) => f.startsWith(`${id}.`));
    expect((await backupsOf(gone.id)).length).toBeGreaterThan(0);
    // The copies kept before a migration (`<id>.v<N>.json`) go with the rolling ones, the kept article's stay.
    for (const id of [gone.id, kept.id]) await writeFile(path.join(notebook.dir, 'local', 'backups', 'articles', `${id}.v0.json`), '{}');
    const before = await backupsOf(kept.id);
    const result = await notebook.restoreNotebook(backup, { mode: 'replace' });
    expect(await backupsOf(gone.id)).toEqual([]);
    expect(await backupsOf(kept.id)).toEqual(before);
    // The way back is the before-restore copy, which still holds the removed article.
    const saved = JSON.parse(await readFile(result.safetyBackup!, 'utf8'));
    expect(saved.articles.map((a: Article) => a.id)).toContain(gone.id);
    await notebook.close();
    const reopened = await Notebook.open(notebook.dir);
    expect((await reopened.listArticles()).map((a) => a.id)).toEqual([kept.id]);
    expect(await reopened.getNotices()).toEqual([]);
    notebook = reopened;
  });
});
