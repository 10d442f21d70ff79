/**
 * Structural clean-ups Readability leaves to the reader: what a site shows only to screen readers, captions set as
 * lists, alt text that repeats the caption, a heading that repeats the title, and a title that ends with the site's or
 * author's name. Each rule is about the shape of the page, never about one site's words. They run on jsdom trees
 * before the sanitizer, so the stored HTML and its text model are measured after them and stay equal.
 */

// Class names that mean "visually hidden, for screen readers only" in the common CSS kits (Bootstrap's sr-only,
// WordPress's screen-reader-text, the HTML5 Boilerplate's visually-hidden, Drupal's element-invisible...).
const VISUALLY_HIDDEN_CLASS =
  /^(?:(?:is-|u-|a11y-|util-)?(?:visually-?hidden|sr-only|screen-?reader(?:-only|-text)?|element-invisible|hidden-visually|offscreen)(?:-focusable)?)$/i;

/**
 * Drops elements a page shows only to screen readers ("Photo" before a picture, "Credit" before a photographer, "Continue
 * reading the main story"). Readability strips class names, so without this their words appear in the reader as stray
 * labels. Run on the page before Readability.
 */
export function removeVisuallyHidden(doc: Document): void {
  // Every element with a class, its names matched one by one: measured faster under jsdom than an attribute-substring
  // selector or a walk over every element (about 60 ms on Moby-Dick's 1.2 MB XHTML).
  for (const el of Array.from(doc.querySelectorAll('[class]'))) {
    if (Array.from(el.classList).some((c) => VISUALLY_HIDDEN_CLASS.test(c))) el.remove();
  }
}

/** Words of a text, lower-cased, as Readability's textSimilarity splits them. */
function tokens(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** How much of `b` is already in `a` (1 = every word of b occurs in a), as Readability's _textSimilarity measures it. */
export function textSimilarity(a: string, b: string): number {
  const inA = new Set(tokens(a));
  const tb = tokens(b);
  if (inA.size === 0 || tb.length === 0) return 0;
  const fresh = tb.filter((t) => !inA.has(t)).join(' ').length;
  return 1 - fresh / tb.join(' ').length;
}

/** Similar enough to be the same description (a caption and an alt text differ in a comma or a name's spelling). */
const SAME_DESCRIPTION = 0.75;

const collapse = (s: string | null | undefined): string => (s ?? '').replace(/\s+/g, ' ').trim();

function isElement(node: Node | null): node is Element {
  return node !== null && node.nodeType === 1;
}

/** The next element sibling, skipping only whitespace text (a comment or words in between end the search). */
function nextElementAfter(el: Element): Element | null {
  for (let n = el.nextSibling; n; n = n.nextSibling) {
    if (isElement(n)) return n;
    if (n.nodeType === 3 && collapse(n.textContent) !== '') return null;
  }
  return null;
}

/**
 * A figure without a caption followed at once by a list of one item that describes its image (the Guardian sets its
 * captions so): the item becomes the figure's <figcaption>, so it reads as a caption, not as a bullet point.
 */
function adoptListCaptions(root: Element): void {
  for (const figure of Array.from(root.querySelectorAll('figure'))) {
    if (figure.querySelector('figcaption')) continue;
    const list = nextElementAfter(figure);
    if (!list || (list.tagName !== 'UL' && list.tagName !== 'OL')) continue;
    const items = Array.from(list.children);
    if (items.length !== 1 || items[0].tagName !== 'LI') continue;
    const caption = collapse(items[0].textContent);
    const alt = collapse(figure.querySelector('img')?.getAttribute('alt'));
    if (!caption || !alt || Math.min(textSimilarity(alt, caption), textSimilarity(caption, alt)) < SAME_DESCRIPTION) continue;
    const figcaption = root.ownerDocument.createElement('figcaption');
    // A caption is phrasing content: the item's paragraphs become its lines.
    const blocks = Array.from(items[0].children).filter((c) => c.tagName === 'P' || c.tagName === 'DIV');
    if (blocks.length > 0 && blocks.length === items[0].children.length) {
      blocks.forEach((b, i) => {
        if (i > 0) figcaption.append(root.ownerDocument.createElement('br'));
        figcaption.append(...Array.from(b.childNodes));
      });
    } else figcaption.append(...Array.from(items[0].childNodes));
    figure.append(figcaption);
    list.remove();
  }
}

/**
 * An image whose alt text says what its figure's caption says (the same words, give or take a few) gets alt="": the
 * caption already describes it, and an
 * image not loaded yet (remote images wait for consent) would otherwise show the same words twice, as would a screen
 * reader.
 */
function dropAltRepeatingCaption(root: Element): void {
  for (const figure of Array.from(root.querySelectorAll('figure'))) {
    const caption = collapse(figure.querySelector('figcaption')?.textContent);
    if (!caption) continue;
    for (const img of Array.from(figure.querySelectorAll('img[alt]'))) {
      const alt = collapse(img.getAttribute('alt'));
      // Both ways: an alt that only names part of the caption ("The quay" under "The quay at dawn") stays.
      if (alt && Math.min(textSimilarity(caption, alt), textSimilarity(alt, caption)) >= SAME_DESCRIPTION) img.setAttribute('alt', '');
    }
  }
}

const sameTitle = (a: string, b: string): boolean => collapse(a).toLocaleLowerCase() === collapse(b).toLocaleLowerCase();

/**
 * The heading the content opens with, if nothing with words comes before it: a pasted page's own <h1>, which the
 * reader would show again under the article's title.
 */
function leadingHeading(root: Element): Element | null {
  const walker = root.ownerDocument.createTreeWalker(root, 4 /* NodeFilter.SHOW_TEXT */);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (collapse(n.textContent) === '') continue;
    const heading = n.parentElement?.closest('h1, h2, h3, h4, h5, h6');
    return heading && root.contains(heading) ? heading : null;
  }
  return null;
}

