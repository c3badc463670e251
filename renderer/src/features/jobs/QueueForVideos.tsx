import { create } from 'zustand';
import { chunkHelp, useChunkChoice, type ChunkChoice } from '../../lib/chunkChoice';
import { ChunkControl } from '../../ui/ChunkControl';
import { usePresetParams, type ParamEdits } from '../../lib/presetParams';
import { ParamForm } from '../../ui/ParamForm';
import { useJobs } from './store';

/**
 * The form's choices, kept while no video is selected (the bar is then hidden): the next selection is queued the
 * same way. They last as long as the Library screen (resetQueueForm when it closes).
 */
const useQueueForm = create<{ preset: string; chunk: ChunkChoice | null; edits: ParamEdits; tried: boolean }>(() => ({ preset: '', chunk: null, edits: {}, tried: false }));
const setPreset = (preset: string) => useQueueForm.setState({ preset, edits: {}, tried: false });
const setChunk = (chunk: ChunkChoice | null) => useQueueForm.setState({ chunk });
const setEdits = (edits: ParamEdits) => useQueueForm.setState({ edits });
export const resetQueueForm = () => useQueueForm.setState({ preset: '', chunk: null, edits: {}, tried: false });

/**
 * The Library selection bar's "queue with a preset" group: the preset picker (Q focuses it, Enter queues), its
 * chunking, and Queue. `busy`/`run` are the bar's, so one action at a time runs across all of its groups (its
 * classes are the bar's too: lib-sel-group, lib-sel-chunks).
 */
export function QueueForVideos({ videoIds, busy, run }: { videoIds: number[]; busy: boolean; run(fn: () => Promise<void>): Promise<void> }) {
  const presets = useJobs((s) => s.presets);
  const queueVideos = useJobs((s) => s.queueVideos);
  const preset = useQueueForm((s) => s.preset);
  const chunk = useQueueForm((s) => s.chunk);
  const edits = useQueueForm((s) => s.edits);
  const tried = useQueueForm((s) => s.tried);
  // 'web' (a browser-ready MP4) is what an owner queues most; it leads when it exists.
  const chosenPreset = preset || (presets.some((p) => p.name === 'web') ? 'web' : (presets[0]?.name ?? ''));
  // Follows the chosen preset's own chunkSeconds until the owner changes it here, as in the Jobs screen's form.
  const chunks = useChunkChoice(
    presets.find((p) => p.name === chosenPreset),
    [chunk, setChunk],
  );
  const { chunking, error: chunkError } = chunks;
  // The preset's own parameters (the watermark image…), kept with the bar's other choices.
  const form = usePresetParams(
    presets.find((p) => p.name === chosenPreset),
    [edits, setEdits],
  );
  // Chunking is sent only when the owner chose something here: otherwise each job keeps the preset's own setting.
  const params = { ...form.params, ...(chunks.changed ? chunks.params : {}) };
  const canQueue = !busy && !!chosenPreset && !chunkError;
  const queue = async () => {
    useQueueForm.setState({ tried: true });
    if (form.firstError) return;
    await run(() => queueVideos(videoIds, chosenPreset, Object.keys(params).length ? params : undefined));
    useQueueForm.setState({ tried: false });
  };
  // A needed field left empty is pointed out once Queue was pressed; a wrong value at once.
  const shownErrors = tried ? form.errors : Object.fromEntries(Object.entries(form.errors).filter(([k]) => k in edits));

  return (
    <>
    <span className="lib-sel-group">
      <select
        className="input small"
        aria-label="Preset"
        value={chosenPreset}
        onChange={(e) => {
          setPreset(e.target.value);
          chunks.reset();
        }}
        onKeyDown={(e) => {
          // Q focuses this picker; Enter queues, Esc goes back to the grid.
          if (e.key === 'Enter' && canQueue) {
            e.preventDefault();
            // Back to the grid once queued, so J/K and Esc work again (or to the field that still needs a value).
            const picker = e.currentTarget;
            void queue().then(() => (form.firstError ? undefined : picker.blur()));
          } else if (e.key === 'Escape') e.currentTarget.blur();
        }}
        data-queue-preset
        data-testid="bulk-preset"
        title="Enter queues a job per selected video"
      >
        {presets.length === 0 && <option value="">no presets</option>}
        {presets.map((p) => (
          <option key={p.name} value={p.name} title={p.description}>
            {p.name}
          </option>
        ))}
      </select>
      {chunking && (
        <span className="lib-sel-chunks" title={chunkError ?? chunkHelp(chunking)}>
          <ChunkControl choice={chunking} onChange={chunks.set} />
        </span>
      )}
      <button className="button small" disabled={!canQueue} onClick={() => void queue()} data-testid="bulk-queue" title={chunkError ?? form.firstError ?? 'Queue a job for each selected video (Q)'}>
        Queue
      </button>
    </span>
    {form.fields.length > 0 && (
      <div className="lib-sel-params" style={{ flexBasis: '100%' }}>
        <ParamForm fields={form.fields} edits={edits} errors={shownErrors} onChange={form.set} idPrefix="bulk-param" />
      </div>
    )}
    </>
  );
}
