import type { PathCompletion } from '../../../shared/dto/system';
import { call } from './api';

/** The window's native file dialog, when there is one (Electron); null in a browser. */
export function nativeFilePicker(): ((extensions: string[]) => Promise<string | null>) | null {
  const pick = window.churchFiles?.pickFile;
  return pick ? (extensions) => pick(extensions) : null;
}

/** The window's native folder dialog (the import field's "Choose folder…"); null in a browser. */
export function nativeFolderPicker(): (() => Promise<string | null>) | null {
  const pick = window.churchFiles?.pickFile;
  return pick ? () => pick('folder') : null;
}

/** What a typed absolute path could go on to, from main (a browser cannot list the studio's folders itself). */
export async function completePath(path: string, extensions: string[]): Promise<PathCompletion['entries']> {
  if (!path.startsWith('/')) return [];
  try {
    return (await call('system.completePath', { path, extensions }, { quiet: true })).entries;
  } catch {
    return [];
  }
}

/** The endings a file field offers, by parameter. */
export const FILE_ENDINGS: Record<string, string[]> = {
  imagePath: ['.png', '.jpg', '.jpeg', '.webp', '.bmp', '.gif'],
  file: ['.png', '.jpg', '.jpeg', '.webp', '.gif', '.mp4', '.mov', '.webm', '.mkv'],
};
