import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/platform/db';
import { EnvironmentSecretStore, SecretBindings } from '../../electron/platform/secrets';
import { SettingsStore } from '../../electron/platform/settings';
import { tempDir } from '../helpers/tempDir';

function bindings(env: NodeJS.ProcessEnv = {}) {
  const db = openDatabase(join(tempDir('church-bindings-'), 'studio.sqlite'));
  const secrets = new EnvironmentSecretStore(env, { 'smtp-password': 'CHURCH_SMTP_PASSWORD' });
  return { b: new SecretBindings(secrets, new SettingsStore(db)), secrets };
}

describe('SecretBindings: a secret kept for the destination it was entered for', () => {
  it('entered with no destination yet, it binds to the first one; a move elsewhere clears it; moving back does not restore it', () => {
    const { b } = bindings();
    b.store('smtp-password', '', 'pw');
    expect(b.follow('smtp-password', '', 'smtp://a:587')).toBe(false);
    expect(b.read('smtp-password', 'smtp://a:587')).toEqual({ value: 'pw', state: 'set' });
    expect(b.follow('smtp-password', 'smtp://a:587', 'smtp://evil:587')).toBe(true);
    expect(b.read('smtp-password', 'smtp://evil:587')).toEqual({ value: null, state: 'moved' });
    expect(b.read('smtp-password', 'smtp://a:587')).toEqual({ value: null, state: 'unset' });
    b.store('smtp-password', 'smtp://evil:587', 'pw2'); // entered again by the owner for the new server
    expect(b.read('smtp-password', 'smtp://evil:587')).toEqual({ value: 'pw2', state: 'set' });
  });

  it('with nothing stored, moves record nothing (a later password is not "moved")', () => {
    const { b } = bindings();
    expect(b.follow('smtp-password', '', 'smtp://a:587')).toBe(false);
    expect(b.follow('smtp-password', 'smtp://a:587', 'smtp://b:587')).toBe(false);
    expect(b.read('smtp-password', 'smtp://b:587')).toEqual({ value: null, state: 'unset' });
  });

  it('a value from the environment is adopted where it is first read, and refused after a move even though the variable stays', () => {
    const { b } = bindings({ CHURCH_SMTP_PASSWORD: 'env-pw' });
    expect(b.read('smtp-password', 'smtp://a:587')).toEqual({ value: 'env-pw', state: 'set' });
    b.follow('smtp-password', 'smtp://a:587', 'smtp://evil:587');
    expect(b.read('smtp-password', 'smtp://evil:587').state).toBe('moved');
    // Moving to "no server" keeps the binding where it was.
    expect(b.follow('smtp-password', 'smtp://evil:587', '')).toBe(false);
    expect(b.read('smtp-password', 'smtp://evil:587').state).toBe('moved');
  });
});
