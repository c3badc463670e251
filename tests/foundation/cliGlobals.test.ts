import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { describe, expect, it } from 'vitest';
import { killPlanSchema } from '../../shared/contract/killswitch';
import type { DoctorReport } from '../../shared/dto/system';
import { commandTable, loadCommand } from '../../electron/cli/commands';
import { splitArgs } from '../../electron/cli/globalArgs';
import { CHURCH_BIN, church } from '../helpers/cli';
import { tempDir } from '../helpers/tempDir';
import { makeStandins } from '../helpers/killSwitchStandins';

describe('church global options, before or after the command', () => {
  it('doctor takes --data-dir and --json on either side of the command', async () => {
    for (const args of [
      ['--data-dir', tempDir(), '--json', 'doctor'],
      ['doctor', '--json', '--data-dir', tempDir()],
    ]) {
      const dir = args[args.indexOf('--data-dir') + 1];
      const r = await church(args);
      expect(r.code, r.stderr).toBe(0);
      expect((JSON.parse(r.stdout) as DoctorReport).dataDir).toBe(dir);
    }
    const eq = tempDir();
    const r = await church([`--data-dir=${eq}`, 'doctor', '--json']);
    expect((JSON.parse(r.stdout) as DoctorReport).dataDir).toBe(eq);
  });

  it('kill --yes runs the plan with the data dir given first or last', async () => {
    const planFile = join(tempDir(), 'plan.json');
    writeFileSync(planFile, JSON.stringify(killPlanSchema.parse({ version: 1, steps: [{ kind: 'network-down', interfaces: ['lab0'] }] })));
    for (const args of [
      ['--data-dir', tempDir(), 'kill', '--yes', '--plan', planFile],
      ['kill', '--yes', '--plan', planFile, '--data-dir', tempDir()],
    ]) {
      const standins = makeStandins();
      const r = await church(args, { env: standins.env() });
      expect(r.code, r.stderr).toBe(0);
      expect(standins.calls()).toEqual([['ip', 'link', 'set', 'dev', 'lab0', 'down']]);
    }
  });

  it('an MCP client configured as ["--data-dir", DIR, "mcp"] connects and lists the tools', async () => {
    const transport = new StdioClientTransport({ command: process.execPath, args: [CHURCH_BIN, '--data-dir', tempDir(), 'mcp'], env: process.env as Record<string, string>, stderr: 'pipe' });
    const client = new Client({ name: 'church-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      expect(tools.length).toBeGreaterThan(0);
    } finally {
      await client.close();
    }
  });

  it('a command option before the command is a usage error that says where it goes', async () => {
    const r = await church(['--limit', '5', 'audit', '--data-dir', tempDir()]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('--limit is not a global option: put it after the command name');
    const json = await church(['--json', '--bogus', 'doctor']);
    expect(json.code).toBe(2);
    expect((JSON.parse(json.stderr) as { error: { code: string } }).error.code).toBe('INVALID_INPUT');
  });

  it('splits arguments: globals first or last, `--` ends the options', () => {
    expect(splitArgs(['--data-dir', 'X', '--json', 'list', '--sort', 'title'])).toEqual({ name: 'list', rest: ['--sort', 'title', '--data-dir', 'X', '--json'], help: false, json: true });
    expect(splitArgs(['list', '--', '--json'])).toMatchObject({ name: 'list', json: false, rest: ['--', '--json'] });
    expect(splitArgs(['-h'])).toMatchObject({ name: undefined, help: true });
    expect(() => splitArgs(['--data-dir'])).toThrow('--data-dir needs a value');
  });

  it("the help table's summaries are the commands' own, and every row loads its command", async () => {
    for (const entry of commandTable) {
      const command = await loadCommand(entry);
      expect(command.summary, entry.name).toBe(entry.summary);
    }
  });
});
