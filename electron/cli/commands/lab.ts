import { hostname } from 'node:os';
import { summarizeSample, type MonitorSample } from '../../../shared/dto/monitor';
import { LAB_SECRET_USAGE, runLabSecret } from './labSecret';
import { ChurchError } from '../../../shared/errors';
import type { CliCommand } from '../command';

function positiveInt(raw: unknown, what: string, def: number): number {
  if (raw === undefined) return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new ChurchError('INVALID_INPUT', `${what} must be a positive whole number, got "${String(raw)}"`);
  return n;
}

function parsePathMap(raw: unknown): { from: string; to: string }[] {
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.map((item) => {
    const s = String(item);
    const eq = s.indexOf('=');
    if (eq <= 0 || eq === s.length - 1) throw new ChurchError('INVALID_INPUT', `--path-map expects STUDIO_PATH=AGENT_PATH (e.g. /srv/media=/mnt/nas/media), got "${s}"`);
    return { from: s.slice(0, eq), to: s.slice(eq + 1) };
  });
}

export const agentCommand: CliCommand = {
  name: 'agent',
  summary: 'Run this host as a lab agent: take transcodes from the lab\'s Redis and report this host',
  usage: 'church agent --lab redis://HOST:6379 [--name NAME] [--secret-file FILE] [--lab-ca FILE] [--concurrency N] [--path-map STUDIO=AGENT]... [--stall-ms N] [--sample-ms N]',
  options: {
    name: { type: 'string' },
    'secret-file': { type: 'string' },
    concurrency: { type: 'string' },
    'path-map': { type: 'string', multiple: true },
    'stall-ms': { type: 'string' },
    'heartbeat-ms': { type: 'string' },
    'sample-ms': { type: 'string' },
  },
  async run(ctx, args) {
    const url = typeof args.values.lab === 'string' ? args.values.lab : ctx.env.CHURCH_LAB_URL;
    if (!url) throw new ChurchError('INVALID_INPUT', `--lab URL is required (the lab's Redis, e.g. redis://nas:6379); usage: ${this.usage}`);
    const secretFile = typeof args.values['secret-file'] === 'string' ? args.values['secret-file'] : ctx.env.CHURCH_LAB_SECRET_FILE;
    const name = typeof args.values.name === 'string' ? args.values.name : hostname();
    if (!/^[\w.-]{1,64}$/.test(name)) throw new ChurchError('INVALID_INPUT', `--name may hold letters, digits, ".", "_" and "-" (at most 64), got "${name}"`);
    const concurrency = positiveInt(args.values.concurrency, '--concurrency', 1);
    const stallMs = positiveInt(args.values['stall-ms'], '--stall-ms', 30_000);
    const heartbeatMs = positiveInt(args.values['heartbeat-ms'], '--heartbeat-ms', 2000);
    const sampleMs = positiveInt(args.values['sample-ms'], '--sample-ms', 2000);
    if (sampleMs < 250) throw new ChurchError('INVALID_INPUT', `--sample-ms must be at least 250 (a monitor sample every quarter second at most), got ${sampleMs}`);
    const pathMap = parsePathMap(args.values['path-map']);
    const { createAgentHost } = await import('../../host/createAgentHost');
    const agent = await createAgentHost({
      // rediss:// with a private CA: --lab-ca FILE (global, like --lab) or CHURCH_LAB_CA_FILE, as for the studio.
      lab: { url, secretFile, caFile: ctx.env.CHURCH_LAB_CA_FILE || undefined },
      name,
      concurrency,
      dataDir: ctx.dataDir,
      env: ctx.env,
      pathMap,
      stallMs,
      heartbeatMs,
      sampleMs,
      log: (line) => ctx.stderr.write(`church agent: ${line}\n`),
    });
    ctx.print({ agent: agent.name, encoders: agent.encoders, ready: true }, () => `agent ${agent.name} is running (Ctrl-C stops it)`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await agent.close();
    return 0;
  },
};

export const labCommand: CliCommand = {
  name: 'lab',
  summary: 'The lab: every agent with its state, encoders and load, the transcode queue, and the node_exporter targets',
  usage: `church lab [--json]   (the lab from Settings, or --lab URL --lab-secret-file FILE / CHURCH_LAB_URL and CHURCH_LAB_SECRET_FILE)\n       ${LAB_SECRET_USAGE}`,
  options: { new: { type: 'string' } },
  async run(ctx, args) {
    if (args.positionals[0] === 'secret') return runLabSecret(ctx, args);
    if (args.positionals.length || args.values.new !== undefined) throw new ChurchError('INVALID_INPUT', `usage: ${this.usage}`);
    const client = await ctx.client();
    const status = await client.call('lab.status', {});
    if (!status.configured && !status.targets.length) {
      throw new ChurchError('INVALID_INPUT', 'no lab is configured: turn it on in Settings → Lab, or pass --lab redis://HOST:6379 --lab-secret-file FILE (or set CHURCH_LAB_URL and CHURCH_LAB_SECRET_FILE)');
    }
    const { configured: _configured, ...overview } = status;
    ctx.print(overview, () => {
      const heat = (s: MonitorSample | null | undefined) => {
        if (!s) return '  no monitor sample yet';
        const h = summarizeSample(s);
        const c = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(0)} °C`);
        return `  CPU ${c(h.cpuTempC)}  GPU ${c(h.gpuTempC)}  memory ${h.memUsedPct === null ? 'n/a' : `${h.memUsedPct.toFixed(0)} %`}`;
      };
      const lines = overview.agents.map((a) => a.untrusted
        ? `${a.name.padEnd(16)} untrusted (${a.untrusted.reason}): ${a.untrusted.detail}`
        : `${a.name.padEnd(16)} ${a.state.padEnd(8)} last seen ${a.lastSeen}  ${a.cores} cores  load ${a.loadAverage[0]?.toFixed(2) ?? '?'}${heat(a.sample)}  encoders ${a.encoders.join(', ') || 'none'}${a.running.length ? `  running job ${a.running.map((r) => `#${r.studioJobId}`).join(', ')}` : ''}`);
      const targets = overview.targets.map((t) =>
        t.state === 'up' && t.summary
          ? `${t.host.padEnd(16)} up       node_exporter ${t.url}  CPU ${t.summary.cpuPct ?? '?'} %  memory ${t.summary.memUsedPct ?? '?'} %  hottest ${t.summary.hottestC ?? '?'} °C`
          : `${t.host.padEnd(16)} ${t.state.padEnd(8)} node_exporter ${t.url}${t.error ? `  ${t.error}` : ''}`,
      );
      return [
        ...(status.configured ? (lines.length ? lines : ['no agent has announced itself yet; start one with "church agent --lab URL --secret-file FILE"']) : []),
        ...targets,
        ...(status.configured ? [`queue: ${overview.queue.waiting} waiting, ${overview.queue.active} running`] : []),
      ].join('\n');
    });
    return 0;
  },
};

export const agentKeyCommand: CliCommand = {
  name: 'agent-key',
  summary: 'Make one lab agent\'s key file from the lab secret (the agent then holds its own key, not the secret)',
  usage: 'church agent-key NAME --out FILE   (with --lab-secret-file FILE or CHURCH_LAB_SECRET_FILE; then on that host: church agent --name NAME --secret-file FILE)',
  options: { out: { type: 'string' } },
  async run(ctx, args) {
    const name = args.positionals[0];
    const out = args.values.out;
    if (!name || !/^[\w.-]{1,64}$/.test(name)) throw new ChurchError('INVALID_INPUT', `name the agent (letters, digits, ".", "_" and "-", at most 64); usage: ${this.usage}`);
    if (typeof out !== 'string' || !out) throw new ChurchError('INVALID_INPUT', `--out FILE is required (where the key file goes); usage: ${this.usage}`);
    const { writeAgentKey } = await import('../../host/createAgentHost');
    writeAgentKey(ctx.env.CHURCH_LAB_SECRET_FILE, name, out);
    ctx.print({ agent: name, keyFile: out }, () => `wrote ${out}: copy it to the agent's host (owner-only) and start it with "church agent --name ${name} --secret-file FILE"`);
    return 0;
  },
};

export const labCommands: CliCommand[] = [agentCommand, labCommand, agentKeyCommand];
