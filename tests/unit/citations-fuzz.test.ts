/**
 * BibTeX escaping, checked by property: any title (ASCII punctuation, TeX's specials, accented Latin, other scripts,
 * emoji) written by Gloss and read back by @retorquere/bibtex-parser is the same title.
 */
import fc from 'fast-check';
import { parse as parseBibtex } from '@retorquere/bibtex-parser';
import { describe, expect, it } from 'vitest';
import { renderCitations } from '../../electron/notebook/export/citations';

const pieces = fc.constantFrom(
  ...'abcXYZ019 .,;:!?\'"`-–—()[]<>/@*+=|#$%&~_^\\{}'.split(''),
  'é', 'ñ', 'ç', 'Å', 'ø', 'ß', 'Ł', 'ő', 'ž', 'ı', 'Ω', '中', '😀', '--', '---', '``', "''", '\\par', '{\\em x}', '$x$', '%c',
);
const title = fc.array(pieces, { minLength: 1, maxLength: 30 }).map((p) => p.join('').replace(/\s+/g, ' ').trim()).filter((t) => t.length > 0);

describe('BibTeX escaping', () => {
  it('any title reads back as written', () => {
    fc.assert(
      fc.property(title, (t) => {
        const bib = renderCitations([{ id: 'a', title: t, addedAt: '2026-01-01T00:00:00Z', citekey: 'k' }], 'bibtex');
        const parsed = parseBibtex(bib, { sentenceCase: false, english: false, caseProtection: false });
        expect(parsed.errors).toEqual([]);
        expect(String(parsed.entries[0]?.fields.title ?? '').normalize('NFC')).toBe(t.normalize('NFC'));
      }),
      { numRuns: 400, seed: 16 },
    );
  });

  it('any list of authors reads back as that many people, each whole', () => {
    const name = fc.array(fc.constantFrom('Jane', 'Doe', 'and', 'Ångström', 'O’Brien', 'van', 'de la', '{x}', '%', '&', 'Jr.'), { minLength: 1, maxLength: 4 }).map((w) => w.join(' '));
    fc.assert(
      fc.property(fc.array(name, { minLength: 1, maxLength: 4 }), (authors) => {
        const bib = renderCitations([{ id: 'a', title: 'T', authors, addedAt: '2026-01-01T00:00:00Z', citekey: 'k' }], 'bibtex');
        const parsed = parseBibtex(bib, { sentenceCase: false, english: false, caseProtection: false });
        expect(parsed.errors).toEqual([]);
        expect(parsed.entries[0]?.fields.author).toHaveLength(authors.length);
      }),
      { numRuns: 300, seed: 16 },
    );
  });
});
