/**
 * The text model: how an article's HTML maps to its canonical plain text, and back.
 *
 * Highlights are stored as offsets into the canonical text. The notebook (under jsdom, on the Node side) and the
 * reader (in the real DOM) must agree on that text character for character, so both run this one walk. Like
 * contract.ts it imports nothing and the renderer may import it; it touches only the standard DOM interfaces.
 *
 * The rules:
 *  - text nodes contribute their data verbatim (the notebook stores HTML whose whitespace is already collapsed by
 *    `normalizeWhitespace`, so verbatim is what the browser shows);
 *  - a block element (p, li, h1...) separates paragraphs: exactly one blank line ("\n\n") between non-empty blocks;
 *  - `<br>` is one "\n";
 *  - script, style, template and similar never contribute.
 */

export const BLOCK_TAGS = new Set([
  'ADDRESS', 'ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'BODY', 'CAPTION', 'DD', 'DETAILS', 'DIALOG', 'DIV', 'DL', 'DT',
  'FIELDSET', 'FIGCAPTION', 'FIGURE', 'FOOTER', 'FORM', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HEADER', 'HGROUP', 'HR',
  'LI', 'MAIN', 'NAV', 'OL', 'P', 'PRE', 'SECTION', 'SUMMARY', 'TABLE', 'TBODY', 'TD', 'TFOOT', 'TH', 'THEAD', 'TR',
  'UL', 'HTML',
]);

const SKIPPED_TAGS = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT', 'IFRAME', 'OBJECT', 'SVG', 'MATH', 'HEAD', 'TITLE']);

const TEXT_NODE = 3;
const ELEMENT_NODE = 1;

export interface TextModel {
  text: string;
  /** Text nodes that contribute, in document order. */
  nodes: Text[];
  /** starts[i] = offset in `text` of nodes[i]'s first character. */
  starts: number[];
}

/** Walks `root` and returns its canonical text plus where each text node sits in it. */
export function buildTextModel(root: Node): TextModel {
  const parts: string[] = [];
  const nodes: Text[] = [];
  const starts: number[] = [];
  let length = 0;
  let pendingBreak = false;

  const append = (s: string): void => {
    if (s.length === 0) return;
    if (pendingBreak && length > 0) {
      parts.push('\n\n');
      length += 2;
    }
    pendingBreak = false;
    parts.push(s);
    length += s.length;
  };

  const visit = (node: Node): void => {
    if (node.nodeType === TEXT_NODE) {
      const data = (node as Text).data;
      if (data.length === 0) return;
      // Register the node after any pending break so its start is right.
      if (pendingBreak && length > 0) {
        parts.push('\n\n');
        length += 2;
        pendingBreak = false;
      }
      nodes.push(node as Text);
      starts.push(length);
      append(data);
      return;
    }
    if (node.nodeType !== ELEMENT_NODE) return;
    const tag = (node as Element).tagName.toUpperCase();
    if (SKIPPED_TAGS.has(tag)) return;
    if (tag === 'BR') {
      append('\n');
      return;
    }
    const block = BLOCK_TAGS.has(tag);
    if (block) pendingBreak = true;
    for (let child = node.firstChild; child; child = child.nextSibling) visit(child);
    if (block) pendingBreak = true;
  };

  visit(root);
  return { text: parts.join(''), nodes, starts };
}

