/**
 * Runs work that can wait until the frame showing a change has been produced: saving a new highlight (it is painted
 * already), hiding the selection toolbar. It runs in the page's next idle period, which Chromium starts once that
 * frame is committed, or after `timeoutMs` if the page is never idle (pages being drawn while scrolling).
 *
 * Why not setTimeout(0), or a task posted from requestAnimationFrame: those are ordinary tasks, run in the order they
 * were posted, so they sit in front of whatever comes next, the next key or pointer event included; traces of a new
 * highlight on a PDF page showed 3-7 ms of such tasks (the save's request, the toolbar's re-render) right after the
 * frame (bench/RESULTS.md, "PDFs"). An idle callback gives way to them.
 *
 * Work still waiting when the page goes away (the window closed a moment after `h`) runs then, on `pagehide`, so a
 * highlight the reader saw painted has its save started before the page is gone.
 */
const waiting = new Set<() => void>();

export function afterFrame(run: () => void, timeoutMs = 50): void {
  if (typeof requestIdleCallback !== 'function') {
    setTimeout(run, 0);
    return;
  }
  if (waiting.size === 0) window.addEventListener('pagehide', runAllNow);
  let done = false;
  const once = (): void => {
    if (done) return;
    done = true;
    waiting.delete(once);
    if (waiting.size === 0) window.removeEventListener('pagehide', runAllNow);
    run();
  };
  waiting.add(once);
  requestIdleCallback(once, { timeout: timeoutMs });
}

function runAllNow(): void {
  for (const run of [...waiting]) run();
}
