import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { JSDOM } from 'jsdom';
import { parseHTML } from 'linkedom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTP_STATUS, LIMITS, type ImportRequest } from '../../electron/contract';
import { GlossError } from '../../electron/notebook/errors';
import { LOOPBACK_RANGES } from '../../electron/notebook/import/address-policy';
import {
  decodeHtmlBytes,
  decodeTextBytes,
  importArticleContent,
  importHtml,
  type ImportedArticle,
  type ImportOptions,
} from '../../electron/notebook/import';
import { buildTextModel, canonicalizePlainText, normalizeWhitespace } from '../../electron/text-model';

// tests/unit -> repo root (/work/main) -> its parent holds shared/fixtures.
const FIXTURES = path.resolve(__dirname, '../../../shared/fixtures');
const fixture = (...p: string[]): string => path.join(FIXTURES, ...p);
const readFixture = (...p: string[]): string => fs.readFileSync(fixture(...p), 'utf8');

/* ------------------------------------------------------------------------------------------------ helpers */

// The test's own jsdom document (standards mode, like the renderer's page), separate from the importer's.
const readerDocument = new JSDOM('<!DOCTYPE html><html><head></head><body></body></html>').window.document;

/** Parses `html` into a new <article>, as the reader does with innerHTML. */
function jsdomArticle(html: string): HTMLElement {
  const article = readerDocument.createElement('article');
  article.innerHTML = html;
  return article;
}

/** The same through linkedom (htmlparser2), a second, independent parser. */
function linkedomArticle(html: string): HTMLElement {
  const { document } = parseHTML(`<!DOCTYPE html><html><head></head><body><article>${html}</article></body></html>`);
  return document.querySelector('article') as unknown as HTMLElement;
}

/** THE invariant: the stored html, parsed afresh, yields exactly the stored text; and it is already normalized. */
function expectInvariant(a: { text: string; html: string }, label = ''): void {
  const viaJsdom = jsdomArticle(a.html);
  expect(buildTextModel(viaJsdom).text, `jsdom text model ${label}`).toBe(a.text);
  expect(buildTextModel(linkedomArticle(a.html)).text, `linkedom text model ${label}`).toBe(a.text);
  normalizeWhitespace(viaJsdom);
  expect(viaJsdom.innerHTML, `html is a fixed point of normalizeWhitespace ${label}`).toBe(a.html);
}

const FORBIDDEN_TAGS = new Set([
  'SCRIPT', 'IFRAME', 'FRAME', 'FRAMESET', 'OBJECT', 'EMBED', 'APPLET', 'FORM', 'INPUT', 'BUTTON', 'SELECT', 'TEXTAREA',
  'STYLE', 'LINK', 'META', 'BASE', 'SVG', 'MATH', 'NOSCRIPT', 'TEMPLATE',
]);
const LOADING_ATTRS = new Set(['src', 'srcset', 'poster', 'background', 'style', 'action', 'formaction', 'srcdoc', 'ping', 'xlink:href', 'data', 'codebase']);

