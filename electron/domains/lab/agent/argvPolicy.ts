import { isHardwareEncoder } from '../../../platform/media/usableEncoders';
import { OUTPUT_TOKEN } from '../protocol';
import { filterOptions, FilterGraphError, parseFilterGraph } from './filterGraph';

/**
 * What an agent agrees to run: ffmpeg arguments of the shape the studio's presets build (platform/media/presets,
 * the lab's chunk units and the software fallback), and nothing else. A job is signed with the lab secret, but a
 * signature proves who sent it, not that it is harmless: whoever holds the secret (any agent's host) could sign
 * `-f data -i data:… -f data ~/.ssh/authorized_keys`. So the agent reads the arguments against an allow-list
 * grammar: inputs only the job's own sources (its source tokens, through a protocol whitelist the agent sets),
 * one output, the agent's own output token (a file in its work folder), and only options, values, formats,
 * codecs and filters that read or write nothing else. Anything new a preset needs must be added here on purpose.
 */

/** A value check: a pattern, or a function that says what is wrong (null: fine). */
type Check = RegExp | ((value: string) => string | null);

const NUMBER = /^\d{1,9}(\.\d{1,20})?$/;
const INTEGER = /^\d{1,9}$/;
const BITRATE = /^\d{1,9}(\.\d{1,6})?[kKM]?$/;
const NAME = /^[a-z0-9]{1,32}$/;

/** Options without a value. */
const FLAGS = new Set(['-hide_banner', '-nostdin', '-y', '-nostats', '-an', '-vn', '-sn', '-dn']);

/** The only output formats a lab job writes: one file each (no tee, segment, hls, data, null…). */
const OUTPUT_FORMATS = new Set(['mp4', 'ipod', 'mp3', 'image2']);

/** Encoders the presets and the fallback name; a hardware encoder's name opens a device, never a file. */
const SOFTWARE_CODECS = new Set(['copy', 'libx264', 'libx265', 'libsvtav1', 'libvpx-vp9', 'aac', 'libmp3lame', 'mjpeg']);

function codec(v: string): string | null {
  return SOFTWARE_CODECS.has(v) || (/^[a-z0-9]+_[a-z0-9]+$/.test(v) && isHardwareEncoder(v)) ? null : `the encoder ${v}`;
}

/**
 * Filters the presets use; none of them opens a file. Left out on purpose, among others: movie/amovie (read any
 * file or URL), subtitles/ass (a subtitle file, fonts), drawtext (textfile, fontfile), sendcmd/zmq (commands from
 * a file or the network), lut3d/lut1d/haldclut (a LUT file), metadata/psnr/ssim/vidstabdetect (write stats files),
 * frei0r/ladspa/lv2 (load a library), dnn_… and sr (load a model).
 */
const FILTERS = new Set(['scale', 'setsar', 'format', 'select', 'showinfo', 'tile', 'overlay', 'colorchannelmixer', 'setpts']);

function filterGraph(v: string): string | null {
  let filters;
  try {
    filters = parseFilterGraph(v);
  } catch (e) {
    if (e instanceof FilterGraphError) return `a filter graph it cannot read (${e.message})`;
    throw e;
  }
  for (const f of filters) {
    const name = f.name.split('@')[0]!;
    if (!FILTERS.has(name)) return `the filter "${name}"`;
    // ffmpeg 7 reads an option's value from the file its name names when the name starts with '/'.
    if (filterOptions(f.args).some((o) => o.startsWith('/'))) return `a filter option of ${name} that starts with "/" (read from a file)`;
  }
  return null;
}

/** Options with a value, by name without a stream specifier, and what their value may be. */
const VALUED: Record<string, Check> = {
  '-loglevel': /^(quiet|panic|fatal|error|warning|info|verbose)$/,
  // Progress goes to the agent's pipe only (a file name here would be written).
  '-progress': /^pipe:1$/,
  '-ss': NUMBER,
  '-t': NUMBER,
  '-stream_loop': /^-1$|^\d{1,6}$/,
  '-skip_frame': /^(default|noref|bidir|nointra|nokey|all)$/,
  '-map': /^\d{1,2}:[vas]:\d{1,2}$|^\[\w{1,32}\]$/,
  '-map_metadata': /^-1$/,
  '-map_chapters': /^-1$/,
  '-c': codec,
  '-codec': codec,
  '-vcodec': codec,
  '-acodec': codec,
  '-preset': NAME,
  '-crf': NUMBER,
  '-b': BITRATE,
  '-maxrate': BITRATE,
  '-bufsize': BITRATE,
  '-rc_init_occupancy': INTEGER,
  '-pix_fmt': NAME,
  '-profile': NAME,
  '-ac': INTEGER,
  '-g': INTEGER,
  '-frames': INTEGER,
  '-q': NUMBER,
  '-movflags': /^\+faststart$/,
  '-update': /^[01]$/,
  '-fps_mode': /^(passthrough|cfr|vfr|auto)$/,
  '-force_key_frames': /^expr:[\w()+\-*/.,<>=]{1,200}$/,
  '-sc_threshold': /^-?\d{1,9}$/,
  '-vf': filterGraph,
  '-filter': filterGraph,
  '-filter_complex': filterGraph,
  '-f': (v) => (OUTPUT_FORMATS.has(v) ? null : `the output format "-f ${v}"`),
};

