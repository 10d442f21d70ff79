// @vitest-environment jsdom
/**
 * The reader groups long runs of sibling blocks into <div>s (renderer/src/reader/block-groups.ts) so that Chromium's
 * paint walks stay short. That is only safe if the text model, and so every highlight offset, is unchanged: checked
 * here through the reader's own renderArticleInto, on a novel, on every real page of the import fixtures, and on
 * hand-made runs that mix inline and block nodes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importArticleContent } from '../../electron/notebook/import';
import { buildTextModel, canonicalizePlainText } from '../../electron/text-model';
import { GROUP_SIZE, groupLongRuns } from '../../renderer/src/reader/block-groups';
import { renderArticleInto } from '../../renderer/src/reader/render-article';

const FIXTURES = path.resolve(__dirname, '../../../shared/fixtures');
const SOURCE = 'https://example.org/article';

function host(): HTMLElement {
  const element = document.createElement('article');
  document.body.replaceChildren(element);
  return element;
}

describe('grouping long runs of blocks', () => {
  it('a novel of plain text: 2,800 paragraphs become groups, the text and every offset stay the same', async () => {
    const raw = fs.readFileSync(path.join(FIXTURES, 'long/moby-dick-2701-0.utf8-bom-crlf.txt'), 'utf8');
    const stored = await importArticleContent({ format: 'text', content: raw, title: 'Moby-Dick' });
    const element = host();
    const { model, fellBack } = renderArticleInto(element, stored);
    expect(fellBack).toBe(false);
    expect(model.text).toBe(stored.text);
    expect(model.text).toBe(canonicalizePlainText(raw));
    const paragraphs = element.querySelectorAll('p').length;
    expect(paragraphs).toBeGreaterThan(2000);
    // Short walks at both levels: a few dozen groups, none over the group size.
    expect(element.children.length).toBeLessThanOrEqual(Math.ceil(paragraphs / GROUP_SIZE));
    for (const group of element.children) {
      expect(group.className).toBe('reader-group');
      expect(group.children.length).toBeLessThanOrEqual(GROUP_SIZE);
    }
  });

  it('every real page of the import fixtures renders to its stored text, grouped or not', async () => {
    const root = path.join(FIXTURES, 'readability');
    const pages = fs.readdirSync(root).filter((p) => fs.existsSync(path.join(root, p, 'source.html')));
    expect(pages.length).toBeGreaterThan(10);
    for (const page of pages) {
      const content = fs.readFileSync(path.join(root, page, 'source.html'), 'utf8');
      const stored = await importArticleContent({ format: 'html', content, source: SOURCE }, { fileName: `${page}.html` });
      const { model, fellBack } = renderArticleInto(host(), stored);
      expect(fellBack, page).toBe(false);
      expect(model.text, page).toBe(stored.text);
    }
  });

  it('splits only beside a block, so inline runs never gain a paragraph break; lists and tables keep their children', () => {
    const element = host();
    const kinds = ['p', 'text', 'b', 'text', 'p', 'a', 'h2', 'text', 'em', 'text', 'text-b'];
    for (let i = 0; i < 600; i++) {
      const kind = kinds[i % kinds.length];
      if (kind.startsWith('text')) element.append(document.createTextNode(` words ${i} `));
      else {
        const node = document.createElement(kind);
        node.textContent = `${kind} ${i}`;
        element.append(node);
      }
    }
    const list = document.createElement('ul');
    for (let i = 0; i < 400; i++) list.append(Object.assign(document.createElement('li'), { textContent: `item ${i}` }));
    const wrapper = document.createElement('div'); // Readability's one wrapper <div> around everything
    for (let i = 0; i < 400; i++) wrapper.append(Object.assign(document.createElement('p'), { textContent: `para ${i}` }));
    element.append(list, wrapper);
    const before = buildTextModel(element).text;

    groupLongRuns(element);

    expect(buildTextModel(element).text).toBe(before);
    expect(element.children.length).toBeLessThan(20);
    expect(list.children.length).toBe(400);
    expect([...list.children].every((child) => child.tagName === 'LI')).toBe(true);
    expect(wrapper.querySelectorAll(':scope > .reader-group').length).toBeGreaterThan(1);
  });

  it('leaves a short article as it is', () => {
    const element = host();
    for (let i = 0; i < 2 * GROUP_SIZE; i++) element.append(Object.assign(document.createElement('p'), { textContent: `p ${i}` }));
    groupLongRuns(element);
    expect(element.querySelector('.reader-group')).toBeNull();
  });
});
