/**
 * Groups long runs of sibling blocks (a novel's 3,000 paragraphs side by side) into plain <div>s of a few dozen.
 * Why: after any change in the article (a new highlight, a cleared selection) Chromium's pre-paint and paint walks
 * visit every child of each element on the way to what changed; 3,000 siblings made that ~5 ms of every such frame,
 * 50 groups of 60 make it well under 2 ms (measured in the Gloss page: bench/RESULTS.md, (b)).
 *
 * The text model is unchanged: a group boundary is only ever placed next to a block element, where the text has a
 * paragraph break anyway, and a <div> adds breaks only where a block already does. Margins collapse through the
 * bare <div>s, so the page looks the same.
 */
import { BLOCK_TAGS } from '../../../electron/text-model';

/** Children per group: about the square root of a novel's paragraph count keeps both walks short. */
export const GROUP_SIZE = 60;
/** Only these may have their children regrouped (never lists or tables, whose children must stay direct). */
const GROUPABLE = new Set(['ARTICLE', 'DIV', 'SECTION', 'MAIN']);

const isBlock = (node: Node | null): boolean => node instanceof Element && BLOCK_TAGS.has(node.tagName.toUpperCase());

/** Best called on the fragment before it goes into the page: moving 3,000 nodes of a live document costs more. */
export function groupLongRuns(root: Element | DocumentFragment): void {
  // The wrappers Readability leaves (one <div> holding everything) are followed down as well.
  for (const child of root.children) {
    if (GROUPABLE.has(child.tagName.toUpperCase()) && child.childNodes.length > 2 * GROUP_SIZE) groupLongRuns(child);
  }
  if (root.childNodes.length <= 2 * GROUP_SIZE) return;
  const groups: Node[][] = [[]];
  for (const node of [...root.childNodes]) {
    const current = groups[groups.length - 1];
    const last = current[current.length - 1] ?? null;
    // A boundary between two inline nodes would add a paragraph break to the text: only split beside a block.
    if (current.length >= GROUP_SIZE && (isBlock(last) || isBlock(node))) groups.push([node]);
    else current.push(node);
  }
  if (groups.length < 2) return;
  const fragment = document.createDocumentFragment();
  for (const members of groups) {
    const group = document.createElement('div');
    group.className = 'reader-group';
    group.append(...members);
    fragment.appendChild(group);
  }
  root.replaceChildren(fragment);
}
