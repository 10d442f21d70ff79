/**
 * Citations (issue 16): citation keys, and BibTeX / CSL-JSON read back by real parsers (@retorquere/bibtex-parser,
 * the parser behind Better BibTeX for Zotero, and citation-js), so what we write is what reference managers read.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Notebook } from '../../electron/notebook/notebook';
import { parseArgs } from '../../electron/schemas';
import { parse as parseBibtex } from '@retorquere/bibtex-parser';
import { Cite } from '@citation-js/core';
import '@citation-js/plugin-bibtex';
import '@citation-js/plugin-csl';
import type { ArticleSummary } from '../../electron/contract';
import { assignCitekeys, baseCitekey, citekeyOf, foldForKey } from '../../electron/notebook/export/citekey';
import { renderCitations, texEscape } from '../../electron/notebook/export/citations';
import { nameParts } from '../../electron/notebook/export/citation';

const base = (over: Partial<ArticleSummary>): ArticleSummary => ({
  id: over.id ?? 'a1',
  title: 'Untitled',
  addedAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  highlightCount: 0,
  ...over,
});

describe('citation keys', () => {
  it('are family name, year and the first word of the title that is not a stopword, folded to ASCII', () => {
    expect(baseCitekey(base({ title: 'The Tides of Mars', authors: ['Jane Q. Doe'], publishedAt: '2024-03-01' }))).toBe('doe2024tides');
    expect(baseCitekey(base({ title: 'Über Ångström-Messungen', authors: ['Łukasz Żółw'], publishedAt: '1999' }))).toBe('zolw1999uber');
    expect(baseCitekey(base({ title: 'A Study', byline: 'By Ludwig van Beethoven and Clara Schumann' }))).toBe('beethovenstudy');
    expect(baseCitekey(base({ title: 'On Tools', authors: ['Doe, Jane'] }))).toBe('doetools');
    expect(baseCitekey(base({ title: 'The Left Hand of Darkness', authors: ['Le Guin, Ursula K.'] }))).toBe('leguinleft');
    expect(baseCitekey(base({ title: '海の歌', publishedAt: '2020-05-05' }))).toBe('ref2020');
    expect(foldForKey('Straße Æsir Øre')).toBe('strasseaesirore');
  });

  it('keep a stored key whatever the metadata says now', () => {
    expect(citekeyOf(base({ title: 'Renamed', authors: ['Someone Else'], citekey: 'doe2024tides' }), new Set(['doe2024tides']))).toBe('doe2024tides');
  });

  it('are disambiguated a, b, c in the order articles were added, whatever order they are given in', () => {
    const mk = (id: string, addedAt: string) => base({ id, addedAt, title: 'Tides', authors: ['Jane Doe'], publishedAt: '2024-01-01' });
    const articles = [mk('z', '2026-01-03T00:00:00Z'), mk('x', '2026-01-01T00:00:00Z'), mk('y', '2026-01-02T00:00:00Z')];
    const keys = assignCitekeys(articles, []);
    expect([keys.get('x'), keys.get('y'), keys.get('z')]).toEqual(['doe2024tides', 'doe2024tidesa', 'doe2024tidesb']);
    expect(assignCitekeys([...articles].reverse(), [])).toEqual(keys);
    // A key another article stored is taken, compared without case as BibTeX does.
    expect(assignCitekeys([mk('x', '2026-01-01T00:00:00Z')], ['Doe2024Tides']).get('x')).toBe('doe2024tidesa');
    // Twenty-eight of the same: ... z, then aa, ab.
    const many = Array.from({ length: 28 }, (_, i) => mk(`m${String(i).padStart(2, '0')}`, `2026-01-01T00:00:${String(i).padStart(2, '0')}Z`));
    const got = assignCitekeys(many, []);
    expect([got.get('m26'), got.get('m27')]).toEqual(['doe2024tidesz', 'doe2024tidesaa']);
    // Keys other articles hold leave gaps: each new one takes the first free letter after the last one made.
    const four = assignCitekeys(many.slice(0, 4), ['doe2024tidesa', 'DOE2024TIDESC']);
    expect(many.slice(0, 4).map((a) => four.get(a.id))).toEqual(['doe2024tides', 'doe2024tidesb', 'doe2024tidesd', 'doe2024tidese']);
  });

  it('split names as BibTeX would', () => {
    expect(nameParts('Jane Q. Doe')).toEqual({ family: 'Doe', given: 'Jane Q.' });
    expect(nameParts('Doe, Jane')).toEqual({ family: 'Doe', given: 'Jane' });
    expect(nameParts('Martin Luther King Jr.')).toEqual({ family: 'King', given: 'Martin Luther' });
    expect(nameParts('Reuters')).toEqual({ family: 'Reuters', literal: true });
  });
});

const library: ArticleSummary[] = [
  base({
    id: 'w1',
    title: 'Prices & Wages: 100% of the #1 Issue_with {braces} ~ ^ \\ $5',
    authors: ['Zoë Müller-Ångström', 'Reuters Staff'],
    siteName: 'Süddeutsche Zeitung',
    publishedAt: '2024-03-01T09:30:00Z',
    source: 'https://example.org/a_b?q=100%25&x={y}#frag',
    lang: 'de',
    citekey: 'muller2024prices',
  }),
  base({
    id: 'p1',
    kind: 'pdf',
    title: 'Trace-based Just-in-Time Type Specialization for Dynamic Languages',
    authors: ['Andreas Gal', 'Brendan Eich', 'Mike Shaver'],
    container: 'PLDI ’09',
    workType: 'paper-conference',
    publishedAt: '2009-06-15',
    doi: '10.1145/1542476.1542528',
    pageRange: '465–478',
    publisher: 'ACM',
    citekey: 'gal2009tracebased',
  }),
  base({
    id: 'b1',
    title: 'Alice’s Adventures in Wonderland',
    authors: ['Lewis Carroll'],
    isbn: '9780141439761',
    publisher: 'Penguin Classics',
    publishedAt: '1865',
    citekey: 'carroll1865alices',
  }),
  base({ id: 'g1', title: 'Ελληνικά και 中文 😀', authors: ['Σωκράτης Παπαδόπουλος'], citekey: 'papadopoulos' }),
];

describe('BibTeX', () => {
  const bib = renderCitations(library, 'bibtex');

  it('is read back by @retorquere/bibtex-parser with every value as it was', () => {
    // The parser gives accented letters decomposed (NFD): compare as NFC, the form Gloss stores.
    const parsed = JSON.parse(JSON.stringify(parseBibtex(bib, { sentenceCase: false, english: false })).normalize('NFC')) as ReturnType<typeof parseBibtex>;
    expect(parsed.errors).toEqual([]);
    expect(parsed.entries.map((e) => [e.key, e.type])).toEqual([
      ['muller2024prices', 'online'],
      ['gal2009tracebased', 'inproceedings'],
      ['carroll1865alices', 'book'],
      ['papadopoulos', 'misc'],
    ]);
    const [web, paper, book, greek] = parsed.entries;
    expect(web.fields.title).toBe(library[0].title);
    expect(web.fields.author).toEqual([{ lastName: 'Müller-Ångström', firstName: 'Zoë' }, { name: 'Reuters Staff' }]);
    expect(web.fields.organization).toEqual(['Süddeutsche Zeitung']);
    expect(web.fields.url).toBe('https://example.org/a_b?q=100%25&x=%7By%7D#frag');
    expect(web.fields.date).toBe('2024-03-01');
    expect(web.fields.year).toBe('2024');
    expect(paper.fields.doi).toBe('10.1145/1542476.1542528');
    expect(paper.fields.booktitle).toBe('PLDI ’09');
    expect(paper.fields.pages).toBe('465–478');
    expect(paper.fields.author?.map((a) => a.lastName)).toEqual(['Gal', 'Eich', 'Shaver']);
    expect(book.fields.isbn).toBe('9780141439761');
    expect(book.fields.publisher).toEqual(['Penguin Classics']);
    expect(greek.fields.title).toBe('Ελληνικά και 中文 😀');
  });

  it('escapes the TeX specials and writes Latin accents as TeX accents (8-bit BibTeX reads them)', () => {
    expect(texEscape('100% & #1 _ $ { } ~ ^ \\')).toBe('100\\% \\& \\#1 \\_ \\$ \\{ \\} \\textasciitilde{} \\textasciicircum{} \\textbackslash{}');
    expect(texEscape('Zoë Ångström çedilla Straße')).toBe('Zo{\\"e} {\\r{A}}ngstr{\\"o}m {\\c{c}}edilla Stra{\\ss}e');
    expect(bib).not.toMatch(/[ëöçÅ]/);
  });

  it('is read by citation-js into the same CSL items as our CSL-JSON', () => {
    const fromBib = new Cite(bib).format('data', { format: 'object' }) as Record<string, unknown>[];
    const csl = JSON.parse(renderCitations(library, 'csl-json')) as Record<string, unknown>[];
    expect(fromBib.map((i) => i.id)).toEqual(csl.map((i) => i.id));
    // An organisation is braced whole in BibTeX; citation-js reads it as a family name with no given name.
    const names = (list: unknown) => (list as Record<string, string>[]).map((n) => n.literal ?? [n.given, n.family].filter(Boolean).join(' '));
    for (const [i, item] of fromBib.entries()) {
      expect(String(item.title).normalize('NFC'), String(item.id)).toBe(csl[i].title);
      expect(names(item.author).map((n) => n.normalize('NFC')), String(item.id)).toEqual(names(csl[i].author));
    }
    expect(fromBib[1].DOI).toBe('10.1145/1542476.1542528');
    expect(fromBib[2].ISBN).toBe('9780141439761');
  });
});

describe('CSL-JSON', () => {
  it('is items citation-js accepts and formats as a bibliography', () => {
    const json = renderCitations(library, 'csl-json');
    const items = JSON.parse(json);
    expect(items[0]).toMatchObject({
      id: 'muller2024prices',
      type: 'webpage',
      'container-title': 'Süddeutsche Zeitung',
      issued: { 'date-parts': [[2024, 3, 1]] },
      accessed: { 'date-parts': [[2026, 1, 1]] },
      language: 'de',
      author: [{ family: 'Müller-Ångström', given: 'Zoë' }, { literal: 'Reuters Staff' }],
    });
    expect(items[1]).toMatchObject({ type: 'paper-conference', DOI: '10.1145/1542476.1542528', page: '465–478', publisher: 'ACM' });
    expect(items[2]).toMatchObject({ type: 'book', ISBN: '9780141439761', issued: { 'date-parts': [[1865]] } });
    const cite = new Cite(items);
    const html = cite.format('bibliography', { format: 'text', template: 'apa', lang: 'en-US' }) as string;
    expect(html).toContain('Gal, A., Eich, B., & Shaver, M. (2009).');
    expect(html).toContain('https://doi.org/10.1145/1542476.1542528');
    expect(html).toContain('Carroll, L. (1865).');
  });
});

describe('the notebook: citation fields, keys kept once exported', () => {
  let dir: string;
  let notebook: Notebook;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'gloss-citations-'));
    notebook = await Notebook.open(dir);
  });
  afterEach(async () => {
    await notebook.close();
    await rm(dir, { recursive: true, force: true });
  });

  const add = (title: string) => notebook.importArticle({ format: 'text', content: `${title}\n\nSome words about the sea.` });

  it('edits and clears citation fields, normalized and checked', async () => {
    const a = await add('Tides');
    const s = await notebook.updateArticleMeta(a.id, {
      authors: [' Jane  Doe ', '', 'John Roe'],
      doi: 'https://doi.org/10.1145/1542476.1542528',
      isbn: '978-0-14-143976-1',
      container: 'Ocean Letters',
      volume: '12',
      lang: 'en-GB',
      workType: 'article-journal',
      citekey: 'doe2024tides',
    });
    expect(s).toMatchObject({ authors: ['Jane Doe', 'John Roe'], doi: '10.1145/1542476.1542528', isbn: '9780141439761', container: 'Ocean Letters', lang: 'en-GB', citekey: 'doe2024tides' });
    await expect(notebook.updateArticleMeta(a.id, { isbn: '978-0-14-143976-2' })).rejects.toThrow(/not an ISBN/);
    await expect(notebook.updateArticleMeta(a.id, { doi: '11.1/x' })).rejects.toThrow(/not a DOI/);
    await expect(notebook.updateArticleMeta(a.id, { citekey: 'doe 2024' })).rejects.toThrow(/cannot be a citation key/);
    const b = await add('Other');
    await expect(notebook.updateArticleMeta(b.id, { citekey: 'DOE2024TIDES' })).rejects.toMatchObject({ code: 'conflict' });
    const cleared = await notebook.updateArticleMeta(a.id, { authors: [], isbn: '', container: '', workType: '' });
    expect(cleared.authors).toBeUndefined();
    expect(cleared.isbn).toBeUndefined();
    expect(cleared.workType).toBeUndefined();
    expect(() => parseArgs('updateArticleMeta', ['a1', { isbn: '123' }])).toThrow(/^updateArticleMeta: argument 2 \(isbn\): "123" is not an ISBN/);
  });

  it('gives a key at the first export and keeps it after the title and authors change', async () => {
    const a = await add('Tides of Mars');
    await notebook.updateArticleMeta(a.id, { authors: ['Jane Doe'], publishedAt: '2024-03-01' });
    expect((await notebook.getArticle(a.id)).citekey).toBeUndefined();
    const bib = await notebook.exportCitations({ format: 'bibtex' });
    expect(bib).toContain('@misc{doe2024tides,');
    expect((await notebook.getArticle(a.id)).citekey).toBe('doe2024tides');
    await notebook.updateArticleMeta(a.id, { title: 'Neap tides', authors: ['Someone Else'] });
    const csl = JSON.parse(await notebook.exportCitations({ format: 'csl-json', articleIds: [a.id] }));
    expect(csl[0].id).toBe('doe2024tides');
    // It survives a reopen (it is in the article's file).
    await notebook.close();
    notebook = await Notebook.open(dir);
    expect((await notebook.getArticle(a.id)).citekey).toBe('doe2024tides');
  });

  it('keeps every citation field through a backup and a restore into a fresh notebook', async () => {
    const a = await add('Tides of Mars');
    const fields = {
      authors: ['Jane Doe', 'Reuters Staff'],
      doi: '10.1000/xyz',
      isbn: '9780141439761',
      container: 'Planetary Letters',
      publisher: 'Sea Press',
      volume: '12',
      issue: '3',
      pageRange: '117-128',
      workType: 'article-journal' as const,
      citekey: 'doe2024mars',
    };
    await notebook.updateArticleMeta(a.id, fields);
    const backup = await notebook.backupNotebook();
    const other = await mkdtemp(path.join(os.tmpdir(), 'gloss-citations-restore-'));
    const fresh = await Notebook.open(other);
    try {
      await fresh.restoreNotebook(JSON.parse(JSON.stringify(backup)), { mode: 'replace' });
      expect(await fresh.getArticle(a.id)).toMatchObject(fields);
    } finally {
      await fresh.close();
      await rm(other, { recursive: true, force: true });
    }
  });
});
