export { JobEngine, CLOSED_REASON, defaultConcurrency, type JobEngineOptions, type JobLibrary, type CueOverlayRenderer, type EnqueueRequest } from './JobEngine';
export { JobStore, canTransition, type StoredJob } from './JobStore';
export { ProgressParser, progressFigures, type ProgressSnapshot } from './progressParser';
export { startFfmpeg, type FfmpegHandle, type FfmpegExit, type ProcessControl } from './ffmpegProcess';
export { outputShape, defaultOutputPath, tempPathFor, prepareRun, TEMP_PREFIX, type SourceMedia } from './planJob';
// Running a job elsewhere: a plug-in (the lab) implements RemoteExecutor and registers it in the engine's slot.
export { holdProcess, stoppedOutcome, type ExecutorSlot, type JobExecutor, type RemoteExecutor, type RunOutcome, type RunPort, type RunRequest } from './executor';
export { exitFailedMessage, killedMessage } from './ffmpegFailure';
export { UnitFailed, type ChunkUnit, type UnitHooks, type UnitRunner } from './chunks/chunkUnit';
// One rule for room on an output's disk, shared with the lab's upload receiver.
export { diskHeadroomBytes, type DiskRoom } from './diskGuard';
// The kill switch's rehearsal names what it would stop.
export { stopTargets } from './stopTargets';
