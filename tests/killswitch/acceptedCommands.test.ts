import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHost } from '../../electron/host/createHost';
import { ACCEPTED_FILE } from '../../electron/domains/killswitch';
import { restoreLocalSnapshot, snapshotPath, takeSnapshotSync } from '../../electron/domains/backup';
import { tempDir } from '../helpers/tempDir';

// Item 2 at the kill switch itself: what runs is what the owner accepted, recorded outside every snapshot.
const commandPlan = (marker: string) => ({ version: 1 as const, steps: [{ kind: 'command' as const, label: 'mark', enabled: true, timeoutMs: 5000, continueOnFailure: true, argv: ['/usr/bin/touch', marker] }] });
const quiet = { logError: () => undefined, startEngines: false };

describe('accepted commands', () => {
  it('a plan in place before this version is the owner’s: its commands stay accepted and run', async () => {
    const dataDir = tempDir('church-accept-base-');
    const marker = join(dataDir, 'ran');
    writeFileSync(join(dataDir, 'killswitch-plan.json'), JSON.stringify(commandPlan(marker)));
    const host = createHost({ dataDir, ...quiet });
    try {
      expect(host.killSwitch.planInfo().pendingCommands).toBe(0);
      const run = await host.killSwitch.trigger({ dryRun: false, trigger: 'monitor' });
      expect(run.steps[0]!.status).toBe('ok');
      expect(existsSync(marker)).toBe(true);
    } finally {
      await host.close();
    }
  });

  it('a command that lands later is held for every trigger, a monitor rule’s included, until accepted as shown', async () => {
    const dataDir = tempDir('church-accept-later-');
    const marker = join(dataDir, 'ran');
    const host = createHost({ dataDir, ...quiet });
    try {
      writeFileSync(join(dataDir, 'killswitch-plan.json'), JSON.stringify(commandPlan(marker)));
      for (const trigger of ['monitor', 'ui', 'tray'] as const) {
        const run = await host.killSwitch.trigger({ dryRun: false, trigger });
        expect(run.steps[0]).toMatchObject({ status: 'skipped', pendingAcceptance: true });
        expect(run.warning).toMatch(/wait for your acceptance/);
      }
      const dry = await host.killSwitch.trigger({ dryRun: true, trigger: 'ui' });
      expect(dry.steps[0]).toMatchObject({ status: 'skipped', pendingAcceptance: true });
      expect(existsSync(marker)).toBe(false);
      // Accepting what was shown, after the plan changed again, is refused.
      const shown = host.killSwitch.planInfo();
      expect(shown).toMatchObject({ pendingCommands: 1, steps: [{ pendingAcceptance: true }] });
      writeFileSync(join(dataDir, 'killswitch-plan.json'), JSON.stringify(commandPlan(`${marker}-2`)));
      expect(() => host.killSwitch.acceptPlan(shown.commandsFingerprint)).toThrow(/changed since it was shown/);
      // The browser token may not accept at all; the window may.
      const again = host.killSwitch.planInfo();
      expect(await host.dispatch('killswitch.acceptPlan', { fingerprint: again.commandsFingerprint }, { actor: 'web' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(await host.dispatch('killswitch.acceptPlan', { fingerprint: again.commandsFingerprint }, { actor: 'ui' })).toMatchObject({ ok: true, value: { pendingCommands: 0 } });
      const run = await host.killSwitch.trigger({ dryRun: false, trigger: 'monitor' });
      expect(run.steps[0]!.status).toBe('ok');
      expect(existsSync(`${marker}-2`)).toBe(true);
    } finally {
      await host.close();
    }
  });

  it('an unreadable record accepts nothing (never "everything")', async () => {
    const dataDir = tempDir('church-accept-broken-');
    const marker = join(dataDir, 'ran');
    writeFileSync(join(dataDir, 'killswitch-plan.json'), JSON.stringify(commandPlan(marker)));
    writeFileSync(join(dataDir, ACCEPTED_FILE), '{ not json');
    const host = createHost({ dataDir, ...quiet });
    try {
      expect((await host.killSwitch.trigger({ dryRun: false, trigger: 'monitor' })).steps[0]!.status).toBe('skipped');
      expect(existsSync(marker)).toBe(false);
    } finally {
      await host.close();
    }
  });

  it('a local snapshot made elsewhere, carrying its own acceptance record, restores its plan as pending', async () => {
    const elsewhere = tempDir('church-accept-elsewhere-');
    const victim = tempDir('church-accept-victim-');
    const marker = join(victim, 'ran');
    const other = createHost({ dataDir: elsewhere, ...quiet });
    let id: string;
    try {
      writeFileSync(join(elsewhere, 'killswitch-plan.json'), JSON.stringify(commandPlan(marker)));
      other.killSwitch.acceptPlan(other.killSwitch.planInfo().commandsFingerprint);
      id = takeSnapshotSync(other.db, { dataDir: elsewhere, reason: 'manual', keep: 3 }).id;
      // The attacker also slips the record into the snapshot folder: a restore never writes that name.
      cpSync(join(elsewhere, ACCEPTED_FILE), join(snapshotPath(elsewhere, id), ACCEPTED_FILE));
    } finally {
      await other.close();
    }
    await createHost({ dataDir: victim, ...quiet }).close();
    const before = readFileSync(join(victim, ACCEPTED_FILE), 'utf8');
    cpSync(snapshotPath(elsewhere, id), snapshotPath(victim, id), { recursive: true });
    restoreLocalSnapshot(victim, id);
    expect(readFileSync(join(victim, ACCEPTED_FILE), 'utf8')).toBe(before);
    const host = createHost({ dataDir: victim, ...quiet });
    try {
      expect(host.killSwitch.planInfo()).toMatchObject({ pendingCommands: 1 });
      expect((await host.killSwitch.trigger({ dryRun: false, trigger: 'ui' })).steps[0]!.status).toBe('skipped');
      expect(existsSync(marker)).toBe(false);
    } finally {
      await host.close();
    }
  });
});
