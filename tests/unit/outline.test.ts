/** The outline's entries (renderer/src/reader/outline/outline.ts): chapter lines of a plain text, HTML headings, lookup. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { entryIndexAt, outlineFromChapterLines, outlineOf } from '../../renderer/src/reader/outline/outline';
import { buildTextModel, canonicalizePlainText, indexNodes } from '../../electron/text-model';

const MOBY_TXT = path.resolve(__dirname, '../../../shared/fixtures/long/moby-dick-2701-0.utf8-bom-crlf.txt');

function rendered(html: string) {
  const dom = new JSDOM('<!DOCTYPE html><article></article>');
  const root = dom.window.document.querySelector('article')!;
  root.innerHTML = html;
  const model = buildTextModel(root);
  return { root, model, nodeIndex: indexNodes(model) };
}

describe('chapter lines of a plain text', () => {
  const text = canonicalizePlainText(readFileSync(MOBY_TXT, 'utf8'));
  const items = outlineFromChapterLines(text);

  it("find Moby-Dick's chapters where they begin, not in the contents list before them", () => {
    const chapter12 = items.filter((i) => i.label === 'CHAPTER 12. Biographical.');
    expect(chapter12).toHaveLength(1);
    expect(text.slice(chapter12[0].start, chapter12[0].start + 25)).toBe('CHAPTER 12. Biographical.');
    expect(text.slice(chapter12[0].start - 200, chapter12[0].start)).not.toMatch(/CHAPTER 11\. Nightgown\.\n\nCHAPTER 12/);
    expect(items.filter((i) => /^CHAPTER \d+\./.test(i.label))).toHaveLength(135);
    expect(items.at(-1)!.label).toBe('Epilogue');
    expect(items.every((i) => i.depth === 0)).toBe(true);
  });

  it('nest chapters under books and parts, and leave prose alone', () => {
    const t = ['BOOK ONE', 'Chapter 1', 'It began.', 'Chapter 2', 'BOOK TWO', 'Chapter III. The sea', 'The chapter ended. Chapter 4 was never written, he said, and that is why this sentence is long enough to be prose and not a heading at all, surely.'].join('\n\n');
    expect(outlineFromChapterLines(t).map((i) => [i.label, i.depth])).toEqual([
      ['BOOK ONE', 0],
      ['Chapter 1', 1],
      ['Chapter 2', 1],
      ['BOOK TWO', 0],
      ['Chapter III. The sea', 1],
    ]);
  });
});

describe('the outline an article shows', () => {
  it('is the stored table of contents when there is one, else the headings, else chapter lines, else nothing', () => {
    const page = rendered('<h1>Title</h1><p>Intro.</p><h2>Methods</h2><p>We did.</p><h3>Data</h3><p>Some.</p><h2>Results</h2><p>It worked.</p>');
    const headings = outlineOf(undefined, page.root, page.model, page.nodeIndex);
    expect(headings.map((h) => [h.label, h.depth])).toEqual([['Title', 0], ['Methods', 1], ['Data', 2], ['Results', 1]]);
    for (const h of headings) expect(page.model.text.slice(h.start, h.start + h.label.length)).toBe(h.label);

    const toc = [{ label: 'One', start: 0, depth: 0 }, { label: 'Two', start: 20, depth: 0 }];
    expect(outlineOf(toc, page.root, page.model, page.nodeIndex).map((i) => i.label)).toEqual(['One', 'Two']);

    const text = rendered('<p>CHAPTER 1. Down</p><p>Words.</p><p>CHAPTER 2. Up</p><p>More.</p>');
    expect(outlineOf(undefined, text.root, text.model, text.nodeIndex).map((i) => i.label)).toEqual(['CHAPTER 1. Down', 'CHAPTER 2. Up']);

    const plain = rendered('<h1>Only a title</h1><p>And a paragraph.</p>');
    expect(outlineOf(undefined, plain.root, plain.model, plain.nodeIndex)).toEqual([]);
  });

  it('finds the entry an offset is in', () => {
    const items = [{ label: 'a', start: 5, depth: 0 }, { label: 'b', start: 10, depth: 1 }, { label: 'c', start: 30, depth: 0 }];
    expect([0, 5, 9, 10, 29, 30, 1e9].map((o) => entryIndexAt(items, o))).toEqual([-1, 0, 0, 1, 1, 2, 2]);
  });
});
