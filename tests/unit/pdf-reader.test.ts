// @vitest-environment jsdom
/**
 * The PDF reader's pure parts: its text model over the rendered pages (offsets agree with the article's text built by
 * pdf-text.ts; pages not rendered have no nodes, and a range across them paints what is rendered), where pages are
 * and what the reader calls a page, zoom steps, and find over the article's text.
 */
import { describe, expect, it } from 'vitest';
import { buildPageText, joinPages } from '../../electron/pdf-text';
import { domRangePoints, indexNodes, textOffsetOf } from '../../electron/text-model';
import { buildPdfTextModel, type RenderedPageText } from '../../renderer/src/reader/pdf/text-model';
import { mostVisiblePage, pageIndicatorText, pageNamed, pagesIn, placeAt, scrollTopFor } from '../../renderer/src/reader/pdf/pages';
import { createTextFinder, findAll } from '../../renderer/src/reader/pdf/find-text';
import { percentOf, scaleFor, stepZoom } from '../../renderer/src/reader/pdf/zoom';

/** Three pages of items as pdf.js gives them; the text layer makes one span per item (empty ones stay out of the DOM). */
const PAGES = [
  [{ str: 'First line of', hasEOL: false }, { str: ' page one', hasEOL: true }, { str: 'second line', hasEOL: true }],
  [{ str: 'Page two', hasEOL: true }, { str: '', hasEOL: false }, { str: 'more', hasEOL: false }],
  [{ str: 'Page three ends here', hasEOL: false }, { str: '  ', hasEOL: false }],
];

function setUp(rendered: number[]) {
  const built = PAGES.map((items) => buildPageText(items));
  const { text, pages } = joinPages(built.map((b) => b.text));
  const layers: RenderedPageText[] = rendered.map((i) => {
    const layer = document.createElement('div');
    const textDivs = PAGES[i].map((item) => {
      const span = document.createElement('span');
      span.textContent = item.str;
      if (item.str) layer.append(span);
      if (item.hasEOL) layer.append(document.createElement('br'));
      return span;
    });
    document.body.append(layer);
    return { page: pages[i], textDivs, itemStarts: built[i].itemStarts };
  });
  const model = buildPdfTextModel(text, layers);
  return { text, pages, model, nodeIndex: indexNodes(model) };
}

describe('the PDF text model', () => {
  it('puts each item at its page start plus its item start, so DOM offsets are article offsets', () => {
    const { text, model, nodeIndex } = setUp([0, 1, 2]);
    expect(text).toBe('First line of page one\nsecond line\n\nPage two\nmore\n\nPage three ends here');
    for (let i = 0; i < model.nodes.length; i++) expect(text.slice(model.starts[i], model.starts[i] + model.nodes[i].data.length)).toBe(model.nodes[i].data);
    const more = model.nodes.find((n) => n.data === 'more')!;
    expect(textOffsetOf(model, nodeIndex, more, 2)).toBe(text.indexOf('more') + 2);
    // The trailing white space item of page 3 is not in the text: it has no node.
    expect(model.nodes.some((n) => n.data === '  ')).toBe(false);
  });

  it('maps offsets in the line break between items and the blank line between pages to the nearest text', () => {
    const { text, model } = setUp([0, 1, 2]);
    const start = text.indexOf('one') ;
    const end = text.indexOf('two') + 3; // across "\n", a page break and "\n\n"
    const points = domRangePoints(model, start, end)!;
    expect(points.startNode.data).toBe(' page one');
    expect(points.endNode.data).toBe('Page two');
    expect(points.endOffset).toBe('Page two'.length);
    // A range that starts in the page separator starts at the next page's first node.
    const sep = text.indexOf('\n\nPage two');
    expect(domRangePoints(model, sep, sep + 6)!.startNode.data).toBe('Page two');
  });

  it('paints what is rendered of a range whose pages are not all rendered, and nothing for a page not rendered', () => {
    const { text, model } = setUp([0, 2]);
    // Wholly on page 2 (not rendered): nothing, and no throw.
    expect(domRangePoints(model, text.indexOf('Page two'), text.indexOf('more') + 4)).toBeNull();
    // Page 1 into page 3 across the unrendered page 2: from page 1's node to page 3's.
    const across = domRangePoints(model, text.indexOf('second'), text.indexOf('three'))!;
    expect(across.startNode.data).toBe('second line');
    expect(across.endNode.data).toBe('Page three ends here');
    // Page 1 into the unrendered page 2: page 1's part.
    const into = domRangePoints(model, text.indexOf('second'), text.indexOf('two'))!;
    expect(into.startNode.data).toBe('second line');
    expect(into.endNode.data).toBe('second line');
    expect(into.endOffset).toBe('second line'.length);
    // Nothing rendered at all: nothing.
    const none = setUp([]);
    expect(domRangePoints(none.model, 0, 5)).toBeNull();
  });
});

