import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The lab-scale bench's ffmpeg, given to every agent as FFMPEG_PATH. An encode (the agent's run carries
 * `-progress`) sleeps `seconds`, prints ffmpeg's `-progress` blocks every half second on stdout as ffmpeg does, and
 * writes `template` (a real MP4, so the studio's output check probes a real file) to the output path the agent gave
 * it (the argument under its lab-work folder). Everything else — `-version`, `-encoders`, the agent's test encodes
 * — is the real ffmpeg, so the agent starts exactly as on a real host.
 *
 * A shell script, not a Node one: 50 agents start an encode every few seconds each, and a Node start costs ~40 ms of
 * CPU on this machine where dash costs ~1 ms; a Node stand-in would be the bench's first limit, not the lab's.
 */
export function writeStandInFfmpeg(dir: string, realFfmpeg: string, template: string, seconds: number): string {
  const file = join(dir, 'ffmpeg-standin');
  const steps = Math.max(1, Math.round(seconds * 2));
  writeFileSync(file, `#!/bin/sh
case " $* " in
  *" -progress "*) ;;
  *) exec '${realFfmpeg}' "$@" ;;
esac
out=
for a in "$@"; do
  case "$a" in */lab-work/*) out=$a ;; esac
done
[ -n "$out" ] || { echo "stand-in ffmpeg: no output path under lab-work in: $*" >&2; exit 1; }
i=0
while [ $i -lt ${steps} ]; do
  sleep 0.5
  i=$((i + 1))
  printf 'frame=%d\\nfps=25.00\\nbitrate=100.0kbits/s\\ntotal_size=%d\\nout_time_us=%d\\nout_time_ms=%d\\nout_time=00:00:00.000000\\ndup_frames=0\\ndrop_frames=0\\nspeed=1.00x\\nprogress=continue\\n' $((i * 12)) $((i * 4096)) $((i * 500000)) $((i * 500000))
done
cp '${template}' "$out" || exit 1
printf 'progress=end\\n'
`, { mode: 0o755 });
  return file;
}
