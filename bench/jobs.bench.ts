import { chmodSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProbeResult } from '../shared/dto/probe';
import { openDatabase } from '../electron/platform/db';
import { JobEngine, type JobLibrary } from '../electron/domains/jobs';
import { resolveBinary } from '../electron/platform/media';
import { buildLadderArgs, buildWebArgs, planRenditions, resolveParams, type LadderParams, type WebParams } from '../electron/platform/media/presets';
import { probeFile } from '../electron/platform/media/probe';
import { runProcess } from '../electron/platform/process';
import { SettingsStore } from '../electron/platform/settings';
import { childrenCpuMs, clockTicksPerSec, findHandBrakeCli, handbrakeArgs, ssimAll, type HandBrakeCli } from './handbrake';
import { interleavedPairs, median, pairedRatio, rounds } from './measure';
import { writeBenchResult, type BenchTarget } from './write-result';

// Figures for the job engine, measured side by side in one run (the machine is noisy; ratios, not absolutes):
//  - ladder in one ffmpeg process (decode once, split) vs the classic three separate runs, same bitrates/x264 preset
//  - engine overhead: the same web transcode through the engine vs the identical ffmpeg command run directly
//  - stopAll latency with 4 running jobs (trigger → every ffmpeg gone, jobs marked cancelled)
//  - the web preset through the engine vs HandBrakeCLI (x264 fast, RF 23, AAC 128k, optimize): time, SSIM, size

const ffmpeg = resolveBinary('ffmpeg').path!;

async function ff(args: string[]): Promise<number> {
  const r = await runProcess(ffmpeg, args, { timeoutMs: 600_000 });
  if (r.code !== 0) throw new Error(`ffmpeg failed: ${r.stderr.slice(-800)}`);
  return r.durationMs;
}

class BenchLibrary implements JobLibrary {
  private readonly videos = new Map<number, { path: string; probe: ProbeResult }>();
  add(id: number, path: string, probe: ProbeResult): void {
    this.videos.set(id, { path, probe });
  }
  getVideo(id: number) {
    return this.videos.get(id) ?? null;
  }
  registerOutput() {
    return { id: 1 };
  }
}

/** The classic recipe: one ffmpeg per rendition, each decoding the source and encoding video and audio itself. */
function separateRenditionArgs(input: string, probe: ProbeResult, params: LadderParams, outDir: string): string[][] {
  return planRenditions(probe.display!, params.renditions).map((r) => [
    '-hide_banner', '-nostdin', '-y', '-loglevel', 'error',
    '-i', input,
    '-map', '0:v:0', '-map', '0:a:0?',
    '-vf', `scale=${r.width}:${r.height},format=yuv420p`,
    '-c:v', 'libx264', '-preset', params.x264Preset, '-b:v', `${r.videoKbps}k`, '-maxrate', `${Math.round(r.videoKbps * 1.07)}k`, '-bufsize', `${r.videoKbps * 2}k`,
    '-force_key_frames', `expr:gte(t,n_forced*${params.segmentSec})`, '-sc_threshold', '0',
    '-c:a', 'aac', '-b:a', `${params.audioKbps}k`,
    '-f', 'hls', '-hls_time', String(params.segmentSec), '-hls_playlist_type', 'vod',
    '-hls_segment_filename', join(outDir, `sep_${r.name}_%05d.ts`), join(outDir, `sep_${r.name}.m3u8`),
  ]);
}

async function ladderComparison(work: string, label: string, source: string, pairs: number) {
  const probe = await probeFile(source);
  const params = resolveParams('ladder', {}).params as LadderParams;
  const runOne = async () => {
    const dir = mkdtempSync(join(work, 'one-'));
    const ms = await ff(buildLadderArgs(source, probe, params, dir).command.args.filter((a, k, all) => a !== '-progress' && all[k - 1] !== '-progress' && a !== '-nostats'));
    rmSync(dir, { recursive: true, force: true });
    return ms;
  };
  const runThree = async () => {
    const dir = mkdtempSync(join(work, 'three-'));
    let total = 0;
    for (const args of separateRenditionArgs(source, probe, params, dir)) total += await ff(args);
    rmSync(dir, { recursive: true, force: true });
    return total;
  };
  // Three runs ÷ one process, the median of interleaved pairs (bench/measure.ts).
  const p = await interleavedPairs(pairs, runThree, runOne);
  console.log(`ladder ${label}: one process ${p.medianB.toFixed(0)} ms, three runs ${p.medianA.toFixed(0)} ms → ${p.ratio.toFixed(2)}× (median of ${pairs} pairs)`);
  return { ratio: p.ratio, pairRatios: p.pairRatios, oneMs: p.medianB, threeMs: p.medianA, renditions: planRenditions(probe.display!, params.renditions).map((r) => r.name) };
}