/** Index of the text node containing `offset` (the last node starting at or before it). -1 if none. */
export function nodeIndexAt(model: TextModel, offset: number): number {
  let lo = 0;
  let hi = model.starts.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (model.starts[mid] <= offset) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/**
 * Converts a [start, end) text range into DOM boundary points. Offsets falling in a paragraph separator snap to the
 * nearest text inside the range. Returns null for an empty or out-of-range span.
 */
export function domRangePoints(
  model: TextModel,
  start: number,
  end: number,
): { startNode: Text; startOffset: number; endNode: Text; endOffset: number } | null {
  if (!(start < end) || start < 0 || end > model.text.length || model.nodes.length === 0) return null;
  let si = nodeIndexAt(model, start);
  let startOffset: number;
  if (si === -1 || start >= model.starts[si] + model.nodes[si].data.length) {
    si += 1; // start sits in a separator: begin at the next node
    if (si >= model.nodes.length) return null;
    startOffset = 0;
  } else {
    startOffset = start - model.starts[si];
  }
  const ei = nodeIndexAt(model, end - 1);
  let endOffset: number;
  if (ei === -1) return null;
  if (end - 1 >= model.starts[ei] + model.nodes[ei].data.length) {
    endOffset = model.nodes[ei].data.length; // end sits in a separator: stop at the end of the previous node
  } else {
    endOffset = end - model.starts[ei];
  }
  if (ei < si || (ei === si && endOffset <= startOffset)) return null;
  return { startNode: model.nodes[si], startOffset, endNode: model.nodes[ei], endOffset };
}

/**
 * Converts a DOM boundary point (as a Selection or Range gives it) into a text offset, or null when the point is
 * outside the modelled root. `nodeIndex` maps each modelled text node to its index (build it once per model).
 */
export function textOffsetOf(
  model: TextModel,
  nodeIndex: Map<Node, number>,
  container: Node,
  offset: number,
): number | null {
  if (container.nodeType === TEXT_NODE) {
    const i = nodeIndex.get(container);
    if (i !== undefined) return model.starts[i] + Math.min(offset, (container as Text).data.length);
    // An unmodelled text node (e.g. whitespace-only): fall through and resolve by position.
  }
  // Element boundary (or unmodelled text): find the first modelled text node at or after the point.
  const doc = container.ownerDocument;
  if (!doc) return null;
  let probe: Node | null;
  if (container.nodeType === ELEMENT_NODE && offset < container.childNodes.length) {
    probe = container.childNodes[offset];
  } else {
    probe = nextNodeAfter(container);
  }
  for (let n: Node | null = probe; n; n = nextInOrder(n)) {
    const i = n.nodeType === TEXT_NODE ? nodeIndex.get(n) : undefined;
    if (i !== undefined) return model.starts[i];
  }
  return model.text.length;
}

export function indexNodes(model: TextModel): Map<Node, number> {
  const map = new Map<Node, number>();
  model.nodes.forEach((n, i) => map.set(n, i));
  return map;
}

function nextInOrder(node: Node): Node | null {
  if (node.firstChild) return node.firstChild;
  return nextNodeAfter(node);
}

function nextNodeAfter(node: Node): Node | null {
  for (let n: Node | null = node; n; n = n.parentNode) {
    if (n.nextSibling) return n.nextSibling;
  }
  return null;
}

/**
 * Collapses whitespace in `root`'s text nodes the way a browser renders `white-space: normal`, in place, so that the
 * text model's verbatim text equals what the reader shows. Inside <pre> whitespace is kept. Leading and trailing
 * spaces of each block are removed, and text nodes left empty are removed.
 */
export function normalizeWhitespace(root: Node): void {
  let lastText: Text | null = null; // last text node emitted in the current block line
  let atLineStart = true;
  const empties: Text[] = [];

  const endLine = (): void => {
    if (lastText && lastText.data.endsWith(' ')) {
      lastText.data = lastText.data.slice(0, -1);
      if (lastText.data.length === 0) empties.push(lastText);
    }
    lastText = null;
    atLineStart = true;
  };

  const visit = (node: Node, inPre: boolean): void => {
    if (node.nodeType === TEXT_NODE) {
      const t = node as Text;
      if (inPre) {
        if (t.data.length > 0) {
          lastText = null; // never trim inside pre
          atLineStart = t.data.endsWith('\n');
        }
        return;
      }
      let data = t.data.replace(/[ \t\n\r\f]+/g, ' ');
      if (atLineStart || (lastText && lastText.data.endsWith(' '))) data = data.replace(/^ /, '');
      t.data = data;
      if (data.length === 0) {
        empties.push(t);
        return;
      }
      lastText = t;
      atLineStart = false;
      return;
    }
    if (node.nodeType !== ELEMENT_NODE) return;
    const tag = (node as Element).tagName.toUpperCase();
    if (SKIPPED_TAGS.has(tag)) return;
    if (tag === 'BR') {
      endLine();
      return;
    }
    const block = BLOCK_TAGS.has(tag);
    const pre = inPre || tag === 'PRE' || tag === 'TEXTAREA';
    if (block) endLine();
    for (let child = node.firstChild; child; child = child.nextSibling) visit(child, pre);
    if (block) endLine();
  };

  visit(root, false);
  endLine();
  for (const t of empties) if (t.data.length === 0) t.parentNode?.removeChild(t);
}

/**
 * The canonical form of a plain-text article: BOM stripped, CRLF/CR -> LF, paragraphs at blank lines, each paragraph's
 * hard-wrapped lines reflowed into one line (runs of white space become one space), paragraphs joined by one blank line.
 */
export function canonicalizePlainText(raw: string): string {
  return plainTextParagraphs(raw).join('\n\n');
}

export function plainTextParagraphs(raw: string): string[] {
  const text = raw.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  return text
    .split(/\n[ \t\f\v]*\n/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter((p) => p.length > 0);
}
