import { isHardwareEncoder } from '../../platform/media/usableEncoders';

/** The video encoder the arguments ask for, when it is a hardware one (the job must go to an agent that has it). */
export function hardwareEncoderOf(args: readonly string[]): string | null {
  for (let i = 0; i < args.length - 1; i++) {
    if ((args[i] === '-c:v' || args[i] === '-vcodec') && isHardwareEncoder(args[i + 1]!)) return args[i + 1]!;
  }
  return null;
}

const SOFTWARE_FOR: Record<string, string> = { h264: 'libx264', hevc: 'libx265', av1: 'libsvtav1', vp9: 'libvpx-vp9' };

/**
 * The same encode with the software encoder of the same codec (h264_nvenc → libx264 at CRF 23, veryfast),
 * for an agent whose hardware encoder will not open. Null when there is nothing to fall back to.
 */
export function softwareFallbackArgs(args: readonly string[]): string[] | null {
  const hw = hardwareEncoderOf(args);
  if (!hw) return null;
  const sw = SOFTWARE_FOR[hw.split('_')[0]!];
  if (!sw) return null;
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if ((a === '-c:v' || a === '-vcodec') && args[i + 1] === hw) {
      out.push('-c:v', sw, '-preset', sw === 'libsvtav1' ? '8' : 'veryfast', '-crf', sw === 'libx264' ? '23' : '28');
      i++;
    } else if (a === '-b:v') {
      i++; // the hardware rate target; CRF decides quality in the software encode (maxrate stays a cap)
    } else {
      out.push(a);
    }
  }
  return out;
}

/** ffmpeg's words when an encoder cannot be opened on this machine (no device, no driver, no session left). */
export function encoderFailedToOpen(logTail: string): boolean {
  return /error while opening encoder|could not open encoder|cannot load (libcuda|libnvidia|nvcuda)|no nvenc capable|no capable devices|openencodesessionex failed|failed to initiali[sz]e|error initializing output stream|no device available|device creation failed|unknown encoder/i.test(logTail);
}
