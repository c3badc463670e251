import { describe, expect, it } from 'vitest';
import { main } from '../../electron/cli/main';
import { commandTable } from '../../electron/cli/commands';
import { EXAMPLES } from '../../electron/cli/commands/examples';

/** A stream that keeps what is written (main writes help with write() only). */
function collector(): { stream: NodeJS.WriteStream; text(): string } {
  let out = '';
  const stream = { write: (chunk: string) => ((out += chunk), true), isTTY: false } as unknown as NodeJS.WriteStream;
  return { stream, text: () => out };
}

describe("every command's --help ends with two or three examples", () => {
  it('each command in the table has them, each a line the owner could type', () => {
    for (const { name } of commandTable) {
      const list = EXAMPLES[name];
      expect(list, name).toBeDefined();
      expect(list!.length, name).toBeGreaterThanOrEqual(2);
      expect(list!.length, name).toBeLessThanOrEqual(3);
      for (const e of list!) expect(e, name).toMatch(/church /);
    }
    expect(Object.keys(EXAMPLES).sort()).toEqual(commandTable.map((c) => c.name).sort());
  });

  it('church X --help prints usage, summary and then the examples, last', async () => {
    for (const { name } of commandTable) {
      const out = collector();
      const code = await main([name, '--help'], { stdout: out.stream, stderr: collector().stream });
      expect(code, name).toBe(0);
      const text = out.text().trimEnd();
      const tail = EXAMPLES[name]!.map((e) => `  ${e}`).join('\n');
      expect(text.endsWith(`Examples:\n${tail}`), `${name}:\n${text}`).toBe(true);
    }
  }, 60_000);
});
