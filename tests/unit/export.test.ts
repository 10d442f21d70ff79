import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { Article, Highlight, HighlightColor, Settings } from '../../electron/contract';
import { GlossError } from '../../electron/notebook/errors';
import { makeBackup, parseBackup } from '../../electron/notebook/export/backup';
import { blockId, quoteToBlockquote } from '../../electron/notebook/export/escape';
import { safeFileStem, truncateUtf8 } from '../../electron/notebook/export/filename';
import { exportToFolder, MANIFEST_FILE } from '../../electron/notebook/export/folder';
import { noteCallout, renderMarkdownExport } from '../../electron/notebook/export/markdown';
import { renderTemplate, TEMPLATE_VARIABLES } from '../../electron/notebook/export/template';
import { ANNO_CONTEXT, fromWebAnnotations, toWebAnnotations } from '../../electron/notebook/export/w3c';
import { blockquoteTexts, readbackParsers } from '../support/export-readback';

const FIXTURES = path.resolve(__dirname, '../../../shared/fixtures');

// --- round-trip helper -------------------------------------------------------------------------------------------------

// The read-back the issue describes (markdown-it, HTML on), shared with the e2e test.
const parsers = readbackParsers;
type Parser = (typeof parsers)['commonmark'];

function roundTrip(quote: string, parser: Parser = parsers.commonmark): string | undefined {
  const texts = blockquoteTexts(`${quoteToBlockquote(quote)}\n`, parser);
  return texts.length === 1 ? texts[0] : `⟦${texts.length} blockquotes⟧${texts.join('|')}`;
}

// --- builders ------------------------------------------------------------------------------------------------------------

let seq = 0;
function hl(articleId: string, text: string, start: number, end: number, extra: Partial<Highlight> = {}): Highlight {
  seq++;
  return {
    id: extra.id ?? `h${String(seq).padStart(5, '0')}`,
    articleId,
    start,
    end,
    quote: text.slice(start, end),
    prefix: text.slice(Math.max(0, start - 32), start),
    suffix: text.slice(end, end + 32),
    color: 'yellow',
    tags: [],
    note: '',
    createdAt: '2024-05-01T10:00:00.000Z',
    updatedAt: '2024-05-02T10:00:00.000Z',
    ...extra,
  };
}

function article(id: string, title: string, text: string, highlights: (a: string, t: string) => Highlight[] = () => [], extra: Partial<Article> = {}): Article {
  const hs = highlights(id, text);
  return {
    id,
    title,
    addedAt: '2024-05-01T09:00:00.000Z',
    updatedAt: '2024-05-01T09:00:00.000Z',
    highlightCount: hs.length,
    text,
    note: '',
    highlights: hs,
    ...extra,
  };
}

const SETTINGS: Settings = { colorLabels: { yellow: 'Key point', green: 'Evidence' } };

/** A highlight whose quote is arbitrary text (the article text is the quote itself). */
function quoteArticle(quotes: string[]): Article {
  const text = quotes.join('\u2029');
  let at = 0;
  const hs = quotes.map((q) => {
    const h = hl('qa', text, at, at + q.length);
    at += q.length + 1;
    return h;
  });
  return article('qa', 'Quotes', text, () => hs);
}

// --- quotes ------------------------------------------------------------------------------------------------------------

const NASTY: string[] = [
  'plain text',
  '# heading',
  '## heading ##',
  'Setext\n===',
  'Setext\n---',
  '> nested quote',
  '>> double',
  '- item\n- item',
  '* star item',
  '+ plus item',
  '1. first\n2. second',
  '1) paren',
  '2024. A year',
  '| a | b |\n| - | - |\n| 1 | 2 |',
  'a | b\n--|--\n1 | 2',
  ':-- | --:',
  'back\\slash \\* \\\\ end\\',
  '***',
  '---',
  '___',
  '- - -',
  '<script>alert(1)</script>',
  '<div>\n\nhtml block\n\n</div>',
  '<!-- comment',
  '<?php echo 1; ?>',
  '<![CDATA[ x ]]>',
  'entities &amp; &lt; &#35; &#x27; &nbsp; &copy',
  'AT&T & friends',
  '`code` ``double`` ```',
  '```js\nfenced\n```',
  '~~~\ntilde fence',
  '~~strike~~',
  '*em* _em_ **strong** __strong__ ***both***',
  'snake_case_word and 2*3*4',
  '[link](http://x.y) [ref][1] ![img](a.png)',
  '[1]: http://example.com',
  '<http://autolink.example> <me@example.com>',
  'https://bare.example.com/path_(x)',
  '[[Wiki link]] and ![[embed]]',
  '==highlight== and $math$ and $$block$$',
  '%%obsidian comment%%',
  'ends with a block ref ^abc123',
  'a #tag in text',
  '  leading spaces',
  'trailing spaces  ',
  '    four-space indent is code',
  '\tleading tab',
  'trailing tab\t',
  'mid\ttab\t\tkept',
  ' ',
  '   ',
  '\t',
  '\u00a0non-breaking edges\u00a0',
  '\u3000ideographic space',
  'line one\nline two',
  'para one\n\npara two',
  'three\n\n\nnewlines',
  'four\n\n\n\nnewlines',
  '\nleading newline',
  'trailing newline\n',
  '\n\nleading pair',
  'trailing pair\n\n',
  '\n',
  '\n\n',
  '\n\n\n',
  'a\n b\n  c',
  'a  \nb',
  'a\\\nb',
  'CR\rin\r\nside',
  '\r',
  'مرحبا بالعالم — نص عربي',
  'שלום \u202eRTL override\u202c and \u200fmark\u200e',
  'emoji 👩‍👩‍👧‍👦 🏳️‍🌈 🇯🇵 👍🏽',
  'combining e\u0301 and Å (NFD A\u030a)',
  'zero\u200bwidth\u2060joiner\ufeffbom',
  'line\u2028separator\u2029paragraph sep',
  '"quotes" \'single\' «guillemets» (c) --',
  '!important {curly} ^caret =equals= +plus+ -minus- .dot.',
  '50% of 100%% done',
  '\\',
  '\\\\',
  '>',
  '#',
  '-',
  '1.',
  '>\n>\n>',
  'x\n#\ny',
  '  \n  ',
  'control \u0001\u0007\u001f chars \u007f\u0085',
];

