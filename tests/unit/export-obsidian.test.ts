/**
 * Issue 16's five export defects, each checked by parsing the output (markdown-it, yaml), not by looking for strings:
 * block ids unique per file in every grouping, notes contained whatever they hold (the CommonMark spec's own examples
 * as notes), tags kept exactly (frontmatter) and mapped losslessly (inline), links back (gloss:// and text fragments),
 * and the text fragment builder against the WICG spec's examples.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';

import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { Article, ExportGroupBy, Highlight, Settings } from '../../electron/contract';
import { deepLink, parseDeepLink, routeHash } from '../../electron/notebook/export/deep-link';
import { renderMarkdownExport } from '../../electron/notebook/export/markdown';
import { INLINE_TAG, inlineTag, tagFromInline } from '../../electron/notebook/export/tag-names';
import { formatTextDirective, parseTextDirective, textDirectiveFor, textFragmentUrl } from '../../electron/notebook/export/text-fragment';

const FIXTURES = path.resolve(__dirname, '../../../shared/fixtures');
const md = new MarkdownIt('commonmark', { html: true });
type Token = ReturnType<typeof md.parse>[number];
const SETTINGS: Settings = { colorLabels: { pink: 'Key' } };

function hl(articleId: string, text: string, quote: string, extra: Partial<Highlight> = {}): Highlight {
  const start = text.indexOf(quote);
  if (start < 0) throw new Error(`not in text: ${quote}`);
  const end = start + quote.length;
  return {
    id: `h-${articleId}-${start}`,
    articleId,
    start,
    end,
    quote,
    prefix: text.slice(Math.max(0, start - 32), start),
    suffix: text.slice(end, end + 32),
    color: 'yellow',
    tags: [],
    note: '',
    createdAt: '2024-05-01T10:00:00.000Z',
    updatedAt: '2024-05-01T10:00:00.000Z',
    ...extra,
  };
}

const TEXT =
  'The United States will lift sanctions on Sudan, officials said on Friday. The decision follows months of talks between the two governments about humanitarian access and counter-terrorism cooperation.';

function article(id: string, highlights: (text: string) => Highlight[], extra: Partial<Article> = {}): Article {
  const hs = highlights(TEXT);
  return {
    id,
    title: `Sanctions ${id}`,
    source: `https://example.com/news/${id}`,
    addedAt: '2024-05-01T09:00:00.000Z',
    updatedAt: '2024-05-01T09:00:00.000Z',
    highlightCount: hs.length,
    text: TEXT,
    note: '',
    highlights: hs,
    ...extra,
  };
}

const multiTagged = (id: string) =>
  article(id, (t) => [
    hl(id, t, 'lift sanctions on Sudan', { tags: ['policy', 'Sudan', 'US–Sudan'], note: 'first' }),
    hl(id, t, 'months of talks', { tags: ['policy', 'Sudan'], color: 'pink' }),
    hl(id, t, 'humanitarian access', { tags: ['policy'] }),
    hl(id, t, 'counter-terrorism cooperation'),
  ]);

/** Obsidian's block ids: `^id` alone on a line, letters, digits and dashes. */
function blockIds(markdown: string): string[] {
  return [...markdown.matchAll(/^\^([A-Za-z0-9-]+)$/gm)].map((m) => m[1]);
}

function stripFrontmatter(markdown: string): { yaml: Record<string, unknown> | null; body: string } {
  const m = /^---\n([\s\S]*?\n)---\n/.exec(markdown);
  return m ? { yaml: parseYaml(m[1]) as Record<string, unknown>, body: markdown.slice(m[0].length) } : { yaml: null, body: markdown };
}

describe('defect 1: block ids', () => {
  for (const groupBy of ['document', 'tag', 'color'] as ExportGroupBy[]) {
    it(`are unique in one file and in a multi-article file, grouped by ${groupBy}`, () => {
      for (const articles of [[multiTagged('a1')], [multiTagged('a1'), multiTagged('a2')]]) {
        const out = renderMarkdownExport(articles, SETTINGS, { groupBy });
        const ids = blockIds(out);
        expect(ids.length).toBeGreaterThanOrEqual(articles.length * 4);
        expect(new Set(ids).size).toBe(ids.length);
        // Every highlight keeps its own id, once, whatever the grouping: links to it keep working.
        for (const a of articles) for (const h of a.highlights) expect(ids.filter((id) => id === `gloss-${h.id}`)).toHaveLength(1);
      }
    });
  }

  it('are stable across re-exports, and a repeat under another tag gets gloss<n>-', () => {
    const a = multiTagged('a1');
    const first = renderMarkdownExport([a], SETTINGS, { groupBy: 'tag' });
    expect(renderMarkdownExport([structuredClone(a)], SETTINGS, { groupBy: 'tag' })).toBe(first);
    const ids = blockIds(first);
    const h = a.highlights[0]; // tags policy, Sudan, US–Sudan: shown three times
    expect(ids.filter((id) => id.endsWith(h.id))).toEqual([`gloss-${h.id}`, `gloss2-${h.id}`, `gloss3-${h.id}`]);
    // An id that itself ends in -2 cannot meet a repeat's id.
    const tricky = article('t', (t) => [hl('t', t, 'lift', { id: 'x', tags: ['a', 'b'] }), hl('t', t, 'Sudan', { id: 'x-2', tags: ['a'] })]);
    const trickyIds = blockIds(renderMarkdownExport([tricky], SETTINGS, { groupBy: 'tag' }));
    expect(new Set(trickyIds).size).toBe(trickyIds.length);
  });
});

