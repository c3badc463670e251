export { JobEngine, CLOSED_REASON, defaultConcurrency, type JobEngineOptions, type JobLibrary, type CueOverlayRenderer, type EnqueueRequest } from './JobEngine';
export { JobStore, canTransition, type StoredJob } from './JobStore';
export { ProgressParser, progressFigures, type ProgressSnapshot } from './progressParser';
export { startFfmpeg, type FfmpegHandle, type FfmpegExit } from './ffmpegProcess';
export { outputShape, defaultOutputPath, tempPathFor, prepareRun, TEMP_PREFIX, type SourceMedia } from './planJob';
export type { RemoteRunner, RemoteRunRequest } from './remoteRunner';
