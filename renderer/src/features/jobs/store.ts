import { create } from 'zustand';
import type { RequestInput } from '../../../../shared/contract';
import type { Job, JobEngineSettings, JobProgress, PresetInfo, QueueState } from '../../../../shared/dto/jobs';
import { call, CallError, subscribe } from '../../lib/api';
import { useNav } from '../../lib/stores/nav';
import { screenKeyLabel } from '../../lib/screenKeys';
import { useToasts } from '../../lib/stores/toasts';

const ACTIVE = new Set<Job['status']>(['running', 'paused', 'queued']);

/** Active jobs first (running/paused, then queued in the order they will start), then the newest finished ones. */
export function sortJobs(jobs: Job[]): Job[] {
  const rank = (j: Job) => (j.status === 'running' || j.status === 'paused' ? 0 : j.status === 'queued' ? 1 : 2);
  return [...jobs].sort((a, b) => rank(a) - rank(b) || (rank(a) === 1 ? b.priority - a.priority || a.position - b.position || a.id - b.id : b.id - a.id));
}

/** Why an action on a job was refused, shown in its row (a toast would cover the rows it is about). */
function reason(e: unknown): string {
  return e instanceof CallError ? e.message : String(e);
}

interface JobsState {
  jobs: Job[];
  queue: QueueState | null;
  /** Live progress by job id (events arrive several times a second; kept apart so rows re-render alone). */
  progress: Record<number, JobProgress>;
  presets: PresetInfo[];
  presetProblems: string[];
  userPresetDir: string | null;
  settings: JobEngineSettings | null;
  loaded: boolean;
  /** The last refused action per job, shown in its row until the next action on it. */
  rowErrors: Record<number, string>;
  load(): Promise<void>;
  loadPresets(): Promise<void>;
  loadSettings(): Promise<void>;
  /** Creates or replaces a user preset; true when saved (call() showed why not). */
  savePreset(input: RequestInput<'jobs.savePreset'>): Promise<boolean>;
  deletePreset(name: string): Promise<boolean>;
  enqueue(input: RequestInput<'jobs.enqueue'>): Promise<Job | null>;
  /** One job per video (the Library's selection); params (e.g. chunkSeconds) override the preset's own for these jobs. */
  queueVideos(videoIds: number[], preset: string, params?: Record<string, string | number | boolean | null>): Promise<void>;
  /** Cancels, then offers Undo (queues it again, in its old place) in a toast. */
  cancel(id: number): Promise<void>;
  retry(id: number): Promise<void>;
  /** Moves a queued job before another queued one (null: to the end). */
  move(id: number, before: number | null): Promise<void>;
  clearFinished(): Promise<void>;
  pauseJob(id: number): Promise<void>;
  resumeJob(id: number): Promise<void>;
  togglePause(): Promise<void>;
  /** True when saved (call() showed why not). */
  saveSettings(patch: RequestInput<'jobs.setSettings'>): Promise<boolean>;
}

function upsert(jobs: Job[], job: Job): Job[] {
  const i = jobs.findIndex((j) => j.id === job.id);
  const next = i >= 0 ? jobs.map((j) => (j.id === job.id ? job : j)) : [job, ...jobs];
  return sortJobs(next);
}

