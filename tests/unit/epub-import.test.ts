/** EPUB import on the three fixture books and on crafted bad files: structure, metadata, links, limits, refusals. */
import { strToU8, zipSync, type Zippable } from 'fflate';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { JSDOM } from 'jsdom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importEpub } from '../../electron/notebook/import/epub';
import { openZip } from '../../electron/notebook/import/epub/zip';
import { Notebook } from '../../electron/notebook/notebook';
import { stopNotebookWorkers } from '../../electron/notebook/workers/run';
import { buildTextModel } from '../../electron/text-model';
import { unzipSync } from 'fflate';
import { runGloss } from '../support/cli';
import { writeFile } from 'node:fs/promises';

const FIXTURES = path.resolve(__dirname, '../../../shared/fixtures/epub');
const bytesOf = (name: string) => new Uint8Array(readFileSync(path.join(FIXTURES, name)));
const imported = (name: string) => importEpub({ bytes: bytesOf(name), name: `"${name}"` });

/** What a browser builds from the stored HTML, measured with the one text-model walk. */
function textOfHtml(html: string): string {
  const dom = new JSDOM('<!DOCTYPE html><article></article>');
  const article = dom.window.document.querySelector('article')!;
  article.innerHTML = html;
  return buildTextModel(article).text;
}

/** A fixture's files with some changed (undefined removes one), zipped again. */
function rezip(name: string, change: (files: Record<string, Uint8Array>) => void): Uint8Array {
  const files = unzipSync(bytesOf(name));
  change(files);
  const zippable: Zippable = {};
  for (const [k, v] of Object.entries(files)) if (v) zippable[k] = [v, { level: k === 'mimetype' ? 0 : 6 }];
  return zipSync(zippable);
}

const text = (s: string) => strToU8(s);

