import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveBinary, versionMismatch } from '../../electron/platform/media';
import type { DoctorReport } from '../../shared/dto/system';
import { church } from '../helpers/cli';
import { writeToolStandIn } from '../helpers/onPath';
import { tempDir } from '../helpers/tempDir';

// Debian's ffmpeg 5.1 was paired with ffprobe-static's 2018 ffprobe 4.0.2: the probe read files differently from
// the encoder. ffprobe now comes from where ffmpeg came from, and the doctor says when the two still differ.
describe('ffprobe from the same source as ffmpeg (stand-ins on a temp PATH)', () => {
  const root = tempDir('church-tools-');

  it('beside FFMPEG_PATH, even when the PATH has another ffprobe', () => {
    const chosen = join(root, 'chosen');
    const other = join(root, 'other');
    const ffmpeg = writeToolStandIn(chosen, 'ffmpeg', '6.1');
    const probe = writeToolStandIn(chosen, 'ffprobe', '6.1');
    writeToolStandIn(other, 'ffprobe', '4.0.2');
    expect(resolveBinary('ffprobe', { PATH: other, FFMPEG_PATH: ffmpeg })).toEqual({ path: probe, source: 'env' });
  });

  it('FFMPEG_PATH without an ffprobe beside it (a wrapper script) takes the PATH\'s; with none there either, it says to put one beside it or set FFPROBE_PATH', () => {
    const alone = join(root, 'alone');
    const ffmpeg = writeToolStandIn(alone, 'ffmpeg', '6.1');
    const onPath = writeToolStandIn(join(root, 'path-only'), 'ffprobe', '6.1');
    expect(resolveBinary('ffprobe', { PATH: join(root, 'path-only'), FFMPEG_PATH: ffmpeg })).toEqual({ path: onPath, source: 'path' });
    const r = resolveBinary('ffprobe', { PATH: join(root, 'empty'), FFMPEG_PATH: ffmpeg });
    expect(r.path).toBeNull();
    expect(r.problem).toMatch(/no ffprobe beside it or on the PATH; .*FFPROBE_PATH/);
  });

  it('FFPROBE_PATH, when set, is the owner\'s choice', () => {
    const ffmpeg = writeToolStandIn(join(root, 'a'), 'ffmpeg', '6.1');
    writeToolStandIn(join(root, 'a'), 'ffprobe', '6.1');
    const mine = writeToolStandIn(join(root, 'b'), 'ffprobe', '6.1');
    expect(resolveBinary('ffprobe', { PATH: '', FFMPEG_PATH: ffmpeg, FFPROBE_PATH: mine })).toEqual({ path: mine, source: 'env' });
  });

  it('versions compare by release: a Debian suffix matches, another release is a warning that says how to fix it', () => {
    const info = (version: string, source: 'path' | 'static-package', path: string) => ({ version, source, path });
    expect(versionMismatch(info('5.1.9-0+deb12u1', 'path', '/usr/bin/ffmpeg'), info('5.1.9-0+deb12u1', 'path', '/usr/bin/ffprobe'))).toBeNull();
    expect(versionMismatch(info('n6.1', 'path', '/opt/ff/ffmpeg'), info('6.1-static', 'path', '/opt/ff/ffprobe'))).toBeNull();
    expect(versionMismatch(info('5.1.9-0+deb12u1', 'path', '/usr/bin/ffmpeg'), info('4.0.2', 'static-package', '/x/ffprobe-static/ffprobe'))).toMatch(
      /^ffprobe 4.0.2 \(static-package: .*\) is not the same release as ffmpeg 5.1.9-0\+deb12u1 \(path: \/usr\/bin\/ffmpeg\): .*set FFPROBE_PATH .* \/usr\/bin/,
    );
  });

  it('church doctor warns when the two differ, and still passes', async () => {
    const dir = join(root, 'mismatch');
    const ffmpeg = writeToolStandIn(dir, 'ffmpeg', '5.1.9-0+deb12u1');
    writeToolStandIn(dir, 'ffprobe', '4.0.2');
    const dataDir = tempDir('church-tools-doctor-');
    const env = { CHURCH_NO_ATTACH: '1', FFMPEG_PATH: ffmpeg, FFPROBE_PATH: '' };
    const human = await church(['doctor', '--data-dir', dataDir], { env });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^warning {2}ffprobe 4.0.2 \(env: .*\) is not the same release as ffmpeg 5.1.9-0\+deb12u1/m);
    const json = JSON.parse((await church(['doctor', '--json', '--data-dir', dataDir], { env })).stdout) as DoctorReport;
    expect(json.warnings).toHaveLength(1);
    const same = join(root, 'same');
    const matched = await church(['doctor', '--json', '--data-dir', dataDir], { env: { ...env, FFMPEG_PATH: writeToolStandIn(same, 'ffmpeg', '6.1'), FFPROBE_PATH: writeToolStandIn(same, 'ffprobe', '6.1') } });
    expect((JSON.parse(matched.stdout) as DoctorReport).warnings).toEqual([]);
  }, 60_000);
});
