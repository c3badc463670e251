import { describe, expect, it } from 'vitest';
import { formatUptime } from '../../electron/cli/commands/monitor';
import { church } from '../helpers/cli';
import { tempDir } from '../helpers/tempDir';
import { FixtureTree } from '../helpers/monitor';

describe('church monitor --once: uptime', () => {
  it('shows minutes when the machine has been up less than an hour', async () => {
    const f = FixtureTree.healthy({ pkgC: 50 }).write('proc/uptime', '1234.56 2000.00\n');
    const r = await church(['monitor', '--once', '--data-dir', tempDir('church-uptime-')], { env: { CHURCH_MONITOR_ROOT: f.root, CHURCH_NVIDIA_SMI: '/nonexistent/nvidia-smi', CHURCH_NO_ATTACH: '1' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Uptime\s+20 min/);
    expect(r.stdout).not.toMatch(/0 d 0 h/);
  });

  it('formats hours and days', () => {
    expect(formatUptime(59)).toBe('0 min');
    expect(formatUptime(3 * 3600 + 7 * 60)).toBe('3 h 7 min');
    expect(formatUptime(2 * 86_400 + 5 * 3600 + 59)).toBe('2 d 5 h');
  });
});
