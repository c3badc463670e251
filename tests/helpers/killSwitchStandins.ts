import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './tempDir';

export type StandinMode = 'ok' | 'fail' | 'hang';

/**
 * Stand-in `docker`, `ip`, `nmcli`, `cryptsetup`, `udisksctl`, `systemctl` executables. Each records its argv to a
 * log and then succeeds, fails or hangs as told by STANDIN_<NAME>_MODE. Tests run the kill switch with PATH set to
 * this folder ALONE, so a real `systemctl poweroff` can never be reached.
 */
export function makeStandins(names = ['docker', 'ip', 'nmcli', 'cryptsetup', 'udisksctl', 'systemctl']) {
  const dir = tempDir('church-standins-');
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  const log = join(dir, 'calls.log');
  for (const name of names) {
    const upper = name.toUpperCase();
    writeFileSync(
      join(bin, name),
      `#!/bin/sh
line="${name}"
for a in "$@"; do line="$line\x1f$a"; done
printf '%s\\n' "$line" >> "$STANDIN_LOG"
mode="\${STANDIN_${upper}_MODE:-ok}"
if [ "$mode" = hang ]; then /bin/sleep 60; fi
if [ "$mode" = fail ]; then echo "${name}: simulated failure" >&2; exit 3; fi
if [ "${name}" = docker ] && [ "$1" = ps ]; then printf '%s\\n' \${STANDIN_DOCKER_IDS:-}; fi
exit 0
`,
    );
    chmodSync(join(bin, name), 0o755);
  }
  return {
    bin,
    log,
    env(modes: Record<string, StandinMode> = {}, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
      const env: NodeJS.ProcessEnv = { PATH: bin, STANDIN_LOG: log, ...extra };
      for (const [k, v] of Object.entries(modes)) env[`STANDIN_${k.toUpperCase()}_MODE`] = v;
      return env;
    },
    /** Every call so far, as argv arrays, in order. */
    calls(): string[][] {
      if (!existsSync(log)) return [];
      return readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\x1f'));
    },
  };
}
