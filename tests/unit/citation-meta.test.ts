/**
 * Citation metadata read at import (issue 16): real saved pages (mozilla/readability's fixtures, whose
 * expected-metadata.json gives the byline a reader sees) and one small page per source a page can declare it in.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCitationMeta } from '../../electron/notebook/import/citation-meta';
import { makeDom } from '../../electron/notebook/import/sanitize';
import { importHtml } from '../../electron/notebook/import/html';
import { readPdfMetadata } from '../../electron/notebook/pdf/metadata';
import { Notebook } from '../../electron/notebook/notebook';
import { makePdf } from '../support/make-pdf';

const FIXTURES = path.resolve('../shared/fixtures/readability');
const meta = (html: string) => readCitationMeta(makeDom(html).window.document);
const page = (head: string) => `<!doctype html><html><head>${head}</head><body><article><h1>T</h1><p>${'Words about tides. '.repeat(40)}</p></article></body></html>`;

describe('real pages', () => {
  it('give the authors a reader sees, where the page declares them', async () => {
    const declared: Record<string, string[]> = {
      cnn: ['Ahiza Garcia'],
      heise: ['Mac & i'],
      'lazy-image-1': ['Vincent Vallet'],
      'medium-1': ['Pippin Lee'],
      // Dublin Core lists both people; Readability's byline shows one of them.
      'ietf-1': ['Kooman, F.', 'Jong, Michiel de'],
    };
    for (const name of await readdir(FIXTURES)) {
      const html = await readFile(path.join(FIXTURES, name, 'source.html'), 'utf8');
      const expected = JSON.parse(await readFile(path.join(FIXTURES, name, 'expected-metadata.json'), 'utf8')) as { byline: string | null };
      const found = meta(html);
      if (declared[name]) {
        expect(found.authors, name).toEqual(declared[name]);
        expect(declared[name], name).toContain(expected.byline);
      } else expect(found.authors, name).toBeUndefined();
    }
  });

  it('give publisher, language and dates from JSON-LD, Dublin Core and Open Graph', async () => {
    const read = async (name: string) => meta(await readFile(path.join(FIXTURES, name, 'source.html'), 'utf8'));
    expect(await read('bbc-1')).toMatchObject({ publisher: 'BBC News', publishedAt: '2015-07-24T04:36:09.000Z' });
    expect(await read('lemonde-1')).toMatchObject({ publisher: 'Le Monde', lang: 'fr' });
    // Medium wraps its JSON-LD in CDATA.
    expect(await read('lazy-image-1')).toMatchObject({ publisher: 'Voodoo Engineering', workType: 'article-newspaper' });
    expect(await read('ietf-1')).toMatchObject({ publishedAt: '2014-12-15' });
  });
});

describe('each source', () => {
  it('Highwire citation_* tags (a journal page)', () => {
    const found = meta(
      page(`
      <meta name="citation_title" content="Trace-based Just-in-Time Type Specialization">
      <meta name="citation_author" content="Gal, Andreas">
      <meta name="citation_author" content="Eich, Brendan">
      <meta name="citation_publication_date" content="2009/06/15">
      <meta name="citation_journal_title" content="ACM SIGPLAN Notices">
      <meta name="citation_volume" content="44"><meta name="citation_issue" content="6">
      <meta name="citation_firstpage" content="465"><meta name="citation_lastpage" content="478">
      <meta name="citation_doi" content="doi:10.1145/1542476.1542528">
      <meta name="citation_publisher" content="ACM"><meta name="citation_language" content="en">
      <meta name="dc.creator" content="Somebody Else">`),
    );
    expect(found).toEqual({
      title: 'Trace-based Just-in-Time Type Specialization',
      authors: ['Gal, Andreas', 'Eich, Brendan'],
      publishedAt: '2009-06-15',
      container: 'ACM SIGPLAN Notices',
      publisher: 'ACM',
      volume: '44',
      issue: '6',
      pageRange: '465-478',
      doi: '10.1145/1542476.1542528',
      lang: 'en',
      workType: 'article-journal',
    });
  });

  it('Dublin Core in any case, with a DOI and an ISBN among its identifiers', () => {
    expect(
      meta(
        page(`<meta name="dc.Creator" content="Ada Lovelace"><meta name="DCTERMS.issued" content="1843-09-01">
        <meta name="DC.Identifier" content="https://doi.org/10.5555/12345678"><meta name="dc.identifier" content="urn:isbn:978-0-14-143976-1">
        <meta name="DC.Publisher" content="Taylor"><meta name="DC.Language" content="en_GB">`),
      ),
    ).toEqual({ authors: ['Ada Lovelace'], publishedAt: '1843-09-01', publisher: 'Taylor', doi: '10.5555/12345678', isbn: '9780141439761', lang: 'en-GB' });
  });

  it('JSON-LD: a ScholarlyArticle in an @graph, authors by @id, a DOI as a PropertyValue, its journal by isPartOf', () => {
    const ld = {
      '@context': 'https://schema.org',
      '@graph': [
        { '@type': 'WebPage', '@id': '#page', name: 'Site page' },
        { '@type': 'Person', '@id': '#p1', name: 'Grace Hopper' },
        {
          '@type': ['ScholarlyArticle'],
          headline: 'Compilers',
          author: [{ '@id': '#p1' }, { '@type': 'Person', name: 'Jean Sammet' }, { '@type': 'Organization', name: 'Navy Lab' }],
          datePublished: '1952-05-01',
          isPartOf: { '@type': 'PublicationVolume', volumeNumber: 3, isPartOf: { '@type': 'Periodical', name: 'Journal of Machines' } },
          identifier: { '@type': 'PropertyValue', propertyID: 'DOI', value: '10.1000/xyz123' },
          pageStart: 10,
          pageEnd: 20,
          inLanguage: 'en',
        },
      ],
    };
    const found = meta(page(`<script type="application/ld+json">${JSON.stringify(ld)}</script><script type="application/ld+json">{ broken</script>`));
    expect(found).toEqual({
      title: 'Compilers',
      authors: ['Grace Hopper', 'Jean Sammet', 'Navy Lab'],
      publishedAt: '1952-05-01',
      container: 'Journal of Machines',
      volume: '3',
      pageRange: '10-20',
      doi: '10.1000/xyz123',
      lang: 'en',
      workType: 'article-journal',
    });
  });

  it('JSON-LD Book with an ISBN; Open Graph book:isbn; URLs where a name belongs are not authors', () => {
    expect(meta(page(`<script type="application/ld+json">{"@context":"https://schema.org","@type":"Book","name":"Alice","author":{"@type":"Person","name":"Lewis Carroll"},"isbn":"0-14-143976-2"}</script>`))).toMatchObject({
      workType: 'book',
      authors: ['Lewis Carroll'],
    });
    expect(meta(page(`<meta property="og:type" content="book"><meta property="book:isbn" content="9780141439761"><meta property="article:author" content="https://example.org/@someone"><meta property="article:published_time" content="2020-01-02T03:04:05Z">`))).toEqual({
      workType: 'book',
      isbn: '9780141439761',
      publishedAt: '2020-01-02T03:04:05.000Z',
    });
  });

  it('reach the article through the import and the notebook', async () => {
    const html = page(`<meta name="citation_author" content="Jane Doe"><meta name="citation_doi" content="10.1000/abc"><meta name="citation_journal_title" content="Tides">`);
    expect(importHtml({ content: html, name: '"p.html"' }).citation).toEqual({ authors: ['Jane Doe'], doi: '10.1000/abc', container: 'Tides', workType: 'article-journal' });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'gloss-citemeta-'));
    const notebook = await Notebook.open(dir);
    try {
      const a = await notebook.importArticle({ format: 'html', content: html, fileName: 'p.html' });
      expect(a).toMatchObject({ authors: ['Jane Doe'], doi: '10.1000/abc', container: 'Tides', workType: 'article-journal' });
    } finally {
      await notebook.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('PDF', () => {
  it('reads PRISM and Dublin Core from XMP, and an ISBN printed on the first page', () => {
    const m = readPdfMetadata({
      info: { Title: 'A Paper', Author: 'Andreas Gal; Brendan Eich' },
      xmp: { 'prism:publicationname': 'PLDI', 'prism:volume': '44', 'prism:number': '6', 'prism:startingpage': '465', 'prism:endingpage': '478', 'dc:publisher': ['ACM'] },
      firstPageItems: [],
      firstPageText: 'Copyright 2009 ACM ISBN 978-0-14-143976-1 ... doi:10.1145/1542476.1542528.',
    });
    expect(m).toMatchObject({
      authors: ['Andreas Gal', 'Brendan Eich'],
      doi: '10.1145/1542476.1542528',
      citation: { container: 'PLDI', volume: '44', issue: '6', pageRange: '465-478', publisher: 'ACM', isbn: '9780141439761' },
    });
  });

  it('reaches the article from a real PDF: pdf.js reads the XMP, the notebook keeps authors as a list', async () => {
    const xmp = `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:prism="http://prismstandard.org/namespaces/basic/2.0/">
<dc:creator><rdf:Seq><rdf:li>Ada Lovelace</rdf:li><rdf:li>Alan Turing</rdf:li></rdf:Seq></dc:creator>
<dc:publisher><rdf:Bag><rdf:li>Analytical Press</rdf:li></rdf:Bag></dc:publisher>
<prism:publicationName>Journal of Engines</prism:publicationName><prism:volume>7</prism:volume><prism:number>2</prism:number>
<prism:startingPage>101</prism:startingPage><prism:endingPage>117</prism:endingPage>
</rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>`;
    const bytes = await makePdf({ pages: [{ lines: ['Notes on the Engine', 'ISBN 978-0-14-143976-1'], firstLineSize: 20 }], xmp });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'gloss-citepdf-'));
    const notebook = await Notebook.open(dir);
    try {
      const summary = await notebook.importFile(bytes, { format: 'pdf', fileName: 'engine.pdf' });
      expect(summary).toMatchObject({
        authors: ['Ada Lovelace', 'Alan Turing'],
        byline: 'Ada Lovelace, Alan Turing',
        container: 'Journal of Engines',
        publisher: 'Analytical Press',
        volume: '7',
        issue: '2',
        pageRange: '101-117',
        isbn: '9780141439761',
      });
    } finally {
      await notebook.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