/** Returns the problems found; [] when the html is safe by Gloss's rules. */
function safetyProblems(html: string): string[] {
  const problems: string[] = [];
  if (/<script/i.test(html)) problems.push('<script in html');
  const root = jsdomArticle(html);
  for (const el of Array.from(root.querySelectorAll('*'))) {
    const tag = el.tagName.toUpperCase();
    if (FORBIDDEN_TAGS.has(tag)) problems.push(`<${tag.toLowerCase()}> element`);
    for (const attr of Array.from(el.attributes)) {
      const name = attr.name.toLowerCase();
      // Browsers ignore whitespace and control characters inside a URL scheme ("java\tscript:"): so does this check.
      // eslint-disable-next-line no-control-regex
      const value = attr.value.replace(/[\s\u0000-\u001f]+/g, '').toLowerCase();
      if (name.startsWith('on')) problems.push(`${name} handler on <${tag}>`);
      // A stored image (issue 17) is the one src allowed: a notebook reference the reader maps to its own origin.
      const storedImage = tag === 'IMG' && name === 'src' && /^gloss-image:[0-9a-f]{64}\.(?:png|jpg|gif|webp|avif|svg)$/.test(value);
      if (LOADING_ATTRS.has(name) && !storedImage) problems.push(`${name} attribute on <${tag}>`);
      if (/^(?:java|vb)script:/.test(value) || value.includes('javascript:')) problems.push(`javascript: URL in ${name}`);
      // In-document links (footnotes, sections: issue 17) point at the prefixed ids.
      if (name === 'href' && !((tag === 'A' || tag === 'AREA') && /^(?:https?:|mailto:|#gloss-ref-)/.test(value))) problems.push(`href ${value} on <${tag}>`);
      if (name === 'id' && !value.startsWith('gloss-ref-')) problems.push(`id ${value} on <${tag}> (not prefixed)`);
      if ((name === 'data-src' || name === 'data-poster') && !/^(?:https?:|data:image\/)/.test(value)) problems.push(`${name}=${value}`);
      if (name === 'data-srcset' && value.split(/,(?=https?:)/).some((c) => !/^https?:/.test(c))) problems.push(`data-srcset=${value}`);
    }
  }
  return problems;
}

async function expectRefused(p: Promise<unknown>, code: 'invalid_input' | 'too_large', ...inMessage: (string | RegExp)[]): Promise<GlossError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, 'expected a GlossError').toBeInstanceOf(GlossError);
  const g = err as GlossError;
  expect(g.code).toBe(code);
  for (const m of inMessage) expect(g.message).toMatch(m);
  return g;
}

const words = (s: string): string[] => s.split(/\s+/).filter(Boolean);

/** Bag-of-words recall and precision of `got` against `expected`. */
function recallPrecision(got: string, expected: string): { recall: number; precision: number } {
  const bag = new Map<string, number>();
  for (const w of words(expected)) bag.set(w, (bag.get(w) ?? 0) + 1);
  const gotWords = words(got);
  let common = 0;
  for (const w of gotWords) {
    const n = bag.get(w) ?? 0;
    if (n > 0) {
      common++;
      bag.set(w, n - 1);
    }
  }
  const expectedCount = words(expected).length;
  return { recall: expectedCount ? common / expectedCount : 1, precision: gotWords.length ? common / gotWords.length : 0 };
}

/* ------------------------------------------------------------------------------------------------ fixtures */

it('finds the shared fixtures from tests/unit', () => {
  expect(fs.existsSync(fixture('readability', 'rtl-1', 'source.html'))).toBe(true);
});

/* ------------------------------------------------------------------------------------------------ html */

describe('html: Mozilla Readability test pages', () => {
  const root = fixture('readability');
  const pages = fs.readdirSync(root).filter((d) => fs.existsSync(path.join(root, d, 'source.html')));
  const SOURCE = 'http://fakehost/test/page.html';
  const results = new Map<string, ImportedArticle>();

  beforeAll(async () => {
    for (const page of pages) {
      results.set(page, await importArticleContent({ format: 'html', content: readFixture('readability', page, 'source.html'), source: SOURCE }, { fileName: `${page}.html` }));
    }
  });

  it('has the 15 pages', () => expect(pages.length).toBe(15));

  it('extracts the article text and title on at least 90% of pages', () => {
    const rows: string[] = [];
    let good = 0;
    for (const page of pages) {
      const a = results.get(page)!;
      const expectedText = new JSDOM(readFixture('readability', page, 'expected.html')).window.document.body.textContent ?? '';
      const meta = JSON.parse(readFixture('readability', page, 'expected-metadata.json')) as { title: string };
      const { recall, precision } = recallPrecision(a.text, expectedText.replace(/\s+/g, ' ').trim());
      const titleOk = a.title === meta.title;
      const ok = recall >= 0.9 && precision >= 0.8 && titleOk;
      if (ok) good++;
      rows.push(`${ok ? 'ok  ' : 'FAIL'} ${page.padEnd(22)} recall ${recall.toFixed(3)}  precision ${precision.toFixed(3)}  title ${titleOk ? 'ok' : `"${a.title}" != "${meta.title}"`}`);
    }
    console.log(`Readability pages: ${good}/${pages.length} pass\n${rows.join('\n')}`);
    expect(good / pages.length).toBeGreaterThanOrEqual(0.9);
  });

  it('keeps the text-model invariant and is safe on every page', () => {
    for (const page of pages) {
      const a = results.get(page)!;
      expect(a.text.length, page).toBeGreaterThan(0);
      expectInvariant(a, page);
      expect(safetyProblems(a.html), page).toEqual([]);
      expect(a.source).toBe(SOURCE);
    }
  });

  it('reports language, direction and byline from the page', () => {
    for (const page of pages) {
      const a = results.get(page)!;
      const meta = JSON.parse(readFixture('readability', page, 'expected-metadata.json')) as { lang?: string | null; dir?: string | null; byline?: string | null };
      expect(a.lang ?? null, `${page} lang`).toBe(meta.lang ?? null);
      expect(a.dir ?? null, `${page} dir`).toBe(meta.dir ?? null);
    }
    expect(results.get('rtl-1')!.dir).toBe('rtl');
    expect(results.get('lemonde-1')!.byline).toBe('Martin Untersinger (avec Damien Leloup et Morgane Tual)');
  });

  it('keeps rtl direction and language together', async () => {
    const src = readFixture('readability', 'rtl-1', 'source.html').replace('<html dir="rtl">', '<html dir="rtl" lang="he">');
    const a = await importArticleContent({ format: 'html', content: src });
    expect(a.dir).toBe('rtl');
    expect(a.lang).toBe('he');
  });

  it('resolves links against the source, marks them, and defers images', () => {
    const a = results.get('wikipedia')!;
    const doc = jsdomArticle(a.html);
    const links = Array.from(doc.querySelectorAll('a[href]'));
    expect(links.length).toBeGreaterThan(50);
    for (const l of links) {
      if (l.getAttribute('href')!.startsWith('#gloss-ref-')) {
        // A footnote or section link stays in the document (issue 17) and its target is there.
        expect(doc.querySelector(`[id="${l.getAttribute('href')!.slice(1)}"]`), l.getAttribute('href')!).not.toBeNull();
        continue;
      }
      expect(l.getAttribute('href')).toMatch(/^(?:https?:|mailto:)/);
      expect(l.getAttribute('rel')).toBe('noopener noreferrer nofollow');
    }
    expect(links.some((l) => l.getAttribute('href')!.startsWith('#gloss-ref-cite_note'))).toBe(true);
    expect(links.some((l) => l.getAttribute('href')!.startsWith('http://fakehost/'))).toBe(true);
    const images = Array.from(doc.querySelectorAll('img'));
    expect(images.length).toBeGreaterThan(0);
    expect(images.every((img) => !img.hasAttribute('src') && !img.hasAttribute('srcset'))).toBe(true);
    expect(images.some((img) => /^https?:/.test(img.getAttribute('data-src') ?? ''))).toBe(true);
    // data: images are stored with the article (issue 17); data-url-image is the page that has them.
    expect(results.get('data-url-image')!.html).toMatch(/src="gloss-image:[0-9a-f]{64}\.\w+"/);
    expect(results.get('data-url-image')!.html).not.toMatch(/data:image\//);
  });

  it('drops javascript: links but keeps their text', () => {
    const a = results.get('js-link-replacement')!;
    expect(a.html).not.toMatch(/javascript:/i);
    expect(a.text).toBe('abc\n\ndef\n\nghi');
  });
});

/* ------------------------------------------------------------------------------------------------ xss */

describe('html: DOMPurify vectors inside an ordinary article', () => {
  const vectors = JSON.parse(readFixture('xss', 'dompurify-vectors.json')) as Array<{ title: string; payload: string }>;
  const paragraphs = canonicalizePlainText(readFixture('sample-article.txt')).split('\n\n').slice(1, 7);
  const page = (i: number, payload: string): string =>
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Vector ${i}</title></head><body><main><article>` +
    `<h1>Vector ${i}</h1><p>${paragraphs[0]}</p><p>${paragraphs[1]}</p><div>${payload}</div><p>${paragraphs[2]}</p>` +
    `<p>${paragraphs[3]}</p><p>${paragraphs[4]}</p></article></main></body></html>`;

  it('has 112 vectors', () => expect(vectors.length).toBe(112));

  it('imports each safely (invariant intact) or refuses it with a 4xx GlossError', async () => {
    let imported = 0;
    const failures: string[] = [];
    for (const [i, v] of vectors.entries()) {
      try {
        const a = await importArticleContent({ format: 'html', content: page(i, v.payload) }, { fileName: `vector-${i}.html` });
        imported++;
        const problems = safetyProblems(a.html);
        if (problems.length) failures.push(`#${i} ${v.title}: ${problems.join('; ')}`);
        expectInvariant(a, `vector #${i} ${v.title}`);
        // Readability really found the wrapping article. (Only text before the payload: an unclosed <style>, <option>
        // or <math> in a payload swallows the rest of the page at parse time, as it would in any browser.)
        expect(a.text, `vector #${i}`).toContain(paragraphs[1]);
      } catch (err) {
        if (!(err instanceof GlossError) || HTTP_STATUS[err.code] < 400 || HTTP_STATUS[err.code] >= 500) {
          failures.push(`#${i} ${v.title}: threw ${String(err)}`);
        }
      }
    }
    console.log(`XSS vectors: ${imported}/${vectors.length} imported, ${vectors.length - imported} refused`);
    expect(failures).toEqual([]);
    expect(imported).toBeGreaterThan(vectors.length * 0.9);
  });

  it('the safety check itself catches what it should (so the test above can fail)', () => {
    expect(safetyProblems('<p onclick="x()">a</p>')).not.toEqual([]);
    expect(safetyProblems('<a href="javascript:alert(1)">a</a>')).not.toEqual([]);
    expect(safetyProblems('<img src="http://x/y.png">')).not.toEqual([]);
    expect(safetyProblems('<iframe></iframe>')).not.toEqual([]);
    expect(safetyProblems('<p>javascript: is just text here</p><a href="https://x.org" rel="noopener">x</a>')).toEqual([]);
  });
});

