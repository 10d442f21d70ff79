// A generated library in the notebook folder's version 2 layout (electron/notebook/store/layout.ts), written directly
// (content files, annotation files, notebook.json), so a 10,000-article notebook takes seconds, not an import each.
// Shared by bench/library.mjs (storage) and the search bench (issue 15).
//
//   import { writeLibrary, writeNovel, contentIdOf } from './library-fixture.mjs';
//   const { ids, highlights, textChars, htmlChars } = await writeLibrary(dir, { articles: 1000 });
//     articles      how many (default 100)
//     textChars     text per article (default 20,000 characters, ~20 KB)
//     highlights    highlights over the whole library, spread evenly (default 300), tags from TAGS, colours cycling
//     seed          PRNG seed (default 1): the same options write the same library
//     htmlEvery     every n-th article is an HTML page with its HTML stored (default 2; the others plain text, no HTML)
//   Texts are distinct (each has its own title line and a different run of the corpus) and carry the words search must
//   fold: Natásha, Māori, café, “Man’s greed”, naïve, Zürich, and a sentence of Arabic and Hebrew with marks.
//   const novel = await writeNovel(dir, { textChars: 3_000_000, highlights: 2000 }) -> { id, textChars }
//     one long plain-text article (a novel) with many highlights, added to the same folder.
//   Open the folder with the Notebook (or out/main/web.js --data-dir dir --no-seed) afterwards; nothing else is needed.
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const TAGS = ['method', 'evidence', 'history', 'quote', 'question', 'tides', 'ships', 'Zürich'];
const COLORS = ['yellow', 'green', 'blue', 'pink', 'purple'];
const WORDS = (
  'the sea and tide of ships sailed north while harbour lights burned low over water as sailors watched the moon ' +
  'pull waves toward the shore where fishers mended nets and children ran along the quay under grey clouds that ' +
  'carried rain from distant islands across the channel into town before evening bells rang for supper and lamps ' +
  'were lit in narrow streets beside warehouses full of salt grain timber rope tar and letters from far away'
).split(' ');
const FOLDING = [
  'Natásha read the letter twice.',
  'The Māori names of the headlands were written on the chart.',
  'They met at the café by the harbour.',
  '“Man’s greed,” she said, “is older than the sea.”',
  'It was a naïve hope, and they knew it in Zürich too.',
  'مَرْحَبًا بِكُمْ في الميناء — שָׁלוֹם לַיָּם.',
];

/** A small deterministic PRNG (mulberry32): the same seed, the same library. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** ~4 MB of paragraphs made once; articles take different runs of it. */
function makeCorpus(random, chars) {
  const paragraphs = [];
  let total = 0;
  while (total < chars) {
    const words = [];
    const n = 40 + Math.floor(random() * 80);
    for (let i = 0; i < n; i++) words.push(WORDS[Math.floor(random() * WORDS.length)]);
    let p = `${words.join(' ')}.`;
    p = p[0].toUpperCase() + p.slice(1);
    if (random() < 0.15) p += ` ${FOLDING[Math.floor(random() * FOLDING.length)]}`;
    paragraphs.push(p);
    total += p.length + 2;
  }
  return paragraphs;
}

