/** Search folding (electron/notebook/search/fold.ts) and the query syntax (query.ts), on real multilingual text. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { foldText, foldWithMap, originalRange, originalRangeOf, tokensOf } from '../../electron/notebook/search/fold';
import { FoldedSource } from '../../electron/notebook/search/locate';
import { parseQuery } from '../../electron/notebook/search/query';

const FIXTURES = path.resolve(__dirname, '../../../shared/fixtures');
const moby = readFileSync(path.join(FIXTURES, 'long/moby-dick-2701-0.utf8-bom-crlf.txt'), 'utf8');
const arabicPdfText = readFileSync(path.join(FIXTURES, 'pdf/ArabicCIDTrueType.pdftotext.txt'), 'utf8');

/** Where `query` (typed as a person would) is found in `text`, as the original substring. */
function found(text: string, query: string): string | null {
  const words = parseQuery(query);
  const m = new FoldedSource(text).first([...words.phrases, ...words.terms.map((t) => [t])]);
  return m ? text.slice(m.start, m.end) : null;
}

describe('folding', () => {
  it('folds case, accents and macrons: Natásha = natasha, Māori = maori, café = cafe, İstanbul = istanbul, straße = strasse', () => {
    expect(foldText('Natásha')).toBe('natasha');
    expect(foldText('Māori')).toBe('maori');
    expect(foldText('CAFÉ')).toBe('cafe');
    expect(foldText('İstanbul')).toBe('istanbul');
    expect(foldText('Straße')).toBe('strasse');
    const line = 'Ko te reo Māori te reo taketake o Aotearoa. Natásha ordered a café crème à Genève.';
    expect(found(line, 'maori')).toBe('Māori');
    expect(found(line, 'natasha')).toBe('Natásha');
    expect(found(line, '"cafe creme"')).toBe('café crème');
    expect(found(line, 'GENEVE')).toBe('Genève');
  });

  it('finds a word written with decomposed accents and keeps its marks inside the match', () => {
    const decomposed = 'A cafe\u0301 by the sea.';
    expect(found(decomposed, 'café')).toBe('cafe\u0301');
  });

  it('does not transliterate: Russian stays Russian (and is folded within its script)', () => {
    const line = 'Наташа Ростова вошла в залу. НАТАША!';
    expect(found(line, 'natasha')).toBeNull();
    expect(found(line, 'наташа')).toBe('Наташа');
    expect(new FoldedSource(line).first([['наташа']])?.occurrences).toBe(2);
  });

  it('folds curly and straight apostrophes and quotes, and every dash (Moby-Dick as printed)', () => {
    // The fixture writes ’ and — ; people type ' and -.
    expect(found(moby, '"other\'s fashion"')).toBe('other’s fashion');
    expect(found(moby, 'thing-namely')).toBe('thing—namely');
    expect(found(moby, '"Myself have agreed')).toBe('Myself have agreed');
    expect(foldText('“quoted” ‘single’ – — ― −')).toBe('"quoted" \'single\' - - - -');
  });

  it('folds Arabic harakat, tatweel, the alef and yeh variants, and presentation forms (the Arabic PDF fixture)', () => {
    expect(foldText('مُحَمَّد')).toBe('محمد'); // harakat
    expect(foldText('العـــربية')).toBe('العربية'); // tatweel
    expect(foldText('أحمد إسلام آمن ٱلله')).toBe('احمد اسلام امن الله'); // alef with hamza above/below, madda, wasla
    expect(foldText('مصطفى فارسی شاطئ')).toBe('مصطفي فارسي شاطي'); // alef maksura, Farsi yeh, yeh with hamza
    // The PDF's text is in presentation forms (ﻧ ﻮ ﺍ ...) with RTL embedding marks: typed with ordinary letters, found.
    const line = arabicPdfText.split('\n')[0];
    expect(found(line, '"انواع الخطوط العربية"')).toBe(line.replace(/[\u202a-\u202e]/g, ''));
    expect(found(line, 'الخطوط')).toBe('اﳋﻄﻮط');
  });

  it('folds Hebrew niqqud and cantillation', () => {
    const verse = 'בְּרֵאשִׁית בָּרָא אֱלֹהִים אֵת הַשָּׁמַיִם וְאֵת הָאָרֶץ';
    expect(foldText('בְּרֵאשִׁית')).toBe('בראשית');
    expect(found(verse, 'השמים')).toBe('הַשָּׁמַיִם');
    expect(found(verse, '"ברא אלהים"')).toBe('בָּרָא אֱלֹהִים');
  });

  it('folds full-width forms and ligatures', () => {
    expect(foldText('ＧＬＯＳＳ　２０２６')).toBe('gloss 2026');
    expect(found('The ﬁrst ＷＨＡＬＥ.', '"first whale"')).toBe('ﬁrst ＷＨＡＬＥ');
  });

  it('maps every folded range back to exact UTF-16 offsets in the original, astral characters included', () => {
    const text = '𝒜 Straße — Māori “café” 東京 مُحَمَّد';
    const map = foldWithMap(text);
    expect(map.folded).toBe(foldText(text));
    for (const word of ['strasse', 'maori', 'cafe', '東', '京', 'محمد']) {
      const at = map.folded.indexOf(word);
      const { start, end } = originalRange(map, at, at + word.length);
      expect(foldText(text.slice(start, end))).toBe(word);
    }
    // The walk without a map agrees with the map on every range.
    for (let from = 0; from < map.folded.length; from++) {
      for (let to = from + 1; to <= map.folded.length; to++) expect(originalRangeOf(text, from, to)).toEqual(originalRange(map, from, to));
    }
    // Half of ß (= ss) still covers the whole ß.
    const s = map.folded.indexOf('ss');
    expect(text.slice(originalRange(map, s, s + 1).start, originalRange(map, s, s + 1).end)).toBe('ß');
  });

  it('splits unspaced scripts into characters so a word inside a run is found', () => {
    expect(tokensOf(foldText('東京都に行く')).map((t) => t.term)).toEqual(['東', '京', '都', 'に', '行', 'く']);
    expect(found('私は東京都に住んでいます', '東京')).toBe('東京');
  });
});

describe('query syntax', () => {
  it('words in any order, "phrases", -exclusions and filters', () => {
    const q = parseQuery('whale "white whale" -ahab -"old man" tag:method colour:GREEN article:moby');
    expect(q.terms).toEqual(['whale']);
    expect(q.phrases).toEqual([['white', 'whale']]);
    expect(q.excluded).toEqual([['ahab'], ['old', 'man']]);
    expect(q.tags).toEqual(['method']);
    expect(q.colors).toEqual(['green']);
    expect(q.articles).toEqual(['moby']);
  });

  it('curly quotes delimit a phrase; a filter value may be quoted; labels name colours; unknown colours are reported', () => {
    const q = parseQuery('“stranding whale” tag:"middle east" color:important color:mauve', { important: 'pink' });
    expect(q.phrases).toEqual([['stranding', 'whale']]);
    expect(q.tags).toEqual(['middle east']);
    expect(q.colors).toEqual(['pink']);
    expect(q.unknownColors).toEqual(['mauve']);
  });

  it('a word that folds into several (Man’s, e-mail) stays a phrase; other name: prefixes are words', () => {
    expect(parseQuery("Man's greed").phrases).toEqual([['man', 's']]);
    expect(parseQuery('Man’s greed').terms).toEqual(['greed']);
    expect(parseQuery('note:important').phrases).toEqual([['note', 'important']]);
    expect(parseQuery('a - b').terms).toEqual(['a', 'b']);
  });
});