/* ------------------------------------------------------------------------------------------------ charset */

// The WHATWG index for windows-1252 bytes 0x80-0x9F, written out here because Node's own decoder gets it wrong.
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

/** An encoder built from TextDecoder's tables (Node has no legacy TextEncoder); unmappable chars become &#N;. */
function legacyEncoder(label: string, twoByte: boolean): (s: string) => Uint8Array {
  const table = new Map<string, number[]>();
  const dec = new TextDecoder(label);
  for (let b = 0; b < 0x100; b++) {
    const c = label === 'windows-1252' && b >= 0x80 && b < 0xa0 ? CP1252_HIGH[b - 0x80] : dec.decode(new Uint8Array([b]));
    if (c.length === 1 && c !== '\uFFFD' && !table.has(c)) table.set(c, [b]);
  }
  if (twoByte) {
    for (let lead = 0x81; lead <= 0xfc; lead++) {
      for (let trail = 0x40; trail <= 0xfc; trail++) {
        const c = dec.decode(new Uint8Array([lead, trail]));
        if (c.length === 1 && c !== '\uFFFD' && !table.has(c)) table.set(c, [lead, trail]);
      }
    }
  }
  return (s) => {
    const out: number[] = [];
    for (const ch of s) {
      const bytes = table.get(ch);
      if (bytes) out.push(...bytes);
      else for (const b of Buffer.from(`&#${ch.codePointAt(0)};`, 'latin1')) out.push(b);
    }
    return new Uint8Array(out);
  };
}