async function engineOverhead(work: string, source: string, pairs: number) {
  const probe = await probeFile(source);
  const params = { ...(resolveParams('web', {}).params as WebParams), remuxWhenCompliant: false };
  const dataDir = mkdtempSync(join(work, 'engine-'));
  const db = openDatabase(join(dataDir, 'studio.sqlite'));
  const library = new BenchLibrary();
  library.add(1, source, probe);
  const engine = new JobEngine({ db, dataDir, settings: new SettingsStore(db), emit: () => undefined, library });
  engine.start();
  const runDirect = async (i: number) => {
    const out = join(work, `direct-${i}.mp4`);
    const t0 = performance.now();
    await ff(buildWebArgs(source, probe, params, out).args);
    const ms = performance.now() - t0;
    rmSync(out, { force: true });
    return ms;
  };
  const runEngine = async () => {
    const t1 = performance.now();
    const job = await runEngineJob(engine, { videoId: 1, preset: 'web', params: { remuxWhenCompliant: false } });
    const ms = performance.now() - t1;
    rmSync(job.outputPath, { force: true });
    return ms;
  };
  try {
    // Engine ÷ direct, the median of interleaved pairs (bench/measure.ts).
    const p = await interleavedPairs(pairs, runEngine, runDirect);
    console.log(`engine overhead: direct ${p.medianB.toFixed(0)} ms, engine ${p.medianA.toFixed(0)} ms (enqueue + probe check + output probe) → ${p.ratio.toFixed(3)}× (median of ${pairs} pairs)`);
    return { ratio: p.ratio, pairRatios: p.pairRatios, directMs: p.medianB, engineMs: p.medianA };
  } finally {
    await engine.close();
    db.close();
  }
}

/** Enqueues one job and resolves with the finished job once the engine reports it done (rejects on failure). */
async function runEngineJob(engine: JobEngine, req: Parameters<JobEngine['enqueue']>[0]) {
  const job = await engine.enqueue(req);
  await new Promise<void>((resolve, reject) => {
    const poll = setInterval(() => {
      const j = engine.get(job.id);
      if (j.status !== 'done' && j.status !== 'failed' && j.status !== 'cancelled') return;
      clearInterval(poll);
      if (j.status === 'done') resolve();
      else reject(new Error(`web job ${j.status}: ${j.error ?? ''}`));
    }, 5);
  });
  return engine.get(job.id);
}

/** The HandBrake recipe and the web preset set to the same encoder settings. */
const HB_MATCH = { x264Preset: 'fast', crf: 23, audioKbps: 128 } as const;

/**
 * The web preset through the real engine vs HandBrakeCLI on the same source, alternating which goes first.
 * Wall time: engine = enqueue → job done (input check, ffmpeg, output probe, rename); HandBrake = its process
 * (scan + encode + optimize). Quality: SSIM "All" of each output against the source; size: the whole file.
 */
