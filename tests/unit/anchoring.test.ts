/**
 * Anchoring on real text: Hypothesis's HTML baselines, edited copies of real articles, right-to-left and emoji-laden
 * passages, and Moby-Dick. Each test states what a reader relies on: a highlight stays on its passage after the article
 * is edited, or is flagged orphaned with its quote and note intact; it never lands on the wrong passage and never cuts
 * a character in half.
 */

import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { CONTEXT_CHARS, type Highlight } from '../../electron/contract';
import { GlossError } from '../../electron/notebook/errors';
import { anchorHighlight, reanchorAll } from '../../electron/notebook/anchoring/anchor';
import { checkRange, describeRange, splitsSurrogatePair } from '../../electron/notebook/anchoring/selectors';
import { buildTextModel, canonicalizePlainText, normalizeWhitespace } from '../../electron/text-model';

const FIXTURES = path.resolve(__dirname, '../../../shared/fixtures');
const readFixture = (relative: string): string => fs.readFileSync(path.join(FIXTURES, relative), 'utf8');

const CREATED = '2024-05-01T10:00:00.000Z';
const UPDATED = '2024-05-02T11:30:00.000Z';
let nextId = 0;

/** A highlight as the notebook would store it for [start, end) of `text`. */
function makeHighlight(text: string, start: number, end: number, extra: Partial<Highlight> = {}): Highlight {
  checkRange(text, start, end);
  nextId += 1;
  return {
    id: `h${nextId}`,
    articleId: 'article-1',
    start,
    end,
    ...describeRange(text, start, end),
    color: 'yellow',
    tags: [],
    note: '',
    createdAt: CREATED,
    updatedAt: UPDATED,
    ...extra,
  };
}

/** Highlights the `occurrence`-th (0-based) occurrence of `quote` in `text`. */
function highlightQuote(text: string, quote: string, occurrence = 0, extra: Partial<Highlight> = {}): Highlight {
  const start = nthIndexOf(text, quote, occurrence);
  return makeHighlight(text, start, start + quote.length, extra);
}

function nthIndexOf(text: string, needle: string, occurrence: number): number {
  let at = text.indexOf(needle);
  for (let i = 0; i < occurrence && at !== -1; i += 1) at = text.indexOf(needle, at + 1);
  if (at === -1) throw new Error(`fixture changed? ${JSON.stringify(needle)} (occurrence ${occurrence}) not found`);
  return at;
}

function occurrences(text: string, needle: string): number[] {
  const found: number[] = [];
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) found.push(at);
  return found;
}

const countOccurrences = (text: string, needle: string): number => occurrences(text, needle).length;

/** Parses a page or a bare fragment (Readability's output is a lone <div>): linkedom drops content outside <body>. */
function parsePage(html: string): Document {
  let source = html;
  if (!/<body[\s>]/i.test(source)) source = `<body>${source}</body>`;
  if (!/<html[\s>]/i.test(source)) source = `<!doctype html><html>${source}</html>`;
  return parseHTML(source).document as unknown as Document;
}

/** The canonical text of an HTML page, as the notebook stores it: whitespace normalized, then the text model. */
function htmlText(html: string): string {
  const document = parsePage(html);
  normalizeWhitespace(document.body);
  return buildTextModel(document.body).text;
}

const collapse = (s: string): string => s.replace(/\s+/g, ' ').trim();

function hasLoneSurrogate(s: string): boolean {
  for (let i = 0; i < s.length; i += 1) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return true;
      i += 1;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return true;
    }
  }
  return false;
}

function expectInvalid(fn: () => void, message: RegExp): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(GlossError);
    expect((error as GlossError).code).toBe('invalid_input');
    expect((error as GlossError).message).toMatch(message);
    return;
  }
  throw new Error('expected checkRange to refuse the range');
}

/** Plausible prose of exactly `length` characters ending in a space, to push a passage to a chosen offset. */
function filler(length: number): string {
  expect(length).toBeGreaterThan(0);
  const prose = 'In other news from the region, officials met again this week to discuss trade and security. ';
  return (prose.repeat(Math.ceil(length / prose.length) + 1).slice(0, length - 1) + ' ').slice(-length);
}

const SAMPLE = canonicalizePlainText(readFixture('sample-article.txt'));

// ---------------------------------------------------------------------------------------------------------------------

