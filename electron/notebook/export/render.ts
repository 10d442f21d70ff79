import type { Article, ExportOptions, Settings } from '../../contract';
import { runNotebookJob, WORKER_TIME_LIMIT_MS } from '../workers/run';
import { renderMarkdownExport } from './markdown';
import { checkTemplate } from './template';

/**
 * The Markdown export as the notebook runs it. The built-in layout is linear in the highlights and renders here; a
 * user's template is user input, so it renders in the notebook's worker (workers/), bounded by template.ts's limits
 * and by the worker's time limit and memory cap. It is checked here first, so a template that does not parse or
 * nests too deep is refused without starting a worker.
 */
export async function renderExport(articles: Article[], settings: Settings, options: ExportOptions = {}): Promise<string> {
  if (options.template === undefined) return renderMarkdownExport(articles, settings, options);
  checkTemplate(options.template);
  // A template never sees an article's text or HTML (template.ts's views): do not copy them to the worker.
  const light = articles.map((a) => ({ ...a, text: '', html: '' }));
  return runNotebookJob('renderExport', { articles: light, settings, options }, {
    timeoutMs: WORKER_TIME_LIMIT_MS,
    what: 'Rendering the export template',
  });
}
