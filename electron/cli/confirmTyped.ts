import { createInterface } from 'node:readline/promises';
import type { CliContext } from './command';

/**
 * Asks on the terminal for a word typed out in full before something that cannot be undone. Without a terminal
 * the answer is no: a script must say --yes rather than be answered by whatever is piped in.
 */
export async function confirmTyped(ctx: CliContext, question: string, word: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: ctx.stderr });
  try {
    const answer = await rl.question(`${question} Type ${word} to go on: `);
    return answer.trim() === word;
  } finally {
    rl.close();
  }
}