describe('pages', () => {
  const boxes = [0, 1, 2, 3].map((i) => ({ top: 12 + i * 512, height: 500 }));
  it('finds the pages in a band and the most visible one', () => {
    expect(pagesIn(boxes, 0, 800)).toEqual({ first: 0, last: 1 });
    expect(pagesIn(boxes, 1100, 1400)).toEqual({ first: 2, last: 2 });
    expect(mostVisiblePage(boxes, 300, 1100)).toBe(1);
    expect(mostVisiblePage(boxes, 0, 700)).toBe(0);
  });
  it('keeps the reading place by page, so it survives a zoom', () => {
    const place = placeAt(boxes, 12 + 512 * 2 + 250); // half way down page 3
    expect(place).toBeCloseTo((2 + 0.5) / 4, 5);
    const zoomed = boxes.map((_, i) => ({ top: 12 + i * 1012, height: 1000 }));
    expect(scrollTopFor(zoomed, place)).toBeCloseTo(12 + 1012 * 2 + 500, 5);
    expect(scrollTopFor(boxes, 1)).toBeLessThanOrEqual(boxes[3].top + boxes[3].height);
  });
  it('reads a typed page as a label or a number, and says the page with its label', () => {
    const pages = [{ number: 1, label: 'i' }, { number: 2, label: 'ii' }, { number: 3, label: '1' }, { number: 4, label: '2' }];
    expect(pageNamed('ii', pages, 4)).toBe(2);
    expect(pageNamed('II', pages, 4)).toBe(2);
    expect(pageNamed('1', pages, 4)).toBe(3); // a label wins over the number it spells
    expect(pageNamed('4', pages, 4)).toBe(4);
    expect(pageNamed('5', pages, 4)).toBeNull();
    expect(pageNamed('xiv', pages, 4)).toBeNull();
    expect(pageIndicatorText(3, 14)).toBe('Page 3 of 14');
    expect(pageIndicatorText(14, 350, 'xii')).toBe('Page xii (14 of 350)');
  });
});

describe('zoom and find', () => {
  it('fits width and page, and steps through the zoom levels', () => {
    const page = { width: 612, height: 792 };
    expect(scaleFor('page-width', page, { width: 652, height: 800 })).toBeCloseTo(1, 5);
    expect(scaleFor('page-fit', page, { width: 2000, height: 816 })).toBeCloseTo(1, 5);
    expect(percentOf(scaleFor(100, page, { width: 1, height: 1 }))).toBe(100);
    expect(stepZoom(scaleFor(100, page, { width: 1, height: 1 }), 1)).toBe(110);
    expect(stepZoom(scaleFor(100, page, { width: 1, height: 1 }), -1)).toBe(90);
  });
  it('finds case-insensitively, across a line break', () => {
    const text = 'Trace trees\nare built. TRACE again.';
    expect(findAll(text, 'trace')).toEqual([{ start: 0, end: 5 }, { start: 23, end: 28 }]);
    expect(findAll(text, 'trees are')).toEqual([{ start: 6, end: 15 }]);
    expect(findAll(text, '  ')).toEqual([]);
    expect(findAll(text, '(')).toEqual([]);
  });

  it('moves between matches both ways, wrapping, and tells the reader what to show', () => {
    const shown: ({ start: number } | null)[] = [];
    const finder = createTextFinder(() => 'a b a b a', (m) => shown.push(m && { start: m.start }));
    expect(finder.find('A')).toBe(3);
    expect(finder.go(1)).toBe(0);
    expect(finder.go(-1)).toBe(2);
    expect(finder.go(1)).toBe(0);
    finder.clear();
    expect(finder.go(1)).toBe(-1);
    expect(shown).toEqual([null, { start: 0 }, { start: 8 }, { start: 0 }, null]);
  });
});