/** Options that take a stream specifier (-c:v, -b:a, -frames:v, -q:v, -profile:v, -filter:v). */
const PER_STREAM = new Set(['-c', '-codec', '-preset', '-crf', '-b', '-maxrate', '-bufsize', '-rc_init_occupancy', '-pix_fmt', '-profile', '-frames', '-q', '-filter']);

export class ArgvRefused extends Error {}

const SOURCE_INDEX = /^\{\{church-source-(\d{1,3})\}\}$/;

function sourceIndex(a: string | undefined): number | null {
  const m = SOURCE_INDEX.exec(a ?? '');
  return m ? Number(m[1]) : null;
}

function quoted(a: string): string {
  return JSON.stringify(a.length > 60 ? `${a.slice(0, 60)}…` : a);
}

/** Reads one option at args[i] (a flag, or a name and its value); returns the index after it or a problem. */
function readOption(args: readonly string[], i: number, lastInput: number): number | string {
  const a = args[i]!;
  if (FLAGS.has(a)) return i + 1;
  const [name, spec] = [a.split(':')[0]!, a.includes(':') ? a.slice(a.indexOf(':') + 1) : null];
  const check = VALUED[name];
  if (!check) return `the option ${quoted(a)}`;
  if (spec !== null && (!PER_STREAM.has(name) || !/^[vas](:\d{1,2})?$/.test(spec))) return `the option ${quoted(a)}`;
  const value = args[i + 1];
  if (value === undefined) return `the option ${a} with no value`;
  // Before an input, -f would choose a demuxer for it (data, lavfi, concat…): lab inputs are probed, never named.
  if (name === '-f' && i < lastInput) return `"-f ${value}" before an input (an input format)`;
  const problem = typeof check === 'function' ? check(value) : check.test(value) ? null : `the value ${quoted(value)} of ${a}`;
  return problem ?? i + 2;
}

/**
 * Why the agent will not run these arguments (null: it will). `sourceCount`: how many sources the job has, so
 * `{{church-source-N}}` must name one of them.
 */
export function labArgvProblem(args: readonly string[], sourceCount: number): string | null {
  const lastInput = args.lastIndexOf('-i');
  let inputs = 0;
  let format = false;
  for (let i = 0; i < args.length; ) {
    const a = args[i]!;
    if (a === '-i') {
      const n = sourceIndex(args[i + 1]);
      if (n === null || n >= sourceCount) return `the input ${quoted(args[i + 1] ?? '')}, which is not one of the job's sources`;
      inputs++;
      i += 2;
    } else if (a === OUTPUT_TOKEN) {
      if (i !== args.length - 1) return 'an output that is not the last argument';
      if (!format) return 'an output with no format (-f) chosen by a preset';
      i++;
    } else if (!a.startsWith('-') || a === '-') {
      return `the output ${quoted(a)}, which is not the agent's own output file`;
    } else {
      const next = readOption(args, i, lastInput);
      if (typeof next === 'string') return next;
      if (a === '-f') format = true;
      i = next;
    }
  }
  if (inputs === 0) return 'no input';
  if (args[args.length - 1] !== OUTPUT_TOKEN) return 'no output (the agent\'s own output file comes last)';
  return null;
}

/** The protocols ffmpeg may open for one source the agent resolved: its own mapped file, or the studio's URL. */
function sourceProtocols(source: string): string | null {
  if (source.startsWith('file:')) return 'file';
  if (/^https?:\/\//.test(source)) return 'http,https,tcp,tls';
  return null;
}

/**
 * Why a job's source URL will not be read (null: fine). Only http(s): a file the agent reads comes from its own
 * path mappings (--path-map), never from the message, so a `file:` URL in a job is refused like data: or concat:.
 * Names the scheme only (a URL may carry a signature).
 */
export function sourceUrlProblem(url: string): string | null {
  if (/^https?:\/\//.test(url)) return null;
  const scheme = /^([a-z][\w+.-]{0,20}):/i.exec(url)?.[1];
  return `a source ${scheme ? `with the protocol "${scheme}:"` : 'that is not an http(s) URL'}`;
}

/**
 * The command line the agent runs: the arguments checked, its own sources and output in place of the tokens, and
 * a fixed protocol whitelist before each input, so a source (or a playlist or list it turns out to be) reaches
 * only its own protocol's files: no data:, concat:, subfile:, pipe: or file: beyond the agent's mapped sources.
 */
export function agentArgv(args: readonly string[], sources: readonly string[], output: string): string[] {
  const problem = labArgvProblem(args, sources.length) ?? (sources.some((s) => !sourceProtocols(s)) ? 'a source that is neither a mapped file nor an http(s) URL' : null);
  if (problem) throw new ArgvRefused(refusal(problem));
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-i') {
      const src = sources[sourceIndex(args[++i])!]!;
      out.push('-protocol_whitelist', sourceProtocols(src)!, '-i', src);
    } else {
      out.push(a === OUTPUT_TOKEN ? output : a);
    }
  }
  return out;
}

/** The words of a refusal, for the agent's log and the job's failure. */
export function refusal(problem: string): string {
  // Short: the studio shows at most 300 characters of a lab failure, and the advice must survive.
  return `its ffmpeg arguments are not ones a studio preset builds (${problem}); update this agent if the studio is newer, else someone holding the lab secret sent this job`;
}
