/**
 * The depth count that refuses absurdly nested pages before jsdom (electron/notebook/import/nesting.ts): on real
 * pages it agrees with the tree parse5 builds to within a few levels, pages of unclosed <p>, <li> and table cells
 * count as flat (as they parse), and the ways to nest without end tags are counted.
 */
import fs from 'node:fs';
import path from 'node:path';
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { MAX_NESTING_DEPTH, nestingDepth } from '../../electron/notebook/import/nesting';

const FIXTURES = path.resolve(__dirname, '../../../shared/fixtures');

function parsedDepth(html: string): number {
  const walk = (el: Element): number => 1 + Math.max(0, ...Array.from(el.children, walk));
  return walk(new JSDOM(html).window.document.documentElement);
}

describe('nestingDepth', () => {
  it('agrees with the parsed tree within a few levels on every Readability test page', () => {
    const root = path.join(FIXTURES, 'readability');
    const pages = fs.readdirSync(root).filter((p) => fs.existsSync(path.join(root, p, 'source.html')));
    expect(pages.length).toBeGreaterThan(10);
    for (const page of pages) {
      const html = fs.readFileSync(path.join(root, page, 'source.html'), 'utf8');
      const counted = nestingDepth(html);
      const parsed = parsedDepth(html);
      expect(Math.abs(counted - parsed), `${page}: counted ${counted}, parsed ${parsed}`).toBeLessThanOrEqual(5);
      expect(counted).toBeLessThan(MAX_NESTING_DEPTH / 4);
    }
  });

  it('counts elements whose end tag is optional as the parser closes them', () => {
    expect(nestingDepth('<p>a'.repeat(5000))).toBeLessThan(5);
    expect(nestingDepth(`<ul>${'<li>a'.repeat(5000)}</ul>`)).toBeLessThan(5);
    expect(nestingDepth(`<dl>${'<dt>a<dd>b'.repeat(2000)}</dl>`)).toBeLessThan(5);
    expect(nestingDepth(`<table>${'<tr><td>a<td>b'.repeat(2000)}</table>`)).toBeLessThan(6);
    expect(nestingDepth(`<select>${'<option>a'.repeat(2000)}</select>`)).toBeLessThan(5);
  });

  it('counts nesting without end tags: <div/> opens a div, unclosed <b>s nest', () => {
    expect(nestingDepth('<div/>'.repeat(400))).toBeGreaterThanOrEqual(400);
    expect(nestingDepth('<b>x'.repeat(400))).toBeGreaterThanOrEqual(400);
    expect(nestingDepth(`<svg>${'<g/>'.repeat(400)}</svg>`)).toBeLessThan(5); // self-closing is real in SVG
  });

  it('ignores tags inside comments, scripts, styles and quoted attribute values', () => {
    const hidden = '<div>'.repeat(1000);
    expect(nestingDepth(`<p>a</p><!-- ${hidden} --><p>b</p>`)).toBe(1);
    expect(nestingDepth(`<script>${hidden}</script><style>${hidden}</style><textarea>${hidden}</textarea>`)).toBe(1);
    expect(nestingDepth(`<p title="${hidden.replace(/</g, '>')}">a</p>`)).toBe(1);
  });

  it('stops counting once past the limit it is asked about', () => {
    expect(nestingDepth('<div>'.repeat(100_000), 300)).toBe(301);
  });
});
