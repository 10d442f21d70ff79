import { GlossError } from '../errors';

/**
 * A cheap first line of defence before jsdom and Readability see a page: how deeply its elements nest, counted by one
 * linear scan of the tags. Readability's cost grows steeply with depth (20 trees of 100 nested <div>s already take it
 * about 20 s; 20 of 1,000 took 88 s), while real articles nest a few dozen levels. Chromium's own parser stops nesting
 * at 512; we refuse past MAX_NESTING_DEPTH. The worker's time limit stays the real bound: this only turns the obvious
 * attack into an immediate, clear refusal.
 *
 * The count follows the HTML parser's tree building closely enough for that purpose: void elements do not nest; raw
 * text (script, style, textarea, title...) and comments hide tags; an end tag closes the nearest open element of its
 * name; and elements whose end tag is optional (p, li, dt/dd, tr, td/th, option...) are closed the way the parser
 * closes them, so a page of unclosed <p>s or <li>s counts as flat, as it is. `<div/>` opens a div, as in HTML.
 */
export const MAX_NESTING_DEPTH = 256;

const VOID = new Set([
  'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr',
  'param', 'keygen', 'basefont', 'bgsound', 'frame', 'image', 'menuitem',
]);
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes']);
/** Start tags that close an open <p> (the parser's "close a p element" cases). */
const CLOSES_P = new Set([
  'address', 'article', 'aside', 'blockquote', 'center', 'details', 'dialog', 'dir', 'div', 'dl', 'fieldset',
  'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup', 'hr', 'listing',
  'main', 'menu', 'nav', 'ol', 'p', 'pre', 'search', 'section', 'summary', 'table', 'ul', 'li', 'dd', 'dt', 'plaintext',
]);
/** For each element with an optional end tag: the open elements a new one closes, and where that search stops. */
const IMPLIED_CLOSE: Record<string, { closes: string[]; scope: string[] }> = {
  li: { closes: ['li'], scope: ['ul', 'ol', 'menu', 'table'] },
  dt: { closes: ['dt', 'dd'], scope: ['dl', 'table'] },
  dd: { closes: ['dt', 'dd'], scope: ['dl', 'table'] },
  tr: { closes: ['tr', 'td', 'th'], scope: ['table', 'thead', 'tbody', 'tfoot'] },
  td: { closes: ['td', 'th'], scope: ['tr', 'table'] },
  th: { closes: ['td', 'th'], scope: ['tr', 'table'] },
  thead: { closes: ['thead', 'tbody', 'tfoot', 'tr', 'td', 'th'], scope: ['table'] },
  tbody: { closes: ['thead', 'tbody', 'tfoot', 'tr', 'td', 'th'], scope: ['table'] },
  tfoot: { closes: ['thead', 'tbody', 'tfoot', 'tr', 'td', 'th'], scope: ['table'] },
  option: { closes: ['option'], scope: ['select', 'datalist'] },
  optgroup: { closes: ['option', 'optgroup'], scope: ['select'] },
  rb: { closes: ['rb', 'rt', 'rtc', 'rp'], scope: ['ruby'] },
  rt: { closes: ['rt', 'rp'], scope: ['ruby', 'rtc'] },
  rp: { closes: ['rt', 'rp'], scope: ['ruby', 'rtc'] },
};
const P_SCOPE = ['button', 'table', 'td', 'th', 'caption', 'object', 'marquee', 'applet', 'template', 'html'];
const FOREIGN = new Set(['svg', 'math']);

