/**
 * Issue 13 item 4 at the unit level: the CSS reference check every sanitizer uses, the importer's sanitizer on hostile
 * attributes, the same sanitizer re-run on HTML that comes back from a backup, and consent never taken from a file.
 */
import { describe, expect, it } from 'vitest';
import type { Article } from '../../electron/contract';
import { decodeCssEscapes, referencesResource } from '../../electron/css-references';
import { planArticleRestore } from '../../electron/notebook/export/restore';
import { importHtml } from '../../electron/notebook/import/html';
import { resanitizeStoredHtml, sanitizeArticleHtml } from '../../electron/notebook/import/sanitize';

const R = 'https://tracker.example/p.png';

describe('referencesResource: CSS as a tokenizer reads it', () => {
  const remote = [
    `url(${R})`,
    `URL(${R})`,
    `Url( "${R}" )`,
    `\\75rl(${R})`,
    `\\000075rl(${R})`,
    `\\75 rl(${R})`,
    `\\75\trl(${R})`,
    `\\55 RL(${R})`,
    `\\55\\52\\4c(${R})`,
    `u\\rl(${R})`,
    `u\\72l(${R})`,
    `\\u\\r\\l(${R})`,
    `u/**/rl(${R})`,
    `/* hi */url(${R})`,
    `u/* a comment with url in it */rl(${R})`,
    `u\\\nrl(${R})`,
    `u\\\r\nrl(${R})`,
    `red url(${R}) no-repeat`,
    `#clip, url(${R})`,
    `image-set("${R}" 1x)`,
    `-webkit-image-set(url(${R}) 1x)`,
    `\\69mage-set("${R}" 1x)`,
    `image("${R}")`,
    `cross-fade(url(a.png), url(b.png))`,
    `element(#x)`,
    `src("${R}")`,
    `@import "${R}";`,
    `@\\69mport "${R}";`,
    `@IMPORT url(${R});`,
    `expression(alert(1))`,
    `paint(worklet)`,
  ];
  it.each(remote)('%s names a resource', (value) => expect(referencesResource(value)).toBe(true));

  const harmless = ['red', '#fragment', 'none', '10px 20px', 'The image (left) shows the quay', 'a (b) c', 'mail@example.org', 'rl(x)', 'uurl', ''];
  it.each(harmless)('%j does not', (value) => expect(referencesResource(value)).toBe(false));

  it('decodes escapes as CSS does: code points, one white space eaten, line continuations, bad code points', () => {
    expect(decodeCssEscapes('\\75 rl')).toBe('url');
    expect(decodeCssEscapes('\\000075rl')).toBe('url');
    expect(decodeCssEscapes('\\0')).toBe('\uFFFD');
    expect(decodeCssEscapes('\\d800x')).toBe('\uFFFDx');
    expect(decodeCssEscapes('\\110000')).toBe('\uFFFD');
    expect(decodeCssEscapes('a\\\nb')).toBe('ab');
    expect(decodeCssEscapes('a/* c */b/* open')).toBe('ab');
    expect(decodeCssEscapes('\\1F600 !')).toBe('😀!');
  });
});

describe('the importer\'s sanitizer drops every attribute that names a resource, however escaped', () => {
  it('on HTML elements (titles, data-*, anything) and SVG is gone whole', () => {
    const dirty = [
      `<p title="\\75rl(${R})" class="u/**/rl(${R})" lang="en">Kept text.</p>`,
      `<svg><rect fill="\\75rl(${R})"/><use href="${R}"/><image href="${R}"/><filter><feImage href="${R}"/></filter><text>svg text</text></svg>`,
      `<p><img src="${R}" alt="\\000075rl(${R})"></p>`,
    ].join('');
    const { html, text } = sanitizeArticleHtml(dirty, 'https://paper.example/');
    expect(html).toBe(`<p lang="en">Kept text.</p><p><img data-src="${R}"></p>`);
    expect(text).toBe('Kept text.');
  });
});