// --- defect 2 ---------------------------------------------------------------------------------------------------------

interface SpecExample {
  markdown: string;
  example: number;
}
const SPEC: SpecExample[] = JSON.parse(readFileSync(path.join(FIXTURES, 'commonmark/spec-0.31.2.json'), 'utf8'));

/**
 * The document's structure as a reader sees it: its top-level blocks, with headings and paragraphs by their text,
 * quotes by their text, and a note callout as one `note` block whatever is inside it.
 */
function structure(markdown: string): string[] {
  const tokens = md.parse(stripFrontmatter(markdown).body, {});
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.level !== 0 || t.type.endsWith('_close')) continue;
    if (t.type === 'blockquote_open') {
      let depth = 1;
      const inner: Token[] = [];
      while (depth > 0) {
        const u = tokens[++i];
        if (u.type === 'blockquote_open') depth++;
        if (u.type === 'blockquote_close') depth--;
        if (depth > 0) inner.push(u);
      }
      const firstInline = inner.find((u) => u.type === 'inline');
      out.push(firstInline?.content.startsWith('[!note]') ? 'note' : `quote:${inner.filter((u) => u.type === 'inline').map((u) => u.content).join('|')}`);
    } else if (t.type === 'heading_open' || t.type === 'paragraph_open') {
      out.push(`${t.tag}:${tokens[i + 1].content}`);
    } else out.push(t.type);
  }
  return out;
}

describe('defect 2: a note stays inside its highlight block', () => {
  const withNotes = (note: string, articleNote: string) =>
    article('n1', (t) => [hl('n1', t, 'lift sanctions on Sudan', { note, tags: ['policy'] }), hl('n1', t, 'months of talks', { note })], { note: articleNote });

  it('the issue`s own cases: a # heading and a > quote in a note', () => {
    const out = renderMarkdownExport([withNotes('# heading in a note\n\n> quoted', '# another')], SETTINGS);
    const s = structure(out);
    expect(s.filter((b) => b.startsWith('h1:'))).toEqual(['h1:Sanctions n1']);
    expect(s.filter((b) => b.startsWith('quote:'))).toEqual(['quote:lift sanctions on Sudan', 'quote:months of talks']);
    expect(s.filter((b) => b === 'note')).toHaveLength(3);
  });

  for (const groupBy of ['document', 'tag'] as ExportGroupBy[]) {
    it(`every CommonMark spec example (${SPEC.length}) as a highlight's and the article's note leaves the structure alone (${groupBy})`, () => {
      const expected = structure(renderMarkdownExport([withNotes('plain note', 'plain note')], SETTINGS, { groupBy }));
      const failures: number[] = [];
      for (const ex of SPEC) {
        const single = renderMarkdownExport([withNotes(ex.markdown, ex.markdown)], SETTINGS, { groupBy });
        const got = structure(single);
        // A note made only of whitespace is no note: then there is simply no callout.
        const want = ex.markdown.trim() === '' ? expected.filter((b) => b !== 'note') : expected;
        if (JSON.stringify(got) !== JSON.stringify(want)) failures.push(ex.example);
      }
      expect(failures).toEqual([]);
    });
  }

  it('the same holds in a multi-article file (no frontmatter, a metadata list)', () => {
    const other = multiTagged('m2');
    const expected = structure(renderMarkdownExport([withNotes('x', 'x'), other], SETTINGS));
    const failures = SPEC.filter((ex) => ex.markdown.trim() !== '')
      .filter((ex) => JSON.stringify(structure(renderMarkdownExport([withNotes(ex.markdown, ex.markdown), other], SETTINGS))) !== JSON.stringify(expected))
      .map((ex) => ex.example);
    expect(failures).toEqual([]);
  });
});

// --- defect 3 ---------------------------------------------------------------------------------------------------------

