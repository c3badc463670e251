import type { KillStep, PlannedCommand, PlannedStep, VolumeRef } from '../../../shared/dto/killswitch';

export type Platform = 'linux' | 'win32' | 'darwin';

/** PowerShell single-quoted literal: the only escape is '' for '. Names are also held to a safe alphabet by the schema. */
function psQuote(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

function powershell(command: string, purpose: string): PlannedCommand {
  return { argv: ['powershell.exe', '-NoProfile', '-NonInteractive', '-Command', command], purpose };
}

export const DOCKER_LIST: PlannedCommand = { argv: ['docker', 'ps', '-q'], purpose: 'list the running containers' };

/** `docker stop` gets the ids that `docker ps -q` printed; the dry run shows the placeholder. */
export function dockerStop(ids: readonly string[], graceSeconds: number): PlannedCommand {
  return { argv: ['docker', 'stop', '--time', String(graceSeconds), ...ids], purpose: 'stop every running container' };
}

function networkDown(iface: string, method: 'ip' | 'nmcli' | 'auto', platform: Platform): PlannedCommand {
  if (platform === 'win32') return powershell(`Disable-NetAdapter -Name ${psQuote(iface)} -Confirm:$false`, `disable network adapter ${iface}`);
  if (platform === 'darwin') return { argv: ['ifconfig', iface, 'down'], purpose: `bring interface ${iface} down` };
  if (method === 'nmcli') return { argv: ['nmcli', 'device', 'disconnect', iface], purpose: `disconnect ${iface} through NetworkManager` };
  return { argv: ['ip', 'link', 'set', 'dev', iface, 'down'], purpose: `bring interface ${iface} down` };
}

function lockVolume(v: VolumeRef): PlannedCommand {
  switch (v.method) {
    case 'cryptsetup':
      return { argv: ['cryptsetup', 'close', v.name], purpose: `close the LUKS mapping ${v.name}` };
    case 'udisksctl':
      return { argv: ['udisksctl', 'lock', '--block-device', v.device, '--no-user-interaction'], purpose: `lock ${v.device}` };
    case 'bitlocker':
      return powershell(`Lock-BitLocker -MountPoint ${psQuote(v.mountPoint)} -ForceDismount`, `lock BitLocker volume ${v.mountPoint}`);
    case 'diskutil':
      return { argv: ['diskutil', 'apfs', 'lockVolume', v.volume], purpose: `lock APFS volume ${v.volume}` };
  }
}

function powerOff(platform: Platform): PlannedCommand {
  if (platform === 'win32') return powershell('Stop-Computer -Force', 'power the machine off');
  if (platform === 'darwin') return { argv: ['shutdown', '-h', 'now'], purpose: 'power the machine off' };
  return { argv: ['systemctl', 'poweroff'], purpose: 'power the machine off' };
}

const DEFAULT_LABELS: Record<KillStep['kind'], string> = {
  'stop-jobs': 'Stop every running ffmpeg job',
  'stop-lab': 'Stop the lab (every agent runs its own plan)',
  'docker-stop': 'Stop all Docker containers',
  'network-down': 'Bring the lab network interfaces down',
  'lock-volumes': 'Lock the encrypted volumes',
  alert: 'Send an alert',
  'power-off': 'Power off',
  command: 'Custom command',
};

/** Seconds `docker stop` waits before SIGKILL: leave room inside the step's own timeout. */
export function dockerGraceSeconds(timeoutMs: number): number {
  return Math.max(1, Math.min(10, Math.floor(timeoutMs / 2000)));
}

/** What a step will run, exactly, on this platform: used by the dry run and shown in Settings. Pure. */
export function planStep(step: KillStep, index: number, platform: Platform): PlannedStep {
  const base = {
    index,
    kind: step.kind,
    label: step.label ?? DEFAULT_LABELS[step.kind],
    enabled: step.enabled,
    timeoutMs: step.timeoutMs,
    continueOnFailure: step.continueOnFailure,
  };
  switch (step.kind) {
    case 'stop-jobs':
      return { ...base, commands: [], action: 'cancel every queued and running transcode job of the studio and wait until each ffmpeg process is gone' };
    case 'stop-lab':
      return { ...base, commands: [], action: 'send the signed trigger to every lab agent; each runs its own plan file (never commands from this studio) and reports back, awaited up to the step timeout' };
    case 'docker-stop':
      return { ...base, commands: [DOCKER_LIST, dockerStop(['<ids from docker ps -q>'], dockerGraceSeconds(step.timeoutMs))] };
    case 'network-down':
      return { ...base, commands: step.interfaces.map((i) => networkDown(i, step.method, platform)) };
    case 'lock-volumes':
      return { ...base, commands: step.volumes.map(lockVolume) };
    case 'alert':
      return { ...base, commands: [], action: `notify on the desktop and by e-mail (when configured): "${step.message}"` };
    case 'power-off':
      return { ...base, commands: [powerOff(platform)] };
    case 'command':
      return { ...base, commands: [{ argv: step.argv, purpose: step.label ?? 'custom command' }] };
  }
}