describe('describeRange', () => {
  it('stores the quote and 32 characters of context either side', () => {
    const quote = 'Supreme Leader Ayatollah Ali Khamenei';
    const h = highlightQuote(SAMPLE, quote);
    expect(h.quote).toBe(quote);
    expect(h.prefix).toHaveLength(CONTEXT_CHARS);
    expect(h.suffix).toHaveLength(CONTEXT_CHARS);
    expect(SAMPLE.slice(h.start - CONTEXT_CHARS, h.end + CONTEXT_CHARS)).toBe(h.prefix + quote + h.suffix);
  });

  it('shortens the context at the edges of the text', () => {
    const end = SAMPLE.indexOf(' will never');
    expect(describeRange(SAMPLE, 0, end)).toEqual({
      quote: 'Iran',
      prefix: '',
      suffix: SAMPLE.slice(end, end + CONTEXT_CHARS),
    });
    const last = describeRange(SAMPLE, SAMPLE.length - 5, SAMPLE.length);
    expect(last.suffix).toBe('');
    expect(last.quote).toBe(SAMPLE.slice(-5));
  });
});

describe('checkRange', () => {
  const text = SAMPLE;

  it('accepts a real selection', () => {
    expect(() => checkRange(text, 0, 4)).not.toThrow();
    expect(() => checkRange(text, text.length - 1, text.length)).not.toThrow();
  });

  it('names what is wrong with a bad range', () => {
    expectInvalid(() => checkRange(text, 10, text.length + 88), new RegExp(`end ${text.length + 88} is past the end of the article text \\(${text.length} characters\\)`));
    expectInvalid(() => checkRange(text, -1, 5), /start -1 is before the beginning/);
    expectInvalid(() => checkRange(text, 7, 7), /empty: start 7 must be less than end 7/);
    expectInvalid(() => checkRange(text, 9, 3), /start 9 must be less than end 3/);
    expectInvalid(() => checkRange(text, 1.5, 9), /start must be a whole number.*1\.5/);
    expectInvalid(() => checkRange(text, 0, Number.NaN), /end must be a whole number.*NaN/);
    expectInvalid(() => checkRange(text, '3' as unknown as number, 9), /start must be a whole number.*"3"/);
  });

  it('refuses a range of nothing but white space', () => {
    const gap = text.indexOf('\n\n');
    expectInvalid(() => checkRange(text, gap, gap + 2), /only white space/);
    expectInvalid(() => checkRange('a \u00a0\u3000 b', 1, 4), /only white space/);
    expect(() => checkRange(text, gap - 1, gap + 2)).not.toThrow();
  });
});

// ---------------------------------------------------------------------------------------------------------------------

describe('Hypothesis HTML baselines', () => {
  const dir = path.join(FIXTURES, 'anchoring/html-baselines');
  const names = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.replace(/\.json$/, ''));

  interface BaselineAnnotation {
    quote: string;
    prefix: string;
    suffix: string;
    start: number;
    end: number;
  }

  function annotationsOf(name: string): BaselineAnnotation[] {
    const json = JSON.parse(fs.readFileSync(path.join(dir, `${name}.json`), 'utf8')) as {
      rows: { target: { selector: Record<string, unknown>[] }[] }[];
    };
    return json.rows.map((row) => {
      const selectors = row.target[0].selector;
      const quote = selectors.find((s) => s.type === 'TextQuoteSelector')!;
      const position = selectors.find((s) => s.type === 'TextPositionSelector')!;
      return {
        quote: quote.exact as string,
        prefix: (quote.prefix as string | undefined) ?? '',
        suffix: (quote.suffix as string | undefined) ?? '',
        start: position.start as number,
        end: position.end as number,
      };
    });
  }

  it('finds the baseline pages', () => {
    expect(names).toEqual(expect.arrayContaining(['minimal', 'wikipedia-regression-testing']));
  });

  it.each(names)('%s: every annotation anchors to its own occurrence of the quote', (name) => {
    const html = fs.readFileSync(path.join(dir, `${name}.html`), 'utf8');
    const text = htmlText(html);
    // Hypothesis's positions count the browser's textContent of <body>, indentation included; ours do not, and
    // linkedom's textContent drifts from the browser's by a few hundred characters late in the page.
    const rawText = parsePage(html).body.textContent!;
    const annotations = annotationsOf(name);
    let anchored = 0;
    for (const a of annotations) {
      const anchor = anchorHighlight(text, a);
      expect(anchor, `quote ${JSON.stringify(a.quote)}`).not.toBeNull();
      const span = text.slice(anchor!.start, anchor!.end);
      expect(collapse(span)).toBe(collapse(a.quote));
      // Several quotes ("Regression testing" occurs 9 times) recur: it must be the occurrence Hypothesis recorded,
      // i.e. the one nearest the recorded position in the raw text, counted in order.
      const recorded = occurrences(rawText, a.quote).reduce(
        (best, at, rank, all) => (Math.abs(at - a.start) < Math.abs(all[best] - a.start) ? rank : best),
        0,
      );
      const ours = occurrences(text, collapse(a.quote)).indexOf(anchor!.start);
      expect(ours, `occurrence of ${JSON.stringify(a.quote)}`).toBe(recorded);
      anchored += 1;
    }
    console.info(`[anchoring] ${name}: ${anchored}/${annotations.length} baseline annotations anchored`);
    expect(anchored).toBe(annotations.length);
  });
});

