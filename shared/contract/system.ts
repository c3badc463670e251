import { z } from 'zod';
import { OWNER, OWNER_AND_MCP, event, request } from './define';
import type { AuditEntry, DoctorReport, PathCompletion, PingReply, Preferences } from '../dto/system';

export const preferencesSchema = z
  .object({
    theme: z.enum(['dark', 'light', 'system']),
    density: z.enum(['comfortable', 'compact']),
    reduceMotion: z.boolean(),
  })
  .strict();

export const DEFAULT_PREFERENCES: Preferences = { theme: 'system', density: 'comfortable', reduceMotion: false };

export const systemRequests = {
  'system.ping': request<PingReply>()({
    actors: OWNER_AND_MCP,
    input: z.object({ echo: z.string().max(1000).default('') }).strict(),
    description: 'Round-trip check of the transport; echoes the text back.',
  }),
  'system.doctor': request<DoctorReport>()({
    actors: OWNER_AND_MCP,
    input: z.object({}).strict(),
    description: 'ffmpeg/ffprobe resolution and versions, encoders, data dir, SQLite version and schema versions.',
  }),
  'system.completePath': request<PathCompletion>()({
    actors: OWNER,
    input: z
      .object({
        path: z.string().max(4096),
        /** Files to offer, by ending (".png"); folders are always offered. Empty: every file. */
        extensions: z.array(z.string().max(16)).max(20).default([]),
        /** Folders only (the import field): no file is named. */
        foldersOnly: z.boolean().default(false),
      })
      .strict(),
    description: 'Completes a typed absolute path: the entries of its folder that start with its last part (a file field, or with foldersOnly the import field, in the browser, where there is no file dialog).',
  }),
  'audit.recent': request<AuditEntry[]>()({
    actors: OWNER,
    input: z.object({ limit: z.number().int().min(1).max(500).default(50) }).strict(),
    description: 'The newest entries of the append-only audit log.',
  }),
  'preferences.get': request<Preferences>()({
    actors: OWNER,
    input: z.object({}).strict(),
    description: 'The UI preferences (theme, density, motion).',
  }),
  'preferences.set': request<Preferences>()({
    actors: OWNER,
    input: preferencesSchema.partial().strict(),
    description: 'Changes some UI preferences; returns all of them.',
    mutates: true,
  }),
};

export const systemEvents = {
  'system.notice': event<{ level: 'info' | 'warning' | 'error'; message: string }>(
    'A message from main for a toast (e.g. a background task failed).',
  ),
};