describe('charset', () => {
  const toCp1252 = legacyEncoder('windows-1252', false);
  const toSjis = legacyEncoder('shift_jis', true);

  it('decodes a windows-1252 page from its <meta http-equiv> (Le Monde, re-encoded)', async () => {
    const utf8 = readFixture('readability', 'lemonde-1', 'source.html');
    const legacy = utf8.replace(/<meta[^>]*charset[^>]*>/gi, '').replace('<head>', '<head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">');
    const bytes = toCp1252(legacy);
    expect(bytes.includes(0xe9)).toBe(true); // é as one windows-1252 byte: the bytes really are legacy
    expect(bytes.includes(0x92)).toBe(true); // ’ is 0x92, a byte Node's own decoder gets wrong
    const viaBytes = importHtml({ content: bytes, name: '"lemonde.html"' });
    const viaString = await importArticleContent({ format: 'html', content: utf8 });
    expect(viaBytes.text).toBe(viaString.text);
    expect(viaBytes.text).toContain('députés');
    expectInvariant(viaBytes);
    expect(decodeHtmlBytes(bytes)).toContain('Assemblée');
  });

  it('decodes a Shift_JIS page from <meta charset>', () => {
    // Natsume Soseki, 吾輩は猫である (1905), public domain.
    const body = '吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。何でも薄暗いじめじめした所でニャーニャー泣いていた事だけは記憶している。';
    const html = `<!DOCTYPE html><html lang="ja"><head><meta charset="Shift_JIS"><title>吾輩は猫である</title></head><body><article><h1>吾輩は猫である</h1>${`<p>${body}</p>`.repeat(6)}</article></body></html>`;
    const bytes = toSjis(html);
    expect(Buffer.from(bytes).includes(Buffer.from(body, 'utf8'))).toBe(false);
    expect(decodeHtmlBytes(bytes)).toBe(html);
    const a = importHtml({ content: bytes, name: '"neko.html"' });
    expect(a.title).toBe('吾輩は猫である');
    expect(a.lang).toBe('ja');
    expect(a.text).toContain(body);
    expectInvariant(a);
  });

  it('lets a UTF-8 BOM win over <meta charset> and the Content-Type header beat <meta>', () => {
    const html = '<html><head><meta charset="windows-1252"></head><body><p>café “quoted” – naïve €</p></body></html>';
    const utf8 = new TextEncoder().encode(html);
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8]);
    expect(decodeHtmlBytes(withBom)).toBe(html);
    expect(decodeHtmlBytes(utf8)).not.toBe(html); // without the BOM the meta is obeyed: mojibake
    expect(decodeHtmlBytes(utf8, 'text/html; charset=UTF-8')).toBe(html);
    expect(decodeHtmlBytes(toCp1252(html))).toBe(html);
  });

  it('falls back to windows-1252 for undeclared bytes that are not UTF-8, and UTF-8 otherwise', () => {
    expect(decodeTextBytes(toCp1252('naïve café'))).toBe('naïve café');
    expect(decodeTextBytes(new Uint8Array([0x93, 0x80, 0x35, 0x94, 0x20, 0x96, 0x20, 0x99]))).toBe('“€5” – ™');
    expect(decodeTextBytes(new TextEncoder().encode('naïve café 吾輩'))).toBe('naïve café 吾輩');
  });

  it('refuses undecodable and binary bytes, naming the file', () => {
    const garbage = new Uint8Array(4000).map((_, i) => 0x80 + (i % 64));
    expect(() => decodeHtmlBytes(garbage, 'text/html; charset=utf-8', 'junk.html')).toThrow(/"junk\.html".*could not be decoded as utf-8/);
    const png = fs.readFileSync(path.resolve(__dirname, '../../node_modules/@mozilla/readability/package.json')); // text, sanity
    expect(() => decodeTextBytes(png)).not.toThrow();
    const binary = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
    expect(() => decodeTextBytes(binary, undefined, 'photo.png')).toThrow(/"photo\.png".*binary/);
  });
});

