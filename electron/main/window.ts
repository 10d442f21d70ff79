import path from 'node:path';
import type { BrowserWindow as BrowserWindowType, BrowserWindowConstructorOptions } from 'electron';

/** The main window's options: sandboxed, context-isolated, no Node in the page; only the preload bridges. */
export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 840,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Gloss',
    backgroundColor: '#1c1b19',
    webPreferences: {
      preload: preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: true,
    },
  };
}

export function preloadPathFrom(mainDir: string): string {
  return path.join(mainDir, '../preload/index.js');
}

/** The renderer: electron-vite's dev server in development, the built file otherwise. */
export function rendererUrl(mainDir: string, devServerUrl: string | undefined): string {
  if (devServerUrl) return devServerUrl;
  return new URL(`file://${path.join(mainDir, '../renderer/index.html').replace(/\\/g, '/')}`).toString();
}

export type BrowserWindowCtor = new (options: BrowserWindowConstructorOptions) => BrowserWindowType;
