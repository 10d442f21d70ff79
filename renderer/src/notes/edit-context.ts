import type { Highlight } from '../../../electron/contract';
import type { GlossClient } from '../api/client';
import type { History } from '../app/history';
import type { Notifier } from '../app/Toasts';

/** What note, tag and colour edits need: the API, the undo history, a way to tell the user, and the app's list. */
export interface EditContext {
  client: GlossClient;
  history: History;
  notify: Notifier;
  /** A highlight the notebook just returned: show it at once (the change event follows). */
  onChanged: (highlight: Highlight) => void;
}

/** The highlight as the notebook holds it now (after a conflict), or null if it was deleted. */
export async function fetchHighlight(client: GlossClient, h: Pick<Highlight, 'id' | 'articleId'>): Promise<Highlight | null> {
  const article = await client.getArticle(h.articleId);
  return article.highlights.find((x) => x.id === h.id) ?? null;
}
