/**
 * Saved pages keep what they had (issue 17 items 1 and 2): the source a saved file names, links made absolute against
 * it, in-document links (footnotes, sections) kept and pointed at prefixed ids, and images stored from data: URLs and
 * from files dropped with the page. Runs the importer in-process (its worker job is the same function).
 */
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { parseArticleContent } from '../../electron/notebook/import/parse';
import { resanitizeStoredHtml } from '../../electron/notebook/import/sanitize';
import { importHtml } from '../../electron/notebook/import/html';
import { ImageCollector } from '../../electron/notebook/import/images';
import { GIF_1X1, makePng } from '../support/make-image';

const BODY = `<article><h1>Pacific Ocean</h1>
  <p>The Pacific is the largest ocean.<sup class="reference"><a href="#cite_note-1">[1]</a></sup> It borders
  <a href="/wiki/Asia">Asia</a> and <a href="./Australia">Australia</a>; see <a href="#Geography">Geography</a> and
  <a href="#nowhere">a lost anchor</a>. ${'Its waters are deep and wide, and the trade winds cross it. '.repeat(12)}</p>
  <h2 id="Geography">Geography</h2><p id="location">${'The ocean spans a third of the globe, from the Arctic to the Southern Ocean. '.repeat(8)}</p>
  <p><a name="old-anchor">Old style anchor.</a> <a href="javascript:alert(1)">bad</a></p>
  <ol class="references"><li id="cite_note-1"><b>^</b> A reference, 1998.</li></ol></article>`;

function page(head: string, body = BODY, before = ''): string {
  return `${before}<!DOCTYPE html><html><head><title>Pacific Ocean - Wikipedia</title>${head}</head><body>${body}</body></html>`;
}

describe('source of a saved page', () => {
  const cases: Array<[string, string, string]> = [
    ['canonical', '<link rel="canonical" href="https://en.wikipedia.org/wiki/Pacific_Ocean"><meta property="og:url" content="https://og.example/x">', 'https://en.wikipedia.org/wiki/Pacific_Ocean'],
    ['og:url', '<meta property="og:url" content="https://og.example/x"><meta name="citation_public_url" content="https://cite.example/y">', 'https://og.example/x'],
    ['citation_public_url', '<meta name="citation_abstract_html_url" content="https://cite.example/abs"><meta name="citation_public_url" content="https://cite.example/y">', 'https://cite.example/y'],
    ['citation_fulltext_html_url', '<meta name="citation_fulltext_html_url" content="https://cite.example/full">', 'https://cite.example/full'],
  ];
  for (const [what, head, expected] of cases) {
    it(`comes from ${what}`, () => {
      expect(importHtml({ content: page(head), name: '"p.html"' }).source).toBe(expected);
    });
  }

  it('comes from the "saved from" comment last, and a relative canonical is read against it', () => {
    const saved = '<!-- saved from url=(0044)https://en.wikipedia.org/wiki/Pacific_Ocean -->\n';
    expect(importHtml({ content: page('', BODY, saved), name: '"p.html"' }).source).toBe('https://en.wikipedia.org/wiki/Pacific_Ocean');
    expect(importHtml({ content: page('<link rel="canonical" href="/wiki/Pacific">', BODY, saved), name: '"p.html"' }).source).toBe(
      'https://en.wikipedia.org/wiki/Pacific',
    );
  });

  it('never takes a non-web address, and an explicit source wins', () => {
    expect(importHtml({ content: page('<link rel="canonical" href="javascript:alert(1)">'), name: '"p.html"' }).source).toBeUndefined();
    const explicit = importHtml({ content: page('<link rel="canonical" href="https://a.example/x">'), source: 'https://b.example/y', name: '"p.html"' });
    expect(explicit.source).toBe('https://b.example/y');
  });
});

