/**
 * Recognising the copies a folder-sync engine makes when a file changed on two machines before they synced. Each engine
 * keeps one version under the file's name and the other beside it under a name of its own making:
 *
 * - Syncthing: `<name>.sync-conflict-<YYYYMMDD>-<HHMMSS>-<short device id>.<ext>`
 *   (docs.syncthing.net, "How are conflicts handled?"; the short id is the first 7 characters of the device ID).
 * - Dropbox: `<name> (<Someone>'s conflicted copy <YYYY-MM-DD>).<ext>`, older clients `<name> (conflicted copy).<ext>`,
 *   and a second one on the same day `... (1)).<ext>`.
 * - iCloud Drive: `<name> 2.<ext>` (then 3, 4...).
 * - OneDrive: `<name>-<COMPUTERNAME>.<ext>` (the computer whose edit lost, appended to the name).
 *
 * The iCloud and OneDrive forms are ordinary-looking names, so they count only when `<name>` is a file the notebook
 * knows (an article id, `notebook`): `isKnown` says which. Nothing here touches files.
 */

export type SyncEngine = 'syncthing' | 'dropbox' | 'icloud' | 'onedrive';

export interface ConflictCopy {
  /** The file name this is a copy of (`abc.json`). */
  original: string;
  engine: SyncEngine;
  /** What the name says about where it came from: a device id, a person, a computer, a date. */
  from?: string;
}

const SYNCTHING = /^(.+)\.sync-conflict-(\d{8})-(\d{6})-([A-Z0-9]{7})(\.[^.]+)?$/;
const DROPBOX = /^(.+?) \((?:(.+?)'s )?conflicted copy(?: (\d{4}-\d{2}-\d{2}))?(?: \(\d+\))?\)(\.[^.]+)?$/i;
const ICLOUD = /^(.+) ([2-9]|[1-9]\d+)(\.[^.]+)?$/;
const ONEDRIVE = /^(.+)-([A-Za-z0-9][A-Za-z0-9_-]{0,62})(\.[^.]+)?$/;

/**
 * What `name` is a conflict copy of, or undefined for an ordinary file. `isKnown(stem)` is asked about the stem (the
 * name without extension) only for the forms that could be ordinary names.
 */
export function conflictCopyOf(name: string, isKnown: (stem: string) => boolean): ConflictCopy | undefined {
  // Every form above has a space or a "-" in it: most names are ruled out without a regex (10,000 at each open).
  if (!name.includes(' ') && !name.includes('-')) return undefined;
  if (isKnown(stemOf(name))) return undefined; // the name of a real file (an article id that happens to end in "-x")
  let m = SYNCTHING.exec(name);
  if (m) return { original: m[1] + (m[5] ?? ''), engine: 'syncthing', from: m[4] };
  m = DROPBOX.exec(name);
  if (m) return { original: m[1] + (m[4] ?? ''), engine: 'dropbox', ...(m[2] || m[3] ? { from: [m[2], m[3]].filter(Boolean).join(', ') } : {}) };
  m = ICLOUD.exec(name);
  if (m && isKnown(m[1])) return { original: m[1] + (m[3] ?? ''), engine: 'icloud' };
  // OneDrive: the stem is the longest known prefix before a "-" (an article id may itself contain "-").
  m = ONEDRIVE.exec(name);
  if (m) {
    const ext = m[3] ?? '';
    const stem = name.slice(0, name.length - ext.length);
    for (let cut = stem.lastIndexOf('-'); cut > 0; cut = stem.lastIndexOf('-', cut - 1)) {
      const base = stem.slice(0, cut);
      if (isKnown(base)) return { original: base + ext, engine: 'onedrive', from: stem.slice(cut + 1) };
    }
  }
  return undefined;
}

function stemOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

/** Temporary files sync engines write while a file arrives, which must never be read as the file. */
export function isSyncTempFile(name: string): boolean {
  return (
    name.startsWith('.syncthing.') || // Syncthing: .syncthing.<name>.tmp
    name.startsWith('~syncthing~') || // Syncthing on Windows
    name.endsWith('.tmp') ||
    name.startsWith('.~') ||
    name.startsWith('~$') ||
    name === '.dropbox' ||
    name.endsWith('.icloud') // iCloud's placeholder for a file not downloaded yet: .<name>.icloud
  );
}
