export * from './schema';
export { PresetError, BASE_FLAGS, targetSize, even, type BuiltCommand } from './common';
export { buildWebArgs, buildHlsArgs, webComplianceProblems } from './webArgs';
export { buildLadderArgs, planRenditions, type PlannedRendition } from './ladderArgs';
export { buildAudioArgs } from './audioArgs';
export { buildConcatArgs, concatMismatches, ffconcatList, type ConcatInput } from './concatArgs';
export { buildWatermarkArgs, buildAvatarArgs, overlayPosition, type OverlaySource } from './overlayArgs';
export { buildThumbnailArgs, buildSpriteArgs } from './stillArgs';
export { loadPresets, builtInPresetDir } from './loadPresets';