// ---------------------------------------------------------------------------------------------------------------------

describe('edited copies of the sample article', () => {
  const paragraphs = SAMPLE.split('\n\n');
  const rejoin = (ps: string[]): string => ps.join('\n\n');

  it('keeps the stored position when the text before the highlight is unchanged', () => {
    const h = highlightQuote(SAMPLE, 'Khamenei’s first meeting');
    expect(anchorHighlight(SAMPLE, h)).toEqual({ start: h.start, end: h.end, method: 'position' });
    const appended = `${SAMPLE}\n\nThis article was updated to add a correction at the end.`;
    expect(anchorHighlight(appended, h)).toEqual({ start: h.start, end: h.end, method: 'position' });
    expect(reanchorAll(appended, [h])).toEqual({ highlights: [h], anchored: 1, orphaned: 0 });
  });

  it('follows highlights when paragraphs are inserted before them and unrelated ones deleted', () => {
    const highlights = [
      highlightQuote(SAMPLE, 'Mustafa al-Kadhimi who arrived in Tehran on Tuesday', 0, { note: 'visit', tags: ['iraq'] }),
      highlightQuote(SAMPLE, 'a source of destabilization and instability in Iraq'),
      highlightQuote(SAMPLE, 'shot down a Ukrainian passenger plane over Tehran'),
    ];
    const deleted = paragraphs.findIndex((p) => p.startsWith('For all the latest headlines'));
    const edited = rejoin([
      'Editor’s note: this story was updated with comments from the meeting.',
      'Background: tensions between Iran and the United States have been high since January.',
      ...paragraphs.filter((_, i) => i !== deleted),
    ]);
    const result = reanchorAll(edited, highlights);
    expect(result).toMatchObject({ anchored: 3, orphaned: 0 });
    for (const [i, h] of result.highlights.entries()) {
      expect(h.start).toBe(edited.indexOf(highlights[i].quote));
      expect(h.quote).toBe(highlights[i].quote);
      expect(edited.slice(h.start, h.end)).toBe(h.quote);
      expect(h.orphaned).toBeUndefined();
      expect({ ...h, start: 0, end: 0, prefix: '', suffix: '' }).toEqual({
        ...highlights[i],
        start: 0,
        end: 0,
        prefix: '',
        suffix: '',
      });
    }
    expect(result.highlights[0]).toMatchObject({ note: 'visit', tags: ['iraq'], updatedAt: UPDATED });
    // The context is refreshed from the new text, so the next edit anchors from here.
    expect(result.highlights[0].prefix).toBe(describeRange(edited, result.highlights[0].start, result.highlights[0].end).prefix);
  });

  it('lands on the right occurrence when the quoted sentence is duplicated where it used to be', () => {
    const sentence = 'This was Khamenei’s first meeting with a foreign official in five months.';
    const h = highlightQuote(SAMPLE, sentence);
    // A new paragraph, one before the quote's, repeats the sentence at exactly the old offset; the original moves down.
    const para = paragraphs.findIndex((p) => p.startsWith(sentence)) - 1;
    const before = rejoin(paragraphs.slice(0, para)) + '\n\n';
    const lead = filler(h.start - before.length);
    const edited = before + rejoin([`${lead}${sentence} It was widely reported.`, ...paragraphs.slice(para)]);
    expect(edited.slice(h.start, h.end)).toBe(sentence);
    expect(countOccurrences(edited, sentence)).toBe(2);
    const [moved] = reanchorAll(edited, [h]).highlights;
    expect(moved.start).toBe(nthIndexOf(edited, sentence, 1));
    expect(moved.end - moved.start).toBe(sentence.length);
  });

  it('does not trust the old offsets when a short quote only happens to be there again', () => {
    const para = paragraphs.findIndex((p) => p.startsWith('Khamenei met with'));
    const h = highlightQuote(SAMPLE, 'Tehran');
    const before = rejoin(paragraphs.slice(0, para)) + '\n\n';
    const coincidence = `${filler(h.start - before.length)}Tehran and Baghdad exchanged envoys.`;
    const edited = before + rejoin([coincidence, ...paragraphs.slice(para)]);
    expect(edited.slice(h.start, h.end)).toBe('Tehran');
    const anchor = anchorHighlight(edited, h);
    expect(anchor).toMatchObject({ method: 'quote', start: h.start + coincidence.length + 2 });
  });

  it('picks the occurrence whose context matches among many of a short quote', () => {
    // "Khamenei" occurs in several paragraphs; the highlighted one is in "The US does not want...".
    const para = paragraphs.findIndex((p) => p.startsWith('The US does not want'));
    const paraStart = SAMPLE.indexOf(paragraphs[para]);
    const start = SAMPLE.indexOf('Khamenei', paraStart);
    const h = makeHighlight(SAMPLE, start, start + 'Khamenei'.length);
    expect(countOccurrences(SAMPLE, 'Khamenei')).toBeGreaterThan(4);
    const edited = rejoin(['Khamenei spoke again on Wednesday.', ...paragraphs.slice(0, para), 'Khamenei added:', ...paragraphs.slice(para)]);
    const [moved] = reanchorAll(edited, [h]).highlights;
    const newParaStart = edited.indexOf(paragraphs[para]);
    expect(moved.start).toBe(edited.indexOf('Khamenei', newParaStart));
  });

  it('follows a quote whose typo was fixed (fuzzy) and takes the corrected quote', () => {
    const correct = 'will definitely strike a retaliatory blow to the Americans';
    const withTypo = SAMPLE.replace(correct, 'will definately strike a retaliatroy blow to the Americans');
    const h = highlightQuote(withTypo, 'will definately strike a retaliatroy blow to the Americans', 0, { note: 'threat' });
    const fixed = rejoin(['Update: corrected spelling.', SAMPLE]);
    const anchor = anchorHighlight(fixed, h);
    expect(anchor).toMatchObject({ start: fixed.indexOf(correct), end: fixed.indexOf(correct) + correct.length, method: 'fuzzy' });
    const [moved] = reanchorAll(fixed, [h]).highlights;
    expect(moved).toMatchObject({ quote: correct, note: 'threat', updatedAt: UPDATED });
    expect(moved.orphaned).toBeUndefined();
  });

  it('follows a quote whose punctuation and paragraphing changed', () => {
    const quote = '“will definitely strike a retaliatory blow to the Americans,” Khamenei said during the meeting';
    const h = highlightQuote(SAMPLE, quote);
    // Straight quotes with the comma outside, and the paragraph split after "Americans".
    const edited = SAMPLE.replace(
      '“will definitely strike a retaliatory blow to the Americans,” Khamenei said during the meeting',
      '"will definitely strike a retaliatory blow to the Americans".\n\nKhamenei said during the meeting',
    );
    const anchor = anchorHighlight(edited, h);
    expect(anchor?.method).toBe('fuzzy');
    const expectedStart = edited.indexOf('"will definitely');
    const expectedEnd = edited.indexOf('during the meeting') + 'during the meeting'.length;
    expect(Math.abs(anchor!.start - expectedStart)).toBeLessThanOrEqual(1);
    expect(Math.abs(anchor!.end - expectedEnd)).toBeLessThanOrEqual(1);
    expect(edited.slice(anchor!.start, anchor!.end)).toContain('retaliatory blow to the Americans".\n\nKhamenei said');
  });

  it('orphans a highlight whose passage was deleted, keeping its quote, note and tags', () => {
    const gone = paragraphs.findIndex((p) => p.startsWith('Soleimani, who headed the Quds Force'));
    const kept = highlightQuote(SAMPLE, 'ballistic missile strike against military bases');
    const h = highlightQuote(SAMPLE, 'killed in a US airstrike at Baghdad’s international airport', 0, {
      note: 'check the date',
      tags: ['airstrike', 'Baghdad'],
      color: 'pink',
    });
    const edited = rejoin(paragraphs.filter((_, i) => i !== gone));
    const result = reanchorAll(edited, [kept, h]);
    expect(result).toMatchObject({ anchored: 1, orphaned: 1 });
    expect(result.highlights[1]).toEqual({ ...h, orphaned: true });
    expect(result.highlights[0].start).toBe(edited.indexOf(kept.quote));
  });

  it('orphans a short common quote whose passage was deleted rather than jump to another occurrence', () => {
    const para = paragraphs.findIndex((p) => p.startsWith('Iran retaliated days later'));
    const start = SAMPLE.indexOf('Iraq', SAMPLE.indexOf(paragraphs[para]));
    const h = makeHighlight(SAMPLE, start, start + 4);
    const edited = rejoin(paragraphs.filter((_, i) => i !== para));
    expect(countOccurrences(edited, 'Iraq')).toBeGreaterThan(5);
    expect(anchorHighlight(edited, h)).toBeNull();
    expect(reanchorAll(edited, [h])).toMatchObject({ anchored: 0, orphaned: 1 });
  });

  it('anchors an orphan again when its passage comes back', () => {
    const h = highlightQuote(SAMPLE, 'Iran is heavily involved in Iraq');
    const without = SAMPLE.replace('Iran is heavily involved in Iraq through', 'Iran works in Iraq through');
    const [orphan] = reanchorAll(without, [h]).highlights;
    expect(orphan.orphaned).toBe(true);
    const [back] = reanchorAll(SAMPLE, [orphan]).highlights;
    expect(back).toEqual(h);
  });
});

