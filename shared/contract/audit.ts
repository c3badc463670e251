import { z } from 'zod';
import { OWNER, OWNER_IN_PERSON, request } from './define';
import type { AuditFileSettingsDto } from '../dto/system';

export const auditFileSettingsSchema = z
  .object({
    /** Absolute path ending in .jsonl; null turns the file off. */
    path: z.string().min(1).max(4096).nullable(),
    maxBytes: z.number().int().min(64 * 1024).max(1024 * 1024 * 1024),
    keep: z.number().int().min(1).max(100),
  })
  .strict();

export const auditRequests = {
  'audit.fileSettings': request<AuditFileSettingsDto>()({
    actors: OWNER,
    input: z.object({}).strict(),
    description: 'The audit log as a JSON-lines file for a log shipper: its path (null: off), the size it rotates at and how many rotated files stay.',
  }),
  'audit.setFileSettings': request<AuditFileSettingsDto>()({
    // Names a file the studio appends to: the owner in person only, never a token that travels in a URL.
    actors: OWNER_IN_PERSON,
    input: auditFileSettingsSchema.partial().strict(),
    description: 'Turns the JSON-lines audit file on (an absolute path ending in .jsonl), off (path null), or changes its rotation.',
    mutates: true,
  }),
};
