/**
 * The PDF bench's book: a 350-page PDF made with pdf-lib from Moby-Dick's own prose, byte for byte the same on every
 * run (fixed dates, fixed text, fixed layout), so the figures of two runs are about the same file.
 *
 * Each page is a 6 x 9 inch book page in Times-Roman (a standard font: nothing embedded, as in many real papers)
 * with a running head, about twenty lines of the novel, justified left, and the page number at the foot. Characters
 * that Times-Roman's WinAnsi encoding cannot write (the book's few Hebrew and Greek letters) become "?".
 *
 * Also here: where the bench puts its 300 highlights, as offsets into the article text that the import returns (the
 * notebook's reading of the PDF, so they land on real words whatever pdf.js makes of the layout).
 *
 *   node bench/pdf-book.mjs [out.pdf]      writes the book (default: a temp folder) and prints where and how big
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PDFDocument, StandardFonts } from 'pdf-lib';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');

export const BOOK_PAGES = 350;
export const BOOK_HIGHLIGHTS = 300;
const PAGE_SIZE = [432, 648]; // 6 x 9 in, in points
const MARGIN = { left: 54, right: 54, top: 72, bottom: 72 };
const FONT_SIZE = 11;
const LEADING = 22; // double-spaced-ish: "a few lines of real prose per page", about twenty
const LINES_PER_PAGE = Math.floor((PAGE_SIZE[1] - MARGIN.top - MARGIN.bottom) / LEADING);
// A fixed date, so the file's bytes do not change from run to run.
const FIXED_DATE = new Date('2026-01-01T00:00:00.000Z');

/**
 * Moby-Dick's paragraphs from "CHAPTER 1. Loomings." on (the Gutenberg header, the contents and the extracts left
 * out: page 1 is prose, as the bench drags over its lines), each as one line of text.
 */
