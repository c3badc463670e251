import { useEffect, useState } from 'react';
import { call } from '../../lib/api';

/** Waits for typing to pause before asking the studio for a folder's contents. */
const ASK_DELAY_MS = 120;

/**
 * Completions for a folder path being typed: the folders inside the part before the last separator whose names
 * start with the part after it (`/home/you/Vi` → `/home/you/Videos/`). Empty for several lines or a relative path.
 */
export function useFolderCompletion(text: string): string[] {
  const [options, setOptions] = useState<string[]>([]);
  useEffect(() => {
    const line = text.trim();
    const cut = line.lastIndexOf('/');
    if (line.includes('\n') || !line.startsWith('/') || cut < 0) {
      setOptions([]);
      return;
    }
    const dir = line.slice(0, cut + 1);
    const partial = line.slice(cut + 1).toLocaleLowerCase();
    let current = true;
    const timer = setTimeout(() => {
      call('system.completePath', { path: dir, foldersOnly: true }, { quiet: true })
        .then((list) => current && setOptions(list.entries.filter((e) => e.name.toLocaleLowerCase().startsWith(partial)).map((e) => `${e.path}/`)))
        .catch(() => current && setOptions([]));
    }, ASK_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [text]);
  return options;
}