function escapeText(s) {
  return s.replace(/[&<>\u00A0]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&nbsp;'));
}

export function contentIdOf(serialized) {
  return createHash('sha256').update(serialized).digest('hex');
}

/** Writes content/<sha256>.json exactly as the store does (store/content.ts): versioned, fields in order. */
async function writeContent(dir, content) {
  const serialized = JSON.stringify({ schemaVersion: 1, ...content });
  const id = contentIdOf(serialized);
  await writeFile(path.join(dir, 'content', `${id}.json`), serialized);
  return id;
}

function makeHighlight(articleId, text, start, length, n, createdAt) {
  const end = Math.min(text.length, start + length);
  return {
    id: `h${articleId}x${n}`.replace(/[^A-Za-z0-9_-]/g, '_'),
    articleId,
    start,
    end,
    quote: text.slice(start, end),
    prefix: text.slice(Math.max(0, start - 32), start),
    suffix: text.slice(end, end + 32),
    color: COLORS[n % COLORS.length],
    tags: n % 3 === 0 ? [TAGS[n % TAGS.length]] : [],
    note: n % 4 === 0 ? `A note on passage ${n}, about the tide.` : '',
    createdAt,
    updatedAt: createdAt,
  };
}

async function writeArticle(dir, { id, title, text, html, addedAt, highlights }) {
  const contentId = await writeContent(dir, html === undefined ? { text } : { text, html });
  const doc = {
    schemaVersion: 2,
    contentId,
    article: { id, title, source: `https://example.org/${id}`, addedAt, updatedAt: addedAt, note: '' },
    highlights,
    tombstones: [],
  };
  await writeFile(path.join(dir, 'articles', `${id}.json`), JSON.stringify(doc));
}

async function writeNotebookFiles(dir) {
  await mkdir(path.join(dir, 'articles'), { recursive: true });
  await mkdir(path.join(dir, 'content'), { recursive: true });
  const now = new Date().toISOString();
  const notebook = { schemaVersion: 2, settings: { colorLabels: { green: 'Evidence' } }, seeded: true, updatedAt: { seeded: now, 'colorLabels.green': now } };
  await writeFile(path.join(dir, 'notebook.json'), `${JSON.stringify(notebook, null, 2)}\n`);
}

export async function writeLibrary(dir, options = {}) {
  const { articles = 100, textChars = 20_000, highlights = 300, seed = 1, htmlEvery = 2 } = options;
  const random = prng(seed);
  await writeNotebookFiles(dir);
  const corpus = makeCorpus(random, 4_000_000);
  const ids = [];
  let textTotal = 0;
  let htmlTotal = 0;
  // Highlight n belongs to article floor(n * articles / highlights): spread evenly over the library.
  const counts = new Array(articles).fill(0);
  for (let n = 0; n < highlights; n++) counts[Math.floor((n * articles) / highlights)]++;
  const base = Date.UTC(2024, 0, 1);
  let written = 0;
  const batch = [];
  for (let i = 0; i < articles; i++) {
    const id = `art${String(i).padStart(6, '0')}`;
    const title = `Article ${i}: ${WORDS[i % WORDS.length]} and ${WORDS[(i * 7) % WORDS.length]}`;
    const paragraphs = [title];
    let length = title.length;
    let p = Math.floor(random() * corpus.length);
    while (length < textChars) {
      const next = corpus[p++ % corpus.length];
      paragraphs.push(next);
      length += next.length + 2;
    }
    const text = paragraphs.join('\n\n');
    const isHtml = htmlEvery > 0 && i % htmlEvery === 0;
    const html = isHtml ? `<h1>${escapeText(paragraphs[0])}</h1>${paragraphs.slice(1).map((x) => `<p>${escapeText(x)}</p>`).join('')}` : undefined;
    const addedAt = new Date(base + i * 60_000).toISOString();
    const count = counts[i];
    const hs = [];
    for (let n = 0; n < count; n++) {
      const start = Math.floor(((n + 0.5) / count) * (text.length - 200));
      hs.push(makeHighlight(id, text, start, 40 + (n % 5) * 20, written++, addedAt));
    }
    batch.push(writeArticle(dir, { id, title: paragraphs[0], text, html, addedAt, highlights: hs }));
    if (batch.length >= 64) await Promise.all(batch.splice(0));
    ids.push(id);
    textTotal += text.length;
    htmlTotal += html?.length ?? 0;
  }
  await Promise.all(batch);
  return { ids, highlights: written, textChars: textTotal, htmlChars: htmlTotal };
}

export async function writeNovel(dir, options = {}) {
  const { textChars = 3_000_000, highlights = 2000, seed = 7, id = 'novel' } = options;
  const random = prng(seed);
  await writeNotebookFiles(dir);
  const paragraphs = ['A long novel'];
  let length = 0;
  const corpus = makeCorpus(random, textChars + 10_000);
  for (const p of corpus) {
    if (length >= textChars) break;
    paragraphs.push(p);
    length += p.length + 2;
  }
  const text = paragraphs.join('\n\n');
  const addedAt = new Date(Date.UTC(2023, 5, 1)).toISOString();
  const hs = [];
  for (let n = 0; n < highlights; n++) hs.push(makeHighlight(id, text, Math.floor(((n + 0.5) / highlights) * (text.length - 200)), 60, n, addedAt));
  await writeArticle(dir, { id, title: 'A long novel', text, addedAt, highlights: hs });
  return { id, textChars: text.length };
}
