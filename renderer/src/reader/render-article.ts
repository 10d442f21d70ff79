import { readerPurify } from './remote-content';
import type { Article } from '../../../electron/contract';
import { buildTextModel, type TextModel } from '../../../electron/text-model';
import { groupLongRuns } from './block-groups';

/**
 * Puts an article into the reader's <article> element (which React never reconciles) and returns its text model.
 * The HTML was sanitized when it was stored; it is sanitized again here, because what reaches the DOM must be safe
 * even if a notebook file was edited by hand. If the rendered text does not match the stored text (offsets would
 * paint the wrong words), the article falls back to its plain text, which always matches.
 */
export function renderArticleInto(element: HTMLElement, article: Pick<Article, 'html' | 'text'>): { model: TextModel; fellBack: boolean } {
  if (article.html && ONLY_TEXT_PARAGRAPHS.test(article.html)) {
    // A plain-text import: its HTML is nothing but paragraphs of text. Building them from `text` with text nodes needs
    // no HTML parsing at all (so nothing to sanitize) and is much cheaper for a novel than parsing 1 MB of HTML.
    renderPlainText(element, article.text);
    const model = buildTextModel(element);
    if (model.text === article.text) {
      orientParagraphs(element, article.text);
      return { model, fellBack: false };
    }
  }
  if (article.html) {
    // readerPurify defers every remote resource to data-* and sends links out on click only (remote-content.ts).
    // A fragment, not a string: a novel's HTML is parsed once, not parsed, serialized and parsed again by innerHTML.
    const fragment = readerPurify.sanitize(article.html, {
      // HTML only, as the importer stores it: SVG and MathML (and their content, which the text model skips) go.
      USE_PROFILES: { html: true },
      FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed', 'link', 'meta', 'base'],
      FORBID_ATTR: ['style', 'srcset'],
      ALLOW_DATA_ATTR: true,
      RETURN_DOM_FRAGMENT: true,
    });
    groupLongRuns(fragment);
    element.replaceChildren(fragment);
    const model = buildTextModel(element);
    if (model.text === article.text) {
      orientParagraphs(element, article.text);
      return { model, fellBack: false };
    }
    console.warn('gloss: rendered article text differs from the stored text; showing plain text');
  }
  renderPlainText(element, article.text);
  orientParagraphs(element, article.text);
  return { model: buildTextModel(element), fellBack: Boolean(article.html) };
}

/** HTML as the plain-text importer writes it: `<p>` elements holding escaped text, nothing else. */
const ONLY_TEXT_PARAGRAPHS = /^(?:<p>[^<>]*<\/p>)*$/;

function renderPlainText(element: HTMLElement, text: string): void {
  const fragment = document.createDocumentFragment();
  for (const paragraph of text.split('\n\n')) {
    const p = document.createElement('p');
    paragraph.split('\n').forEach((line, i) => {
      if (i > 0) p.appendChild(document.createElement('br'));
      p.appendChild(document.createTextNode(line));
    });
    fragment.appendChild(p);
  }
  groupLongRuns(fragment);
  element.replaceChildren(fragment);
}

/** Hebrew, Arabic, Syriac, Thaana, N'Ko... and the Arabic presentation forms. */
const RTL_CHARS = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFC]/;
const DIRECTED_BLOCKS = 'p, li, h1, h2, h3, h4, h5, h6, blockquote, dd, dt, figcaption, td, th, pre';

/**
 * A text with right-to-left script in it often mixes directions paragraph by paragraph (a Persian quote in an
 * English report). `dir="auto"` lets a paragraph take its own direction from its first strong character; blocks that
 * already say their direction keep it. When the article as a whole starts left-to-right only the blocks with
 * right-to-left letters need it (the rest inherit left-to-right), which keeps a novel with one Hebrew word cheap;
 * when it starts right-to-left every block gets it, so its left-to-right paragraphs turn back. Attributes only: the
 * text model is untouched.
 */
function orientParagraphs(element: HTMLElement, text: string): void {
  if (!RTL_CHARS.test(text)) return;
  const firstLetter = /\p{L}/u.exec(text)?.[0] ?? '';
  const everyBlock = RTL_CHARS.test(firstLetter);
  for (const block of element.querySelectorAll(DIRECTED_BLOCKS)) {
    if (block.hasAttribute('dir')) continue;
    if (everyBlock || RTL_CHARS.test(block.textContent ?? '')) block.setAttribute('dir', 'auto');
  }
}