describe('quoteToBlockquote round-trips through markdown-it', () => {
  for (const [name, parser] of Object.entries(parsers)) {
    it(`every nasty quote (${NASTY.length}) under the ${name} preset`, () => {
      const failures = NASTY.filter((q) => roundTrip(q, parser) !== q).map((q) => ({ q, got: roundTrip(q, parser), md: quoteToBlockquote(q) }));
      expect(failures).toEqual([]);
    });
  }

  it('every CommonMark 0.31.2 spec example, used as a quote', () => {
    const examples = JSON.parse(readFileSync(path.join(FIXTURES, 'commonmark/spec-0.31.2.json'), 'utf8')) as { markdown: string; example: number }[];
    expect(examples.length).toBeGreaterThan(600);
    const failures: { example: number; preset: string }[] = [];
    for (const ex of examples) {
      // The spec writes tabs as → in its prose but the JSON holds real tabs; use the markdown exactly.
      for (const [preset, parser] of Object.entries(parsers)) {
        if (roundTrip(ex.markdown, parser) !== ex.markdown) failures.push({ example: ex.example, preset });
      }
    }
    console.log(`CommonMark spec examples round-tripped as quotes: ${examples.length - failures.length / 2}/${examples.length} (x2 presets)`);
    expect(failures).toEqual([]);
  });

  it('random strings over a hostile alphabet (property test)', () => {
    const alphabet = [
      ...'\\`*_{}[]()#+-.!|<>&;~=$^%:"\'/@ \t\n\n\r',
      'a', 'Z', '1', '9', '\u00a0', '\u3000', 'é', 'ש', 'م', '👍', '\u200f', '\u2028', '&amp;', '&#35;', '<a>', '```', '---', '1.', '> ',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 40 }), (parts) => {
        const quote = parts.join('');
        expect(roundTrip(quote)).toBe(quote);
        expect(roundTrip(quote, parsers.default)).toBe(quote);
      }),
      { numRuns: 3000, seed: 20240501 },
    );
  });

  it('documents the known limit: U+000B at a line edge is trimmed by any CommonMark parser (mid-line it survives)', () => {
    expect(roundTrip('a\u000bb')).toBe('a\u000bb');
  });

  it('uses a trailing backslash for single newlines and a > line between paragraphs', () => {
    expect(quoteToBlockquote('a\nb\n\nc')).toBe('> a\\\n> b\n>\n> c');
    expect(quoteToBlockquote('')).toBe('>');
  });
});

// --- Markdown export ---------------------------------------------------------------------------------------------------

function frontmatterOf(md: string): Record<string, unknown> {
  const m = /^---\n([\s\S]*?)\n---\n/.exec(md);
  expect(m, 'frontmatter block').not.toBeNull();
  return parseYaml(m![1]) as Record<string, unknown>;
}

