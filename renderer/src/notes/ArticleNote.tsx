import { useMemo, useRef } from 'react';
import type { Article } from '../../../electron/contract';
import type { EditContext } from './edit-context';
import { callOnUnload } from './keepalive';
import { NoteConflict } from './NoteConflict';
import { NoteEditor } from './NoteEditor';
import { useAutosave } from './useAutosave';

interface Props {
  article: Pick<Article, 'id' | 'title' | 'note' | 'noteUpdatedAt' | 'noteConflicts'>;
  edit: EditContext;
}

/** The note on the article as a whole, at the top of the panel: same editor and autosave as a highlight's note. */
export function ArticleNote({ article, edit }: Props) {
  const { client, history, notify } = edit;
  // The note's revision is noteUpdatedAt: a save names the revision it edited, and a note changed meanwhile in
  // another window is refused (conflict) and shown beside the user's text instead of being overwritten.
  const stored = useMemo(() => ({ text: article.note, revision: article.noteUpdatedAt ?? '' }), [article.note, article.noteUpdatedAt]);
  const lastSave = useRef<Promise<unknown>>(Promise.resolve());
  const autosave = useAutosave({
    stored,
    save: async (text, ifRevision) => (await client.setArticleNote(article.id, text, { ifNoteUpdatedAt: ifRevision })).noteUpdatedAt,
    reload: async () => {
      const current = await client.getArticle(article.id);
      return { text: current.note, revision: current.noteUpdatedAt ?? '' };
    },
    saveOnUnload: (text, ifRevision) => callOnUnload(client, 'setArticleNote', article.id, text, { ifNoteUpdatedAt: ifRevision }),
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
      {article.noteConflicts && article.noteConflicts.length > 0 && (
        <NoteConflict
          note={article.note}
          others={article.noteConflicts}
          label="Article note"
          choose={(text) => client.setArticleNote(article.id, text, { resolvesConflict: true })}
          onError={notify.error}
        />
      )}
    </section>
  );
}