/* ------------------------------------------------------------------------------------------------ markdown */

describe('markdown', () => {
  const md = (content: string, extra: Partial<ImportRequest> = {}, options: ImportOptions = {}): Promise<ImportedArticle> =>
    importArticleContent({ format: 'markdown', content, ...extra }, options);

  it('takes the title from frontmatter and strips the frontmatter', async () => {
    const a = await md('---\ntitle: "Notes on *Readability*"\nauthor: [Ada, Grace]\ndate: 2024-05-01\n---\n# A heading\n\nBody text.\n');
    expect(a.title).toBe('Notes on *Readability*');
    expect(a.byline).toBe('Ada, Grace');
    expect(a.text).toBe('A heading\n\nBody text.');
    expect(a.html).not.toContain('title:');
    expectInvariant(a);
  });

  it('reads YAML-ish frontmatter that is not valid YAML', async () => {
    const a = await md('---\ntitle: Colons: everywhere: here\nfoo: [unclosed\n---\nText.\n');
    expect(a.title).toBe('Colons: everywhere: here');
    expect(a.text).toBe('Text.');
  });

  it('falls back to the first heading, then the given title, then the first line', async () => {
    expect((await md('Intro para.\n\n## Second-level *title*\n\nMore.', { title: 'Given' })).title).toBe('Second-level title');
    expect((await md('Just a paragraph\nwrapped.\n\nAnother.', { title: 'Given' })).title).toBe('Given');
    expect((await md('Just a paragraph\nwrapped.\n\nAnother.')).title).toBe('Just a paragraph wrapped.');
  });

  it('renders headings, lists and code with the right text', async () => {
    const a = await md('# Title\n\n- one\n- two\n  - nested\n\n1. first\n2. second\n\n```js\nconst x = 1;\n\n  return   x;\n```\n\nInline `code` and **bold**.\n');
    expect(a.text).toBe('Title\n\none\n\ntwo\n\nnested\n\nfirst\n\nsecond\n\nconst x = 1;\n\n  return   x;\n\nInline code and bold.');
    expect(a.html).toContain('<pre><code class="language-js">');
    expectInvariant(a);
  });

  it('sanitizes inline HTML and dangerous links', async () => {
    const a = await md(
      '# Hi\n\n<script>alert(1)</script>\n\nText <img src="https://e.x/a.png" onerror="alert(1)"> and <a href="javascript:alert(1)">js</a> ' +
        'and [md link](javascript:alert(2)) and [ok](https://example.org/) <iframe src="https://e.x"></iframe>\n\n<style>p{}</style>\n\n<form><input value=x>after form</form>\n',
    );
    expect(safetyProblems(a.html)).toEqual([]);
    expect(a.html).toContain('href="https://example.org/"');
    expect(a.html).toContain('data-src="https://e.x/a.png"');
    expect(a.text).not.toContain('alert(1)');
    // markdown-it refuses the javascript: link target and leaves the source as text: harmless.
    expect(a.text).toContain('[md link](javascript:alert(2))');
    expect(a.text).toContain('after form');
    expectInvariant(a);
  });

  it('keeps the invariant and safety across the CommonMark 0.31.2 examples', async () => {
    const examples = JSON.parse(readFixture('commonmark', 'spec-0.31.2.json')) as Array<{ markdown: string; example: number }>;
    let produced = 0;
    for (const ex of examples) {
      let a: ImportedArticle;
      try {
        a = await md(ex.markdown, {}, { fileName: `example-${ex.example}.md` });
      } catch (err) {
        expect(err, `example ${ex.example}`).toBeInstanceOf(GlossError);
        expect((err as GlossError).code).toBe('invalid_input');
        continue;
      }
      produced++;
      expectInvariant(a, `example ${ex.example}`);
      expect(safetyProblems(a.html), `example ${ex.example}`).toEqual([]);
    }
    console.log(`CommonMark: ${produced}/${examples.length} examples produced text`);
    expect(produced).toBeGreaterThan(examples.length * 0.8);
  });
});