/** Obsidian's tag syntax: `#` then letters, digits, `_`, `-`, `/` (and emoji, which it takes), one not a digit. */
const OBSIDIAN_TAG = /^#(?:[\p{L}\p{M}\p{N}\p{Extended_Pictographic}\p{Emoji_Modifier}_/-]|\u200d|\ufe0f)+$/u;
const ISSUE_TAGS = ['C++', 'C', 'emoji 🐋', 'emoji', '100%', '_100', '100', 'US–Sudan', 'US_Sudan', 'US Sudan', 'a b', 'a_b', 'a__20_b', 'topic/sub', '/edge/', 'x//y'];

describe('defect 3: tags', () => {
  it('inline tags are valid Obsidian tags, distinct for distinct names, and read back exactly', () => {
    const inline = ISSUE_TAGS.map(inlineTag);
    expect(new Set(inline).size).toBe(ISSUE_TAGS.length);
    for (const [i, tag] of ISSUE_TAGS.entries()) {
      expect(`#${inline[i]}`).toMatch(OBSIDIAN_TAG);
      expect(/^[\d/-]+$/.test(inline[i])).toBe(false); // Obsidian needs a non-digit
      expect(tagFromInline(`#${inline[i]}`)).toBe(tag);
    }
    expect(inlineTag('machine learning')).toBe('machine_learning');
    expect(inlineTag('C++')).toBe('C__2B___2B_');
    expect(inlineTag('emoji 🐋')).toBe('emoji_🐋');
    expect(inlineTag('100%')).toBe('100__25_');
    expect(inlineTag('US–Sudan')).toBe('US__2013_Sudan');
  });

  it('the mapping is injective and inverted for any string (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }), fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }), (a, b) => {
        const [na, nb] = [a.normalize('NFC'), b.normalize('NFC')];
        expect(tagFromInline(inlineTag(na))).toBe(na);
        expect(`#${inlineTag(na)}`).toMatch(OBSIDIAN_TAG);
        if (na !== nb) expect(inlineTag(na)).not.toBe(inlineTag(nb));
      }),
      { numRuns: 3000 },
    );
  });

  it('the export keeps exact names in frontmatter (YAML strings) and Obsidian names beside them; inline tags read back', () => {
    const a = article('t1', (t) => ISSUE_TAGS.map((tag, i) => hl('t1', t, t.split(' ')[i], { tags: [tag] })));
    const out = renderMarkdownExport([a], SETTINGS);
    const { yaml, body } = stripFrontmatter(out);
    expect(yaml).not.toBeNull();
    const exact = yaml!['gloss-tags'] as unknown[];
    expect(exact.every((t) => typeof t === 'string')).toBe(true);
    expect([...exact].sort()).toEqual([...ISSUE_TAGS].sort());
    expect((yaml!.tags as string[]).every((t) => OBSIDIAN_TAG.test(`#${t}`))).toBe(true);
    expect(new Set(yaml!.tags as string[]).size).toBe(ISSUE_TAGS.length);
    // Inline tags on the highlights, read the way Obsidian does (a # word), decode to the exact names.
    const found = [...body.matchAll(INLINE_TAG)].map((m) => tagFromInline(m[1]));
    expect(found.sort()).toEqual([...ISSUE_TAGS].sort());
  });
});

// --- defect 4 ---------------------------------------------------------------------------------------------------------

function links(markdown: string): string[] {
  const out: string[] = [];
  const walk = (tokens: Token[]): void => {
    for (const t of tokens) {
      if (t.type === 'link_open') out.push(String(t.attrGet('href') ?? ''));
      if (t.children) walk(t.children);
    }
  };
  walk(md.parse(markdown, {}));
  return out;
}

