import { useMemo, useRef } from 'react';
import type { Highlight } from '../../../electron/contract';

export interface CardWrites {
  /** Runs `write` after every earlier write of this card has settled: one request at a time, in order. */
  enqueue<T>(write: () => Promise<T>): Promise<T>;
  /** The newest version of the highlight this card knows (its props, or the reply to its own last write). */
  latest(): Highlight;
  /** Records that this card's own write turned revision `from` into `saved`. */
  recordOwnWrite(from: string, saved: Highlight): void;
  /**
   * `revision`, moved forward past this card's own writes. A note save based on the version before our own tag change
   * must not be refused as a conflict with ourselves; a change made elsewhere is not ours, so it still conflicts.
   */
  forward(revision: string): string;
}

/**
 * One highlight's card writes its note and its tags through the same `updateHighlight` (with `ifUpdatedAt`). Sent at
 * once, two of them race: one is refused, and a quickly typed series of tag changes could be re-applied on a stale
 * base and lose a tag. Queuing them, always from the newest known version, keeps every change.
 */
export function useCardWrites(highlight: Highlight): CardWrites {
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const successors = useRef(new Map<string, string>());
  const newest = useRef(highlight);
  if (highlight.id !== newest.current.id || highlight.updatedAt > newest.current.updatedAt) newest.current = highlight;

  return useMemo<CardWrites>(
    () => ({
      enqueue<T>(write: () => Promise<T>): Promise<T> {
        const run = queue.current.then(write, write);
        queue.current = run.catch(() => undefined);
        return run;
      },
      latest: () => newest.current,
      recordOwnWrite(from, saved) {
        if (from !== saved.updatedAt) successors.current.set(from, saved.updatedAt);
        if (saved.updatedAt > newest.current.updatedAt) newest.current = saved;
      },
      forward(revision) {
        let current = revision;
        for (let hops = 0; hops < 100 && successors.current.has(current); hops++) current = successors.current.get(current)!;
        return current;
      },
    }),
    [],
  );
}
