import { useState } from 'react';
import type { TagCount } from '../../../electron/contract';
import type { EditContext } from './edit-context';
import { tagKey } from './tags';
import { undoAction } from '../app/history';

interface Props {
  tags: TagCount[];
  edit: EditContext;
  onShow: (tag: string) => void;
}

/**
 * Every tag with its count; rename, merge (rename onto an existing tag) and delete across the whole notebook. Each is
 * one undo step: the affected highlights' tags are snapshotted first and put back on undo.
 */
export function TagManager({ tags, edit, onShow }: Props) {
  const { client, history, notify } = edit;
  const [renaming, setRenaming] = useState<string | null>(null);
  const [draft, setDraft] = useState('');

  const snapshot = async (tag: string): Promise<{ id: string; tags: string[] }[]> =>
    (await client.listHighlights({ tags: [tag] })).map(({ highlight }) => ({ id: highlight.id, tags: highlight.tags }));
  const after = (call: Promise<unknown>, then: () => Promise<unknown>) => async () => {
    await call.catch(() => undefined);
    return then();
  };
  const restore = (saved: { id: string; tags: string[] }[]) => () =>
    Promise.all(saved.map((s) => client.updateHighlight(s.id, { tags: s.tags })));

  const rename = async (from: string, rawTo: string): Promise<void> => {
    const to = rawTo.normalize('NFC').trim();
    setRenaming(null);
    if (!to || to === from) return;
    const target = tags.find((t) => tagKey(t.name) === tagKey(to) && tagKey(t.name) !== tagKey(from));
    try {
      const before = await snapshot(from);
      const renamed = client.renameTag(from, to);
      // Pushed before the call resolves (undo waits for it): a quick Ctrl+Z must undo this, not the step before.
      const label = target ? `merge of “${from}” into “${target.name}”` : `rename of “${from}”`;
      const step = history.push({ label, undo: after(renamed, restore(before)), redo: () => client.renameTag(from, to) });
      const changed = await renamed;
      notify.show(
        target
          ? `Merged “${from}” into “${target.name}” on ${changed} highlight${changed === 1 ? '' : 's'}.`
          : `Renamed “${from}” to “${to}” on ${changed} highlight${changed === 1 ? '' : 's'}.`,
        'info',
        undoAction(history, step, notify),
      );
    } catch (e) {
      notify.error(`Could not rename “${from}”: ${(e as Error).message}`);
    }
  };

  const remove = async (name: string): Promise<void> => {
    try {
      const before = await snapshot(name);
      const deleted = client.deleteTag(name);
      const step = history.push({ label: `deletion of tag “${name}”`, undo: after(deleted, restore(before)), redo: () => client.deleteTag(name) });
      const changed = await deleted;
      notify.show(`Removed “${name}” from ${changed} highlight${changed === 1 ? '' : 's'}.`, 'info', undoAction(history, step, notify));
    } catch (e) {
      notify.error(`Could not delete “${name}”: ${(e as Error).message}`);
    }
  };

  if (tags.length === 0) return <p className="empty">No tags yet. Add one on a highlight's card (“Add tag”).</p>;
  return (
    <ul className="tag-manager" aria-label="All tags">
      {tags.map((t) => (
        <li key={tagKey(t.name)} className="tag-row">
          {renaming === t.name ? (
            <input
              type="text"
              aria-label={`New name for tag ${t.name}`}
              value={draft}
              maxLength={100}
              autoFocus
              onChange={(e) => setDraft(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') void rename(t.name, draft);
                else if (e.key === 'Escape') {
                  e.stopPropagation();
                  setRenaming(null);
                }
              }}
              onBlur={() => setRenaming(null)}
            />
          ) : (
            <button type="button" className="link-button tag-name" aria-label={`Show highlights tagged ${t.name}`} onClick={() => onShow(t.name)}>
              #{t.name}
            </button>
          )}
          <span className="count" aria-label={`${t.count} highlight${t.count === 1 ? '' : 's'}`}>
            {t.count}
          </span>
          <button
            type="button"
            aria-label={`Rename tag ${t.name}`}
            onClick={() => {
              setDraft(t.name);
              setRenaming(t.name);
            }}
          >
            Rename
          </button>
          <button type="button" aria-label={`Delete tag ${t.name}`} onClick={() => void remove(t.name)}>
            Delete
          </button>
        </li>
      ))}
    </ul>
  );
}
