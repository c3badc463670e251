import type { jobsRequests } from '../../../shared/contract/jobs';
import type { JobEngine } from '../../domains/jobs';
import type { DomainHandlers } from './types';

export function jobsHandlers(engine: JobEngine): DomainHandlers<typeof jobsRequests> {
  return {
    'jobs.list': (input) => engine.list(input),
    'jobs.get': ({ id }) => engine.get(id),
    'jobs.enqueue': (input) => engine.enqueue(input),
    'jobs.cancel': ({ id }) => engine.cancel(id),
    'jobs.retry': ({ id }) => engine.retry(id),
    'jobs.pause': () => engine.pause(),
    'jobs.resume': () => engine.resume(),
    'jobs.presets': () => engine.presets(),
    'jobs.getSettings': () => engine.getSettings(),
    'jobs.setSettings': (input) => engine.setSettings(input),
  };
}
