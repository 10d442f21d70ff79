import DOMPurify from 'dompurify';
import MarkdownIt from 'markdown-it';

/**
 * Notes are CommonMark. Raw HTML in a note is shown as text (html: false), and the rendered output is sanitized
 * anyway, because a notebook file may have been edited by hand. Links open outside Gloss (target=_blank: the Electron
 * host sends those to the system browser; a browser tab opens a new tab).
 */
const md = new MarkdownIt('commonmark', { html: false, linkify: false });

const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx].attrSet('target', '_blank');
  tokens[idx].attrSet('rel', 'noopener noreferrer');
  return defaultLinkOpen(tokens, idx, options, env, self);
};

export function renderNote(markdown: string): string {
  return DOMPurify.sanitize(md.render(markdown), {
    ADD_ATTR: ['target'],
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'img'],
    FORBID_ATTR: ['style'],
  });
}