describe('renderMarkdownExport', () => {
  const text = 'Alpha beta gamma. Delta epsilon zeta. Eta theta iota. Kappa lambda mu.';
  const sample = () =>
    article(
      'art1',
      'Sample',
      text,
      (a, t) => [
        hl(a, t, 18, 37, { id: 'hB', tags: ['Climate policy', 'energy'], color: 'green', note: 'My **note**.' }),
        hl(a, t, 0, 17, { id: 'hA', tags: ['climate policy'], color: 'yellow' }),
        hl(a, t, 38, 54, { id: 'hC', tags: [], color: 'blue' }),
        hl(a, t, 55, 71, { id: 'hD', tags: ['Zebra'], color: 'yellow', orphaned: true }),
      ],
      { byline: 'A. Writer', source: 'https://example.com/a?b=1&c=2', publishedAt: '2024-04-01', note: 'Article note.' },
    );

  it('frontmatter holds the exact title and source whatever they contain', () => {
    const titles = [
      'Plain',
      'He said "hi": a \'test\'',
      'key: value # not a comment',
      '---',
      '--- leading dashes\n---\n...',
      'multi\nline\n\ntitle',
      '  padded  ',
      'emoji 🚀👩‍💻',
      'مقال عربي \u200f',
      '- list-like',
      '[1, 2]',
      '{a: b}',
      '!tag & *alias | > fold',
      'yes',
      'null',
      '2024-01-01',
      '0x1F',
      '@at `tick`',
      'tab\there',
    ];
    for (const title of titles) {
      const source = `https://example.com/${encodeURIComponent(title)}?q="x"#frag`;
      const md = renderMarkdownExport([article('x', title, 'text', () => [], { source, byline: title, publishedAt: '2024-01-02' })], SETTINGS, {});
      const fm = frontmatterOf(md);
      expect(fm.title).toBe(title);
      expect(fm.source).toBe(source);
      expect(fm.author).toBe(title);
      expect(fm.published).toBe('2024-01-02');
      expect(Object.keys(fm)).toEqual(['title', 'author', 'source', 'published', 'tags', 'gloss-tags']);
    }
  });

  it('single article: frontmatter with sorted tag union, heading, note, highlights in document order, block ids, orphan marker', () => {
    const md = renderMarkdownExport([sample()], SETTINGS, {});
    const fm = frontmatterOf(md);
    expect(fm.tags).toEqual(['Climate_policy', 'energy', 'Zebra']);
    expect(fm['gloss-tags']).toEqual(['Climate policy', 'energy', 'Zebra']);
    expect(md).toContain('\n# Sample\n\n> [!note]\n>\n> Article note.\n\n');
    expect(blockquoteTexts(md)).toEqual([text.slice(0, 17), text.slice(18, 37), text.slice(38, 54), text.slice(55, 71)]);
    expect(md).toContain(`^${blockId('hA')}`);
    expect(md).toContain('Evidence (green) · #Climate_policy #energy · [Open in Gloss](gloss://open/art1?highlight=hB) · [Open at the source](https://example.com/a?b=1&c=2#:~:text=Alpha%20beta%20gamma.-,Delta%20epsilon%20zeta.,-Eta%20theta%20iota.)\n\n> [!note]\n>\n> My **note**.');
    expect(md).toContain('blue · [Open in Gloss]');
    expect(md).toMatch(/Key point \(yellow\) · #Zebra · \[Open in Gloss\]\(gloss:\/\/open\/art1\?highlight=hD\) · \[Open at the source\]\([^)]+\) · ⚠ orphaned/);
  });

  it('several articles: a # heading and metadata list each, no frontmatter', () => {
    const second = article('art2', 'Second: "the sequel"', 'Some other text here.', (a, t) => [hl(a, t, 0, 4, { tags: ['x y'] })], {
      byline: 'B *Bold*',
    });
    const md = renderMarkdownExport([sample(), second], SETTINGS, {});
    expect(md.startsWith('# Sample\n\n- Author: A. Writer\n- Source: <https://example.com/a?b=1&c=2>\n- Published: 2024-04-01\n- Tags: #Climate_policy #energy #Zebra\n')).toBe(true);
    expect(md).toContain('# Second: "the sequel"\n\n- Author: B \\*Bold\\*\n- Tags: #x_y');
    expect(md).not.toMatch(/^---$/m);
    const tokens = parsers.commonmark.parse(md, {});
    expect(tokens.filter((t) => t.type === 'heading_open' && t.tag === 'h1')).toHaveLength(2);
  });

  it('filters by tag (case-insensitive, any of) and colour; articleIds selects articles', () => {
    const other = article('art2', 'Other', 'Other text', (a, t) => [hl(a, t, 0, 5, { tags: ['ENERGY'] })]);
    const byTag = renderMarkdownExport([sample(), other], SETTINGS, { tags: ['CLIMATE POLICY', 'nothing'] });
    expect(blockquoteTexts(byTag)).toEqual([text.slice(0, 17), text.slice(18, 37)]);
    expect(byTag).not.toContain('# Other');
    const anyOf = renderMarkdownExport([sample(), other], SETTINGS, { tags: ['energy', 'zebra'] });
    expect(blockquoteTexts(anyOf)).toEqual([text.slice(18, 37), text.slice(55, 71), 'Other']);
    const byColor = renderMarkdownExport([sample()], SETTINGS, { colors: ['blue', 'green'] });
    expect(blockquoteTexts(byColor)).toEqual([text.slice(18, 37), text.slice(38, 54)]);
    const byId = renderMarkdownExport([sample(), other], SETTINGS, { articleIds: ['art2'] });
    expect(blockquoteTexts(byId)).toEqual(['Other']);
    expect(renderMarkdownExport([sample()], SETTINGS, { tags: ['absent'] })).toBe('');
  });

  it("groups by tag (sorted, repeated under each tag, untagged last) and by colour (fixed order)", () => {
    const byTag = renderMarkdownExport([sample()], SETTINGS, { groupBy: 'tag' });
    const sections = byTag.split(/^## /m).slice(1).map((s) => [s.split('\n')[0], blockquoteTexts(s)]);
    expect(sections).toEqual([
      ['Climate policy', [text.slice(0, 17), text.slice(18, 37)]],
      ['energy', [text.slice(18, 37)]],
      ['Zebra', [text.slice(55, 71)]],
      ['Untagged', [text.slice(38, 54)]],
    ]);
    const byColor = renderMarkdownExport([sample()], SETTINGS, { groupBy: 'color' });
    expect(byColor.match(/^## .*$/gm)).toEqual(['## Key point', '## Evidence', '## blue']);
    const filtered = renderMarkdownExport([sample()], SETTINGS, { groupBy: 'tag', tags: ['energy'] });
    expect(filtered.match(/^## .*$/gm)).toEqual(['## energy']);
  });

  it('is deterministic: same input, byte-identical output, independent of input highlight order', () => {
    const a = renderMarkdownExport([sample()], SETTINGS, { groupBy: 'tag' });
    const reversed = sample();
    reversed.highlights.reverse();
    expect(renderMarkdownExport([reversed], SETTINGS, { groupBy: 'tag' })).toBe(a);
    expect(renderMarkdownExport([sample()], SETTINGS, { groupBy: 'tag' })).toBe(a);
  });

  it('every quote of a hostile export reads back exactly, in order, even with notes around them', () => {
    const quotes = NASTY.filter((q) => q.length > 0);
    const a = quoteArticle(quotes);
    a.highlights.forEach((h, i) => {
      h.note = i % 3 === 0 ? '- a list note\n\n  continued' : i % 3 === 1 ? 'note with `code` and <b>html</b>' : '';
      h.tags = i % 2 ? ['t'] : [];
    });
    a.note = '```\nunclosed fence in the article note';
    const md = renderMarkdownExport([a], SETTINGS, {});
    expect(blockquoteTexts(md)).toEqual(quotes);
  });

  it('keeps user notes as they are, inside a note callout (every line behind "> ")', () => {
    expect(noteCallout('**bold** <em>x</em>\n\n- list')).toBe('> [!note]\n>\n> **bold** <em>x</em>\n>\n> - list');
    expect(noteCallout('```js\nopen')).toBe('> [!note]\n>\n> ```js\n> open');
    expect(noteCallout('\n\n  \n')).toBe('');
  });

  it('makes block ids stable and legal', () => {
    expect(blockId('AbC-123')).toBe('gloss-AbC-123');
    const a = blockId('a_b');
    const b = blockId('a-b');
    expect(a).toMatch(/^[A-Za-z0-9-]+$/);
    expect(a).not.toBe(b);
    expect(blockId('a_b')).toBe(a);
  });
});

// --- templates ---------------------------------------------------------------------------------------------------------

describe('templates', () => {
  const a = article('t1', 'T & <Title>', 'Quote <b>&amp;</b> here', (id, t) => [hl(id, t, 0, 18, { tags: ['x y', 'z'], note: 'n & <i>m</i>' })], {
    byline: 'Au',
  });

  it('renders the documented variables without HTML escaping', () => {
    const tpl = '{{frontmatter}}# {{article.title}} by {{article.author}}\n{{#highlights}}{{quoteMarkdown}}\n{{colorLabel}} {{tagsInline}} ^{{blockId}} [{{start}}-{{end}}]\n{{note}}\n{{#tags}}<{{.}}>{{/tags}}\n{{/highlights}}';
    const out = renderMarkdownExport([a], SETTINGS, { template: tpl });
    expect(out).toContain('# T & <Title> by Au');
    expect(out).toContain('n & <i>m</i>');
    expect(out).toContain('<x y><z>');
    expect(out).toContain('Key point #x_y #z ^gloss-');
    expect(blockquoteTexts(out)).toEqual(['Quote <b>&amp;</b>']);
    expect(parseYaml(/^---\n([\s\S]*?)\n---\n/.exec(out)![1]).title).toBe('T & <Title>');
    expect(renderTemplate('{{x}}|{{{x}}}', { x: '<&>' })).toBe('<&>|<&>');
    expect(Object.keys(TEMPLATE_VARIABLES)).toEqual(expect.arrayContaining(['article.title', 'highlights[].quoteMarkdown', 'highlights[].blockId']));
  });

  it('rejects a template that does not parse, naming the problem and where', () => {
    const bad = ['line one\n{{#highlights}}unclosed', 'x {{/nothing}}', 'a\nb {{oops'];
    const messages = bad.map((t) => {
      try {
        renderMarkdownExport([a], SETTINGS, { template: t });
        return 'no error';
      } catch (e) {
        expect(e).toBeInstanceOf(GlossError);
        expect((e as GlossError).code).toBe('invalid_input');
        return (e as Error).message;
      }
    });
    expect(messages[0]).toMatch(/Unclosed section "highlights" at line 2, column \d+/);
    expect(messages[1]).toMatch(/Unopened section "nothing" at line 1/);
    expect(messages[2]).toMatch(/Unclosed tag at line 2/);
  });
});

// --- file names and folder export --------------------------------------------------------------------------------------

describe('file names', () => {
  const legal = (name: string) => {
    // eslint-disable-next-line no-control-regex -- control characters are exactly what must not appear
    expect(name).not.toMatch(/[<>:"/\\|?*\x00-\x1f]/);
    expect(name).not.toMatch(/[. ]$/);
    expect(name.normalize('NFC')).toBe(name);
    expect(Buffer.byteLength(name, 'utf8')).toBeLessThanOrEqual(200);
    expect(name.split('.')[0]).not.toMatch(/^(con|prn|aux|nul|com\d|lpt\d)$/i);
  };

  it('is safe for reserved names, forbidden characters, long titles, emoji, RTL and NFD input', () => {
    for (const t of ['CON', 'nul', 'Com1', 'LPT9.txt', 'aux.md', 'PRN ']) {
      legal(safeFileStem(t));
      expect(safeFileStem(t).startsWith('_')).toBe(true);
    }
    expect(safeFileStem('a<b>c:d"e/f\\g|h?i*j\u0001k')).toBe('a b c d e f g h i j k');
    expect(safeFileStem('...hidden. . ')).toBe('hidden');
    expect(safeFileStem('')).toBe('Untitled');
    expect(safeFileStem('???')).toBe('Untitled');
    const long = '👩‍👩‍👧‍👦'.repeat(50) + 'é'.repeat(300);
    const stem = safeFileStem(long);
    expect(Buffer.byteLength(stem)).toBeLessThanOrEqual(96);
    expect(stem.length % '👩‍👩‍👧‍👦'.length).toBe(0); // cut between whole graphemes
    expect(truncateUtf8('e\u0301e\u0301', 4)).toBe('e\u0301');
    expect(safeFileStem('Cafe\u0301')).toBe('Café');
    expect(safeFileStem('مقالة عن المناخ')).toBe('مقالة عن المناخ');
    for (const t of ['CON', long, 'emoji 🚀', 'עברית', 'x'.repeat(1000)]) legal(`${safeFileStem(t)} (12).md`);
  });

  it('drops C1 controls, bidi controls and isolates and stray zero-width characters, and keeps the rest of Unicode', () => {
    // "invoice\u202Egpj.exe" shows as "invoiceexe.jpg": an override must not survive into a file name.
    expect(safeFileStem('invoice\u202Egpj.exe')).toBe('invoicegpj.exe');
    expect(safeFileStem('a\u0085b\u009fc\u0080d')).toBe('a b c d');
    const bidi = '\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069';
    expect(safeFileStem(`left${bidi}right`)).toBe('leftright');
    expect(safeFileStem('zero\u200bwidth\u2060joined\ufeff')).toBe('zerowidthjoined');
    expect(safeFileStem('\u200dstray \u200c joiners\u200d\u200d')).toBe('stray joiners');
    // Joiners that shape something stay: an emoji sequence, a Persian word with a zero-width non-joiner.
    expect(safeFileStem('👩\u200d👧 family')).toBe('👩\u200d👧 family');
    expect(safeFileStem('می\u200cخواهم')).toBe('می\u200cخواهم');
    expect(safeFileStem('Ελληνικά 中文 עברית ✓')).toBe('Ελληνικά 中文 עברית ✓');
  });

});

describe('exportToFolder', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'gloss-export-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const two = (note = '') => [
    article('a1', 'Same Title', 'First text body', (a, t) => [hl(a, t, 0, 5, { id: 'x1', note })]),
    article('a2', 'Same Title', 'Second text body', (a, t) => [hl(a, t, 0, 6, { id: 'x2' })]),
    article('a3', 'CON', 'Third', (a, t) => [hl(a, t, 0, 5, { id: 'x3' })]),
  ];

  it('writes one file per article plus a manifest, then updates in place and leaves foreign files alone', async () => {
    await writeFile(path.join(dir, 'my own notes.md'), 'mine');
    const first = await exportToFolder(dir, two(), SETTINGS);
    expect(first.written).toHaveLength(3);
    expect(new Set(first.written).size).toBe(3);
    const manifest = JSON.parse(await readFile(path.join(dir, MANIFEST_FILE), 'utf8'));
    expect(Object.keys(manifest.files).sort()).toEqual([...first.written].sort());

    const again = await exportToFolder(dir, two(), SETTINGS);
    expect(again.written).toEqual([]);
    expect(again.unchanged.sort()).toEqual([...first.written].sort());

    const changed = await exportToFolder(dir, two('new note'), SETTINGS);
    expect(changed.written).toEqual([first.written[0]]);
    expect(await readFile(path.join(dir, first.written[0]), 'utf8')).toContain('new note');
    expect(await readFile(path.join(dir, 'my own notes.md'), 'utf8')).toBe('mine');
    const files = (await readdir(dir)).sort();
    expect(files).toEqual([MANIFEST_FILE, 'my own notes.md', ...first.written].sort());
    expect(files.some((f) => f.endsWith('.tmp'))).toBe(false);
  });

  it('never clobbers a file the user edited: writes a .conflict-N copy and keeps updating that one', async () => {
    const [a1] = two();
    const { written } = await exportToFolder(dir, [a1], SETTINGS);
    const file = path.join(dir, written[0]);
    await writeFile(file, 'user edits here\n');
    const second = await exportToFolder(dir, two('changed'), SETTINGS, { articleIds: ['a1'] });
    const conflictName = written[0].replace(/\.md$/, '.conflict-1.md');
    expect(second.conflicts).toEqual([{ file: written[0], reason: 'edited', writtenTo: conflictName }]);
    expect(await readFile(file, 'utf8')).toBe('user edits here\n');
    expect(await readFile(path.join(dir, conflictName), 'utf8')).toContain('changed');
    const third = await exportToFolder(dir, two('changed again'), SETTINGS, { articleIds: ['a1'] });
    expect(third.written).toEqual([conflictName]);
    expect(third.conflicts[0].reason).toBe('not-ours');
    expect(await readFile(file, 'utf8')).toBe('user edits here\n');
    expect((await readdir(dir)).filter((f) => f.includes('conflict'))).toEqual([conflictName]);
  });

  it('does not overwrite a foreign file that happens to have the target name; adopts identical content', async () => {
    const [a1] = two();
    const name = 'Same Title.md';
    await writeFile(path.join(dir, name), 'someone else');
    const r = await exportToFolder(dir, [a1], SETTINGS);
    expect(r.conflicts[0]).toMatchObject({ file: name, reason: 'not-ours' });
    expect(await readFile(path.join(dir, name), 'utf8')).toBe('someone else');

    const dir2 = path.join(dir, 'sub');
    await exportToFolder(dir2, [a1], SETTINGS);
    await rm(path.join(dir2, MANIFEST_FILE));
    const adopted = await exportToFolder(dir2, [a1], SETTINGS);
    expect(adopted.unchanged).toEqual([name]);
    expect(adopted.conflicts).toEqual([]);
  });

  it('names files by title alone, adding " (n)" only when titles collide (case-insensitively), stable across exports', async () => {
    const arts = [...two(), article('a4', 'same title', 'Fourth', (a, t) => [hl(a, t, 0, 6, { id: 'x4' })]), article('a5', 'A/B: "C"?', 'Fifth', (a, t) => [hl(a, t, 0, 5, { id: 'x5' })])];
    const first = await exportToFolder(dir, arts, SETTINGS);
    expect(first.written).toEqual(['Same Title.md', 'Same Title (2).md', '_CON.md', 'same title (3).md', 'A B C.md']);
    // The first article leaves: the others keep their names (links into them keep working), nothing is renumbered.
    const later = await exportToFolder(dir, arts.slice(1), SETTINGS);
    expect(later.unchanged).toEqual(['Same Title (2).md', '_CON.md', 'same title (3).md', 'A B C.md']);
    expect(later.written).toEqual([]);
    // A new article with that title: the plain name is still a1's file (a1 was only left out of that export)...
    const newcomer0 = article('a6', 'Same Title', 'Sixth', (a, t) => [hl(a, t, 0, 5, { id: 'x6' })]);
    expect((await exportToFolder(dir, [newcomer0], SETTINGS)).written).toEqual(['Same Title (4).md']);
    // ...until that file is deleted: then the next newcomer takes the free plain name; names given stay (links hold).
    await rm(path.join(dir, 'Same Title.md'));
    const newcomer = article('a7', 'Same Title', 'Seventh', (a, t) => [hl(a, t, 0, 5, { id: 'x7' })]);
    const third = await exportToFolder(dir, [...arts.slice(1), newcomer0, newcomer], SETTINGS);
    expect(third.written).toEqual(['Same Title.md']);
    expect(third.renamed).toEqual([]);
    const manifest = JSON.parse(await readFile(path.join(dir, MANIFEST_FILE), 'utf8'));
    expect(manifest.files['Same Title.md'].articleId).toBe('a7');
    expect(manifest.files['Same Title (4).md'].articleId).toBe('a6');
    expect(manifest.files['Same Title (2).md'].articleId).toBe('a2');
  });

  it('a renamed article`s file follows its title (the old one removed, never a duplicate); an edited old file is kept', async () => {
    const [a1, a2] = two();
    const first = await exportToFolder(dir, [a1, a2], SETTINGS);
    expect(first.written).toEqual(['Same Title.md', 'Same Title (2).md']);
    const r = await exportToFolder(dir, [{ ...a1, title: 'New Title' }, a2], SETTINGS);
    expect(r.renamed).toEqual([{ from: 'Same Title.md', to: 'New Title.md' }]);
    expect(r.stale).toEqual([]);
    expect((await readdir(dir)).sort()).toEqual([MANIFEST_FILE, 'New Title.md', 'Same Title (2).md'].sort());
    // Run again: nothing to do (re-running is safe).
    const again = await exportToFolder(dir, [{ ...a1, title: 'New Title' }, a2], SETTINGS);
    expect(again).toMatchObject({ written: [], renamed: [], stale: [], conflicts: [] });
    // The user edited the file before the next rename: it is theirs, kept and reported.
    await writeFile(path.join(dir, 'New Title.md'), 'my edits');
    const third = await exportToFolder(dir, [{ ...a1, title: 'Third Title' }, a2], SETTINGS);
    expect(third.stale).toEqual(['New Title.md']);
    expect(await readFile(path.join(dir, 'New Title.md'), 'utf8')).toBe('my edits');
    expect(existsSync(path.join(dir, 'Third Title.md'))).toBe(true);
  });

  it('refuses a foreign manifest', async () => {
    const [a1] = two();
    await writeFile(path.join(dir, MANIFEST_FILE), '{"something":"else"}');
    await expect(exportToFolder(dir, [a1], SETTINGS)).rejects.toMatchObject({ code: 'conflict' });
  });
});

// --- W3C Web Annotation --------------------------------------------------------------------------------------------------

describe('W3C Web Annotation', () => {
  const w3cDir = path.join(FIXTURES, 'w3c-annotation');
  const load = async (rel: string) => readFile(path.join(w3cDir, rel), 'utf8');
  const listing = async (sub: string) => (await readdir(path.join(w3cDir, sub))).filter((f) => f.endsWith('.json')).sort();

  /** Required keys per the model: Annotation has @context (top level), id, type, target; selectors have their fields. */
  function checkShape(anno: Record<string, unknown>) {
    expect(typeof anno.id).toBe('string');
    expect(anno.type).toBe('Annotation');
    expect(anno.target).toBeDefined();
    const target = anno.target as Record<string, unknown>;
    expect(typeof target.source).toBe('string');
    for (const s of target.selector as Record<string, unknown>[]) {
      if (s.type === 'TextQuoteSelector') expect(typeof s.exact).toBe('string');
      else if (s.type === 'TextPositionSelector') expect([typeof s.start, typeof s.end]).toEqual(['number', 'number']);
      else throw new Error(`unexpected selector ${String(s.type)}`);
    }
    for (const b of [anno.body ?? []].flat() as Record<string, unknown>[]) {
      expect(b.type).toBe('TextualBody');
      expect(typeof b.value).toBe('string');
      expect(['commenting', 'tagging']).toContain(b.purpose);
    }
  }

  it('every valid example parses; the text-targeted ones yield the right quote/position', async () => {
    let parsedCount = 0;
    for (const sub of ['wd2-correct', 'cr-2016-06-examples']) {
      for (const f of await listing(sub)) {
        const out = fromWebAnnotations(await load(`${sub}/${f}`));
        parsedCount += out.length;
      }
    }
    const anno26 = fromWebAnnotations(await load('cr-2016-06-examples/anno26.json'));
    expect(anno26).toEqual([{ id: 'http://example.org/anno26', source: 'http://example.org/page1', quote: 'anotation', prefix: 'this is an ', suffix: ' that has some', note: '', tags: [] }]);
    const refined = fromWebAnnotations(await load('cr-2016-06-examples/anno32.json'));
    expect(refined[0]).toMatchObject({ quote: 'Selected Text', prefix: 'text before the ', suffix: ' and text after it' });
    const position = fromWebAnnotations(await load('cr-2016-06-examples/anno27.json'));
    expect(position[0]).toMatchObject({ quote: '', start: 412, end: 795, source: 'http://example.org/ebook1' });
    const collection = fromWebAnnotations(await load('wd2-correct/collection1.json'));
    expect(collection.map((a) => a.id)).toEqual(['http://example.org/anno23', 'http://example.org/anno24', 'http://example.org/anno29', 'http://example.org/anno38']);
    expect(collection[3]).toMatchObject({ start: 6, end: 27, tags: ['love'], note: 'I really love this particular bit of text in this XML. No really.' });
    expect(parsedCount).toBeGreaterThan(0);
  });

  it('rejects every wd2-incorrect example with invalid_input and a message', async () => {
    const files = await listing('wd2-incorrect');
    const accepted: string[] = [];
    for (const f of files) {
      try {
        fromWebAnnotations(await load(`wd2-incorrect/${f}`));
        accepted.push(f);
      } catch (e) {
        expect(e).toBeInstanceOf(GlossError);
        expect((e as GlossError).code).toBe('invalid_input');
        expect((e as Error).message.length).toBeGreaterThan(10);
      }
    }
    console.log(`wd2-incorrect rejected: ${files.length - accepted.length}/${files.length}`);
    expect(accepted).toEqual([]);
    expect(() => fromWebAnnotations(42)).toThrow(/expected an Annotation/);
    expect(() => fromWebAnnotations({ '@context': ANNO_CONTEXT, type: 'Annotation', target: { source: 'x:y', selector: { type: 'TextPositionSelector', start: 5, end: 2 } } })).toThrow(
      /annotation\.target: TextPositionSelector/,
    );
  });

  it('exports the shape of the examples and round-trips our own highlights', () => {
    const text = 'The quick brown fox jumps over the lazy dog.';
    const a = article('w1', 'Fox', text, (id, t) => [
      hl(id, t, 4, 9, { color: 'green', tags: ['animals', 'speed'], note: 'A *note*' }),
      hl(id, t, 10, 19, { orphaned: true }),
    ], { source: 'https://example.com/fox' });
    const out = toWebAnnotations([a]) as {
      '@context': string;
      type: string;
      total: number;
      first: { type: string; items: { target: { selector: unknown[] } }[] & Record<string, unknown>[] };
    };
    expect(out['@context']).toBe(ANNO_CONTEXT);
    expect(out.type).toBe('AnnotationCollection');
    expect(out.first.type).toBe('AnnotationPage');
    expect(out.total).toBe(2);
    out.first.items.forEach((item) => checkShape(item as Record<string, unknown>));
    expect(out.first.items[0].target.selector).toEqual([
      { type: 'TextQuoteSelector', exact: 'quick', prefix: 'The ', suffix: text.slice(9, 41) },
      { type: 'TextPositionSelector', start: 4, end: 9 },
    ]);
    expect(out.first.items[1].target.selector).toHaveLength(1);
    const back = fromWebAnnotations(JSON.parse(JSON.stringify(out)));
    expect(back[0]).toMatchObject({ source: 'https://example.com/fox', quote: 'quick', start: 4, end: 9, note: 'A *note*', tags: ['animals', 'speed'], color: 'green', created: '2024-05-01T10:00:00.000Z' });
    expect(back[1].start).toBeUndefined();
    expect(back[1].quote).toBe('brown fox');
  });
});

// --- PDF articles ---------------------------------------------------------------------------------------------------------

describe('PDF articles in every export', () => {
  // Three pages: the first two labelled i and ii (front matter), the third unlabelled (named by its number).
  const pageTexts = ['Preface words here.', 'More roman pages.', 'Body text of page three.'];
  const text = pageTexts.join('\n\n');
  const pages = pageTexts.reduce<{ number: number; label?: string; start: number; end: number }[]>((list, t, i) => {
    const start = i === 0 ? 0 : list[i - 1].end + 2;
    list.push({ number: i + 1, ...(i < 2 && { label: ['i', 'ii'][i] }), start, end: start + t.length });
    return list;
  }, []);
  const at = (quote: string) => [text.indexOf(quote), text.indexOf(quote) + quote.length] as const;
  const paper = (fileName = 'My Paper (v2) #1.pdf') =>
    article(
      'pdf1',
      'A Paper',
      text,
      (a, t) => [
        hl(a, t, ...at('Preface words'), { id: 'p1', page: 1, tags: ['intro'], color: 'green' }),
        hl(a, t, ...at('roman pages'), { id: 'p2', page: 2, color: 'yellow' }),
        hl(a, t, ...at('page three'), { id: 'p3', page: 3, tags: ['intro'], color: 'green', note: 'See *this*.' }),
        hl(a, t, ...at('Body text'), { id: 'p4', page: 3, orphaned: true }),
      ],
      {
        kind: 'pdf',
        pages,
        doi: '10.1145/1542476.1542528',
        pdf: { sha256: 'ab'.repeat(32), bytes: 1000, fileName, pageCount: 3, hasTextLayer: true },
      },
    );
  const LINK = 'My%20Paper%20%28v2%29%20%231.pdf';
  const md = new MarkdownIt('commonmark');

  it('names the page (its label where there is one) and links to it, in document order, with the DOI in the frontmatter', () => {
    const out = renderMarkdownExport([paper()], SETTINGS, {});
    const fm = frontmatterOf(out);
    expect(fm.doi).toBe('10.1145/1542476.1542528');
    expect(Object.keys(fm)).toEqual(['title', 'doi', 'tags', 'gloss-tags']);
    expect(out).toContain(`Evidence (green) · [p. i](${LINK}#page=1) · #intro`);
    expect(out).toContain(`Key point (yellow) · [p. ii](${LINK}#page=2) · [Open in Gloss](gloss://open/`);
    expect(out).toMatch(/Evidence \(green\) · \[p\. 3\]\([^)]+#page=3\) · #intro · \[Open in Gloss\]\([^)]+\)\n\n> \[!note\]\n>\n> See \*this\*\./u);
    // an orphan is not on any page of the current text: no page named
    expect(out).toMatch(/Key point \(yellow\) · \[Open in Gloss\]\([^)]+\) · ⚠ orphaned/u);
    // the link is a real link to the right page once rendered, whatever the file name holds
    const html = md.render(out);
    expect(html).toContain(`<a href="${LINK}#page=2">p. ii</a>`);
    expect(decodeURIComponent(LINK)).toBe('My Paper (v2) #1.pdf');
  });

  it('every grouping names the pages too (by tag, by colour), and without a file name the page is plain text', () => {
    for (const groupBy of ['tag', 'color'] as const) {
      const out = renderMarkdownExport([paper()], SETTINGS, { groupBy });
      expect(out.match(/\[p\. [^\]]+\]\([^)]+#page=\d\)/gu)?.length, groupBy).toBeGreaterThanOrEqual(3);
      expect(out).toContain(`[p. 3](${LINK}#page=3)`);
    }
    const nameless = paper('');
    const out = renderMarkdownExport([nameless], SETTINGS, {});
    expect(out).toContain('Evidence (green) · p. i · #intro');
    expect(out).not.toContain('#page=');
    // a PDF from the web without a file name: its address, at the page
    const fromWeb = { ...nameless, source: 'https://example.org/papers/a (1).pdf#old' };
    expect(renderMarkdownExport([fromWeb], SETTINGS, {})).toContain('[p. ii](https://example.org/papers/a%20%281%29.pdf#page=2)');
    expect(renderMarkdownExport([{ ...nameless, source: 'javascript:alert(1)' }], SETTINGS, {})).not.toContain('#page=');
  });

  it('several articles: the DOI is in the metadata list; a web article gets no page', () => {
    const web = article('web1', 'Web', 'Some web text.', (a, t) => [hl(a, t, 0, 4, { id: 'w1' })]);
    const out = renderMarkdownExport([paper(), web], SETTINGS, {});
    expect(out).toContain('- DOI: <https://doi.org/10.1145/1542476.1542528>');
    expect(out.split('# Web')[1]).not.toContain('p. ');
  });

  it('templates get page, pageLabel, pageLink and article.doi (empty for web articles)', () => {
    const template = '{{article.doi}}|{{article.fileName}}\n{{#highlights}}{{page}};{{pageLabel}};{{pageLink}}\n{{/highlights}}';
    const out = renderMarkdownExport([paper()], SETTINGS, { template });
    expect(out).toBe(
      `10.1145/1542476.1542528|My Paper (v2) #1.pdf\n1;i;${LINK}#page=1\n2;ii;${LINK}#page=2\n3;3;${LINK}#page=3\n;;\n`,
    );
    const web = article('web1', 'Web', 'Some web text.', (a, t) => [hl(a, t, 0, 4, { id: 'w1' })]);
    expect(renderMarkdownExport([web], SETTINGS, { template })).toBe('|\n;;\n');
    for (const name of ['page', 'pageLabel', 'pageLink']) expect(Object.keys(TEMPLATE_VARIABLES)).toContain(`highlights[].${name}`);
    expect(Object.keys(TEMPLATE_VARIABLES)).toContain('article.doi');
  });

  it('folder export writes the page links into the article file', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'gloss-export-pdf-'));
    try {
      const result = await exportToFolder(dir, [paper()], SETTINGS);
      const file = await readFile(path.join(dir, result.written[0]), 'utf8');
      expect(file).toContain(`[p. ii](${LINK}#page=2)`);
      expect(frontmatterOf(file).doi).toBe('10.1145/1542476.1542528');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('W3C: a PDF highlight carries a FragmentSelector page=N beside its text selectors, and reads back', () => {
    const out = toWebAnnotations([paper()]) as { first: { items: { target: { selector: Record<string, unknown>[] } }[] } };
    const [first, , third, orphan] = out.first.items;
    expect(first.target.selector).toEqual([
      { type: 'TextQuoteSelector', exact: 'Preface words', prefix: '', suffix: text.slice(13, 45) },
      { type: 'TextPositionSelector', start: 0, end: 13 },
      { type: 'FragmentSelector', conformsTo: 'http://tools.ietf.org/rfc/rfc3778', value: 'page=1' },
    ]);
    expect(third.target.selector.at(-1)).toEqual({ type: 'FragmentSelector', conformsTo: 'http://tools.ietf.org/rfc/rfc3778', value: 'page=3' });
    expect(orphan.target.selector.map((s) => s.type)).toEqual(['TextQuoteSelector']);
    const back = fromWebAnnotations(JSON.parse(JSON.stringify({ '@context': ANNO_CONTEXT, ...out })));
    expect(back.map((a) => [a.quote, a.start, a.end])).toEqual([
      ['Preface words', 0, 13],
      ['roman pages', ...at('roman pages')],
      ['page three', ...at('page three')],
      ['Body text', undefined, undefined],
    ]);
    // Hypothesis's PDF shape: a page FragmentSelector refined by a quote reads as the quote
    const hypothesis = fromWebAnnotations({
      '@context': ANNO_CONTEXT,
      type: 'Annotation',
      target: { source: 'urn:x:paper', selector: { type: 'FragmentSelector', conformsTo: 'http://tools.ietf.org/rfc/rfc3778', value: 'page=2', refinedBy: { type: 'TextQuoteSelector', exact: 'roman' } } },
    });
    expect(hypothesis).toMatchObject([{ quote: 'roman' }]);
  });
});

// --- backup ------------------------------------------------------------------------------------------------------------

describe('backup', () => {
  const notebook = () => [
    article('b1', 'One', 'Some text with unicode 👍 and עברית', (a, t) => [hl(a, t, 0, 4, { tags: ['x'], note: 'n' }), hl(a, t, 5, 9, { orphaned: true, color: 'purple' })], {
      byline: 'Me',
      dir: 'auto',
      html: '<p>Some</p>',
    }),
    article('b2', 'Two', 'Other'),
  ];

  it('round-trips exactly through JSON', () => {
    const articles = notebook();
    const backup = makeBackup(articles, SETTINGS);
    expect(backup.format).toBe('gloss-notebook-backup');
    expect(backup.version).toBe(1);
    const back = parseBackup(JSON.stringify(backup));
    expect(back).toStrictEqual({ articles, settings: SETTINGS });
  });

  it('names the path of a bad field', () => {
    const bad = JSON.parse(JSON.stringify(makeBackup(notebook(), SETTINGS)));
    bad.articles[0].highlights[1].start = '5';
    bad.articles[1].highlights = [{ ...bad.articles[0].highlights[0], id: 'zz' }];
    bad.settings.colorLabels.orange = 'x';
    const message = (() => {
      try {
        parseBackup(bad);
        return '';
      } catch (e) {
        expect((e as GlossError).code).toBe('invalid_input');
        return (e as Error).message;
      }
    })();
    expect(message).toContain('articles[0].highlights[1].start');
    expect(message).toMatch(/settings\.colorLabels/);
    expect(() => parseBackup('{nope')).toThrow(/not valid JSON/);
    expect(() => parseBackup({ ...makeBackup([], SETTINGS), version: 9 })).toThrow(/newer Gloss/);
    const wrongOwner = JSON.parse(JSON.stringify(makeBackup(notebook(), SETTINGS)));
    wrongOwner.articles[1].highlights = [{ ...wrongOwner.articles[0].highlights[0], id: 'other' }];
    expect(() => parseBackup(wrongOwner)).toThrow(/articles\[1\]\.highlights\[0\]\.articleId/);
  });
});

// --- scale -------------------------------------------------------------------------------------------------------------

describe('scale', () => {
  it('exports 100 articles with 10,000 highlights (timing reported, not asserted)', async () => {
    const colors: HighlightColor[] = ['yellow', 'green', 'blue', 'pink', 'purple'];
    const words = 'lorem ipsum *dolor* sit_amet <consectetur> [adipiscing] elit # sed do eiusmod 1. tempor'.split(' ');
    const articles = Array.from({ length: 100 }, (_, ai) => {
      const text = Array.from({ length: 3000 }, (_, i) => words[(i * 7 + ai) % words.length]).join(' ');
      return article(`A${ai}`, `Article ${ai}: "scale" test`, text, (id, t) =>
        Array.from({ length: 100 }, (_, hi) =>
          hl(id, t, hi * 150, hi * 150 + 90, {
            id: `H${ai}_${hi}`,
            color: colors[hi % 5],
            tags: [`tag ${hi % 13}`, `topic/${ai % 7}`],
            note: hi % 4 === 0 ? `Note ${hi} with \`code\`` : '',
          }),
        ),
      );
    });
    const timings: Record<string, number> = {};
    let t0 = performance.now();
    const md = renderMarkdownExport(articles, SETTINGS, {});
    timings.markdownDocument = performance.now() - t0;
    t0 = performance.now();
    renderMarkdownExport(articles, SETTINGS, { groupBy: 'tag' });
    timings.markdownByTag = performance.now() - t0;
    t0 = performance.now();
    const quotes = blockquoteTexts(md);
    timings.reparse = performance.now() - t0;
    expect(quotes).toHaveLength(10_000);
    expect(quotes[123]).toBe(articles[1].highlights[23].quote);
    t0 = performance.now();
    toWebAnnotations(articles);
    timings.w3c = performance.now() - t0;
    const dir = await mkdtemp(path.join(os.tmpdir(), 'gloss-scale-'));
    try {
      t0 = performance.now();
      await exportToFolder(dir, articles, SETTINGS);
      timings.folderFirst = performance.now() - t0;
      t0 = performance.now();
      const again = await exportToFolder(dir, articles, SETTINGS);
      timings.folderAgain = performance.now() - t0;
      expect(again.unchanged).toHaveLength(100);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    console.log(`scale timings (ms), ${md.length} chars: ${JSON.stringify(Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v)])))}`);
  });
});
