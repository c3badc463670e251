import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_DIR_NAME = 'BambiSleep Church Studio';

/**
 * `--data-dir` → `CHURCH_DATA_DIR` → the platform's app-data folder, the same folder Electron's
 * `app.getPath('userData')` gives, so the app, the CLI and the MCP server share one library.
 */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (flag) return flag;
  if (env.CHURCH_DATA_DIR) return env.CHURCH_DATA_DIR;
  const home = env.HOME ?? homedir();
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_DIR_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), APP_DIR_NAME);
}
