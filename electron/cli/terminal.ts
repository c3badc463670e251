/**
 * Whether a stream gets a terminal's extras: colours, progress redrawn in place, a cleared screen. Not on a pipe
 * or a file (a log keeps one line per update), not with NO_COLOR set to anything (no-color.org), not on a dumb
 * terminal.
 */
export function isLiveTerminal(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && !env.NO_COLOR && env.TERM !== 'dumb';
}
