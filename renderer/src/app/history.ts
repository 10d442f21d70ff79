import type { Notifier, ToastAction } from './Toasts';

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

/**
 * One step on the stack, as `push` returns it: what a toast's Undo button holds. It stays the same step through undo
 * and redo, so the button can ask whether its step is still the one Ctrl+Z would undo (`isNextUndo`).
 */
export type HistoryStep = number & { readonly historyStep: unique symbol };

type Stored = HistoryEntry & { at: number; step: HistoryStep };

const COALESCE_MS = 1500;
const MAX_ENTRIES = 200;

export class History {
  private done: Stored[] = [];
  private undone: Stored[] = [];
  private nextStep = 1;
  private running: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<() => void>();

  push(entry: HistoryEntry): HistoryStep {
    const last = this.done[this.done.length - 1];
    const now = Date.now();
    let step: HistoryStep;
    if (entry.coalesceKey && last?.coalesceKey === entry.coalesceKey && now - last.at < COALESCE_MS) {
      step = last.step; // merged into the step before: undoing either undoes both
      this.done[this.done.length - 1] = { ...last, redo: entry.redo, label: entry.label, at: now };
    } else {
      step = this.nextStep++ as HistoryStep;
      this.done.push({ ...entry, at: now, step });
      if (this.done.length > MAX_ENTRIES) this.done.shift();
    }
    this.undone = [];
    this.changed();
    return step;
  }

  /** True while `step` is the one Ctrl+Z would undo next (not undone, not buried under a later step, not dropped). */
  isNextUndo(step: HistoryStep): boolean {
    return this.done[this.done.length - 1]?.step === step;
  }

  /** Forgets `step` (its change failed, so there is nothing to undo); later steps stay. */
  discard(step: HistoryStep): void {
    const before = this.done.length + this.undone.length;
    this.done = this.done.filter((e) => e.step !== step);
    this.undone = this.undone.filter((e) => e.step !== step);
    if (this.done.length + this.undone.length !== before) this.changed();
  }

  get canUndo(): boolean {
    return this.done.length > 0;
  }

  get canRedo(): boolean {
    return this.undone.length > 0;
  }

  /** Undoes the last entry; steps run one at a time, in order, even when keys are pressed quickly. */
  undo(): Promise<string | null> {
    return this.step(() => this.take(), 'undo');
  }

  /**
   * Undoes `step` only if it is still the next undo when its turn in the queue comes (a toast's Undo): the same
   * history as Ctrl+Z, so the two can never apply one step twice. Resolves null when it was no longer next.
   */
  undoStep(step: HistoryStep): Promise<string | null> {
    return this.step(() => (this.isNextUndo(step) ? this.take() : null), 'undo');
  }

  redo(): Promise<string | null> {
    return this.step(() => {
      const entry = this.undone.pop();
      if (!entry) return null;
      this.done.push({ ...entry, at: 0 }); // at 0: a redone entry never coalesces with the next edit
      return entry;
    }, 'redo');
  }

  private take(): Stored | null {
    const entry = this.done.pop();
    if (!entry) return null;
    this.undone.push(entry);
    return entry;
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
      try {
        await entry[direction]();
      } catch (e) {
        throw new StepFailed(entry.label, e);
      }
      return entry.label;
    });
    this.running = result.catch(() => undefined);
    return result;
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

/** An undo or redo the notebook refused; `label` names the step ("delete highlight"). */
export class StepFailed extends Error {
  constructor(
    readonly label: string,
    readonly reason: unknown,
  ) {
    super(reason instanceof Error ? reason.message : String(reason));
    this.name = 'StepFailed';
  }
}

/** The notebook's refusal of an undo or redo, in plain words: its own message names internal ids. */
export function stepFailure(direction: 'undo' | 'redo', failed: StepFailed): string {
  const error = failed.reason;
  const code = (error as { code?: unknown } | null)?.code;
  const what = `Could not ${direction} “${failed.label}”`;
  if (code === 'conflict') return `${what}: it has already been ${direction === 'undo' ? 'undone' : 'redone'}, perhaps in another window.`;
  if (code === 'not_found') return `${what}: what it changes is no longer there (deleted, perhaps in another window, or its undo time has passed).`;
  return `${what}: ${(error as Error)?.message ?? String(error)}`;
}

/**
 * Ctrl+Z / Ctrl+Shift+Z and Edit > Undo / Redo: one step, then say what happened, including that there was nothing
 * to do (a key press must never be met with silence).
 */
export function runStep(history: History, direction: 'undo' | 'redo', notify: Notifier): Promise<void> {
  return report(history[direction](), direction, notify, () => notify.brief(direction === 'undo' ? 'Nothing to undo.' : 'Nothing to redo.'));
}

/**
 * A toast's Undo for `step`: offered only while `step` is the next undo, and run through the same history as Ctrl+Z,
 * so a toast can never undo a step twice, nor undo a step other than the one it names.
 */
export function undoAction(history: History, step: HistoryStep, notify: Notifier): ToastAction {
  return {
    label: 'Undo',
    run: () => void report(history.undoStep(step), 'undo', notify, () => undefined),
    available: () => history.isNextUndo(step),
    subscribe: (onChange) => history.subscribe(onChange),
  };
}

async function report(step: Promise<string | null>, direction: 'undo' | 'redo', notify: Notifier, nothing: () => void): Promise<void> {
  try {
    const label = await step;
    if (label) notify.show(`${direction === 'undo' ? 'Undid' : 'Redid'} ${label}.`);
    else nothing();
  } catch (e) {
    notify.error(e instanceof StepFailed ? stepFailure(direction, e) : `Could not ${direction}: ${(e as Error).message}`);
  }
}
