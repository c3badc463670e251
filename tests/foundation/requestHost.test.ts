import { afterAll, describe, expect, it } from 'vitest';
import { requests } from '../../shared/contract';
import { systemRequests } from '../../shared/contract/system';
import { mcpRequests } from '../../shared/contract/mcp';
import { secretsRequests } from '../../shared/contract/secrets';
import { auditRequests } from '../../shared/contract/audit';
import { recoveryRequests } from '../../shared/contract/recovery';
import { killswitchRequests } from '../../shared/contract/killswitch';
import { libraryRequests } from '../../shared/contract/library';
import { jobsRequests } from '../../shared/contract/jobs';
import { monitorRequests } from '../../shared/contract/monitor';
import { stripeRequests } from '../../shared/contract/stripe';
import { avatarRequests } from '../../shared/contract/avatar';
import { backupRequests } from '../../shared/contract/backup';
import { labRequests } from '../../shared/contract/lab';
import { groupOf, openRequestHost } from '../../electron/host/requestHost';
import { testHost } from '../helpers/host';
import { tempDir } from '../helpers/tempDir';

const FILES: Record<string, Record<string, unknown>> = {
  system: systemRequests,
  mcp: mcpRequests,
  secrets: secretsRequests,
  audit: auditRequests,
  recovery: recoveryRequests,
  killswitch: killswitchRequests,
  library: libraryRequests,
  jobs: jobsRequests,
  monitor: monitorRequests,
  stripe: stripeRequests,
  avatar: avatarRequests,
  backup: backupRequests,
  lab: labRequests,
};

describe('the request host of a one-shot command', () => {
  const full = testHost({ startEngines: false });
  const dir = tempDir();
  const host = openRequestHost({ dataDir: dir, startEngines: false, logError: () => undefined });
  afterAll(() => host.close());
  const cli = { actor: 'cli' as const };

  it('routes every request of the contract to the contract file that declares it', () => {
    const names = Object.keys(requests);
    expect(names.length).toBeGreaterThan(100);
    for (const name of names) {
      const group = groupOf(name);
      expect(group, name).toBeDefined();
      expect(Object.keys(FILES[group as string] ?? {}), name).toContain(name);
    }
    // And the files hold nothing else: no request is reachable one way and not the other.
    expect(Object.values(FILES).reduce((n, f) => n + Object.keys(f).length, 0)).toBe(names.length);
  });

  it('loads a contract file’s schemas and handlers on its first request, and nothing else', async () => {
    const page = await host.dispatch('library.search', {}, cli);
    expect(page).toMatchObject({ ok: true, value: { items: [] } });
    expect(host.loadedGroups()).toEqual(['library']);
    // One request of each contract file: the group loads, and its handlers are the full host's names.
    for (const [group, defs] of Object.entries(FILES)) {
      const name = Object.keys(defs)[0] as string;
      const r = await host.dispatch(name, { __probe: true }, { actor: 'system' });
      expect(r, name).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(host.loadedGroups(), name).toContain(group);
    }
    expect(new Set(host.loadedGroups()).size).toBe(host.loadedGroups().length);
    expect(Object.keys(full.handlers).sort()).toEqual(Object.keys(requests).sort());
  });

  it('keeps the dispatcher’s rules: unknown names, the capability check before validation, invalid input, the audit of changes', async () => {
    for (const name of ['nope.nothing', '__proto__', 'library.__proto__', 'constructor', 'system.ping ']) {
      expect(await host.dispatch(name, {}, cli), name).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    }
    expect(await host.dispatch('audit.setFileSettings', { junk: 1 }, { actor: 'mcp' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await host.dispatch('system.ping', { echo: 7 }, cli)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const set = await host.dispatch('preferences.set', { theme: 'dark' }, cli);
    expect(set.ok).toBe(true);
    const recent = await host.dispatch('audit.recent', { limit: 5 }, cli);
    expect(recent).toMatchObject({ ok: true });
    expect(JSON.stringify(recent)).toContain('preferences.set');
  });
});
