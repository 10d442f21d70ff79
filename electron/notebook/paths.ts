import os from 'node:os';
import path from 'node:path';

export const APP_NAME = 'Gloss';

/**
 * Electron's `app.getPath('userData')` for an app named Gloss, computed without Electron so browser mode and the CLI
 * open the same notebook as the desktop app (never at the same time: the folder lock sees to that).
 */
export function defaultUserDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  const home = os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_NAME);
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_NAME);
}

export function notebookDirIn(userDataDir: string): string {
  return path.join(userDataDir, 'notebook');
}

/** `--data-dir` beats `GLOSS_DATA_DIR` beats the default. */
export function resolveDataDir(cliValue: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (cliValue) return path.resolve(cliValue);
  if (env.GLOSS_DATA_DIR) return path.resolve(env.GLOSS_DATA_DIR);
  return notebookDirIn(defaultUserDataDir(env));
}