describe('defect 4: links back to the passage', () => {
  it('each highlight links to Gloss and, for a web article, to the page at the passage', () => {
    const a = multiTagged('w1');
    const hrefs = links(renderMarkdownExport([a], SETTINGS));
    for (const h of a.highlights) {
      expect(hrefs).toContain(`gloss://open/w1?highlight=${h.id}`);
      expect(parseDeepLink(deepLink(h.articleId, h.id))).toEqual({ articleId: 'w1', highlightId: h.id });
    }
    const fragments = hrefs.filter((u) => u.startsWith('https://example.com/news/w1#:~:'));
    expect(fragments).toHaveLength(a.highlights.length);
    // Each fragment parses back (spec syntax) to terms that are in the article text, in order around the quote.
    for (const [i, url] of fragments.entries()) {
      const d = parseTextDirective(url.split('#:~:')[1])!;
      const h = a.highlights[i];
      expect(h.quote.startsWith(d.textStart)).toBe(true);
      if (d.prefix) expect(TEXT).toContain(`${d.prefix} ${h.quote}`);
      if (d.suffix) expect(TEXT).toContain(`${h.quote} ${d.suffix}`);
    }
  });

  it('a PDF highlight links to its page and to Gloss, with no text fragment', () => {
    const pdf = article('p1', (t) => [hl('p1', t, 'months of talks', { page: 2 })], {
      kind: 'pdf',
      pdf: { sha256: 'a'.repeat(64), fileName: 'sudan paper.pdf', bytes: 1, pageCount: 2, hasTextLayer: true },
      pages: [
        { number: 1, start: 0, end: 70 },
        { number: 2, start: 72, end: TEXT.length },
      ] as Article['pages'],
    });
    const hrefs = links(renderMarkdownExport([pdf], SETTINGS));
    expect(hrefs).toContain('sudan%20paper.pdf#page=2');
    expect(hrefs.some((u) => u.startsWith('gloss://open/p1?highlight='))).toBe(true);
    expect(hrefs.some((u) => u.includes(':~:'))).toBe(false);
  });

  it('deep links: odd ids survive, other schemes and actions are refused, the http fallback parses the same', () => {
    expect(parseDeepLink(deepLink('a4dw-_x', 'h_-1'))).toEqual({ articleId: 'a4dw-_x', highlightId: 'h_-1' });
    expect(parseDeepLink('gloss://open/a%2Fb')).toBeUndefined(); // no id holds a slash
    expect(parseDeepLink('gloss://open/abc')).toEqual({ articleId: 'abc' });
    expect(parseDeepLink('gloss://delete/abc')).toBeUndefined();
    expect(parseDeepLink('https://evil.example/abc')).toBeUndefined();
    expect(parseDeepLink('http://127.0.0.1:4000/open/abc?highlight=h1')).toEqual({ articleId: 'abc', highlightId: 'h1' });
    expect(routeHash({ articleId: 'abc', highlightId: 'h1' })).toBe('#/article/abc/highlight/h1');
  });
});

describe('text fragments (WICG spec examples)', () => {
  it('formats the spec`s examples byte for byte', () => {
    expect(formatTextDirective({ textStart: 'an example text fragment' })).toBe('text=an%20example%20text%20fragment');
    expect(formatTextDirective({ textStart: 'an example', textEnd: 'text fragment' })).toBe('text=an%20example,text%20fragment');
    expect(formatTextDirective({ prefix: 'this is', textStart: 'an example', suffix: 'text fragment' })).toBe('text=this%20is-,an%20example,-text%20fragment');
    expect(formatTextDirective({ prefix: 'prefix', textStart: 'start', textEnd: 'end', suffix: 'suffix' })).toBe('text=prefix-,start,end,-suffix');
  });

  it('percent-encodes the directive`s own syntax characters (- , &) inside a term, and parses back', () => {
    const d = { prefix: 'a-b', textStart: 'US–Sudan, re-engagement & more', suffix: '-x,' };
    const s = formatTextDirective(d);
    expect(s).toBe('text=a%2Db-,US%E2%80%93Sudan%2C%20re%2Dengagement%20%26%20more,-%2Dx%2C');
    expect(parseTextDirective(s)).toEqual(d);
    // Parsing the spec's forms.
    expect(parseTextDirective('text=prefix-,start,end,-suffix')).toEqual({ prefix: 'prefix', textStart: 'start', textEnd: 'end', suffix: 'suffix' });
    expect(parseTextDirective('text=start,-suffix')).toEqual({ textStart: 'start', suffix: 'suffix' });
  });

  it('a long quote is given by its first and last words; context is whole words', () => {
    const quote = 'one two three four five six seven eight nine ten eleven twelve';
    expect(textDirectiveFor(quote, `${'x'.repeat(14)}tial words before `, ' after the quote ends here')).toEqual({
      prefix: 'words before',
      textStart: 'one two three four',
      textEnd: 'nine ten eleven twelve',
      suffix: 'after the quote',
    });
    expect(textDirectiveFor('mid', 'word', 'dle')).toEqual({ textStart: 'mid' }); // context touching the quote is left out
    expect(textFragmentUrl('javascript:alert(1)', 'x')).toBeUndefined();
    expect(textFragmentUrl('https://ex.com/a_(b)#old', 'a line\nbreak')).toBe('https://ex.com/a_%28b%29#:~:text=a%20line%20break');
  });
});

describe('text fragments of a passage cut through an emoji', () => {
  it('leave the half-character out instead of failing the whole export (encodeURIComponent throws on it)', () => {
    const whale = '🐋';
    // The context ends in the first half of the emoji's surrogate pair, the quote starts with its second half.
    const url = textFragmentUrl('https://example.com/a', `${whale.slice(1)} surfaced near the ship`, `the great ${whale.slice(0, 1)}`, ' and dove');
    expect(url).toBeDefined();
    expect(url).toContain('#:~:text=');
    expect(decodeURIComponent(url!.split('#:~:text=')[1])).not.toMatch(/[\uD800-\uDFFF]/);
    expect(decodeURIComponent(url!)).toContain('surfaced');
  });
});
