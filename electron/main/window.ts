import path from 'node:path';
import type { BrowserWindow as BrowserWindowType, BrowserWindowConstructorOptions } from 'electron';
import { APP_PAGE_URL } from './app-protocol';

export interface MainWindowChoices {
  /** The user's spell-check preference (UiSettings.spellcheck, off by default: it downloads dictionaries). */
  spellcheck: boolean;
}

/**
 * Creates the main window: sandboxed, context-isolated, no Node in the page; only the preload bridges. The options are
 * written out at the `new BrowserWindow({...})` itself, so reviewers and Electronegativity see exactly what the window
 * gets. `BrowserWindow` is a parameter so tests can capture the options without an Electron binary.
 */
export function createMainWindow(preloadPath: string, BrowserWindow: BrowserWindowCtor, choices: MainWindowChoices = { spellcheck: false }): BrowserWindowType {
  return new BrowserWindow({
    width: 1280,
    height: 840,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Gloss',
    backgroundColor: '#1c1b19',
    webPreferences: {
      // Reviewed (Electronegativity's PRELOAD_JS_CHECK asks for a review of every preload): it exposes one named function
      // per contract method through contextBridge, never ipcRenderer itself; main checks each call's sender and args.
      preload: preloadPath, // eng-disable PRELOAD_JS_CHECK
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      // A middle click on a link would ask for a new window; the open handler denies it, and this stops the ask.
      disableBlinkFeatures: 'Auxclick',
      // Off unless the user turned it on in Preferences: on Windows and Linux it downloads Hunspell dictionaries from
      // Google's servers. Fixed for the window's life (the session's switch can turn it off, not on, in a live window).
      spellcheck: choices.spellcheck,
    },
  });
}

/** The options createMainWindow passes, for tests and reviews. */
export function mainWindowOptions(preloadPath: string, choices?: MainWindowChoices): BrowserWindowConstructorOptions {
  let captured: BrowserWindowConstructorOptions | undefined;
  class Capture {
    constructor(options: BrowserWindowConstructorOptions) {
      captured = options;
    }
  }
  createMainWindow(preloadPath, Capture as unknown as BrowserWindowCtor, choices);
  return captured!;
}

export function preloadPathFrom(mainDir: string): string {
  return path.join(mainDir, '../preload/index.js');
}

/** The renderer: electron-vite's dev server in development, the built files over the gloss-app scheme otherwise. */
export function rendererUrl(devServerUrl: string | undefined): string {
  return devServerUrl || APP_PAGE_URL;
}

/** The built renderer folder, which the gloss-app scheme serves (app-protocol.ts). */
export function rendererDirFrom(mainDir: string): string {
  return path.join(mainDir, '../renderer');
}

export type BrowserWindowCtor = new (options: BrowserWindowConstructorOptions) => BrowserWindowType;
