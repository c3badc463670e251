import { z } from 'zod';
import { event, request } from './define';
import type { AuditEntry, DoctorReport, PingReply } from '../dto/system';

export const systemRequests = {
  'system.ping': request<PingReply>()({
    input: z.object({ echo: z.string().max(1000).default('') }).strict(),
    description: 'Round-trip check of the transport; echoes the text back.',
  }),
  'system.doctor': request<DoctorReport>()({
    input: z.object({}).strict(),
    description: 'ffmpeg/ffprobe resolution and versions, encoders, data dir, SQLite version and schema versions.',
  }),
  'audit.recent': request<AuditEntry[]>()({
    input: z.object({ limit: z.number().int().min(1).max(500).default(50) }).strict(),
    description: 'The newest entries of the append-only audit log.',
  }),
};

export const systemEvents = {
  'system.notice': event<{ level: 'info' | 'warning' | 'error'; message: string }>(
    'A message from main for a toast (e.g. a background task failed).',
  ),
};