/* ------------------------------------------------------------------------------------------------ text */

describe('plain text', () => {
  it('imports the sample article: first line is the title, paragraphs kept', async () => {
    const raw = readFixture('sample-article.txt');
    const a = await importArticleContent({ format: 'text', content: raw });
    const firstLine = raw.split('\n', 1)[0].trim();
    expect(a.title).toBe(firstLine);
    expect(a.text.startsWith(firstLine)).toBe(false);
    const blocks = raw.split(/\n\s*\n/).filter((b) => b.trim());
    expect(a.text.split('\n\n').length).toBe(blocks.length - 1);
    expect(a.text).not.toMatch(/\n{3,}|\r/);
    expect(a.html.startsWith('<p>')).toBe(true);
    expectInvariant(a);
  });

  it('an explicit title keeps the first paragraph in the body', async () => {
    const a = await importArticleContent({ format: 'text', content: 'One <two> & three\n\nFour', title: 'Mine' });
    expect(a).toMatchObject({ title: 'Mine', text: 'One <two> & three\n\nFour', html: '<p>One &lt;two&gt; &amp; three</p><p>Four</p>' });
  });

  it('imports Moby-Dick (UTF-8 BOM, CRLF): BOM gone, no CR, one blank line between paragraphs', async () => {
    const raw = readFixture('long', 'moby-dick-2701-0.utf8-bom-crlf.txt');
    expect(raw.charCodeAt(0)).toBe(0xfeff);
    expect(raw).toContain('\r\n');
    const a = await importArticleContent({ format: 'text', content: raw }, { fileName: 'moby-dick.txt' });
    expect(a.title).toBe('The Project Gutenberg EBook of Moby Dick; or The Whale, by Herman Melville');
    expect(a.text.charCodeAt(0)).not.toBe(0xfeff);
    expect(a.text).not.toContain('\r');
    for (const p of a.text.split('\n\n')) expect(p.length > 0 && !p.includes('\n')).toBe(true);
    expect(a.text).toContain('Call me Ishmael. Some years ago—never mind how long precisely—having little or no money in my purse');
    expect(words(a.text).length).toBeGreaterThan(200_000);
    expectInvariant(a);
  });
});

