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
        (list) => live && setTags(list),
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