/** The deepest element nesting in `html`, or a number above `stopAbove` as soon as the scan passes it. */
export function nestingDepth(html: string, stopAbove = Infinity): number {
  const stack: string[] = [];
  const open = new Map<string, number>(); // how many of each name are on the stack, to skip hopeless searches
  let deepest = 0;
  let foreign = 0;
  const push = (name: string): void => {
    stack.push(name);
    open.set(name, (open.get(name) ?? 0) + 1);
    if (FOREIGN.has(name)) foreign += 1;
    if (stack.length > deepest) deepest = stack.length;
  };
  const popTo = (index: number): void => {
    while (stack.length > index) {
      const name = stack.pop()!;
      open.set(name, open.get(name)! - 1);
      if (FOREIGN.has(name)) foreign -= 1;
    }
  };
  /** Index of the outermost open element named in `names` above the nearest one of `scope` (a new <tr> closes the
   * open <tr> and the <td> inside it), or -1. */
  const find = (names: string[], scope: string[]): number => {
    if (!names.some((n) => (open.get(n) ?? 0) > 0)) return -1;
    let found = -1;
    for (let i = stack.length - 1; i >= 0; i--) {
      if (scope.includes(stack[i])) break;
      if (names.includes(stack[i])) found = i;
    }
    return found;
  };

  const n = html.length;
  let i = html.indexOf('<');
  while (i !== -1 && i < n - 1) {
    if (html.startsWith('<!--', i)) {
      const end = html.indexOf('-->', i + 4);
      i = end === -1 ? -1 : html.indexOf('<', end + 3);
      continue;
    }
    const closing = html.charCodeAt(i + 1) === 47; // '/'
    const nameStart = closing ? i + 2 : i + 1;
    if (!isAsciiLetter(html.charCodeAt(nameStart))) {
      // <!doctype>, <?xml?>, a stray "<": no element
      i = html.indexOf('<', i + 1);
      continue;
    }
    let j = nameStart;
    while (j < n && !isNameEnd(html.charCodeAt(j))) j++;
    const name = html.slice(nameStart, j).toLowerCase();
    const tagEnd = endOfTag(html, j);
    if (tagEnd === -1) break; // an unterminated tag or attribute value swallows the rest of the page
    const selfClosing = html.charCodeAt(tagEnd - 1) === 47;
    if (closing) {
      const at = (open.get(name) ?? 0) > 0 ? stack.lastIndexOf(name) : -1;
      if (at !== -1) popTo(at);
    } else if (!VOID.has(name)) {
      if (foreign === 0) {
        if (CLOSES_P.has(name)) {
          const p = find(['p'], P_SCOPE);
          if (p !== -1) popTo(p);
        }
        const implied = IMPLIED_CLOSE[name];
        if (implied) {
          const at = find(implied.closes, implied.scope);
          if (at !== -1) popTo(at);
        }
      }
      if (!(selfClosing && (foreign > 0 || FOREIGN.has(name)))) {
        push(name);
        if (deepest > stopAbove) return deepest;
        if (RAW_TEXT.has(name) && foreign === 0) {
          const close = indexOfCaseless(html, `</${name}`, tagEnd + 1);
          if (close === -1) break;
          popTo(stack.length - 1);
          i = html.indexOf('<', html.indexOf('>', close) + 1 || n);
          continue;
        }
      }
    }
    i = html.indexOf('<', tagEnd + 1);
  }
  return deepest;
}

/** Refuses a page nested deeper than `max` before anything expensive parses it. */
export function assertNesting(html: string, name: string, max: number = MAX_NESTING_DEPTH): void {
  if (nestingDepth(html, max) > max) {
    throw new GlossError('too_complex', `Cannot import ${name}: the page is nested too deeply (over ${max} levels of elements).`);
  }
}

function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isNameEnd(c: number): boolean {
  return c === 62 || c === 47 || c === 32 || c === 9 || c === 10 || c === 12 || c === 13; // > / space \t \n \f \r
}

/** Index of the '>' ending a tag whose name ends at `from`; quotes count only as attribute values (after '='). */
function endOfTag(html: string, from: number): number {
  let afterEquals = false;
  for (let k = from; k < html.length; k++) {
    const c = html.charCodeAt(k);
    if (c === 62) return k;
    if (c === 61) afterEquals = true;
    else if (afterEquals && (c === 34 || c === 39)) {
      const close = html.indexOf(c === 34 ? '"' : "'", k + 1);
      if (close === -1) return -1;
      k = close;
      afterEquals = false;
    } else if (c !== 32 && c !== 9 && c !== 10 && c !== 12 && c !== 13) afterEquals = false;
  }
  return -1;
}

/** indexOf ignoring ASCII case, for "</script" and friends. */
function indexOfCaseless(html: string, needle: string, from: number): number {
  const re = new RegExp(needle.replace(/[/]/g, '\\/'), 'gi');
  re.lastIndex = from;
  const m = re.exec(html);
  return m ? m.index : -1;
}
