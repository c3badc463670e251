import { z } from 'zod';
import { OWNER, OWNER_AND_MCP, OWNER_IN_PERSON, event, request } from './define';
import type { KillPlanInfo, KillRun } from '../dto/killswitch';

// Names reach OS tools as single arguments; on Windows they are quoted into a PowerShell command, so they are
// held to characters that cannot break out of a single-quoted PowerShell string. A leading '-' would make the
// tool read the name as an option (`cryptsetup close --debug`), so a name starts with anything but '-'.
const safeName = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\w .:@()/+-]+$/, 'letters, digits, space and . : @ ( ) / + - only')
  .regex(/^[^-]/, 'a name may not start with "-" (the tool would read it as an option)');

const stepBase = {
  label: z.string().max(120).optional(),
  enabled: z.boolean().default(true),
  timeoutMs: z.number().int().min(100).max(600_000).default(10_000),
  continueOnFailure: z.boolean().default(true),
};

export const killStepSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('stop-jobs'), ...stepBase }).strict(),
  z.object({ kind: z.literal('stop-lab'), ...stepBase }).strict(),
  z.object({ kind: z.literal('docker-stop'), ...stepBase }).strict(),
  z.object({ kind: z.literal('network-down'), ...stepBase, interfaces: z.array(safeName).max(32).default([]), method: z.enum(['ip', 'nmcli', 'auto']).default('auto') }).strict(),
  z
    .object({
      kind: z.literal('lock-volumes'),
      ...stepBase,
      volumes: z
        .array(
          z.discriminatedUnion('method', [
            z.object({ method: z.literal('cryptsetup'), name: safeName }).strict(),
            z.object({ method: z.literal('udisksctl'), device: safeName }).strict(),
            z.object({ method: z.literal('bitlocker'), mountPoint: safeName }).strict(),
            z.object({ method: z.literal('diskutil'), volume: safeName }).strict(),
          ]),
        )
        .max(32)
        .default([]),
    })
    .strict(),
  z.object({ kind: z.literal('alert'), ...stepBase, message: z.string().max(2000).default('The emergency kill switch was triggered.') }).strict(),
  z.object({ kind: z.literal('power-off'), ...stepBase }).strict(),
  z.object({ kind: z.literal('command'), ...stepBase, argv: z.array(z.string().min(1).max(4096)).min(1).max(64) }).strict(),
]);

export const killPlanSchema = z.object({ version: z.literal(1), steps: z.array(killStepSchema).max(50) }).strict();

export const killswitchRequests = {
  'killswitch.getPlan': request<KillPlanInfo>()({
    actors: OWNER,
    input: z.object({}).strict(),
    description: 'The kill-switch plan in force, and the exact commands each step would run on this platform.',
  }),
  'killswitch.setPlan': request<KillPlanInfo>()({
    actors: OWNER,
    input: z.object({ plan: killPlanSchema.nullable() }).strict(),
    description: 'Replaces the plan (null restores the platform default).',
    mutates: true,
  }),
  'killswitch.trigger': request<KillRun>()({
    actors: OWNER,
    input: z.object({ dryRun: z.boolean(), reason: z.string().max(500).optional(), plan: killPlanSchema.optional() }).strict(),
    description: 'Runs the plan now (or, with dryRun, reports what it would run and runs nothing). A trigger during a run joins it.',
    mutates: true,
  }),
  'killswitch.acceptPlan': request<KillPlanInfo>()({
    // Not the browser token: it is a bearer credential that travels in a URL, and the review's chain (restore a
    // plan, then run it) used exactly it. The window (hold to accept) and the CLI (typed confirmation) only.
    actors: OWNER_IN_PERSON,
    input: z.object({ fingerprint: z.string().regex(/^[0-9a-f]{64}$/, 'the commandsFingerprint killswitch.getPlan returned') }).strict(),
    description: 'Accepts the command steps of the saved plan as shown (commandsFingerprint of killswitch.getPlan): until then a command that arrived by restore, import, settings or an edit of the plan file is shown as pending and never runs.',
    mutates: true,
  }),
  'killswitch.lastRun': request<KillRun | null>()({
    actors: OWNER_AND_MCP,
    input: z.object({}).strict(),
    description: 'The newest run report, with whether the owner has seen it.',
  }),
  'killswitch.acknowledge': request<null>()({
    actors: OWNER,
    input: z.object({ id: z.number().int().positive() }).strict(),
    description: 'Marks a run report as seen, so it is not shown again at start.',
    mutates: true,
  }),
};

export const killswitchEvents = {
  'killswitch.progress': event<KillRun>('The running plan, after each step starts or ends.'),
};