describe('the fixture books', () => {
  const alice = imported('alice.epub');
  const moby = imported('moby-dick.epub');
  const children = imported('childrens-literature.epub');

  it('take title, creators, language and identifier from the package', () => {
    expect(alice.title).toBe("Alice's Adventures in Wonderland");
    expect(alice.byline).toBe('Lewis Carroll');
    expect(alice.lang).toBe('en-US');
    expect(alice.kind).toBe('epub');
    expect(alice.book).toMatchObject({ creators: ['Lewis Carroll'], identifier: 'edu.nyu.itp.future-of-publishing.alice-in-wonderland' });
    expect(moby.title).toBe('Moby-Dick');
    expect(moby.book?.publisher).toBe('Harper & Brothers, Publishers');
    // Two dc:title elements: the one refined as title-type main wins over the subtitle.
    expect(children.title).toBe("Children's Literature");
    expect(children.book?.creators).toEqual(['Charles Madison Curry', 'Erle Elsworth Clippinger']);
    expect(children.byline).toBe('Charles Madison Curry, Erle Elsworth Clippinger');
  });

  it('store text whose text model, as a browser parses the HTML, is the text exactly', () => {
    for (const book of [alice, moby, children]) expect(textOfHtml(book.html)).toBe(book.text);
  });

  it('keep the spine order, one section per chapter', () => {
    // alice: cover and contents are linear="no" and left out; title page + 10 chapters remain.
    expect(alice.html.match(/<section id="gloss-ref-ch-\d+"/g)).toHaveLength(11);
    expect(alice.text.startsWith("Alice's Adventures In Wonderland")).toBe(true);
    const down = alice.text.indexOf('Down The Rabbit-Hole');
    const pool = alice.text.indexOf('The Pool Of Tears');
    const evidence = alice.text.indexOf("Alice's Evidence");
    expect(0 < down && down < pool && pool < evidence).toBe(true);
    expect(moby.html.match(/<section id="gloss-ref-ch-\d+"/g)!.length).toBeGreaterThan(130);
    expect(moby.text.indexOf('Chapter 1. Loomings.')).toBeGreaterThan(0);
    expect(moby.text.indexOf('Chapter 1. Loomings.')).toBeLessThan(moby.text.indexOf('Chapter 135. The Chase.—Third Day.'));
  });

  it('turn the EPUB 3 nav into a table of contents at offsets in the text', () => {
    expect(alice.toc!.map((t) => t.label)).toEqual([
      'Title Page', 'Down The Rabbit-Hole', 'The Pool Of Tears', 'A Caucus-Race And A Long Tale',
      'The Rabbit Sends In A Little Bill', 'Advice From A Caterpillar', 'Pig And Pepper', 'A Mad Tea-Party',
      "The Queen's Croquet Ground", 'Who Stole The Tarts?', "Alice's Evidence",
    ]);
    for (const entry of alice.toc!.slice(1)) expect(alice.text.slice(entry.start)).toMatch(new RegExp(`^${entry.label.replace(/[?]/g, '\\?')}`, 'i'));
    const loomings = moby.toc!.find((t) => /Loomings/.test(t.label))!;
    expect(moby.text.slice(loomings.start, loomings.start + 20)).toBe('Chapter 1. Loomings.');
    // Nested entries keep their depth.
    expect(children.toc!.some((t) => t.depth === 1)).toBe(true);
    const starts = moby.toc!.map((t) => t.start);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
  });

  it('read an EPUB 2 NCX when there is no nav document', () => {
    const epub2 = rezip('moby-dick.epub', (files) => {
      const opf = new TextDecoder().decode(files['OPS/package.opf']);
      files['OPS/package.opf'] = text(opf.replace(/ properties="nav"/, '').replace('version="3.0"', 'version="2.0"'));
    });
    const book = importEpub({ bytes: epub2, name: '"moby2.epub"' });
    const labels = book.toc!.map((t) => t.label);
    expect(labels.length).toBeGreaterThan(130);
    const chapter = book.toc!.find((t) => /^Chapter 42/i.test(t.label) || /The Whiteness of The Whale/i.test(t.label))!;
    expect(book.text.slice(chapter.start, chapter.start + 11)).toBe('Chapter 42.');
  });

  it('make links between the book files in-document links, footnotes included', () => {
    // Moby-Dick's preface: <a epub:type="noteref" href="#n1"> to <aside epub:type="footnote" id="n1">.
    const noteref = /<a href="#(gloss-ref-ch-\d+-n1)" role="doc-noteref">1<\/a>/.exec(moby.html) ?? /<a role="doc-noteref" href="#(gloss-ref-ch-\d+-n1)">1<\/a>/.exec(moby.html);
    expect(noteref).not.toBeNull();
    expect(moby.html).toMatch(new RegExp(`<aside id="${noteref![1]}" role="doc-footnote"|<aside role="doc-footnote" id="${noteref![1]}"`));
    // The contents page links to chapters: #gloss-ref-ch-N, no target, no rel (they stay in the reader).
    expect(moby.html).toMatch(/<a href="#gloss-ref-ch-\d+">/);
    expect(moby.html).not.toMatch(/href="[^"#h][^"]*\.xhtml/);
    // Every in-document link points at an id that exists.
    const ids = new Set([...moby.html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]));
    for (const m of moby.html.matchAll(/href="#([^"]+)"/g)) expect(ids.has(m[1])).toBe(true);
  });

  it("store the chapters' pictures as notebook images, and the text model does not change", () => {
    // alice: 30 pictures in <figure>s (the cover page is not in the reading order).
    expect(alice.images!.images.length).toBeGreaterThan(20);
    expect(alice.images!.report.refused).toEqual({});
    const refs = [...alice.html.matchAll(/<img [^>]*src="gloss-image:([0-9a-f]{64}\.jpg)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(20);
    const names = new Set(alice.images!.images.map((i) => i.name));
    for (const r of refs) expect(names.has(r)).toBe(true);
    expect(alice.html).not.toMatch(/src="(?!gloss-image:)/);
    expect(alice.html).toMatch(/<img [^>]*alt="Alice in the Room of the Duchess\."/);
  });

  it('refuse nothing a reader needs, and keep scripts out', () => {
    expect(children.html).not.toMatch(/<script|epub:type|xml:lang/);
    expect(children.text).toContain('Emperor');
  });
});

describe('direction and writing mode', () => {
  it('takes right-to-left from page-progression-direction, and vertical writing from the CSS', () => {
    const rtl = rezip('alice.epub', (files) => {
      const opf = new TextDecoder().decode(files['OPS/package.opf']);
      files['OPS/package.opf'] = text(opf.replace('<spine>', '<spine page-progression-direction="rtl">'));
      const css = new TextDecoder().decode(files['OPS/css/stylesheet.css']);
      files['OPS/css/stylesheet.css'] = text(`html { -epub-writing-mode: vertical-rl; }\n${css}`);
    });
    const book = importEpub({ bytes: rtl, name: '"rtl.epub"' });
    expect(book.dir).toBe('rtl');
    expect(book.book).toMatchObject({ pageProgression: 'rtl', writingMode: 'vertical-rl' });
  });
});

describe('bad files', () => {
  const refusal = (bytes: Uint8Array) => {
    try {
      importEpub({ bytes, name: '"bad.epub"' });
    } catch (error) {
      return error as Error & { code?: string };
    }
    throw new Error('it was imported');
  };

  it('refuses what is not a zip', () => {
    expect(refusal(text('<html>not a book</html>')).message).toBe('Cannot import "bad.epub": it is not an EPUB (not a zip archive)');
    expect(refusal(new Uint8Array(0)).message).toMatch(/it is empty/);
  });

  it('refuses a zip without container.xml, or whose package is missing', () => {
    expect(refusal(zipSync({ 'a.txt': text('hello') })).message).toMatch(/no META-INF\/container\.xml/);
    const noOpf = rezip('alice.epub', (files) => delete files['OPS/package.opf']);
    expect(refusal(noOpf).message).toBe('Cannot import "bad.epub": its package file "OPS/package.opf" is missing');
  });

  it('refuses a DRM-encrypted book, but not one whose fonts are merely obfuscated', () => {
    const enc = (algorithm: string) =>
      `<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData><enc:EncryptionMethod Algorithm="${algorithm}"/><enc:CipherData><enc:CipherReference URI="OPS/chapter_001.xhtml"/></enc:CipherData></enc:EncryptedData></encryption>`;
    const drm = rezip('alice.epub', (files) => (files['META-INF/encryption.xml'] = text(enc('http://www.w3.org/2001/04/xmlenc#aes128-cbc'))));
    expect(refusal(drm).message).toMatch(/"bad.epub": it is encrypted \(DRM\)/);
    const fonts = rezip('alice.epub', (files) => (files['META-INF/encryption.xml'] = text(enc('http://www.idpf.org/2008/embedding'))));
    expect(importEpub({ bytes: fonts, name: '"fonts.epub"' }).title).toBe("Alice's Adventures in Wonderland");
  });

  it('refuses a zip bomb by its ratio, and an entry that inflates past its declared size', () => {
    const bomb = rezip('alice.epub', (files) => (files['OPS/chapter_001.xhtml'] = new Uint8Array(64 * 1024 * 1024)));
    const error = refusal(bomb);
    expect(error.code).toBe('too_large');
    expect(error.message).toMatch(/"bad.epub": "OPS\/chapter_001.xhtml" is compressed \d+ to 1, like a zip bomb/);

    // A liar: 2 MB of zeros whose directory says 1,000 bytes (under the ratio floor), inflated only up to that.
    const liar = zipSync({ 'META-INF/container.xml': [new Uint8Array(2 * 1024 * 1024), { level: 9 }] });
    const view = new DataView(liar.buffer);
    let cd = liar.length - 22;
    while (view.getUint32(cd, true) !== 0x06054b50) cd--;
    const central = view.getUint32(cd + 16, true);
    view.setUint32(central + 24, 1000, true);
    expect(refusal(liar).message).toMatch(/"META-INF\/container.xml" inflates past its declared size; it is refused as a possible zip bomb/);
  });

  it('bounds the entry count and the total unpacked size', () => {
    const many: Zippable = {};
    for (let i = 0; i < 30; i++) many[`f${i}.txt`] = text('x');
    expect(() => openZip(zipSync(many), '"many.epub"', { maxEntries: 20, maxTotalBytes: 1e9, maxRatio: 200, ratioFloorBytes: 1e6 })).toThrow(
      /it has 30 files \(the limit is 20\)/,
    );
    expect(() => openZip(zipSync(many), '"many.epub"', { maxEntries: 100, maxTotalBytes: 10, maxRatio: 200, ratioFloorBytes: 1e6 })).toThrow(
      /more than 10 bytes once unpacked/,
    );
  });
});

describe('importing through the notebook', () => {
  let dir: string;
  let notebook: Notebook;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'gloss-epub-'));
    notebook = await Notebook.open(dir);
  });
  afterAll(async () => {
    await notebook.close();
    await stopNotebookWorkers();
    await rm(dir, { recursive: true, force: true });
  });

  it('stores the book with its table of contents, as bytes or as base64, and stores nothing for a bad file', async () => {
    const summary = await notebook.importFile(bytesOf('alice.epub'), { format: 'epub', fileName: 'alice.epub' });
    expect(summary).toMatchObject({ title: "Alice's Adventures in Wonderland", kind: 'epub' });
    // The library list carries the kind, not the table of contents (that is getArticle's).
    const listed = (await notebook.listArticles()).find((a) => a.id === summary.id)!;
    expect(listed).toMatchObject({ kind: 'epub', byline: 'Lewis Carroll' });
    expect(Object.keys(listed)).not.toContain('toc');
    expect(Object.keys(listed)).not.toContain('book');
    const article = await notebook.getArticle(summary.id);
    expect(article.toc).toHaveLength(11);
    expect(article.book?.creators).toEqual(['Lewis Carroll']);
    // Its pictures are files in the notebook (images/<sha256>.jpg), each one the HTML names.
    const stored = await readdir(path.join(dir, 'images'));
    expect(stored.length).toBeGreaterThan(20);
    for (const name of stored) expect(article.html).toContain(`gloss-image:${name}`);
    await expect(notebook.replaceArticleText(summary.id, { format: 'text', content: 'Another text' })).rejects.toThrow(/is a book \(EPUB\)/);
    const before = await readdir(dir, { recursive: true });

    await expect(
      notebook.importArticle({ format: 'epub', contentBase64: Buffer.from('not a zip at all').toString('base64'), fileName: 'x.epub' }),
    ).rejects.toThrow('Cannot import "x.epub": it is not an EPUB (not a zip archive)');
    expect(await readdir(dir, { recursive: true })).toEqual(before);
    expect(await notebook.listArticles()).toHaveLength(1);

    // Highlights anchor in the one text; the Markdown export names the chapter each starts in.
    const at = article.text.indexOf('Alice opened the door and went in');
    await notebook.addHighlight(summary.id, { start: at, end: at + 'Alice opened the door'.length });
    const first = article.text.indexOf('Alice was beginning to get very tired');
    await notebook.addHighlight(summary.id, { start: first, end: first + 10 });
    const markdown = await notebook.exportMarkdown({ articleIds: [summary.id] });
    expect(markdown).toContain('> Alice opened the door\n\n^');
    expect(markdown).toMatch(/\nyellow · Pig And Pepper · /);
    expect(markdown).toMatch(/\nyellow · Down The Rabbit-Hole · /);

    const viaBase64 = await notebook.importArticle({ format: 'epub', contentBase64: Buffer.from(bytesOf('childrens-literature.epub')).toString('base64'), fileName: 'c.epub' });
    expect((await notebook.getArticle(viaBase64.id)).toc!.length).toBeGreaterThan(5);
  });
});

describe('gloss import book.epub', () => {
  it('imports a book by its extension and says how long its table of contents is; a bad one is refused by name', async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'gloss-epub-cli-'));
    try {
      const data = path.join(tmp, 'notebook');
      const ok = await runGloss(tmp, ['import', path.join(FIXTURES, 'alice.epub'), '--data-dir', data]);
      expect(ok.stderr).toBe('');
      expect(ok.stdout).toMatch(/^Imported "Alice's Adventures in Wonderland" \([\w-]+\) from .*alice\.epub, 11 entries in its table of contents\n$/);
      await writeFile(path.join(tmp, 'fake.epub'), 'not a zip');
      const bad = await runGloss(tmp, ['import', path.join(tmp, 'fake.epub'), '--data-dir', data]);
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toContain('it is not an EPUB (not a zip archive)');
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });
});
