import { session, type WebContents } from 'electron';

/** The app's own page: the built file, or the dev server electron-vite started. */
export function makeIsTrustedUrl(rendererUrl: string): (url: string) => boolean {
  const trusted = new URL(rendererUrl);
  return (url: string) => {
    try {
      const u = new URL(url);
      if (trusted.protocol === 'file:') return u.protocol === 'file:' && u.pathname === trusted.pathname;
      return u.origin === trusted.origin;
    } catch {
      return false;
    }
  };
}

/** No navigation away, no new windows, no permission prompts (camera, geolocation...) for the page. */
export function hardenContents(contents: WebContents, isTrustedUrl: (url: string) => boolean): void {
  contents.on('will-navigate', (event, url) => {
    if (!isTrustedUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

export function denyAllPermissions(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}
