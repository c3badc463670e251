import type { MonitorSample } from '../../../shared/dto/monitor';

/** A sample before the GPU query is merged in and the flat readings are derived. */
export type RawSample = Omit<MonitorSample, 'readings' | 'costMs'>;

/** One platform's way of reading the hardware. Stateful: rates come from the difference to the last call. */
export interface Sampler {
  readonly source: MonitorSample['source'];
  /** True once a first reading exists, so rates can be computed. */
  readonly hasBaseline: boolean;
  sample(): Promise<RawSample>;
}
