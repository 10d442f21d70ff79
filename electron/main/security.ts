import type { App, Session, Shell, WebContents } from 'electron';

/** http(s) links only: file:, javascript:, custom schemes never reach the OS. */
export function isExternalLinkAllowed(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * The Electron security checklist, applied to every web contents the app ever creates: no navigation away from our
 * page, no new windows (links open in the system browser, http(s) only, after the user clicked them), and every
 * permission (camera, notifications, geolocation...) denied.
 */
export function hardenApp(app: Pick<App, 'on'>, shell: Pick<Shell, 'openExternal'>, isOwnPage: (url: string) => boolean): void {
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, shell, isOwnPage));
}

export function hardenContents(
  contents: Pick<WebContents, 'on' | 'setWindowOpenHandler'>,
  shell: Pick<Shell, 'openExternal'>,
  isOwnPage: (url: string) => boolean,
): void {
  contents.on('will-navigate', (event, url) => {
    if (!isOwnPage(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isOwnPage(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalLinkAllowed(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

export function denyAllPermissions(session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
