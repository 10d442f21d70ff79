import path from 'node:path';
import type { IpcMainInvokeEvent } from 'electron';

/**
 * The folders the user picked in a window's native folder dialog (host.ts chooseFolder), remembered per window for
 * this session. `exportToFolder` over IPC writes only to one of them: a page that was compromised (or a bug) cannot
 * name any other path on disk. Browser mode and the CLI have no such dialog and keep taking an absolute path.
 */
export class PickedFolders {
  /** By WebContents id (unique for the app's life, never reused): another window has to pick its own. */
  private readonly byWindow = new Map<number, Set<string>>();

  remember(event: IpcMainInvokeEvent, dir: string): void {
    const id = windowId(event);
    if (id === null) return;
    const set = this.byWindow.get(id) ?? new Set<string>();
    set.add(path.resolve(dir));
    this.byWindow.set(id, set);
  }

  allows(event: IpcMainInvokeEvent, dir: unknown): boolean {
    const id = windowId(event);
    if (id === null || typeof dir !== 'string' || !path.isAbsolute(dir)) return false;
    return this.byWindow.get(id)?.has(path.resolve(dir)) ?? false;
  }
}

function windowId(event: IpcMainInvokeEvent): number | null {
  const id = (event.sender as { id?: unknown } | undefined)?.id;
  return typeof id === 'number' ? id : null;
}
