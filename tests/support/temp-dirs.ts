/**
 * Temporary folders a test file makes (a notebook, an export's destination), all removed in its afterEach: each test
 * gets folders of its own and leaves none behind.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export class TempDirs {
  private dirs: string[] = [];

  /** A new empty folder under the system's temp folder, named from `prefix`. */
  async make(prefix: string): Promise<string> {
    return this.track(await mkdtemp(path.join(os.tmpdir(), prefix)));
  }

  /** A folder made some other way, removed with the rest. */
  track(dir: string): string {
    this.dirs.push(dir);
    return dir;
  }

  async removeAll(): Promise<void> {
    const dirs = this.dirs;
    this.dirs = [];
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  }
}
