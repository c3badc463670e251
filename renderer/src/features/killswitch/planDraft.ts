import { killPlanSchema } from '../../../../shared/contract/killswitch';
import type { KillPlan, KillStep } from '../../../../shared/dto/killswitch';

/** Step kinds the editor can add. A command step is added only in the plan file on disk (and runs once accepted). */
export const ADDABLE_KINDS = ['stop-jobs', 'stop-lab', 'docker-stop', 'network-down', 'lock-volumes', 'alert', 'power-off'] as const satisfies readonly KillStep['kind'][];

export const KIND_NAMES: Record<KillStep['kind'], string> = {
  'stop-jobs': 'Stop the studio’s jobs',
  'stop-lab': 'Stop the lab',
  'docker-stop': 'Stop Docker containers',
  'network-down': 'Bring network interfaces down',
  'lock-volumes': 'Lock encrypted volumes',
  alert: 'Send an alert',
  'power-off': 'Power off',
  command: 'Custom command',
};

export function newStep(kind: (typeof ADDABLE_KINDS)[number]): KillStep {
  const base = { enabled: true, timeoutMs: 10_000, continueOnFailure: true };
  switch (kind) {
    case 'network-down':
      return { ...base, kind, interfaces: [], method: 'auto' };
    case 'lock-volumes':
      return { ...base, kind, volumes: [] };
    case 'alert':
      return { ...base, kind, message: 'The emergency kill switch was triggered.' };
    default:
      return { ...base, kind };
  }
}

export function moveStep(plan: KillPlan, from: number, to: number): KillPlan {
  if (to < 0 || to >= plan.steps.length) return plan;
  const steps = [...plan.steps];
  const [step] = steps.splice(from, 1);
  steps.splice(to, 0, step!);
  return { ...plan, steps };
}

export function updateStep(plan: KillPlan, index: number, patch: Partial<KillStep>): KillPlan {
  return { ...plan, steps: plan.steps.map((s, i) => (i === index ? ({ ...s, ...patch } as KillStep) : s)) };
}

/** Field errors by "<step index>.<field>", in words, from the same schema the studio checks a saved plan with. */
export function planErrors(plan: KillPlan): Record<string, string> {
  const parsed = killPlanSchema.safeParse(plan);
  if (parsed.success) return {};
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const [where, index, field] = issue.path;
    const key = where === 'steps' && typeof index === 'number' ? `${index}.${String(field ?? 'step')}` : 'plan';
    if (errors[key]) continue;
    errors[key] = field === 'timeoutMs' ? 'Timeout must be a number of seconds from 0.1 to 600.' : field === 'interfaces' ? `Interface names: ${issue.message}.` : `${issue.message}.`;
  }
  return errors;
}
