/**
 * A synthetic notebook for search tests and the search benchmark: `articles` articles of `words` words each, with
 * highlights, tags and notes, deterministic for a given seed. Built as ArticleDocs (what the notebook holds in memory)
 * so tests can search it without disk, and the benchmark can also write it out as a real notebook folder.
 */
import { HIGHLIGHT_COLORS, type Highlight } from '../electron/contract';
import type { ArticleDoc } from '../electron/notebook/notebook';

export interface CorpusOptions {
  articles: number;
  words: number;
  highlightsPerArticle: number;
  seed?: number;
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ser', 'tan', 'vi', 'dor', 'quel', 'ra', 'nu', 'shi', 'pe', 'zo', 'ba', 'gri', 'ul'];
const TAGS = ['retaliation', 'Iran', 'sanctions', 'oil', 'Middle East', 'diplomacy', 'élection', '東京', 'evidence', 'method'];
/** Words planted at known rates so tests know what to expect: one article in 100 has "zephyrine". */
export const RARE_WORD = 'zephyrine';

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function makeCorpus(options: CorpusOptions): ArticleDoc[] {
  const random = mulberry32(options.seed ?? 1);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const vocabulary = Array.from({ length: 2000 }, () => {
    const n = 1 + Math.floor(random() * 3);
    return Array.from({ length: n }, () => pick(SYLLABLES)).join('');
  });
  const docs: ArticleDoc[] = [];
  const now = new Date(Date.UTC(2024, 0, 1)).toISOString();
  for (let a = 0; a < options.articles; a++) {
    const id = `article${String(a).padStart(5, '0')}`;
    const paragraphs: string[] = [];
    let words: string[] = [];
    for (let w = 0; w < options.words; w++) {
      let word = pick(vocabulary);
      if (w === 0) word = word[0].toUpperCase() + word.slice(1);
      words.push(word);
      if (words.length >= 60 || w === options.words - 1) {
        paragraphs.push(`${words.join(' ')}.`);
        words = [];
      }
    }
    if (a % 100 === 7) paragraphs.splice(1, 0, `The ${RARE_WORD} clause was signed in Genève.`);
    const text = paragraphs.join('\n\n');
    const highlights: Highlight[] = [];
    const step = Math.floor(text.length / (options.highlightsPerArticle + 1));
    for (let h = 0; h < options.highlightsPerArticle; h++) {
      const start = text.indexOf(' ', step * h + 1) + 1;
      const end = Math.min(text.length, start + 40 + Math.floor(random() * 80));
      highlights.push({
        id: `${id}h${h}`,
        articleId: id,
        start,
        end,
        quote: text.slice(start, end),
        prefix: text.slice(Math.max(0, start - 32), start),
        suffix: text.slice(end, end + 32),
        color: HIGHLIGHT_COLORS[h % HIGHLIGHT_COLORS.length],
        tags: [pick(TAGS), pick(TAGS)].filter((t, i, all) => all.indexOf(t) === i),
        note: h % 3 === 0 ? `Note ${h}: compare with ${pick(vocabulary)} and ${pick(vocabulary)}.` : '',
        createdAt: now,
        updatedAt: now,
      });
    }
    docs.push({
      schemaVersion: 1,
      article: { id, title: `Article ${a}: ${pick(vocabulary)}`, addedAt: now, updatedAt: now, text, note: a % 10 === 0 ? `Article note ${a}` : '' },
      highlights,
    });
  }
  return docs;
}
