import { Menu, Tray, app, nativeImage, type BrowserWindow } from 'electron';

export function createTray(iconPath: string, getWindow: () => BrowserWindow | null, onKillSwitch: () => void): Tray {
  const tray = new Tray(nativeImage.createFromPath(iconPath).resize({ width: 16, height: 16 }));
  tray.setToolTip('BambiSleep Church Studio');
  tray.setContextMenu(
    Menu.buildFromTemplate([
      {
        label: 'Show studio',
        click: () => {
          const w = getWindow();
          if (w) {
            w.show();
            w.focus();
          }
        },
      },
      { type: 'separator' },
      { label: 'Emergency stop: run the kill switch', click: onKillSwitch },
      { type: 'separator' },
      { label: 'Quit', click: () => app.quit() },
    ]),
  );
  return tray;
}