/* ------------------------------------------------------------------------------------------------ bad input */

describe('bad input', () => {
  const article = `<html><head><title>T</title></head><body><article>${'<p>Some real words in a paragraph, enough of them to count as prose for Readability, repeated a few times over.</p>'.repeat(8)}</article></body></html>`;

  it('refuses empty content, naming the file', async () => {
    await expectRefused(importArticleContent({ format: 'text', content: '' }, { fileName: 'empty.txt' }), 'invalid_input', /"empty\.txt"/, /empty/);
    await expectRefused(importArticleContent({ format: 'markdown', content: '\uFEFF \n\n\t' }, { fileName: 'blank.md' }), 'invalid_input', /"blank\.md"/, /empty/);
    await expectRefused(importArticleContent({ format: 'html', content: '   ' , title: 'Blank page' }), 'invalid_input', /"Blank page"/, /empty/);
    await expectRefused(importArticleContent({ format: 'html' }, { fileName: 'x.html' }), 'invalid_input', /"x\.html"/, /no content/);
  });

  it('refuses binary content', async () => {
    const png = '\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR\u0000\u0000\u0001\u0000';
    await expectRefused(importArticleContent({ format: 'text', content: png }, { fileName: 'photo.png' }), 'invalid_input', /"photo\.png"/, /binary/);
    await expectRefused(importArticleContent({ format: 'html', content: `<p>${'\uFFFD'.repeat(500)}</p>` }, { fileName: 'mangled.html' }), 'invalid_input', /"mangled\.html"/, /decoded/);
  });

  it('refuses an unsupported format', async () => {
    await expectRefused(importArticleContent({ format: 'pdf' as never, content: 'x' }, { fileName: 'paper.pdf' }), 'invalid_input', /"paper\.pdf"/, /"pdf" is not supported/);
  });

  it('refuses content over the size limit with too_large', async () => {
    await expectRefused(importArticleContent({ format: 'text', content: 'a'.repeat(LIMITS.maxImportBytes + 1) }, { fileName: 'huge.txt' }), 'too_large', /"huge\.txt"/, /15 MB/);
    // Under the limit in UTF-16 units, over it in UTF-8 bytes.
    await expectRefused(importArticleContent({ format: 'text', content: 'é'.repeat(600) }, { fileName: 'accents.txt', maxBytes: 1000 }), 'too_large', /"accents\.txt"/);
    await expect(importArticleContent({ format: 'text', content: 'é'.repeat(400) }, { maxBytes: 1000 })).resolves.toBeTruthy();
  });

  it('refuses a page with no readable article', async () => {
    await expectRefused(
      importArticleContent({ format: 'html', content: '<html><head><title>Nothing</title></head><body><script>x()</script><img src=a.png></body></html>' }, { fileName: 'nothing.html' }),
      'invalid_input',
      'No readable article found in "nothing.html"',
    );
  });

  it('imports the same article when it is fine (the refusals above are not blanket)', async () => {
    const a = await importArticleContent({ format: 'html', content: article }, { fileName: 'ok.html' });
    expect(a.title).toBe('T');
    expectInvariant(a);
  });
});

/* ------------------------------------------------------------------------------------------------ url */