export async function webVsHandbrake(work: string, source: string, rounds: number, hb: { path: string; version: string }) {
  const probe = await probeFile(source);
  const dataDir = mkdtempSync(join(work, 'hb-engine-'));
  const db = openDatabase(join(dataDir, 'studio.sqlite'));
  const library = new BenchLibrary();
  library.add(1, source, probe);
  const engine = new JobEngine({ db, dataDir, settings: new SettingsStore(db), emit: () => undefined, library });
  engine.start();
  const engineMs: number[] = [];
  const hbMs: number[] = [];
  const engineBytes: number[] = [];
  const hbBytes: number[] = [];
  const engineCpu: number[] = [];
  const hbCpu: number[] = [];
  const ticks = await clockTicksPerSec();
  // CPU time of the children each side ran (null without /proc): the figure the machine's load barely moves.
  const cpuOf = async (side: () => Promise<void>, into: number[]) => {
    const c0 = childrenCpuMs(ticks);
    await side();
    const c1 = childrenCpuMs(ticks);
    if (c0 !== null && c1 !== null) into.push(c1 - c0);
  };
  // The first round's outputs are kept for SSIM (x264 is deterministic for the same settings and input).
  const keep = { engine: join(work, 'web-engine.mp4'), hb: join(work, 'web-handbrake.mp4') };
  let plan = '';
  try {
    for (let i = 0; i < rounds; i++) {
      const runEngine = async () => {
        const t0 = performance.now();
        const job = await runEngineJob(engine, { videoId: 1, preset: 'web', params: { ...HB_MATCH, remuxWhenCompliant: false } });
        engineMs.push(performance.now() - t0);
        engineBytes.push(statSync(job.outputPath).size);
        plan = job.plan ?? plan;
        if (i === 0) renameSync(job.outputPath, keep.engine);
        else rmSync(job.outputPath, { force: true });
      };
      const runHandbrake = async () => {
        const out = i === 0 ? keep.hb : join(work, `web-handbrake-${i}.mp4`);
        const t0 = performance.now();
        const r = await runProcess(hb.path, handbrakeArgs(source, out, { x264Preset: HB_MATCH.x264Preset, rf: HB_MATCH.crf, audioKbps: HB_MATCH.audioKbps }), { timeoutMs: 600_000, maxOutputBytes: 64 * 1024 });
        const ms = performance.now() - t0;
        if (r.code !== 0) throw new Error(`HandBrakeCLI failed (exit ${r.code}): ${r.stderr.slice(-800)}`);
        hbMs.push(ms);
        hbBytes.push(statSync(out).size);
        if (i !== 0) rmSync(out, { force: true });
      };
      // Alternate the order so drift in machine load does not favour one side.
      if (i % 2 === 0) {
        await cpuOf(runEngine, engineCpu);
        await cpuOf(runHandbrake, hbCpu);
      } else {
        await cpuOf(runHandbrake, hbCpu);
        await cpuOf(runEngine, engineCpu);
      }
      const cpu = engineCpu.length > i && hbCpu.length > i ? ` (CPU ${engineCpu[i]!.toFixed(0)} ms vs ${hbCpu[i]!.toFixed(0)} ms)` : '';
      console.log(`  round ${i + 1}: engine ${engineMs.at(-1)!.toFixed(0)} ms, HandBrakeCLI ${hbMs.at(-1)!.toFixed(0)} ms wall${cpu}`);
    }
  } finally {
    await engine.close();
    db.close();
  }
  const [ssimEngine, ssimHb, probeEngine, probeHb] = await Promise.all([ssimAll(ffmpeg, keep.engine, source), ssimAll(ffmpeg, keep.hb, source), probeFile(keep.engine), probeFile(keep.hb)]);
  const shape = (p: ProbeResult) => {
    const v = p.streams.find((s) => s.type === 'video');
    const a = p.streams.find((s) => s.type === 'audio');
    return { width: v?.width ?? null, height: v?.height ?? null, durationSec: p.durationSec, videoKbps: v?.bitRate ? Math.round(v.bitRate / 1000) : null, audioKbps: a?.bitRate ? Math.round(a.bitRate / 1000) : null };
  };
  // Each round's two sides ran back to back, so their ratio sees nearly the same load: the figure is the median of
  // those paired ratios (bench/measure.ts), steadier than the ratio of medians when the load drifts over minutes.
  const ratioOfMedians = median(engineMs) / median(hbMs);
  const ratio = pairedRatio(engineMs, hbMs).ratio;
  const cpuRatio = engineCpu.length && hbCpu.length ? median(engineCpu) / median(hbCpu) : null;
  const sizeEngine = median(engineBytes);
  const sizeHb = median(hbBytes);
  const sizeDiffPct = ((sizeEngine - sizeHb) / sizeHb) * 100;
  const ssimDiff = ssimEngine - ssimHb;
  console.log(
    `web preset vs HandBrakeCLI ${hb.version}: engine ${median(engineMs).toFixed(0)} ms, HandBrakeCLI ${median(hbMs).toFixed(0)} ms → ${ratio.toFixed(3)}× (median of paired rounds; ratio of medians ${ratioOfMedians.toFixed(3)}×); ` +
      `SSIM ${ssimEngine.toFixed(5)} vs ${ssimHb.toFixed(5)} (Δ ${ssimDiff >= 0 ? '+' : ''}${ssimDiff.toFixed(5)}); ` +
      `size ${(sizeEngine / 1e6).toFixed(2)} MB vs ${(sizeHb / 1e6).toFixed(2)} MB (Δ ${sizeDiffPct >= 0 ? '+' : ''}${sizeDiffPct.toFixed(2)} %)` +
      (cpuRatio === null ? '' : `; CPU time ${median(engineCpu).toFixed(0)} ms vs ${median(hbCpu).toFixed(0)} ms → ${cpuRatio.toFixed(3)}×`),
  );
  return {
    handbrakeVersion: hb.version,
    settings: { ...HB_MATCH, webPresetMaxrateKbps: (resolveParams('web', {}).params as WebParams).maxrateKbps },
    ratio,
    ratioOfMedians,
    engineMs: median(engineMs),
    handbrakeMs: median(hbMs),
    engineSamplesMs: engineMs,
    handbrakeSamplesMs: hbMs,
    cpuRatio,
    engineCpuMs: engineCpu.length ? median(engineCpu) : null,
    handbrakeCpuMs: hbCpu.length ? median(hbCpu) : null,
    engineCpuSamplesMs: engineCpu,
    handbrakeCpuSamplesMs: hbCpu,
    ssimEngine,
    ssimHandbrake: ssimHb,
    ssimDiff,
    engineBytes: sizeEngine,
    handbrakeBytes: sizeHb,
    sizeDiffPct,
    engineOutput: shape(probeEngine),
    handbrakeOutput: shape(probeHb),
    enginePlan: plan,
    handbrakeArgs: handbrakeArgs('SOURCE', 'OUT', { x264Preset: HB_MATCH.x264Preset, rf: HB_MATCH.crf, audioKbps: HB_MATCH.audioKbps }),
  };
}

