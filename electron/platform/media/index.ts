export { resolveBinary, type MediaTool, type ResolvedBinary } from './resolveBinaries';
export { describeBinary, describeFfmpeg, parseEncoders, parseVersionLine, versionMismatch } from './toolInfo';
export { probeFile, parseProbeJson, explainProbeFailure, parseRate, streamRotation, ProbeError, type ProbeFailureReason, type ProbeOptions } from './probe';
export { buildPosterArgs, buildSpriteArgs, buildSpriteVtt, ffmpegInput, parseShowinfoTimes, posterSeekSec, spriteGeometry, type PosterArgs, type SpriteGeometry } from './thumbnailArgs';
export { checkUsableEncoders, encodersToTest, isHardwareEncoder, testEncodeArgs, type EncoderCheck } from './usableEncoders';
