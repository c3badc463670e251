export { resolveBinary, type MediaTool, type ResolvedBinary } from './resolveBinaries';
export { describeBinary, describeFfmpeg, parseEncoders, parseVersionLine } from './toolInfo';