describe('url', () => {
  let server: http.Server;
  let base = '';
  const page = readFixture('readability', 'rtl-1', 'source.html');
  const calls: string[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      calls.push(`${base}${req.url}`);
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const hop = /^\/hop(\d+)$/.exec(url.pathname);
      if (hop) {
        const n = Number(hop[1]);
        res.writeHead(n % 2 ? 302 : 301, { location: n > 1 ? `/hop${n - 1}` : '/article.html' }).end();
      } else if (url.pathname === '/article.html') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
      } else if (url.pathname === '/notes.txt') {
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(readFixture('sample-article.txt'));
      } else if (url.pathname === '/big') {
        // Chunked, no Content-Length: the cap must be enforced while streaming.
        res.writeHead(200, { 'content-type': 'text/html' });
        const chunk = `<p>${'x'.repeat(8190)}</p>\n`;
        let sent = 0;
        const pump = (): void => {
          while (sent < 200 && res.write(chunk)) sent++;
          if (sent >= 200) res.end();
          else res.once('drain', pump);
        };
        pump();
      } else if (url.pathname === '/big-declared') {
        res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(10 * 1024 * 1024) });
        res.write('<p>');
      } else if (url.pathname === '/slow') {
        setTimeout(() => res.writeHead(200, { 'content-type': 'text/html' }).end(page), 5_000).unref();
      } else if (url.pathname === '/to-file') {
        res.writeHead(302, { location: 'file:///etc/passwd' }).end();
      } else if (url.pathname === '/image.png') {
        res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const fromUrl = (url: string, options: ImportOptions = {}): Promise<ImportedArticle> => importArticleContent({ format: 'url', url }, { allowPrivateRanges: LOOPBACK_RANGES, ...options });

  it('fetches an html page; source is the URL', async () => {
    const a = await fromUrl(`${base}/article.html`);
    expect(a.title).toBe('RTL Test');
    expect(a.dir).toBe('rtl');
    expect(a.source).toBe(`${base}/article.html`);
    expectInvariant(a);
  });

  it('fetches plain text through the text importer', async () => {
    const a = await fromUrl(`${base}/notes.txt`);
    const raw = readFixture('sample-article.txt');
    expect(a.title).toBe(raw.split('\n', 1)[0].trim());
    expect(a.html.startsWith('<p>')).toBe(true);
    expectInvariant(a);
  });

  it('follows a chain of 3 redirects hop by hop; source is the final URL', async () => {
    calls.length = 0;
    const a = await fromUrl(`${base}/hop3`);
    expect(a.source).toBe(`${base}/article.html`);
    expect(calls).toEqual([`${base}/hop3`, `${base}/hop2`, `${base}/hop1`, `${base}/article.html`]);
  });

  it('refuses a chain of 6 redirects (5 are allowed)', async () => {
    await expect(fromUrl(`${base}/hop5`)).resolves.toMatchObject({ source: `${base}/article.html` });
    await expectRefused(fromUrl(`${base}/hop6`), 'invalid_input', /hop6/, /redirects more than 5 times/);
  });

  it('refuses a body over the cap, streamed or declared', async () => {
    await expectRefused(fromUrl(`${base}/big`, { maxBytes: 256 * 1024 }), 'too_large', /\/big"/);
    await expectRefused(fromUrl(`${base}/big-declared`, { maxBytes: 256 * 1024 }), 'too_large', /big-declared/);
  });

  it('times out a slow server', async () => {
    const started = Date.now();
    await expectRefused(fromUrl(`${base}/slow`, { timeoutMs: 200 }), 'invalid_input', /\/slow"/, /did not answer within 0\.2 s/);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('refuses other schemes, naming them, including via a redirect', async () => {
    await expectRefused(fromUrl('ftp://example.com/file.html'), 'invalid_input', /ftp:/);
    await expectRefused(fromUrl('file:///etc/passwd'), 'invalid_input', /file:/);
    await expectRefused(fromUrl(`${base}/to-file`), 'invalid_input', /not file:/);
    await expectRefused(fromUrl('not a url'), 'invalid_input', /not a valid web address/);
  });

  it('refuses non-text content types and error statuses', async () => {
    await expectRefused(fromUrl(`${base}/image.png`), 'invalid_input', /image\/png/);
    await expectRefused(fromUrl(`${base}/missing`), 'invalid_input', /404/);
  });
});
