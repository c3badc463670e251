import { cpus } from 'node:os';
import { DEFAULT_PREFERENCES, preferencesSchema, type systemRequests } from '../../../shared/contract/system';
import { join } from 'node:path';
import { checkUsableEncoders, describeBinary, describeFfmpeg, versionMismatch } from '../../platform/media';
import { schemaVersions } from '../../platform/db';
import { completePath } from '../../platform/fs';
import { appInfo } from '../appInfo';
import type { HostCore } from '../hostCore';
import type { DomainHandlers } from './types';

export function systemHandlers(core: HostCore): DomainHandlers<typeof systemRequests> {
  return {
    'system.ping': ({ echo }) => ({ pong: true, at: new Date().toISOString(), echo }),
    'system.doctor': async () => {
      const [ffmpeg, ffprobe] = await Promise.all([describeFfmpeg(core.env), describeBinary('ffprobe', core.env)]);
      const check = ffmpeg.path && !ffmpeg.problem
        ? await checkUsableEncoders({ ffmpegPath: ffmpeg.path, version: ffmpeg.version, compiled: ffmpeg.encoders, cacheFile: join(core.dataDir, 'encoder-check.json'), env: core.env })
        : { usable: [], failed: [] };
      const sqliteVersion = (core.db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
      return {
        app: appInfo(),
        node: process.versions.node,
        platform: process.platform,
        arch: process.arch,
        cpus: cpus().length,
        dataDir: core.dataDir,
        sqlite: { version: sqliteVersion, journalMode: String(core.db.pragma('journal_mode', { simple: true })), path: core.db.name },
        ffmpeg: { ...ffmpeg, usableEncoders: check.usable, unusableEncoders: check.failed },
        ffprobe,
        warnings: [versionMismatch(ffmpeg, ffprobe)].filter((w): w is string => w !== null),
        schema: schemaVersions(core.db),
      };
    },
    'system.completePath': ({ path, extensions, foldersOnly }) => completePath(path, extensions, foldersOnly),
    'audit.recent': ({ limit }) => core.audit.recent(limit),
    'preferences.get': () => core.settings.get('preferences', preferencesSchema, DEFAULT_PREFERENCES),
    'preferences.set': (patch) => {
      const current = core.settings.get('preferences', preferencesSchema, DEFAULT_PREFERENCES);
      return core.settings.set('preferences', preferencesSchema, { ...current, ...patch });
    },
  };
}