// ---------------------------------------------------------------------------------------------------------------------

describe('edited copies of Readability articles', () => {
  /** A highlight placed by paragraph, so its expected place in an edited copy is known by construction. */
  interface Spot {
    para: number;
    offset: number;
    length: number;
  }

  const paraStart = (ps: string[], index: number): number =>
    ps.slice(0, index).reduce((sum, p) => sum + p.length + 2, 0);

  /** About 60 characters from a quarter into the paragraph, on word boundaries (Chinese has no spaces: 40 characters). */
  function spotIn(ps: string[], para: number): Spot {
    const p = ps[para];
    const quarter = Math.floor(p.length / 4);
    const from = p.indexOf(' ', quarter) + 1;
    if (from === 0) return { para, offset: quarter, length: Math.min(40, p.length - quarter) };
    const to = p.indexOf(' ', from + 60);
    return { para, offset: from, length: (to === -1 ? p.length : to) - from };
  }

  const articles = ['bbc-1', 'lemonde-1', 'medium-1', 'gmw', 'wikipedia'];

  it.each(articles)('%s: highlights follow inserted, deleted and duplicated paragraphs', (name) => {
    const text = htmlText(readFixture(`readability/${name}/expected.html`));
    const ps = text.split('\n\n');
    const long = ps.map((p, i) => (p.length >= 120 ? i : -1)).filter((i) => i >= 0);
    expect(long.length).toBeGreaterThanOrEqual(4);
    const picks = [long[0], long[Math.floor(long.length / 3)], long[Math.floor((2 * long.length) / 3)], long.at(-1)!];
    const spots = [...new Set(picks)].map((i) => spotIn(ps, i));
    const highlights = spots.map((s) => {
      const start = paraStart(ps, s.para) + s.offset;
      return makeHighlight(text, start, start + s.length, { note: `note on paragraph ${s.para}` });
    });

    // Edit: two paragraphs at the top, the first highlighted quote duplicated in one of them, and an unrelated
    // paragraph between the first two highlights deleted.
    const dropped = ps.findIndex((_, i) => i > spots[0].para && i < spots[1].para && !spots.some((s) => s.para === i));
    const inserted = ['A note added by the editor before the article.', `Pull quote: ${highlights[0].quote}`];
    const newPs = [...inserted, ...ps.filter((_, i) => i !== dropped)];
    const newIndex = (old: number): number => old + inserted.length - (dropped !== -1 && old > dropped ? 1 : 0);
    const newText = newPs.join('\n\n');
    expect(countOccurrences(newText, highlights[0].quote)).toBeGreaterThanOrEqual(2);

    const result = reanchorAll(newText, highlights);
    expect(result).toMatchObject({ anchored: highlights.length, orphaned: 0 });
    result.highlights.forEach((h, i) => {
      const expected = paraStart(newPs, newIndex(spots[i].para)) + spots[i].offset;
      expect(h.start, `highlight ${i} in ${name}`).toBe(expected);
      expect(h.quote).toBe(highlights[i].quote);
      expect(h.note).toBe(highlights[i].note);
    });
  });

  it.each(articles)('%s: a typo fixed inside a quote is followed exactly', (name) => {
    const text = htmlText(readFixture(`readability/${name}/expected.html`));
    const ps = text.split('\n\n');
    const para = ps.findIndex((p) => p.length >= 120);
    expect(para).toBeGreaterThanOrEqual(0);
    const spot = spotIn(ps, para);
    const start = paraStart(ps, para) + spot.offset;
    const end = start + spot.length;
    // The stored article had two letters swapped in the middle of the quote; the new text has them right.
    const mid = start + Math.floor(spot.length / 2);
    const typo = text.slice(0, mid) + text[mid + 1] + text[mid] + text.slice(mid + 2);
    expect(typo).not.toBe(text);
    const h = makeHighlight(typo, start, end);
    const anchor = anchorHighlight(text, h);
    expect(anchor).toEqual({ start, end, method: 'fuzzy' });
  });
});

