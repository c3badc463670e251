import { z } from 'zod';
import { request } from './define';
import type { LabStatus } from '../dto/lab';

export const labRequests = {
  'lab.status': request<LabStatus>()({
    input: z.object({}).strict(),
    description: 'The lab: every agent with its state, encoders, load and running jobs, and the queue. configured false without a lab.',
  }),
  'lab.pauseAgent': request<{ sent: true }>()({
    input: z.object({ name: z.string().regex(/^[\w.-]{1,64}$/), paused: z.boolean() }).strict(),
    description: 'Pauses (takes no new work) or resumes one agent; its running encode finishes.',
    mutates: true,
  }),
};
