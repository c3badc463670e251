import { chunkHelp, chunkSecondsOf, MAX_SEC, MIN_SEC, type ChunkChoice } from '../lib/chunkChoice';

/** "Split into chunks: off / auto / N seconds" for the presets that can be chunked. */
export function ChunkControl({ choice, onChange }: { choice: ChunkChoice; onChange(c: ChunkChoice): void }) {
  const checked = chunkSecondsOf(choice);
  return (
    <>
      <label>
        Split into chunks
        <select value={choice.mode} onChange={(e) => onChange({ ...choice, mode: e.target.value as ChunkChoice['mode'] })} data-testid="job-chunk-mode" title={chunkHelp(choice)}>
          <option value="auto">auto</option>
          <option value="off">off</option>
          <option value="seconds">every N seconds</option>
        </select>
      </label>
      {choice.mode === 'seconds' && (
        <label>
          Chunk length (s)
          <input
            type="number"
            min={MIN_SEC}
            max={MAX_SEC}
            step={1}
            value={choice.seconds}
            onChange={(e) => onChange({ ...choice, seconds: e.target.value })}
            className="job-chunk-seconds"
            aria-invalid={'error' in checked}
            data-testid="job-chunk-seconds"
          />
        </label>
      )}
    </>
  );
}