export async function mobyDickParagraphs(fixturesDir = path.resolve(repo, process.env.GLOSS_FIXTURES ?? '../shared/fixtures')) {
  const raw = await readFile(path.join(fixturesDir, 'long/moby-dick-2701-0.utf8-bom-crlf.txt'), 'utf8');
  const text = raw.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
  const contents = text.indexOf('CHAPTER 1. Loomings.');
  const start = text.indexOf('CHAPTER 1. Loomings.', contents + 1);
  const end = text.indexOf('*** END OF');
  return text
    .slice(start, end)
    .split(/\n{2,}/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
}

/** Greedy line breaking at the text width, by the font's own advance widths. */
function wrap(paragraph, font, width) {
  const lines = [];
  let line = '';
  for (const word of paragraph.split(' ')) {
    const candidate = line ? `${line} ${word}` : word;
    if (line && font.widthOfTextAtSize(candidate, FONT_SIZE) > width) {
      lines.push(line);
      line = word;
    } else line = candidate;
  }
  if (line) lines.push(line);
  return lines;
}

/** Replaces what WinAnsi cannot encode (checked against the font itself, once per character) with "?". */
function encodable(font) {
  const known = new Map();
  return (text) =>
    [...text]
      .map((ch) => {
        if (!known.has(ch)) {
          try {
            font.encodeText(ch);
            known.set(ch, ch);
          } catch {
            known.set(ch, '?');
          }
        }
        return known.get(ch);
      })
      .join('');
}

/** The book's bytes. */
export async function makePdfBook({ pages = BOOK_PAGES, fixturesDir } = {}) {
  const paragraphs = await mobyDickParagraphs(fixturesDir);
  const doc = await PDFDocument.create();
  doc.setTitle('Moby-Dick; or, The Whale (bench edition)');
  doc.setAuthor('Herman Melville');
  doc.setSubject('A generated long PDF for the Gloss benchmarks');
  doc.setProducer('Gloss bench/pdf-book.mjs (pdf-lib)');
  doc.setCreator('Gloss bench');
  doc.setCreationDate(FIXED_DATE);
  doc.setModificationDate(FIXED_DATE);
  const font = await doc.embedFont(StandardFonts.TimesRoman);
  const italic = await doc.embedFont(StandardFonts.TimesRomanItalic);
  const clean = encodable(font);
  const width = PAGE_SIZE[0] - MARGIN.left - MARGIN.right;

  // The novel as one stream of lines, a blank line between paragraphs; pages take LINES_PER_PAGE lines each, and the
  // book starts over when it runs out (it does not at 350 pages: Moby-Dick fills about 1,000 of these).
  let paragraph = 0;
  let pending = [];
  const nextLine = () => {
    while (pending.length === 0) {
      pending = [...wrap(clean(paragraphs[paragraph % paragraphs.length]), font, width), ''];
      paragraph++;
    }
    return pending.shift();
  };
  for (let n = 1; n <= pages; n++) {
    const page = doc.addPage(PAGE_SIZE);
    const [w, h] = PAGE_SIZE;
    page.drawText('MOBY-DICK; OR, THE WHALE', { x: MARGIN.left, y: h - MARGIN.top / 2, size: 8, font: italic });
    let y = h - MARGIN.top;
    for (let i = 0; i < LINES_PER_PAGE; i++, y -= LEADING) {
      const line = nextLine();
      if (line) page.drawText(line, { x: MARGIN.left, y, size: FONT_SIZE, font });
    }
    const folio = String(n);
    page.drawText(folio, { x: (w - font.widthOfTextAtSize(folio, 9)) / 2, y: MARGIN.bottom / 2, size: 9, font });
  }
  return doc.save({ useObjectStreams: true });
}

/** Writes the book into a new temp folder (or to `file`) and says where. */
export async function writePdfBook(file) {
  const target = file ?? path.join(await mkdtemp(path.join(os.tmpdir(), 'gloss-pdf-book-')), 'moby-dick-350.pdf');
  const bytes = await makePdfBook();
  await writeFile(target, bytes);
  return { file: target, bytes };
}

/**
 * The book imported into a running Gloss (`gloss.api`) and its highlights added (planPdfHighlights), 20 calls at a
 * time: what every PDF bench opens. Resolves to the article as imported (before the highlights), the plan, and the
 * seconds the import and the highlights took.
 */
export async function importPdfBook(gloss, book, file) {
  const importStart = performance.now();
  const summary = await gloss.api('importArticle', { format: 'pdf', contentBase64: book.toString('base64'), fileName: path.basename(file) });
  const importMs = performance.now() - importStart;
  const imported = await gloss.api('getArticle', summary.id);
  const plan = planPdfHighlights(imported, BOOK_HIGHLIGHTS);
  const seedStart = performance.now();
  for (let i = 0; i < plan.length; i += 20) await Promise.all(plan.slice(i, i + 20).map(({ start, end, color }) => gloss.api('addHighlight', summary.id, { start, end, color })));
  return { id: summary.id, imported, plan, importMs, seedSeconds: (performance.now() - seedStart) / 1000 };
}

/**
 * Where the 300 highlights go: two on page 1 and four on page 200 (so the open and the jump each have several to
 * paint, on different lines), the rest spread evenly (highlight i on page 1 + floor(i * pageCount / rest)); each
 * starts at a word a seeded distance into its page's text and runs 20-60 characters to the end of a word, in the five
 * colours in turn. `article` is getArticle's reply for the imported book: its `text` and `pages` are the notebook's
 * reading, which is what offsets mean.
 */
export function planPdfHighlights(article, count = BOOK_HIGHLIGHTS, featured = [1, 1, 200, 200, 200, 200]) {
  const colors = ['yellow', 'green', 'blue', 'pink', 'purple'];
  let seed = 350;
  const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const { text, pages } = article;
  const rest = count - featured.length;
  const pageFor = (i) => (i < featured.length ? pages[featured[i] - 1] : pages[Math.floor(((i - featured.length) * pages.length) / rest)]);
  const plan = [];
  for (let i = 0; i < count; i++) {
    const page = pageFor(i);
    const span = page.end - page.start;
    if (span < 80) continue; // a page with (almost) no text: nothing to highlight there
    let start = page.start + Math.floor(random() * (span - 70));
    while (start > page.start && /\S/.test(text[start - 1])) start--; // back to the start of the word
    while (start < page.end && /\s/.test(text[start])) start++;
    let end = Math.min(page.end, start + 20 + Math.floor(random() * 40));
    while (end < page.end && /\S/.test(text[end])) end++; // on to the end of the word
    plan.push({ start, end, color: colors[i % colors.length], page: page.number });
  }
  return plan;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { file, bytes } = await writePdfBook(process.argv[2]);
  console.log(`${file}: ${BOOK_PAGES} pages, ${(bytes.length / 1024).toFixed(0)} KiB`);
}
