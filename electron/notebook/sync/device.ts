/**
 * This machine's name in the notes' version history (clock.ts): a random id kept in `local/device.json`, which is
 * never synced. A notebook folder copied whole to another computer (local/ included) gets a new id there, because the
 * file also names the host it was made on: two machines writing under one id could otherwise hide a note.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { writeFileDurably } from '../store/durable-file';

export const DEVICE_FILE = 'local/device.json';

export async function deviceIdOf(notebookDir: string): Promise<string> {
  const file = path.join(notebookDir, DEVICE_FILE);
  try {
    const stored = JSON.parse(await readFile(file, 'utf8')) as { id?: unknown; host?: unknown };
    if (typeof stored.id === 'string' && /^[A-Za-z0-9_-]{6,32}$/.test(stored.id) && stored.host === hostname()) return stored.id;
  } catch {
    // none yet, or unreadable: make one
  }
  const id = randomBytes(6).toString('base64url');
  await mkdir(path.dirname(file), { recursive: true });
  await writeFileDurably(file, JSON.stringify({ id, host: hostname() }));
  return id;
}
