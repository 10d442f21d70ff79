import { describe, expect, it } from 'vitest';
import { History, runStep, stepFailure, StepFailed, undoAction } from '../../renderer/src/app/history';
import type { Notifier } from '../../renderer/src/app/Toasts';

/** A notebook of one counter, so a step applied twice shows as a wrong count (as a highlight restored twice did). */
function counterHistory() {
  const history = new History();
  const state = { value: 0 };
  const bump = (label = 'bump') =>
    history.push({
      label,
      undo: async () => {
        state.value -= 1;
      },
      redo: async () => {
        state.value += 1;
      },
    });
  return { history, state, bump };
}

function recorder(): Notifier & { said: string[] } {
  const said: string[] = [];
  return { said, show: (m) => said.push(m), error: (m) => said.push(`error: ${m}`), brief: (m) => said.push(`brief: ${m}`), dismiss: () => undefined };
}

describe('History steps and a toast’s Undo', () => {
  it('a toast’s Undo is offered only while its step is the next undo, and follows undo and redo', async () => {
    const { history, state, bump } = counterHistory();
    state.value = 1;
    const step = bump();
    const action = undoAction(history, step, recorder());
    expect(action.available!()).toBe(true);
    await history.undo(); // Ctrl+Z undid it first
    expect(state.value).toBe(0);
    expect(action.available!()).toBe(false);
    await history.redo(); // redone: it is the next undo again
    expect(action.available!()).toBe(true);
    bump(); // a later step buries it
    expect(action.available!()).toBe(false);
  });

  it('undoStep never undoes a step twice, nor a step other than its own, however the clicks and keys interleave', async () => {
    const { history, state, bump } = counterHistory();
    const first = bump('first');
    const second = bump('second');
    state.value = 2;
    // Ctrl+Z and the toast's Undo for the same step, queued back to back: only one applies.
    const [byKey, byToast] = await Promise.all([history.undo(), history.undoStep(second)]);
    expect([byKey, byToast]).toEqual(['second', null]);
    expect(state.value).toBe(1);
    // The first step's toast, clicked now, is the next undo: it applies once.
    expect(await history.undoStep(first)).toBe('first');
    expect(await history.undoStep(first)).toBe(null);
    expect(state.value).toBe(0);
  });

  it('says "Nothing to undo" and "Nothing to redo" instead of nothing', async () => {
    const notify = recorder();
    const { history } = counterHistory();
    await runStep(history, 'undo', notify);
    await runStep(history, 'redo', notify);
    expect(notify.said).toEqual(['brief: Nothing to undo.', 'brief: Nothing to redo.']);
  });

  it('words a refused step without the notebook’s internal ids', async () => {
    const history = new History();
    const refusal = Object.assign(new Error('Highlight ziWHwrh8UWRX already exists.'), { code: 'conflict' });
    history.push({ label: 'delete highlight', undo: () => Promise.reject(refusal), redo: async () => undefined });
    const notify = recorder();
    await runStep(history, 'undo', notify);
    expect(notify.said).toEqual(['error: Could not undo “delete highlight”: it has already been undone, perhaps in another window.']);
    expect(notify.said.join()).not.toContain('ziWHwrh8UWRX');
    const gone = stepFailure('redo', new StepFailed('recolour', Object.assign(new Error('No highlight with id "abc".'), { code: 'not_found' })));
    expect(gone).not.toContain('abc');
  });
});
