import { useEffect, useState } from 'react';
import type { TagCount } from '../../../electron/contract';
import type { GlossClient } from '../api/client';

/** Every tag in the notebook with its count, kept current by `tags-changed` events (from any window). */
export function useTags(client: GlossClient): TagCount[] {
  const [tags, setTags] = useState<TagCount[]>([]);
  useEffect(() => {
    let live = true;
    const load = (): void => {
      client.listTags().then(
        // The same list again keeps its identity: every card takes it as a prop, and a new array re-renders them all.
        (list) => live && setTags((previous) => (JSON.stringify(previous) === JSON.stringify(list) ? previous : list)),
        () => undefined,
      );
    };
    load();
    const off = client.subscribe((event) => {
      if (event.type === 'tags-changed' || event.type === 'article-deleted') load();
    });
    return () => {
      live = false;
      off();
    };
  }, [client]);
  return tags;
}
