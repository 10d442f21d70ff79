import { useMemo, useRef } from 'react';
import type { Article } from '../../../electron/contract';
import type { EditContext } from './edit-context';
import { callOnUnload } from './keepalive';
import { NoteEditor } from './NoteEditor';
import { useAutosave } from './useAutosave';

interface Props {
  article: Pick<Article, 'id' | 'title' | 'note'>;
  edit: EditContext;
}

/** The note on the article as a whole, at the top of the panel: same editor and autosave as a highlight's note. */
export function ArticleNote({ article, edit }: Props) {
  const { client, history, notify } = edit;
  // setArticleNote keeps no revision: changes from other windows still arrive (article-changed) and a different
  // note arriving while this one has unsaved edits is shown as a conflict rather than overwritten either way.
  const stored = useMemo(() => ({ text: article.note, revision: '' }), [article.note]);
  const lastSave = useRef<Promise<unknown>>(Promise.resolve());
  const autosave = useAutosave({
    stored,
    save: async (text) => {
      await client.setArticleNote(article.id, text);
      return '';
    },
    reload: async () => ({ text: (await client.getArticle(article.id)).note, revision: '' }),
    saveOnUnload: (text) => callOnUnload(client, 'setArticleNote', article.id, text),
    onSaving: (before, after, saved) => {
      lastSave.current = saved.catch(() => undefined);
      const settled = () => lastSave.current;
      history.push({
        label: 'article note edit',
        coalesceKey: `article-note:${article.id}`,
        undo: async () => (await settled(), client.setArticleNote(article.id, before)),
        redo: async () => (await settled(), client.setArticleNote(article.id, after)),
      });
    },
    onLost: (text, reason) => notify.error(`Your note on "${article.title}" was not saved (${reason}). Your text: ${text}`),
  });
  return (
    <section className="article-note" aria-label="Article note">
      <h3 className="section-title">Article note</h3>
      <NoteEditor
        autosave={autosave}
        label="Article note"
        placeholder="Notes on the whole article (Markdown)…"
        emptyAction="Write a note on the whole article"
      />
    </section>
  );
}
