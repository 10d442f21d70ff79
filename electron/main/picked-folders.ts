import path from 'node:path';
import type { IpcMainInvokeEvent } from 'electron';

/**
 * The folders the user picked in a window's native folder dialog (host.ts chooseFolder), remembered per window for
 * this session. `exportToFolder` over IPC writes only to one of them: a page that was compromised (or a bug) cannot
 * name any other path on disk. Browser mode and the CLI have no such dialog and keep taking an absolute path.
 */
export class PickedFolders {
  /** Keyed by the window's WebContents: a closed window's choices go with it. */
  private readonly byWindow = new WeakMap<object, Set<string>>();

  remember(event: IpcMainInvokeEvent, dir: string): void {
    const sender = event.sender as object | undefined;
    if (!sender) return;
    const set = this.byWindow.get(sender) ?? new Set<string>();
    set.add(path.resolve(dir));
    this.byWindow.set(sender, set);
  }

  allows(event: IpcMainInvokeEvent, dir: unknown): boolean {
    const sender = event.sender as object | undefined;
    if (!sender || typeof dir !== 'string' || !path.isAbsolute(dir)) return false;
    return this.byWindow.get(sender)?.has(path.resolve(dir)) ?? false;
  }
}
