/**
 * A reader that stops early (`church jobs --json | head`) closes the pipe, and the next write fails with EPIPE.
 * Node ignores SIGPIPE, so unhandled that ends in a stack trace; the command ends quietly instead, exit 0, as git's
 * output does when its pager quits. A closed stderr only loses the progress lines: the command goes on.
 */
export function endQuietlyOnClosedPipe(stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream, exit: (code: number) => void = (code) => process.exit(code)): void {
  stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') return exit(0);
    try {
      stderr.write(`church: the output could not be written (${e.code ?? e.message})\n`);
    } finally {
      exit(1);
    }
  });
  stderr.on('error', () => undefined);
}
