/**
 * A way in from other tools (issue 16): Kindle, Readwise, Hypothesis and Omnivore exports into fresh notebooks.
 * Fixtures: tests/fixtures/interop/ (see its README for where each shape comes from) and Hypothesis's own anchoring
 * baseline (../shared/fixtures/anchoring/). Real files, real notebook folders, a real HTTP server on 127.0.0.1.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ToolImportRequest } from '../../electron/contract';
import { Notebook } from '../../electron/notebook/notebook';
import { parseArgs } from '../../electron/schemas';
import { parseKindleClippings } from '../../electron/notebook/import/tools/kindle';
import { parseOmnivoreHighlights } from '../../electron/notebook/import/tools/omnivore';

const FIXTURES = path.resolve('tests/fixtures/interop');
const fixture = (name: string) => readFile(path.join(FIXTURES, name));

let dir: string;
let notebook: Notebook;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gloss-tools-'));
  notebook = await Notebook.open(dir, { allowLoopbackImport: true });
});
afterEach(async () => {
  await notebook.close();
  await rm(dir, { recursive: true, force: true });
});

const run = (request: ToolImportRequest) => notebook.importAnnotationsFrom(parseArgs('importAnnotationsFrom', [request])[0]);
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const byTitle = async (title: string) => {
  const summary = (await notebook.listArticles()).find((a) => a.title === title);
  if (!summary) throw new Error(`no article "${title}" in ${(await notebook.listArticles()).map((a) => a.title).join(' | ')}`);
  return notebook.getArticle(summary.id);
};

describe('Kindle My Clippings.txt', () => {
  it('makes a stub per book holding its highlights, notes attached by location, locations kept', async () => {
    const report = await run({ format: 'kindle', contentBase64: b64(await fixture('My Clippings.txt')), fileName: 'My Clippings.txt' });
    expect(report).toMatchObject({ articlesCreated: 3, articlesMatched: 0, highlights: 4, orphaned: 0 });
    // One bookmark and one highlight Kindle wrote twice.
    expect(report.skipped).toBe(2);
    const book = await byTitle('The Left Hand of Darkness');
    expect(book.authors).toEqual(['Le Guin, Ursula K.']);
    expect(book.highlights.map((h) => [h.quote.slice(0, 30), h.note])).toEqual([
      ["I'll make my report as if I to", 'The opening frames the whole book as testimony.'],
      ['Light is the left hand of dark', ''],
    ]);
    expect(book.text).toContain('Page 1, Location 38–40');
    expect(book.highlights[0].createdAt).toBe('2019-03-03T22:24:35.000Z');
    // The note with no highlight at its location is kept on the book, and the report says so.
    expect(book.note).toContain('Page 9, Location 150: A note with no highlight near it: it must not be lost.');
    expect(report.problems.some((p) => p.includes('line ') && p.includes('kept as a note on the book'))).toBe(true);
    const old = await byTitle('Meditations');
    expect(old.text).toContain('Location 171–173'); // "Loc. 171-73" from an older device
    expect((await byTitle('Cien años de soledad')).authors).toEqual(['Gabriel García Márquez']);
    // A second import of the same file adds nothing.
    const again = await run({ format: 'kindle', contentBase64: b64(await fixture('My Clippings.txt')), fileName: 'My Clippings.txt' });
    expect(again).toMatchObject({ articlesCreated: 0, articlesMatched: 3, highlights: 0 });
    expect((await byTitle('The Left Hand of Darkness')).highlights).toHaveLength(2);
    expect((await byTitle('The Left Hand of Darkness')).note.match(/must not be lost/g)).toHaveLength(1);
  });

  it('a clippings file that grew since the last import adds its new passages to the book, not as orphans', async () => {
    const full = (await fixture('My Clippings.txt')).toString('utf8');
    const first = full.split('==========')[0] + '==========\r\n';
    const before = await run({ format: 'kindle', content: first, fileName: 'My Clippings.txt' });
    expect(before).toMatchObject({ articlesCreated: 1, highlights: 1 });
    const opening = (await byTitle('The Left Hand of Darkness')).highlights[0];
    const after = await run({ format: 'kindle', content: full, fileName: 'My Clippings.txt' });
    expect(after).toMatchObject({ articlesCreated: 2, articlesMatched: 1, highlights: 3, orphaned: 0 });
    const book = await byTitle('The Left Hand of Darkness');
    expect(book.highlights.map((h) => h.quote.slice(0, 20))).toEqual(["I'll make my report ", 'Light is the left ha']);
    // The first passage kept its place and got the note that came with the longer file.
    expect(book.highlights[0]).toMatchObject({ id: opening.id, start: opening.start, end: opening.end, note: 'The opening frames the whole book as testimony.' });
    expect(after.skipped).toBeGreaterThanOrEqual(1);
    expect(book.text).toContain('Page 3, Location 95–97');
  });

  it('refuses what is not a clippings file, naming the line, and writes nothing', async () => {
    await expect(run({ format: 'kindle', content: 'Just some text\nwith lines', fileName: 'notes.txt' })).rejects.toThrow(
      /Cannot import "notes.txt": it is not a Kindle "My Clippings.txt" \(no entry ends with a line of ==========\)/,
    );
    const broken = 'Book (Me)\n- Your Highlight on Location 1-2 | Added on Sunday, March 3, 2019 10:24:35 PM\n\nFine.\n==========\nBook (Me)\nno dash line here\n\nText\n==========\n';
    await expect(run({ format: 'kindle', content: broken, fileName: 'My Clippings.txt' })).rejects.toThrow(/the entry at line 6 \("Book \(Me\)"\) has no "- Your Highlight on ..." line/);
    expect(await notebook.listArticles()).toEqual([]);
  });

  it('reads the older "Loc. 171-73" form as 171 to 173', () => {
    const parsed = parseKindleClippings('B (A)\n- Highlight Loc. 171-73  | Added on Tuesday, May 04, 2010, 09:12 PM\n\nQ\n==========\n', '"x"');
    expect(parsed.documents[0].highlights[0].location).toBe('Location 171–173');
  });
});

describe('Readwise CSV', () => {
  it('keeps tags exactly, maps colours, and matches a book to an article of the same title', async () => {
    const tides = await notebook.importArticle({ format: 'text', title: 'Tides', content: 'Some opening words.\n\nWords about tides and the moon.\n\nThe end.' });
    const report = await run({ format: 'readwise', contentBase64: b64(await fixture('readwise-export.csv')), fileName: 'readwise-export.csv' });
    expect(report).toMatchObject({ articlesCreated: 1, articlesMatched: 1, highlights: 3, orphaned: 1 });
    const proust = await byTitle('In Search of Lost Time');
    expect(proust.authors).toEqual(['Marcel Proust']);
    expect(proust.highlights.map((h) => h.tags)).toEqual([
      ['perception', 'C++', 'emoji 🐋'],
      ['100%', 'US–Sudan'],
    ]);
    expect(proust.highlights.map((h) => h.color)).toEqual(['yellow', 'yellow']);
    expect(proust.highlights[1].note).toBe('A note\nover two lines, with "quotes".');
    expect(proust.text).toContain('Location 4211');
    expect(proust.note).toContain('Readwise document tags: #classics');
    expect(report.problems.join('\n')).not.toMatch(/orange/); // orange is a known colour: yellow, said in the README
    const matched = await notebook.getArticle(tides.id);
    expect(matched.highlights.find((h) => !h.orphaned)).toMatchObject({ quote: 'Words about tides and the moon.', color: 'blue' });
    expect(matched.highlights.find((h) => h.orphaned)).toMatchObject({ quote: 'A passage not in the article at all, kept anyway.', note: 'Kept as orphaned.', tags: ['ocean'], color: 'purple' });
    expect(report.problems.some((p) => p.includes('"Tides"') && p.includes('orphaned'))).toBe(true);
  });

  it('refuses a CSV that is not a Readwise export, or a broken row, naming it, and writes nothing', async () => {
    await expect(run({ format: 'readwise', content: 'title,url\nA,https://a\n', fileName: 'pocket.csv' })).rejects.toThrow(
      /it is not a Readwise CSV export \(no "Highlight" or "Book Title" column/,
    );
    const header = 'Highlight,Book Title,Book Author,Amazon Book ID,Note,Color,Tags,Location Type,Location,Highlighted at,Document tags\n';
    await expect(run({ format: 'readwise', content: `${header}"One",B,A,,,,,,,,\n"Two",B\n`, fileName: 'r.csv' })).rejects.toThrow(/not valid CSV \(line 3\)|row 3 has 2 fields/);
    await expect(run({ format: 'readwise', content: `${header}"unclosed,B,A,,,,,,,,\n`, fileName: 'r.csv' })).rejects.toThrow(/Cannot import "r.csv": it is not valid CSV/);
    expect(await notebook.listArticles()).toEqual([]);
  });
});

describe('Hypothesis API JSON', () => {
  it('anchors Hypothesis’s own baseline annotations on the page it annotated, matched by URL', async () => {
    const base = path.resolve('../shared/fixtures/anchoring/html-baselines');
    const page = await notebook.importArticle({
      format: 'html',
      content: await readFile(path.join(base, 'wikipedia-regression-testing.html'), 'utf8'),
      source: 'https://en.wikipedia.org/wiki/Regression_testing',
    });
    const json = await readFile(path.join(base, 'wikipedia-regression-testing.json'), 'utf8');
    const report = await run({ format: 'hypothesis', content: json, fileName: 'wikipedia-regression-testing.json' });
    expect(report).toMatchObject({ articlesCreated: 0, articlesMatched: 1 });
    const article = await notebook.getArticle(page.id);
    const rows = (JSON.parse(json) as { rows: { text: string; target: { selector: { type: string; exact?: string }[] }[] }[] }).rows;
    // Every annotation is kept; each anchored one sits on its exact quote.
    expect(report.highlights + report.orphaned).toBe(rows.length);
    expect(report.highlights).toBeGreaterThanOrEqual(4);
    for (const h of article.highlights.filter((x) => !x.orphaned)) expect(article.text.slice(h.start, h.end)).toBe(h.quote);
    expect(article.highlights.map((h) => h.note).sort()).toEqual(rows.map((r) => r.text).sort());
  });

  it('fetches a page not in the notebook from the annotation’s URL; page notes go on the article, replies are skipped', async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html lang="en"><head><title>Fetched page</title></head><body><article><h1>Fetched page</h1><p>${'Filler words to make it an article. '.repeat(20)}</p><p>This is a passage on the fetched page.</p></article></body></html>`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/not-yet-in-gloss.html`;
      const tides = await notebook.importArticle({
        format: 'html',
        source: 'https://example.org/tides', // no trailing slash: Hypothesis's URI has one
        content: `<html><body><article><h1>Tides</h1><p>${'Tides are simple. The moon pulls the sea twice each day, and the land waits. '.repeat(3)}</p></article></body></html>`,
      });
      const json = (await readFile(path.join(FIXTURES, 'hypothesis-api.json'), 'utf8')).replaceAll('http://127.0.0.1:9/not-yet-in-gloss.html', url);
      const report = await run({ format: 'hypothesis', content: json, fileName: 'hypothesis-api.json' });
      expect(report).toMatchObject({ articlesCreated: 1, articlesMatched: 1, highlights: 2, orphaned: 0, skipped: 1 });
      expect(report.problems.some((p) => p.includes('rows[2]') && p.includes('reply'))).toBe(true);
      const matched = await notebook.getArticle(tides.id);
      expect(matched.highlights).toHaveLength(1);
      expect(matched.highlights[0]).toMatchObject({ quote: 'The moon pulls the sea twice each day', note: 'The **key** claim.', tags: ['moon', 'C++'], createdAt: '2024-02-10T09:14:22.512Z' });
      expect(matched.note).toContain('A page note about the whole article.');
      expect(matched.note).toContain('#reading-list');
      const fetched = await byTitle('Fetched page');
      expect(fetched.source).toBe(url);
      expect(fetched.highlights[0]).toMatchObject({ quote: 'a passage on the fetched page', note: 'On a page Gloss fetches.', tags: ['fetched'] });
    } finally {
      server.close();
    }
  });

  it('keeps the annotations on a stub when the page cannot be fetched, and says why', async () => {
    const report = await run({ format: 'hypothesis', content: await readFile(path.join(FIXTURES, 'hypothesis-api.json'), 'utf8'), fileName: 'h.json' });
    expect(report.articlesCreated).toBe(2);
    expect(report.problems.filter((p) => p.includes('could not be fetched'))).toHaveLength(2);
    const stub = await byTitle('Fetched page');
    expect(stub.highlights[0]).toMatchObject({ quote: 'a passage on the fetched page', note: 'On a page Gloss fetches.' });
    expect(stub.highlights[0].orphaned).toBeFalsy();
  });

  it('refuses malformed JSON or an annotation without a page, naming it', async () => {
    await expect(run({ format: 'hypothesis', content: '{"rows": [', fileName: 'h.json' })).rejects.toThrow(/Cannot import "h.json": it is not valid JSON/);
    await expect(run({ format: 'hypothesis', content: '{"rows": [{"uri": "https://a.example/"}, {"text": "x"}]}', fileName: 'h.json' })).rejects.toThrow(
      /rows\[1\] has no "uri"/,
    );
    expect(await notebook.listArticles()).toEqual([]);
  });
});

describe('Omnivore export zip', () => {
  it('imports each item’s content with its highlights, labels and notes; fetches or stubs the rest', async () => {
    const report = await run({ format: 'omnivore', contentBase64: b64(await fixture('omnivore-export.zip')), fileName: 'omnivore-export.zip' });
    expect(report).toMatchObject({ articlesCreated: 2, articlesMatched: 0, highlights: 4, orphaned: 0, skipped: 1 });
    const slow = await byTitle('The Case for Slow Reading');
    expect(slow).toMatchObject({ source: 'https://blog.example.com/slow-reading', authors: ['Marta Ortega'], publishedAt: '2024-04-30T00:00:00.000Z' });
    expect(slow.highlights.map((h) => [h.quote, h.tags, h.note])).toEqual([
      ['It is a choice about attention.', ['attention', 'Deep Work'], 'The thesis, in one line.'],
      ['When we read slowly we notice how an argument is built.\n\nSecond paragraph of the quote starts here and ends here.', [], 'A note\n\nin two paragraphs.'],
      ['The last paragraph asks what we keep from what we read.', [], ''],
    ]);
    expect(slow.note).toContain('Omnivore labels: #reading #Deep Work');
    const marsh = await byTitle('Marsh birds in winter');
    expect(marsh.highlights[0]).toMatchObject({ quote: 'Herons stand still for an hour in the frozen reeds.', note: 'Seen at the estuary.' });
    expect(report.problems.join('\n')).toMatch(/"A link saved, never read": no content, no highlights and no URL/);
  });

  it('reads Omnivore’s highlight Markdown back as it was written', () => {
    expect(parseOmnivoreHighlights('> one \n\n#a #b c\n\nnote\n\n> two\n> \nthree ')).toEqual([
      { quote: 'one', tags: ['a', 'b c'], note: 'note' },
      { quote: 'two\n\nthree', tags: [], note: '' },
    ]);
  });

  it('refuses what is not an Omnivore zip, and a zip that would unpack too large, writing nothing', async () => {
    await expect(run({ format: 'omnivore', contentBase64: b64(strToU8('not a zip')), fileName: 'x.zip' })).rejects.toThrow(/Cannot import "x.zip": it is not a readable zip file/);
    await expect(run({ format: 'omnivore', contentBase64: b64(zipSync({ 'notes.txt': strToU8('hi') })), fileName: 'y.zip' })).rejects.toThrow(
      /it is not an Omnivore export \(no metadata_<n>_to_<m>.json inside\)/,
    );
    const bomb = zipSync({ 'metadata_0_to_1.json': strToU8('[]'), 'content/a.html': new Uint8Array(33 * 1024 * 1024) });
    expect(bomb.byteLength).toBeLessThan(100_000);
    await expect(run({ format: 'omnivore', contentBase64: b64(bomb), fileName: 'bomb.zip' })).rejects.toThrow(/content\/a.html would unpack to 33 MiB \(the limit is 32 MiB\)/);
    const badJson = zipSync({ 'metadata_0_to_1.json': strToU8('[{"title": "x", "labels": "oops"}]') });
    await expect(run({ format: 'omnivore', contentBase64: b64(badJson), fileName: 'z.zip' })).rejects.toThrow(/metadata_0_to_1.json item 0 \("x"\) has "labels" that are not a list/);
    expect(await notebook.listArticles()).toEqual([]);
    expect((await readdir(path.join(dir, 'articles'))).filter((f) => f.endsWith('.json'))).toEqual([]);
  });
});