// ---------------------------------------------------------------------------------------------------------------------

describe('right-to-left and mixed scripts', () => {
  // Article 1 of the Universal Declaration of Human Rights in Arabic and Persian (the Persian has zero-width non-joiners),
  // with emoji (surrogate pairs, one with a variation selector) and Latin text mixed in.
  const arabic = 'يولد جميع الناس أحرارًا متساوين في الكرامة والحقوق. وقد وهبوا عقلًا وضميرًا وعليهم أن يعامل بعضهم بعضًا بروح الإخاء.';
  const persian = 'تمام افراد بشر آزاد به دنیا می‌آیند و از لحاظ حیثیت و حقوق با هم برابرند. همه دارای عقل و وجدان می‌باشند و باید نسبت به یکدیگر با روح برادری رفتار کنند.';
  const text = [
    `Article 1 🕊️ in Arabic: ${arabic} 🌍🌍`,
    `In Persian 📜: ${persian} 🤝🏽`,
    'Combining marks: cafe\u0301, Cura\u0327ao, and the Vietnamese tie\u0302\u0301ng Vie\u0323\u0302t.',
  ].join('\n\n');

  it('describeRange never cuts a surrogate pair out of the context', () => {
    let checked = 0;
    for (let start = 0; start < text.length; start += 1) {
      for (const length of [1, 2, 5, 40]) {
        const end = start + length;
        if (end > text.length || splitsSurrogatePair(text, start) || splitsSurrogatePair(text, end)) continue;
        const { quote, prefix, suffix } = describeRange(text, start, end);
        expect(hasLoneSurrogate(prefix) || hasLoneSurrogate(suffix) || hasLoneSurrogate(quote)).toBe(false);
        expect(prefix.length).toBeGreaterThanOrEqual(Math.min(start, CONTEXT_CHARS) - 1);
        expect(text.slice(start - prefix.length, end + suffix.length)).toBe(prefix + quote + suffix);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('shrinks the context by one unit where 32 units would split an emoji', () => {
    const globe = text.indexOf('🌍');
    const start = globe + 1 + CONTEXT_CHARS; // 32 units back lands between the halves of 🌍
    expect(splitsSurrogatePair(text, start - CONTEXT_CHARS)).toBe(true);
    const { prefix } = describeRange(text, start, start + 4);
    expect(prefix).toHaveLength(CONTEXT_CHARS - 1);
    expect(hasLoneSurrogate(prefix)).toBe(false);
  });

  it('checkRange refuses a boundary inside an emoji and accepts one around it', () => {
    const dove = text.indexOf('🕊');
    expectInvalid(() => checkRange(text, dove + 1, dove + 10), new RegExp(`start ${dove + 1} falls inside a character`));
    expectInvalid(() => checkRange(text, dove - 5, dove + 1), new RegExp(`end ${dove + 1} falls inside a character`));
    expect(() => checkRange(text, dove, dove + 2)).not.toThrow();
    const skin = text.indexOf('🏽');
    expectInvalid(() => checkRange(text, skin - 3, skin + 1), /falls inside a character/);
  });

  it('re-anchors Arabic and Persian passages after edits around them', () => {
    const arabicQuote = 'وقد وهبوا عقلًا وضميرًا';
    const persianQuote = 'همه دارای عقل و وجدان می‌باشند';
    const highlights = [highlightQuote(text, arabicQuote), highlightQuote(text, `${persianQuote} و باید`)];
    const edited = [
      'مقدمه 🌟: اعلامیه جهانی حقوق بشر در سال ۱۹۴۸ تصویب شد.',
      text.replace('🌍🌍', '🌍').replace('📜', '📜📜'),
    ].join('\n\n');
    const result = reanchorAll(edited, highlights);
    expect(result.anchored).toBe(2);
    expect(result.highlights[0].start).toBe(edited.indexOf(arabicQuote));
    expect(result.highlights[1].quote).toBe(`${persianQuote} و باید`);
  });

  it('re-anchors a Persian quote whose zero-width non-joiner was replaced by a space (fuzzy)', () => {
    const quote = 'همه دارای عقل و وجدان می‌باشند';
    const h = highlightQuote(text, quote);
    const edited = text.replace(quote, quote.replace('\u200c', ' '));
    const anchor = anchorHighlight(edited, h);
    expect(anchor).toEqual({ start: h.start, end: h.end, method: 'fuzzy' });
  });

  it('keeps a fuzzy anchor on character boundaries when an emoji replaces a letter at its edge', () => {
    const quote = 'Combining marks: cafe\u0301, Cura\u0327ao';
    const h = highlightQuote(text, quote);
    // "o" at the quote's end becomes 😀: an alignment ending after the emoji's first half costs as little as one
    // ending before it, and must be widened rather than returned.
    const edited = text.replace(quote, quote.slice(0, -1) + '😀');
    const anchor = anchorHighlight(edited, h)!;
    expect(anchor).not.toBeNull();
    expect(splitsSurrogatePair(edited, anchor.start) || splitsSurrogatePair(edited, anchor.end)).toBe(false);
    expect(anchor.start).toBe(h.start);
    expect(edited.slice(anchor.start, anchor.end)).toMatch(/^Combining marks: cafe\u0301, Cura\u0327a(😀)?$/u);
  });

  it('never returns offsets that split a surrogate pair, whatever the edit (property)', () => {
    const alphabet = ['a', 'b', ' ', 'ي', 'ل', 'د', '\u200c', 'e\u0301', '😀', '🕊️', '🤝🏽', '𝒳', '\n\n'];
    const chunk = fc.array(fc.constantFrom(...alphabet), { minLength: 0, maxLength: 12 }).map((a) => a.join(''));
    const doc = fc.array(fc.constantFrom(...alphabet), { minLength: 20, maxLength: 120 }).map((a) => a.join(''));
    fc.assert(
      fc.property(doc, chunk, fc.nat(), fc.nat(), fc.nat(), (original, insert, a, b, at) => {
        const bounds = [...original.matchAll(/./gsu)].map((m) => m.index!).concat(original.length);
        const start = bounds[a % (bounds.length - 1)];
        const end = bounds[Math.min(bounds.length - 1, bounds.indexOf(start) + 1 + (b % 8))];
        if (original.slice(start, end).trim().length === 0) return;
        const h = makeHighlight(original, start, end);
        const cut = bounds[at % bounds.length];
        const edited = original.slice(0, cut) + insert + original.slice(cut);
        const anchor = anchorHighlight(edited, h);
        if (anchor === null) return;
        expect(anchor.start).toBeLessThan(anchor.end);
        expect(splitsSurrogatePair(edited, anchor.start)).toBe(false);
        expect(splitsSurrogatePair(edited, anchor.end)).toBe(false);
        const [moved] = reanchorAll(edited, [h]).highlights;
        expect(hasLoneSurrogate(moved.quote + moved.prefix + moved.suffix)).toBe(false);
      }),
      { numRuns: 400, seed: 20240501 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------------

describe('Moby-Dick (1.2 MB)', () => {
  const moby = canonicalizePlainText(readFixture('long/moby-dick-2701-0.utf8-bom-crlf.txt'));

  /** A word-aligned span of 20 to 140 characters starting near `near`. */
  function wordSpan(near: number, length: number): [number, number] {
    const start = moby.indexOf(' ', near) + 1;
    let end = moby.indexOf(' ', start + length);
    if (end === -1 || end - start > 160) end = start + length;
    while (/\s/.test(moby[end - 1])) end -= 1;
    return [start, end];
  }

  it('is the whole book', () => {
    expect(moby.length).toBeGreaterThan(1_200_000);
    expect(moby).toContain('Call me Ishmael.');
  });

  it('re-anchors 200 highlights after a paragraph is inserted near the start', () => {
    const insertAt = moby.indexOf('\n\n', moby.indexOf('Call me Ishmael.')) - 3000; // before chapter 1's first paragraph
    const paragraphStart = moby.lastIndexOf('\n\n', insertAt) + 2;
    const inserted = 'A note from the editor of this edition, inserted before the first chapter.\n\n';
    const edited = moby.slice(0, paragraphStart) + inserted + moby.slice(paragraphStart);
    const step = Math.floor((moby.length - paragraphStart - 1000) / 200);
    const highlights = Array.from({ length: 200 }, (_, i) => {
      const [start, end] = wordSpan(paragraphStart + 10 + i * step, 20 + ((i * 37) % 120));
      return makeHighlight(moby, start, end, { note: `note ${i}` });
    });

    const t0 = performance.now();
    const result = reanchorAll(edited, highlights);
    const elapsed = performance.now() - t0;
    console.info(`[anchoring] Moby-Dick: 200 highlights re-anchored after an insertion in ${elapsed.toFixed(0)} ms`);

    expect(result).toMatchObject({ anchored: 200, orphaned: 0 });
    result.highlights.forEach((h, i) => {
      expect(h.start, `highlight ${i}`).toBe(highlights[i].start + inserted.length);
      expect(h.end).toBe(highlights[i].end + inserted.length);
      expect(h.quote).toBe(highlights[i].quote);
    });
    expect(elapsed).toBeLessThan(3000);
  });

  it('follows a corrected passage deep in the book with a fuzzy anchor', () => {
    const [start, end] = wordSpan(Math.floor(moby.length * 0.77), 150);
    const original = moby.slice(start, end);
    // The stored copy had an OCR-style error every ~20 characters; the book now reads correctly.
    const damaged = original.replace(/(.{19})[a-z]/g, '$1#');
    expect(damaged).not.toBe(original);
    const stored = moby.slice(0, start) + damaged + moby.slice(end);
    const h = makeHighlight(stored, start, start + damaged.length);
    const edited = 'Preface.\n\n' + moby;

    const t0 = performance.now();
    const anchor = anchorHighlight(edited, h);
    const elapsed = performance.now() - t0;
    console.info(`[anchoring] Moby-Dick: one fuzzy anchor (${original.length} chars) in ${elapsed.toFixed(0)} ms`);
    expect(anchor).toEqual({ start: start + 10, end: end + 10, method: 'fuzzy' });
    expect(elapsed).toBeLessThan(1000);
  });

  it('follows a long passage across paragraphs (head, tail and span verified)', () => {
    const chapter = moby.indexOf('CHAPTER 42. The Whiteness of The Whale.');
    const start = moby.indexOf('\n\n', chapter + 500) + 2;
    const end = moby.indexOf('.', start + 3000) + 1;
    const h = makeHighlight(moby, start, end);
    expect(h.quote.length).toBeGreaterThan(3000);
    expect(h.quote).toContain('\n\n');
    // Edits inside the passage: a word changed, a sentence added, a paragraph break removed.
    let inner = h.quote.replace(' the ', ' THE ').replace('. ', '. And so it was. ');
    inner = inner.replace('\n\n', ' ');
    const edited = 'Preface.\n\n' + moby.slice(0, start) + inner + moby.slice(end);

    const t0 = performance.now();
    const anchor = anchorHighlight(edited, h);
    const elapsed = performance.now() - t0;
    console.info(`[anchoring] Moby-Dick: one long (${h.quote.length} chars) fuzzy anchor in ${elapsed.toFixed(0)} ms`);
    expect(anchor).toEqual({ start: start + 10, end: start + 10 + inner.length, method: 'fuzzy' });
  });

  it('orphans a long passage whose middle was rewritten even though its head and tail remain', () => {
    const chapter = moby.indexOf('CHAPTER 42. The Whiteness of The Whale.');
    const start = moby.indexOf('\n\n', chapter + 500) + 2;
    const end = moby.indexOf('.', start + 3000) + 1;
    const h = makeHighlight(moby, start, end);
    const middle = moby.slice(start + 400, end - 400);
    const replacement = moby.slice(200_000, 200_000 + middle.length); // another passage of the same length
    const edited = moby.slice(0, start + 400) + replacement + moby.slice(end - 400);
    expect(edited.length).toBe(moby.length);
    expect(anchorHighlight(edited, { ...h, start: 0, end: 0 })).toBeNull();
  });

  it('uses the hint to choose between identical passages with identical context', () => {
    const pStart = moby.indexOf('Call me Ishmael.');
    const pEnd = moby.indexOf('\n\n', pStart);
    const paragraph = moby.slice(pStart, pEnd);
    const doubled = `${paragraph}\n\n${paragraph}`;
    const second = paragraph.length + 2;
    const at = second + paragraph.indexOf('Whenever I find myself');
    const h = makeHighlight(doubled, at, at + 'Whenever I find myself growing grim about the mouth'.length);
    const shifted = 'Preface.\n\n' + doubled;
    expect(anchorHighlight(shifted, h, { hint: h.start + 10 })?.start).toBe(at + 10);
    expect(anchorHighlight(shifted, h, { hint: 0 })?.start).toBe(at + 10 - second);
  });

  it('orphans a highlight whose paragraph was cut, quickly, and keeps its neighbours', () => {
    const para = moby.indexOf('There is no steady unretracing progress in this life');
    expect(para).toBeGreaterThan(0);
    const pStart = moby.lastIndexOf('\n\n', para) + 2;
    const pEnd = moby.indexOf('\n\n', para);
    const h = makeHighlight(moby, para, para + 'There is no steady unretracing progress in this life'.length, { note: 'keep me' });
    const neighbour = makeHighlight(moby, pEnd + 2, moby.indexOf(' ', pEnd + 40));
    const edited = moby.slice(0, pStart) + moby.slice(pEnd + 2);

    const t0 = performance.now();
    const result = reanchorAll(edited, [h, neighbour]);
    const elapsed = performance.now() - t0;
    console.info(`[anchoring] Moby-Dick: orphan detection (fuzzy search over the whole book) in ${elapsed.toFixed(0)} ms`);
    expect(result).toMatchObject({ anchored: 1, orphaned: 1 });
    expect(result.highlights[0]).toEqual({ ...h, orphaned: true });
    expect(result.highlights[1].start).toBe(pStart);
  });
});
