import { Menu, shell, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import { IPC_COMMAND_CHANNEL, type MenuCommand } from '../contract';

export interface MenuContext {
  dataDir: string;
  getWindow: () => BrowserWindow | null;
  openWindow: () => void;
}


export function menuTemplate(ctx: MenuContext, platform: NodeJS.Platform = process.platform): MenuItemConstructorOptions[] {
  const send = (command: MenuCommand) => () => ctx.getWindow()?.webContents.send(IPC_COMMAND_CHANNEL, command);
  const isMac = platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [];
  if (isMac) template.push({ role: 'appMenu' });
  template.push(
    {
      label: '&File',
      submenu: [
        { label: 'Import…', accelerator: 'CmdOrCtrl+O', click: send('import') },
        { label: 'Import from URL…', accelerator: 'CmdOrCtrl+Shift+O', click: send('import-url') },
        { label: 'Export…', accelerator: 'CmdOrCtrl+E', click: send('export') },
        { type: 'separator' },
        { label: 'Open Data Folder', click: () => void shell.openPath(ctx.dataDir) },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: '&Edit',
      submenu: [
        { label: 'Undo', accelerator: 'CmdOrCtrl+Z', click: send('undo') },
        { label: 'Redo', accelerator: 'Shift+CmdOrCtrl+Z', click: send('redo') },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
        { type: 'separator' },
        { label: 'Find', accelerator: 'CmdOrCtrl+F', click: send('find') },
      ],
    },
    {
      label: '&View',
      submenu: [
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { label: 'Toggle Notes Panel', accelerator: 'CmdOrCtrl+\\', click: send('toggle-notes') },
        { label: 'Toggle Theme', accelerator: 'CmdOrCtrl+Shift+L', click: send('toggle-theme') },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      label: '&Help',
      role: 'help',
      submenu: [
        { label: 'Keyboard Shortcuts', accelerator: 'CmdOrCtrl+/', click: send('shortcuts') },
        { label: 'About Gloss', click: send('about') },
      ],
    },
  );
  return template;
}

export function installMenu(ctx: MenuContext): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(ctx)));
}