export const useJobs = create<JobsState>((set, get) => ({
  jobs: [],
  queue: null,
  progress: {},
  presets: [],
  presetProblems: [],
  userPresetDir: null,
  settings: null,
  loaded: false,
  rowErrors: {},
  load: async () => {
    try {
      const list = await call('jobs.list', { limit: 200 }, { quiet: true });
      const progress: Record<number, JobProgress> = {};
      for (const j of list.jobs) if (j.progress && ACTIVE.has(j.status)) progress[j.id] = j.progress;
      set({ jobs: sortJobs(list.jobs), queue: list.queue, progress, loaded: true });
    } catch {
      set({ loaded: true });
    }
  },
  loadPresets: async () => {
    try {
      const list = await call('jobs.presets', {}, { quiet: true });
      set({ presets: list.presets, presetProblems: list.problems.map((p) => p.message), userPresetDir: list.userDir });
    } catch {
      // the queue form shows "no presets"
    }
  },
  savePreset: async (input) => {
    try {
      const list = await call('jobs.savePreset', input);
      set({ presets: list.presets, presetProblems: list.problems.map((p) => p.message), userPresetDir: list.userDir });
      return true;
    } catch {
      return false;
    }
  },
  deletePreset: async (name) => {
    try {
      const list = await call('jobs.deletePreset', { name });
      set({ presets: list.presets, presetProblems: list.problems.map((p) => p.message), userPresetDir: list.userDir });
      return true;
    } catch {
      return false;
    }
  },
  loadSettings: async () => {
    try {
      set({ settings: await call('jobs.getSettings', {}, { quiet: true }) });
    } catch {
      // Settings shows nothing for the section
    }
  },
  enqueue: async (input) => {
    try {
      const job = await call('jobs.enqueue', input);
      set({ jobs: upsert(get().jobs, job) });
      return job;
    } catch {
      return null; // call() showed the reason
    }
  },
  queueVideos: async (videoIds, preset, params) => {
    let queued = 0;
    const problems: string[] = [];
    for (const videoId of videoIds) {
      try {
        await call('jobs.enqueue', { videoId, preset, ...(params ? { params } : {}) }, { quiet: true });
        queued++;
      } catch (e) {
        problems.push(e instanceof CallError ? e.message : String(e));
      }
    }
    useToasts.getState().push({
      level: problems.length ? (queued ? 'warning' : 'error') : 'success',
      message: `${queued} of ${videoIds.length} queued with “${preset}”.`,
      hint: problems.length ? `${problems.length} refused: ${problems[0]}` : `Follow them on the Jobs screen (${screenKeyLabel('2')}).`,
      action: queued ? { label: 'Open Jobs', run: () => useNav.getState().go('jobs') } : undefined,
    });
  },
  cancel: async (id) => {
    const done = await rowAction(id, () => call('jobs.cancel', { id }, { quiet: true }));
    if (!done) return;
    useToasts.getState().push({
      level: 'info',
      message: `Job #${id} cancelled.`,
      action: { label: 'Undo', run: () => void get().retry(id) },
    });
  },
  retry: async (id) => {
    await rowAction(id, () => call('jobs.retry', { id }, { quiet: true }));
  },
  move: async (id, before) => {
    const moved = await rowAction(id, () => call('jobs.move', { id, before }, { quiet: true }), false);
    if (moved) set({ jobs: moved.reduce(upsert, get().jobs) });
  },
  clearFinished: async () => {
    try {
      const { cleared } = await call('jobs.clearFinished', {});
      const gone = new Set(cleared);
      set({ jobs: get().jobs.filter((j) => !gone.has(j.id)) });
    } catch {
      // shown by call()
    }
  },
  pauseJob: async (id) => {
    await rowAction(id, () => call('jobs.pauseJob', { id }, { quiet: true }));
  },
  resumeJob: async (id) => {
    await rowAction(id, () => call('jobs.resumeJob', { id }, { quiet: true }));
  },
  togglePause: async () => {
    try {
      const queue = get().queue?.paused ? await call('jobs.resume', {}) : await call('jobs.pause', {});
      set({ queue });
    } catch {
      // shown by call()
    }
  },
  saveSettings: async (patch) => {
    try {
      set({ settings: await call('jobs.setSettings', patch) });
      return true;
    } catch {
      return false; // shown by call()
    }
  },
}));

/**
 * Runs an action on one job: its result (a job) goes into the list, a refusal into that job's row. Returns the
 * result, or null when refused.
 */
async function rowAction<T>(id: number, act: () => Promise<T>, isJob = true): Promise<T | null> {
  const { [id]: _old, ...rest } = useJobs.getState().rowErrors;
  useJobs.setState({ rowErrors: rest });
  try {
    const value = await act();
    if (isJob) useJobs.setState({ jobs: upsert(useJobs.getState().jobs, value as Job) });
    return value;
  } catch (e) {
    useJobs.setState({ rowErrors: { ...useJobs.getState().rowErrors, [id]: reason(e) } });
    return null;
  }
}

let subscribers = 0;
let unsubscribe: (() => void) | null = null;

/** Live job events, shared by every component that needs them (the status bar readout and the screen). */
export function subscribeJobs(): () => void {
  if (subscribers++ === 0) {
    const offs = [
      subscribe('jobs.changed', (job) => {
        const s = useJobs.getState();
        const progress = { ...s.progress };
        if (!ACTIVE.has(job.status)) delete progress[job.id];
        useJobs.setState({ jobs: upsert(s.jobs, job), progress });
      }),
      subscribe('jobs.progress', (p) => {
        const s = useJobs.getState();
        useJobs.setState({ progress: { ...s.progress, [p.jobId]: p } });
      }),
      subscribe('jobs.queue', (queue) => useJobs.setState({ queue })),
    ];
    unsubscribe = () => offs.forEach((off) => off());
  }
  return () => {
    if (--subscribers === 0) {
      unsubscribe?.();
      unsubscribe = null;
    }
  };
}

export function formatEta(sec: number | null): string {
  if (sec === null || !Number.isFinite(sec)) return '–';
  const s = Math.max(0, Math.round(sec));
  if (s >= 3600) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  if (s >= 60) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${s} s`;
}