describe('links of a saved page', () => {
  const article = importHtml({ content: page('<link rel="canonical" href="https://en.wikipedia.org/wiki/Pacific_Ocean">'), name: '"p.html"' });
  const doc = new JSDOM(`<article>${article.html}</article>`).window.document;
  const hrefs = Array.from(doc.querySelectorAll('a'), (a) => a.getAttribute('href'));

  it('makes relative links absolute against the source', () => {
    expect(hrefs).toContain('https://en.wikipedia.org/wiki/Asia');
    expect(hrefs).toContain('https://en.wikipedia.org/wiki/Australia');
    expect(hrefs.some((h) => h?.startsWith('javascript:'))).toBe(false);
  });

  it('keeps footnotes and section links in the document, with prefixed ids that cannot clobber', () => {
    expect(hrefs).toContain('#gloss-ref-cite_note-1');
    expect(hrefs).toContain('#gloss-ref-Geography');
    expect(doc.getElementById('gloss-ref-cite_note-1')?.textContent).toContain('A reference');
    expect(doc.getElementById('gloss-ref-location')).not.toBeNull();
    expect(doc.getElementById('location')).toBeNull();
    expect(doc.getElementById('gloss-ref-old-anchor')).not.toBeNull();
    expect(doc.querySelector('[name]')).toBeNull();
    // A link to an anchor the article does not have leads nowhere: its words stay, its href goes.
    const lost = Array.from(doc.querySelectorAll('a')).find((a) => a.textContent === 'a lost anchor');
    expect(lost?.hasAttribute('href')).toBe(false);
    const footnote = doc.querySelector('a[href="#gloss-ref-cite_note-1"]');
    expect(footnote?.hasAttribute('target')).toBe(false);
  });

  it('treats a link to the page itself plus #id as in-document', () => {
    const body = BODY.replace('href="#Geography"', 'href="https://en.wikipedia.org/wiki/Pacific_Ocean#Geography"');
    const a = importHtml({ content: page('<link rel="canonical" href="https://en.wikipedia.org/wiki/Pacific_Ocean">', body), name: '"p.html"' });
    expect(a.html).toContain('href="#gloss-ref-Geography"');
  });

  it('is a fixed point when read back (restore), ids and links unchanged', () => {
    expect(resanitizeStoredHtml(article.html, article.text, article.source)).toBe(article.html);
  });
});

describe('images of a saved page', () => {
  const png = makePng(40, 30);
  const dataUrl = `data:image/png;base64,${png.toString('base64')}`;
  const body = (imgs: string): string => BODY.replace('<h2 id="Geography">', `<figure>${imgs}<figcaption>A map of the ocean</figcaption></figure><h2 id="Geography">`);

  it('stores data: images, with their size, lazily loaded, and the text is the same as without them', () => {
    const html = page('', body(`<img src="${dataUrl}" alt="map">`));
    const collector = new ImageCollector();
    const withImages = importHtml({ content: html, name: '"p.html"', images: collector });
    const without = importHtml({ content: html, name: '"p.html"' });
    const [stored] = withImages.images!.images;
    expect(stored).toMatchObject({ type: 'image/png', width: 40, height: 30 });
    expect(withImages.html).toContain(`src="gloss-image:${stored.name}"`);
    expect(withImages.html).toMatch(/width="40" height="30" loading="lazy"|loading="lazy"[^>]*width="40"/);
    expect(withImages.html).not.toContain('data:image');
    expect(withImages.text).toBe(without.text);
    expect(withImages.images!.report).toEqual({ stored: 1, refused: {} });
    // Read back, the stored reference stays (and nothing else changes).
    expect(resanitizeStoredHtml(withImages.html, withImages.text, withImages.source)).toBe(withImages.html);
  });

  it('stores the files of its _files folder, by path or by a unique name, and counts what is not an image', () => {
    const html = page(
      '<link rel="canonical" href="https://en.wikipedia.org/wiki/Pacific_Ocean">',
      body(
        '<img src="./Pacific%20Ocean_files/map.png" alt="a"><img src="Pacific Ocean_files/pixel.gif" alt="b">' +
          '<img src="file:///C:/Users/me/Desktop/Pacific%20Ocean_files/fake.png" alt="c"><img src="https://upload.example/remote.jpg" alt="d">',
      ),
    );
    const article = parseArticleContent({
      kind: 'request',
      request: {
        format: 'html',
        content: html,
        attachments: [
          { name: 'Pacific Ocean_files/map.png', contentBase64: png.toString('base64') },
          { name: 'pixel.gif', contentBase64: GIF_1X1.toString('base64') },
          { name: 'Pacific Ocean_files/fake.png', contentBase64: Buffer.from('<script>nope</script>').toString('base64') },
        ],
      },
    });
    expect(article.images!.images.map((i) => i.type).sort()).toEqual(['image/gif', 'image/png']);
    expect(article.images!.report).toEqual({ stored: 2, refused: { 'not-an-image': 1 } });
    // A remote image of a saved file is not fetched: it stays deferred (the reader's consent), and is listed as wanted.
    expect(article.html).toContain('data-src="https://upload.example/remote.jpg"');
    expect(article.images!.wanted).toEqual(['https://upload.example/remote.jpg']);
  });

  it('drops a page\'s own gloss-image: reference (it may not point at another article\'s images)', () => {
    const a = importHtml({ content: page('', body(`<img src="gloss-image:${'a'.repeat(64)}.png" alt="x">`)), name: '"p.html"', images: new ImageCollector() });
    expect(a.html).not.toContain('gloss-image:');
  });
});