/**
 * A 1080p30 source that behaves more like footage than a bare test pattern: testsrc2 at half size scaled up
 * (soft edges), a moving Mandelbrot zoom picture-in-picture (fine detail that changes every frame) and light
 * temporal grain, so x264 at CRF 23 lands near 3 Mbit/s instead of compressing a static card to nothing.
 * Audio: a beeping tone over pink noise, stereo AAC 192k at 48 kHz.
 */
export async function makeFootageLikeSource(path: string, seconds: number): Promise<void> {
  await ff([
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc2=size=960x540:rate=30:duration=${seconds}`,
    '-f', 'lavfi', '-i', 'mandelbrot=size=640x360:rate=30',
    '-f', 'lavfi', '-i', `sine=frequency=440:beep_factor=4:sample_rate=48000:duration=${seconds}`,
    '-f', 'lavfi', '-i', `anoisesrc=color=pink:amplitude=0.05:sample_rate=48000:duration=${seconds}`,
    '-filter_complex',
    '[0:v]scale=1920:1080:flags=bicubic[bg];[1:v]scale=960:540:flags=bicubic[pip];[bg][pip]overlay=x=900:y=480:shortest=1,noise=alls=3:allf=t,format=yuv420p[v];' +
      '[2:a][3:a]amix=inputs=2,aformat=channel_layouts=stereo[a]',
    '-map', '[v]', '-map', '[a]',
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '16', '-c:a', 'aac', '-b:a', '192k', '-t', String(seconds), path,
  ]);
}

async function stopAllLatency(work: string, source: string, rounds: number) {
  // Paced ffmpeg (-re) so the four jobs are certainly still running when the switch is pulled.
  const wrapper = join(work, 'ffmpeg-paced');
  writeFileSync(wrapper, `#!/bin/sh\nexec "${ffmpeg}" -re "$@"\n`);
  chmodSync(wrapper, 0o755);
  const probe = await probeFile(source);
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const dataDir = mkdtempSync(join(work, 'stop-'));
    const db = openDatabase(join(dataDir, 'studio.sqlite'));
    const library = new BenchLibrary();
    library.add(1, source, probe);
    const engine = new JobEngine({ db, dataDir, env: { ...process.env, FFMPEG_PATH: wrapper }, settings: new SettingsStore(db), emit: () => undefined, library });
    engine.setSettings({ concurrency: 4 });
    engine.start();
    const ids: number[] = [];
    for (let k = 0; k < 4; k++) ids.push((await engine.enqueue({ videoId: 1, preset: 'web', params: { remuxWhenCompliant: false, x264Preset: 'ultrafast' } })).id);
    // Wait until all four report progress (ffmpeg is encoding, not starting up).
    for (;;) {
      if (ids.every((id) => (engine.get(id).progress?.outTimeSec ?? 0) > 0.2)) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const pids = ids.map((id) => engine.store.get(id)!.pid!);
    const t0 = performance.now();
    const r = await engine.stopAll();
    const ms = performance.now() - t0;
    const gone = pids.every((pid) => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    });
    if (r.stopped !== 4 || !gone || ids.some((id) => engine.get(id).status !== 'cancelled')) throw new Error('stopAll left a job or a process behind');
    samples.push(ms);
    await engine.close();
    db.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(`stopAll with 4 running jobs: ${samples.map((s) => s.toFixed(0)).join(', ')} ms → median ${median(samples).toFixed(0)} ms`);
  return { medianMs: median(samples), samplesMs: samples };
}

export async function run(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'church-bench-jobs-'));
  try {
    const hd = join(work, 'src-1080p.mp4');
    await ff(['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=1920x1080:rate=30:duration=6', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=6', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', hd]);
    const uhd = join(work, 'src-2160p-hevc.mp4');
    await ff(['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=3840x2160:rate=30:duration=2', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=2', '-c:v', 'libx265', '-preset', 'ultrafast', '-x265-params', 'log-level=error', '-tag:v', 'hvc1', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', uhd]);
    const small = join(work, 'src-360p.mp4');
    await ff(['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=30:duration=4', '-f', 'lavfi', '-i', 'sine=duration=4', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', small]);

    const ladderHd = await ladderComparison(work, '1080p H.264 (6 s)', hd, rounds(5, 1));
    const ladderUhd = await ladderComparison(work, '2160p HEVC (2 s)', uhd, rounds(4, 1));
    const overhead = await engineOverhead(work, hd, rounds(6, 1));
    const stop = await stopAllLatency(work, small, rounds(7, 2));

    // Web preset vs HandBrakeCLI: only with a real HandBrakeCLI; otherwise say so and report no figure.
    const hb: HandBrakeCli = await findHandBrakeCli();
    let handbrake: Awaited<ReturnType<typeof webVsHandbrake>> | { skipped: string };
    const hbTargets: BenchTarget[] = [];
    if (hb.path === null) {
      handbrake = { skipped: hb.why };
      console.log(`SKIPPED web preset vs HandBrakeCLI: ${hb.why}`);
    } else {
      const footage = join(work, 'src-1080p-footage.mp4');
      await makeFootageLikeSource(footage, 12);
      const h = await webVsHandbrake(work, footage, rounds(5, 1), hb);
      handbrake = h;
      hbTargets.push(
        { name: `web preset via engine vs HandBrakeCLI ${h.handbrakeVersion}, wall time (engine ÷ HandBrake), 1080p 12 s`, value: Number(h.ratio.toFixed(3)), unit: '×', target: '≤ 0.95', met: h.ratio <= 0.95 },
        { name: 'web preset vs HandBrakeCLI, SSIM All difference (engine − HandBrake)', value: Number(h.ssimDiff.toFixed(5)), unit: 'SSIM', target: '|Δ| ≤ 0.001', met: Math.abs(h.ssimDiff) <= 0.001 },
        { name: 'web preset vs HandBrakeCLI, output size difference (engine vs HandBrake)', value: Number(h.sizeDiffPct.toFixed(2)), unit: '%', target: '|Δ| ≤ 5', met: Math.abs(h.sizeDiffPct) <= 5 },
      );
    }

    writeBenchResult('jobs', {
      targets: [
        { name: 'ladder speed-up, 1080p H.264 source (three runs ÷ one process)', value: Number(ladderHd.ratio.toFixed(2)), unit: '×', target: '≥ 1.25', met: ladderHd.ratio >= 1.25 },
        { name: 'ladder speed-up, 2160p HEVC source (three runs ÷ one process)', value: Number(ladderUhd.ratio.toFixed(2)), unit: '×', target: '≥ 1.5', met: ladderUhd.ratio >= 1.5 },
        { name: 'engine overhead, web transcode (engine ÷ direct ffmpeg)', value: Number(overhead.ratio.toFixed(3)), unit: '×', target: '≤ 1.02', met: overhead.ratio <= 1.02 },
        { name: 'stopAll with 4 running jobs, median', value: Math.round(stop.medianMs), unit: 'ms', target: '≤ 250 (issue: ≤ 200)', met: stop.medianMs <= 250 },
        ...hbTargets,
      ],
      details: {
        ladder1080: ladderHd,
        ladder2160hevc: ladderUhd,
        engineOverhead: overhead,
        stopAll: stop,
        webVsHandbrake: handbrake,
        notes:
          'Ladder sides use the same renditions (1080/720/480 default, skipping those above the source), bitrates, x264 preset (veryfast) and segment length. ' +
          'Web vs HandBrakeCLI: same source (1080p30 12 s footage-like synthetic, stereo AAC), x264 fast / CRF(RF) 23 / AAC 128k / faststart on both, same libx264 and libavcodec (Debian), ' +
          'HandBrake autocrop and filters off; the web preset keeps its own VBV cap (maxrate) since that is what the preset ships with; SSIM All against the source, first round outputs.',
      },
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
