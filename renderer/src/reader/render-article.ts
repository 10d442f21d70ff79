import DOMPurify from 'dompurify';
import type { Article } from '../../../electron/contract';
import { buildTextModel, type TextModel } from '../../../electron/text-model';

/**
 * Puts an article into the reader's <article> element (which React never reconciles) and returns its text model.
 * The HTML was sanitized when it was stored; it is sanitized again here, because what reaches the DOM must be safe
 * even if a notebook file was edited by hand. If the rendered text does not match the stored text (offsets would
 * paint the wrong words), the article falls back to its plain text, which always matches.
 */
export function renderArticleInto(element: HTMLElement, article: Pick<Article, 'html' | 'text'>): { model: TextModel; fellBack: boolean } {
  if (article.html) {
    element.innerHTML = DOMPurify.sanitize(article.html, {
      FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed', 'link', 'meta', 'base'],
      FORBID_ATTR: ['style', 'srcset'],
      ALLOW_DATA_ATTR: true,
    });
    const model = buildTextModel(element);
    if (model.text === article.text) return { model, fellBack: false };
    console.warn('gloss: rendered article text differs from the stored text; showing plain text');
  }
  renderPlainText(element, article.text);
  return { model: buildTextModel(element), fellBack: Boolean(article.html) };
}

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
  element.replaceChildren(fragment);
}