describe('resanitizeStoredHtml: a backup\'s HTML through the import sanitizer', () => {
  const page = `<!doctype html><html><head><title>Quay</title></head><body><article><h1>Quay</h1>
    <p>The harbour at dawn is a quiet place; the boats come back with the tide and the gulls follow them in.</p>
    <figure><img src="http://images.example/quay.png" srcset="https://images.example/quay-2x.png 2x" alt="The quay"><figcaption>The quay.</figcaption></figure>
    <picture><source srcset="https://images.example/nets.webp 1x"><img src="https://images.example/nets.png" alt="Nets"></picture>
    <p>By seven the market opens. Read <a href="https://example.org/more">more</a> or <a href="/relative">this</a>.</p>
    <video poster="https://images.example/poster.png"></video><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="inline">
    <p>Later the light turns hard and white, and the nets hang to dry on the wall by the chapel.</p></article></body></html>`;

  it("is a fixed point on Gloss's own stored HTML (a backup of this notebook restores unchanged)", () => {
    const imported = importHtml({ content: page, source: 'https://paper.example/quay', name: '"quay"' });
    expect(imported.html).toContain('data-src="http://images.example/quay.png"');
    expect(imported.html).toContain('data-poster=');
    expect(resanitizeStoredHtml(imported.html, imported.text, 'https://paper.example/quay')).toBe(imported.html);
  });

  it('sanitizes what a hand-made backup holds: live src deferred, bad deferred URLs dropped, SVG, styles, handlers gone', () => {
    const text = 'One.\n\nTwo.';
    const hostile = [
      `<p onclick="alert(1)" style="background:url(${R})">One.</p>`,
      `<svg><rect fill="\\75rl(${R})"/><image href="${R}"/></svg>`,
      `<p>Two.<img src="${R}"><img data-src="javascript:alert(1)"><img data-src="https://ok.example/a.png"><img data-srcset="file:///etc/passwd 1x"></p>`,
      `<script>alert(1)</script><iframe src="${R}"></iframe>`,
    ].join('');
    expect(resanitizeStoredHtml(hostile, text)).toBe(`<p>One.</p><p>Two.<img data-src="${R}"><img><img data-src="https://ok.example/a.png"><img></p>`);
  });

  it('plain-text HTML (only <p> of text) is kept as it is; any attribute or other tag sends it through the sanitizer', () => {
    expect(resanitizeStoredHtml('<p>One &amp; two &lt;b&gt;.</p><p>Three.</p>', 'One & two <b>.\n\nThree.')).toBe('<p>One &amp; two &lt;b&gt;.</p><p>Three.</p>');
    expect(resanitizeStoredHtml(`<p>One.</p><p title="\\75rl(${R})">Two.</p>`, 'One.\n\nTwo.')).toBe('<p>One.</p><p>Two.</p>');
    expect(resanitizeStoredHtml(`<p>One.</p><svg><rect fill="\\75rl(${R})"/></svg>`, 'One.')).toBe('<p>One.</p>');
  });

  it('drops the HTML (leaving the plain text) when sanitizing changes the text the highlights point into', () => {
    expect(resanitizeStoredHtml('<p>One.</p><p>Two <button>and a button</button>.</p>', 'One.\n\nTwo and a button.')).toBeUndefined();
  });
});

describe('restore never takes consent from a file', () => {
  const article = (over: Partial<Article> = {}): Article => ({
    id: 'a1',
    title: 'T',
    addedAt: '2024-01-01T00:00:00.000Z',
    updatedAt: '2024-01-01T00:00:00.000Z',
    highlightCount: 0,
    text: 'One.',
    html: '<p>One.</p>',
    note: '',
    highlights: [],
    ...over,
  });
  const stored = (a: Article) => {
    const { highlights, highlightCount: _c, ...rest } = a;
    return { article: rest, highlights };
  };

  it('merge: a new article from the backup arrives without loadRemoteImages, its HTML sanitized', () => {
    const plan = planArticleRestore(article({ loadRemoteImages: true, html: `<p title="\\75rl(${R})">One.</p>` }), undefined, 'merge', new Map());
    expect(plan.write!.article.loadRemoteImages).toBeUndefined();
    expect(plan.write!.article.html).toBe('<p>One.</p>');
  });

  it('replace: the backup cannot grant consent; consent given here for the same HTML stays, for other HTML it goes', () => {
    const none = planArticleRestore(article({ loadRemoteImages: true, title: 'T2' }), stored(article()), 'replace', new Map());
    expect(none.write!.article.loadRemoteImages).toBeUndefined();
    const kept = planArticleRestore(article({ title: 'T2' }), stored(article({ loadRemoteImages: true })), 'replace', new Map());
    expect(kept.write!.article.loadRemoteImages).toBe(true);
    const other = planArticleRestore(
      article({ loadRemoteImages: true, text: 'Two.', html: `<p>Two.<img data-src="${R}"></p>` }),
      stored(article({ loadRemoteImages: true })),
      'replace',
      new Map(),
    );
    expect(other.write!.article.loadRemoteImages).toBeUndefined();
  });
});
