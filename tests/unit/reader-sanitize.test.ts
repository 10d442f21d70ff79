// @vitest-environment jsdom
/**
 * The reader's own sanitizing (issue 13 item 4), for HTML that reaches it unsanitized (a notebook file edited by
 * hand): SVG and MathML are not rendered at all, and no attribute naming a resource in CSS terms survives, however it
 * is escaped. The browser e2e replay (restore-safety.spec.ts) counts requests; this checks the DOM the reader builds.
 */
import { describe, expect, it } from 'vitest';
import { referencesResource } from '../../electron/css-references';
import { renderArticleInto } from '../../renderer/src/reader/render-article';

const R = 'https://tracker.example';

function render(html: string, text: string): HTMLElement {
  const element = document.createElement('article');
  const { fellBack } = renderArticleInto(element, { html, text });
  expect(fellBack).toBe(false);
  return element;
}

describe('reader sanitizing', () => {
  const svgForms = [
    `<rect fill="\\75rl(${R}/a#p)"/>`,
    `<rect filter="\\000075rl(${R}/b#f)"/>`,
    `<rect mask="u\\rl(${R}/c#m)"/>`,
    `<rect clip-path="u/**/rl(${R}/d#c)"/>`,
    `<rect marker-end="\\55 RL(${R}/e#m)"/>`,
    `<rect cursor="u\\\nrl(${R}/f), auto"/>`,
    `<use href="${R}/g.svg#u"/>`,
    `<use xlink:href="${R}/h.svg#u"/>`,
    `<image href="${R}/i.png"/>`,
    `<filter><feImage href="${R}/j.png"/></filter>`,
    `<text>svg text</text>`,
  ];
  it.each(svgForms)('SVG holding %s is not rendered, and the text still matches', (inner) => {
    const el = render(`<p>Before.</p><svg xmlns:xlink="http://www.w3.org/1999/xlink">${inner}</svg><p>After.</p>`, 'Before.\n\nAfter.');
    expect(el.querySelector('svg, rect, use, image, feImage, filter')).toBeNull();
    expect(el.innerHTML).toBe('<p>Before.</p><p>After.</p>');
  });

  it('MathML is not rendered either', () => {
    const el = render(`<p>Before.</p><math><mi href="${R}/m">x</mi></math><p>After.</p>`, 'Before.\n\nAfter.');
    expect(el.querySelector('math')).toBeNull();
  });

  const attributeForms = [
    `\\75rl(${R}/1)`,
    `\\000075rl(${R}/2)`,
    `u\\rl(${R}/3)`,
    `u/**/rl(${R}/4)`,
    `URL(${R}/5)`,
    `u\\\nrl(${R}/6)`,
    `image-set("${R}/7" 1x)`,
    `@import "${R}/8"`,
    `@\\69mport "${R}/9"`,
  ];
  it.each(attributeForms)('an HTML attribute holding %s is dropped; the element and its text stay', (value) => {
    const el = render(`<p title="${value.replace(/"/g, '&quot;')}" data-x="${value.replace(/"/g, '&quot;')}" lang="en">Kept.</p>`, 'Kept.');
    const p = el.querySelector('p')!;
    expect(p.getAttribute('lang')).toBe('en');
    expect(p.hasAttribute('title')).toBe(false);
    expect(p.hasAttribute('data-x')).toBe(false);
    for (const node of el.querySelectorAll('*')) for (const a of node.attributes) expect(referencesResource(a.value)).toBe(false);
  });

  it('a link keeps its href (a click, not a load) even with url( in it; deferred images stay deferred', () => {
    const el = render(`<p><a href="https://example.org/wiki/url(x)">link</a><img data-src="${R}/i.png" src="${R}/live.png"></p>`, 'link');
    expect(el.querySelector('a')!.getAttribute('href')).toBe('https://example.org/wiki/url(x)');
    const img = el.querySelector('img')!;
    expect(img.hasAttribute('src')).toBe(false);
    expect(img.getAttribute('data-src')).toBe(`${R}/i.png`);
  });
});
