/**
 * Link targets compared with Readability's own expected output (issue 17 item 1): for each page of
 * ../shared/fixtures/readability, the absolute hrefs Gloss keeps against those in Readability's expected.html (read
 * against the same address upstream's tests use), and in-document links (`#id`) against Gloss's `#gloss-ref-id`.
 * Differences are allowed only where listed in DIFFERENCES, each with its reason.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { importHtml } from '../../electron/notebook/import/html';

const DIR = path.resolve(__dirname, '../../../shared/fixtures/readability');
const BASE = 'http://fakehost/test/page.html';
const CSS_ESCAPE = (s: string): string => s.replace(/["\\]/g, '\\$&');

interface Links {
  external: Set<string>;
  inDocument: Set<string>;
}

function linksOf(html: string, inDocPrefix: string): Links {
  const doc = new JSDOM(`<body>${html}</body>`).window.document;
  const external = new Set<string>();
  const inDocument = new Set<string>();
  for (const a of Array.from(doc.querySelectorAll('a[href], area[href]'))) {
    const href = a.getAttribute('href')!.trim();
    if (href.startsWith('#')) {
      const id = href.slice(1);
      // Readability's targets: an id, or an old-style <a name> (which Gloss turns into a prefixed id).
      const target = (t: string): boolean => Boolean(doc.getElementById(t) ?? doc.querySelector(`a[name="${CSS_ESCAPE(t)}"]`));
      if (inDocPrefix === '' ? target(decodeURIComponent(id)) : id.startsWith(inDocPrefix)) inDocument.add(decodeURIComponent(id.slice(inDocPrefix.length)));
      continue;
    }
    let url: URL;
    try {
      url = new URL(href, BASE);
    } catch {
      continue;
    }
    if (['http:', 'https:', 'mailto:'].includes(url.protocol)) external.add(url.href);
  }
  return { external, inDocument };
}

/**
 * Where Gloss keeps other links than Readability, and why (the page, then the links Readability has that Gloss does
 * not, as a predicate; Gloss never has a link Readability lacks).
 */
const DIFFERENCES: Record<string, { missing: (href: string) => boolean; why: string }> = {};

describe('link targets against Readability\'s expected output', () => {
  const pages = readdirSync(DIR).filter((p) => !p.startsWith('.'));
  for (const page of pages) {
    it(page, () => {
      const source = readFileSync(path.join(DIR, page, 'source.html'), 'utf8');
      const expectedHtml = readFileSync(path.join(DIR, page, 'expected.html'), 'utf8');
      const gloss = linksOf(importHtml({ content: source, source: BASE, name: `"${page}"` }).html, 'gloss-ref-');
      const readability = linksOf(expectedHtml, '');
      const extra = [...gloss.external].filter((h) => !readability.external.has(h));
      const allowed = DIFFERENCES[page];
      const missing = [...readability.external].filter((h) => !gloss.external.has(h) && !allowed?.missing(h));
      expect(extra, `${page}: links Gloss has that Readability does not`).toEqual([]);
      expect(missing, `${page}: links Readability has that Gloss lost`).toEqual([]);
      const missingInDoc = [...readability.inDocument].filter((id) => !gloss.inDocument.has(id));
      expect(missingInDoc, `${page}: in-document links lost`).toEqual([]);
      expect([...gloss.inDocument].filter((id) => !readability.inDocument.has(id)), `${page}: in-document links added`).toEqual([]);
    });
  }
});
