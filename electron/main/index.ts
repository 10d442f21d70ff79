/**
 * The Electron host: app lifecycle, the window, security, and the IPC binding. Thin on purpose: everything a user can
 * do is a contract method served by the notebook core, exactly as in browser mode.
 */
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, protocol, screen, session, shell } from 'electron';
import { IPC_EVENT_CHANNEL } from '../contract';
import { Notebook } from '../notebook/notebook';
import { notebookDirIn, resolveDataDir } from '../notebook/paths';
import { bindIpc, makeSenderCheck } from './ipc';
import { bindHostIpc } from './host';
import { PickedFolders } from './picked-folders';
import { denyAllPermissions, enforceContentSecurityPolicy, hardenApp } from './security';
import { createMainWindow, preloadPathFrom, rendererDirFrom, rendererUrl } from './window';
import { registerAppScheme, serveAppScheme } from './app-protocol';
import { installMenu } from './menu';
import { registerDeepLinks } from './deep-links';
import { readWindowState, restoreBounds, trackWindowState, WINDOW_STATE_FILE, type WindowState } from './window-state';

const devServerUrl = process.env.ELECTRON_RENDERER_URL;
const pageUrl = rendererUrl(app.isPackaged ? undefined : devServerUrl);
// The page's own scheme (gloss-app://renderer/), privileged before 'ready' as Electron requires; served once ready.
registerAppScheme(protocol);
const isOwnPage = (url: string): boolean => {
  try {
    const a = new URL(url);
    const b = new URL(pageUrl);
    return a.protocol === b.protocol && a.host === b.host && a.pathname === b.pathname;
  } catch {
    return false;
  }
};

let mainWindow: BrowserWindow | null = null;
let notebook: Notebook | null = null;

// gloss:// links (deep-links.ts): registered now, before 'ready', because macOS sends `open-url` as early as launch.
const deepLinks = registerDeepLinks(app, {
  getWindow: () => mainWindow,
  argv: process.argv,
  defaultApp: process.defaultApp,
  execPath: process.execPath,
  // A link with no window open (macOS runs on windowless): open one, at the link's route. Before the notebook is
  // open, start() makes the window and takes the link's route then.
  openWindow: () => {
    if (notebook && !mainWindow) mainWindow = createWindow();
  },
});

function dataDirFromArgs(argv: string[]): string | undefined {
  const i = argv.indexOf('--data-dir');
  if (i >= 0) return argv[i + 1];
  const eq = argv.find((a) => a.startsWith('--data-dir='));
  return eq?.slice('--data-dir='.length);
}

function resourcesDir(): string {
  return app.isPackaged ? path.join(process.resourcesPath, 'resources') : path.join(__dirname, '../../resources');
}

/** The window's size and place from the last run (read once at start; see window-state.ts). */
let savedWindowState: WindowState | null = null;

/** The spell-check preference as the window was created with it (see createMainWindow). */
let spellcheck = false;

function createWindow(): BrowserWindow {
  const win = createMainWindow(preloadPathFrom(__dirname), BrowserWindow, { spellcheck });
  // Put the window where it was (still hidden: show:false), checked against today's displays, and keep track of it.
  const place = restoreBounds(savedWindowState, screen, { width: 1280, height: 840, minWidth: 720, minHeight: 480 });
  if (place.x !== undefined && place.y !== undefined) win.setBounds({ x: place.x, y: place.y, width: place.width, height: place.height });
  else {
    win.setSize(place.width, place.height);
    win.center();
  }
  if (place.maximized) win.maximize();
  trackWindowState(win, path.join(app.getPath('userData'), WINDOW_STATE_FILE), {
    onSaved: (state) => (savedWindowState = state), // a window reopened on macOS (activate) opens where this one was
    onError: (e) => console.error('gloss: could not save the window state', e),
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${pageUrl}${deepLinks.takePendingHash()}`); // a gloss:// link that launched the app: its route
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  return win;
}

async function start(): Promise<void> {
  // One process owns the notebook: a second launch focuses the first window and exits.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  // A second launch (with a gloss:// link or without) is handled by deep-links.ts: it focuses this window.
  hardenApp(app, shell, isOwnPage);
  await app.whenReady();
  denyAllPermissions(session.defaultSession);
  enforceContentSecurityPolicy(session.defaultSession);
  serveAppScheme(protocol, rendererDirFrom(__dirname), () => notebook); // /files/<id>.pdf once the notebook is open

  const cliDir = dataDirFromArgs(process.argv);
  const dataDir = cliDir || process.env.GLOSS_DATA_DIR ? resolveDataDir(cliDir) : notebookDirIn(app.getPath('userData'));
  notebook = await Notebook.open(dataDir, {
    owner: `the Gloss desktop app (pid ${process.pid})`,
    seedArticlePath: path.join(resourcesDir(), 'sample-article.txt'),
  });
  const pickedFolders = new PickedFolders(); // exportToFolder over IPC writes only where the folder dialog said
  bindIpc(ipcMain, notebook, makeSenderCheck(() => pageUrl), pickedFolders);
  bindHostIpc(ipcMain, dialog, () => mainWindow, makeSenderCheck(() => pageUrl), pickedFolders, notebook);
  // Spell checking is off unless the user turned it on (it downloads dictionaries on Windows and Linux).
  const applySpellcheck = async (nb: Notebook): Promise<void> => {
    spellcheck = (await nb.getSettings()).ui?.spellcheck === true;
    session.defaultSession.setSpellCheckerEnabled(spellcheck);
  };
  await applySpellcheck(notebook);
  notebook.subscribe((event) => {
    for (const win of BrowserWindow.getAllWindows()) win.webContents.send(IPC_EVENT_CHANNEL, event);
    if (event.type === 'settings-changed' && notebook) void applySpellcheck(notebook).catch(() => undefined);
  });
  installMenu({ dataDir, getWindow: () => mainWindow, openWindow: () => (mainWindow = createWindow()) });
  savedWindowState = await readWindowState(path.join(app.getPath('userData'), WINDOW_STATE_FILE));
  mainWindow = createWindow();

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
  });
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

let quitting = false;
app.on('before-quit', (event) => {
  if (quitting || !notebook) return;
  // Let the renderer flush unsaved notes (it listens for beforeunload), then release the folder lock.
  event.preventDefault();
  quitting = true;
  const nb = notebook;
  notebook = null;
  void nb.close().finally(() => app.quit());
});

start().catch((error: unknown) => {
  console.error('gloss: could not start', error);
  app.exit(1);
});
