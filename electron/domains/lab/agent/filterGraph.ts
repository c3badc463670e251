/**
 * Reads an ffmpeg filter graph (`-vf`, `-filter_complex`) the way libavfilter's graph parser does, to name every
 * filter it would create and the options each gets. Filters that open files (movie, subtitles, sendcmd, lut3d…)
 * are caught by an allow-list of names, so the parser must agree with ffmpeg's on where one filter ends: it
 * follows av_get_token (a backslash escapes the next character, '…' quotes with no escapes inside) and reads
 * link labels ([in]) with no quoting, as ffmpeg does.
 */

export interface ParsedFilter {
  name: string;
  /** The filter's options after the graph level's unquoting ('' when it has none). */
  args: string;
}

export class FilterGraphError extends Error {}

const SPACE = ' \n\t\r';

/** av_get_token: one token up to an unquoted, unescaped character of `stop`; trailing blanks dropped. */
function token(s: string, from: number, stop: string): { text: string; next: number } {
  let i = from;
  while (i < s.length && SPACE.includes(s[i]!)) i++;
  let out = '';
  let end = 0;
  while (i < s.length && !stop.includes(s[i]!)) {
    const c = s[i++]!;
    if (c === '\\') {
      if (i < s.length) out += s[i++]!;
      end = out.length;
    } else if (c === "'") {
      while (i < s.length && s[i] !== "'") out += s[i++]!;
      if (i >= s.length) throw new FilterGraphError('an unclosed quote');
      i++;
      end = out.length;
    } else {
      out += c;
      if (!SPACE.includes(c)) end = out.length;
    }
  }
  return { text: out.slice(0, end), next: i };
}

/** Link labels at `from` ([0:v:0][ov]); a label is read to its ']' with no quoting, as ffmpeg reads it. */
function labels(s: string, from: number): number {
  let i = from;
  for (;;) {
    while (i < s.length && SPACE.includes(s[i]!)) i++;
    if (s[i] !== '[') return i;
    const close = s.indexOf(']', i);
    if (close < 0) throw new FilterGraphError('an unclosed link label');
    const label = s.slice(i + 1, close);
    if (!/^[\w:.]+$/.test(label)) throw new FilterGraphError(`the link label [${label}]`);
    i = close + 1;
  }
}

/** Every filter of the graph, in order; throws FilterGraphError on anything the parser does not expect. */
export function parseFilterGraph(graph: string): ParsedFilter[] {
  const filters: ParsedFilter[] = [];
  let i = 0;
  for (;;) {
    i = labels(graph, i);
    const name = token(graph, i, '=,;[');
    i = name.next;
    let args = '';
    if (graph[i] === '=') {
      const a = token(graph, i + 1, '[],;');
      args = a.text;
      i = a.next;
    }
    filters.push({ name: name.text, args });
    i = labels(graph, i);
    if (i >= graph.length) return filters;
    if (graph[i] !== ',' && graph[i] !== ';') throw new FilterGraphError(`"${graph.slice(i, i + 20)}" after the filter ${name.text}`);
    i++;
  }
}

/**
 * A filter's options, split as libavfilter splits them (':' between options, '=' inside one; a backslash or '…'
 * protects). ffmpeg 7 reads an option's value from a file when its name starts with '/', so callers refuse that.
 */
export function filterOptions(args: string): string[] {
  const parts: string[] = [];
  let i = 0;
  while (i <= args.length) {
    const t = token(args, i, ':');
    parts.push(t.text);
    i = t.next + 1;
  }
  return parts;
}