/**
 * Readability's content, tidied for the reader (see the rules above). Returns the title: `title` when given (and the
 * content's leading heading is dropped when it says the same), else the leading heading's words (then dropped too).
 * A heading is never dropped when it is all the text there is.
 */
export function tidyReadableContent(root: Element, title: string | undefined): string | undefined {
  adoptListCaptions(root);
  dropAltRepeatingCaption(root);
  const heading = leadingHeading(root);
  if (!heading) return title;
  const words = collapse(heading.textContent);
  if (title !== undefined && !sameTitle(words, title)) return title;
  if (collapse(root.textContent).length === words.length) return title ?? words;
  heading.remove();
  return title ?? words;
}

// Readability's separators between a title and the site's name, with space on both sides: | - – — / » ·
const SEPARATOR = /(\s+[|\-–—/»·]\s+)/;
const nameKey = (s: string): string => collapse(s).toLocaleLowerCase().replace(/^the\s+/, '');

/**
 * A page title that ends with the author's or the site's name ("… whale strandings | Eleanor Ainge Roy",
 * "… | The Guardian") loses that ending, as Readability's own title logic drops a site suffix; only names the page
 * itself gives (byline, site name) are dropped, so "Friday Facts #282 - 0.17 in sight" keeps its number. Like
 * Readability, a remainder of fewer than 5 words (a one-word topic) keeps the whole title.
 */
export function stripTitleSuffix(title: string, names: ReadonlyArray<string | undefined>): string {
  const known = new Set(names.filter((n): n is string => Boolean(n && n.trim())).map(nameKey));
  // [part, separator, part, separator, part...]
  const pieces = title.split(SEPARATOR);
  while (pieces.length >= 3 && known.has(nameKey(pieces[pieces.length - 1]))) {
    const rest = pieces.slice(0, -2).join('');
    if (rest.trim().split(/\s+/).length < 5) break;
    pieces.splice(-2, 2);
  }
  return pieces.join('');
}
