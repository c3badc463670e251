import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { VideoPage } from '../../shared/dto/library';
import { ftsQuery } from '../../electron/domains/library';
import { testHost } from '../helpers/host';
import { syntheticProbe } from '../helpers/libraryFiles';

// Punctuation in a query reaches FTS5 through library.search exactly as a user types it: these go through the
// contract (dispatch), where an FTS5 syntax error would come back as INTERNAL.
const host = testHost();
const TITLES = ['Trance - Loop', 'rock & roll', 'Sunrise — Dusk', 'Alpha Beta', 'Ocean Drift'];


beforeAll(() => {
  TITLES.forEach((t, i) => {
    host.library.saveProbed({ path: join(host.dataDir, `${t}.mp4`), rootId: null, sizeBytes: 1000, mtimeMs: 1_700_000_000_000, fingerprint: `fp-punct-${i}`, probe: syntheticProbe() }, new Date(1_700_000_000_000 + i).toISOString(), null);
  });
});

async function search(query: string): Promise<VideoPage> {
  const r = await host.dispatch('library.search', { query, limit: 50 }, { actor: 'ui' });
  if (!r.ok) throw new Error(`library.search ${JSON.stringify(query)} failed: ${r.error.code} ${r.error.message}`);
  return r.value as VideoPage;
}

const titles = (p: VideoPage): string[] => p.items.map((i) => i.title).sort();

describe('search with punctuation in the query', () => {
  it('ignores words that are only punctuation, as the tokenizer does', async () => {
    expect(titles(await search('Trance - Loop'))).toEqual(['Trance - Loop']);
    expect(titles(await search('rock & roll'))).toEqual(['rock & roll']);
    expect(titles(await search('sunrise — dusk'))).toEqual(['Sunrise — Dusk']);
    expect(titles(await search('a — b'))).toEqual(['Alpha Beta']);
    expect(titles(await search('ocean, drift!'))).toEqual(['Ocean Drift']);
  });

  it('never fails on a NUL or a quote, and a query with no usable word is no text filter', async () => {
    expect(titles(await search('a\u0000b'))).toEqual(['Alpha Beta']);
    for (const q of ['"', '***', '-', '& — !!! ...', '\u0000', '"\u0000"']) {
      const p = await search(q);
      expect(p.total, JSON.stringify(q)).toBe(TITLES.length);
    }
  });

  it('builds the FTS query from the usable words only', () => {
    expect(ftsQuery('rock & roll')).toBe('"rock"* AND "roll"*');
    expect(ftsQuery('a\u0000b')).toBe('"a"* AND "b"*');
    expect(ftsQuery('*** - —')).toBeNull();
  });
});
