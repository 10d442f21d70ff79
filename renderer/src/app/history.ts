/**
 * Undo/redo for notebook edits. Each entry knows how to undo and redo itself through the API (so the notebook on disk
 * follows, and other windows see it through events). Entries pushed with the same `coalesceKey` within
 * COALESCE_MS merge into one (a burst of typing in a note is one undo step), keeping the first entry's undo and the
 * last entry's redo.
 */
export interface HistoryEntry {
  label: string;
  undo: () => Promise<unknown>;
  redo: () => Promise<unknown>;
  coalesceKey?: string;
}

const COALESCE_MS = 1500;
const MAX_ENTRIES = 200;

export class History {
  private done: (HistoryEntry & { at: number })[] = [];
  private undone: HistoryEntry[] = [];
  private running: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<() => void>();

  push(entry: HistoryEntry): void {
    const last = this.done[this.done.length - 1];
    const now = Date.now();
    if (entry.coalesceKey && last?.coalesceKey === entry.coalesceKey && now - last.at < COALESCE_MS) {
      this.done[this.done.length - 1] = { ...last, redo: entry.redo, label: entry.label, at: now };
    } else {
      this.done.push({ ...entry, at: now });
      if (this.done.length > MAX_ENTRIES) this.done.shift();
    }
    this.undone = [];
    this.changed();
  }

  get canUndo(): boolean {
    return this.done.length > 0;
  }

  get canRedo(): boolean {
    return this.undone.length > 0;
  }

  /** Undoes the last entry; steps run one at a time, in order, even when keys are pressed quickly. */
  undo(): Promise<string | null> {
    return this.step(() => {
      const entry = this.done.pop();
      if (!entry) return null;
      this.undone.push(entry);
      return entry;
    }, 'undo');
  }

  redo(): Promise<string | null> {
    return this.step(() => {
      const entry = this.undone.pop();
      if (!entry) return null;
      this.done.push({ ...entry, at: 0 }); // at 0: a redone entry never coalesces with the next edit
      return entry;
    }, 'redo');
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private step(take: () => HistoryEntry | null, direction: 'undo' | 'redo'): Promise<string | null> {
    const result = this.running.then(async () => {
      const entry = take();
      this.changed();
      if (!entry) return null;
      await entry[direction]();
      return entry.label;
    });
    this.running = result.catch(() => undefined);
    return result;
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
