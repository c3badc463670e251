import { readFileSync } from 'node:fs';
import { ChurchError } from '../../../shared/errors';
import type { CliContext, ParsedArgs, StudioClient } from '../command';
import { CONFIG_SECRETS, secretNamed, unknownSecret, type ConfigSecret } from './configSecrets';

/** One trailing line end off (what `echo` and an editor add); the rest of the secret is kept as typed. */
const withoutLineEnd = (s: string): string => s.replace(/\r?\n$/, '');

/** A secret typed at the terminal, not shown. */
function promptHidden(ctx: CliContext, label: string): Promise<string> {
  const input = process.stdin;
  ctx.stderr.write(`${label} (not shown; Enter when done): `);
  input.setRawMode(true);
  input.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = () => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      ctx.stderr.write('\n');
    };
    const onData = (b: Buffer) => {
      for (const ch of b.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish(), resolve(value);
        if (ch === '\u0003' || ch === '\u0004') return finish(), reject(new ChurchError('CANCELLED', 'cancelled; nothing was stored'));
        value = ch === '\u007f' || ch === '\b' ? value.slice(0, -1) : value + ch;
      }
    };
    input.on('data', onData);
  });
}

async function readSecretValue(ctx: CliContext, args: ParsedArgs, secret: ConfigSecret): Promise<string> {
  const from = args.values['from-file'];
  if (typeof from === 'string') {
    try {
      return withoutLineEnd(readFileSync(from, 'utf8'));
    } catch (e) {
      throw new ChurchError('NOT_FOUND', `${from} could not be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  if (process.stdin.isTTY) return promptHidden(ctx, secret.label);
  return withoutLineEnd(readFileSync(0, 'utf8'));
}

/**
 * Without a studio running, the CLI's own services keep secrets in memory only (a studio without a window reads
 * them from its environment), so storing one here would be lost at once: say where it goes instead.
 */
function refuseWithoutStudio(client: StudioClient, secret: ConfigSecret): void {
  if (client.remote) return;
  throw new ChurchError(
    'UNAVAILABLE',
    `no studio is running on this data dir, and one without a window takes the ${secret.label} from its environment: set ${secret.envVar} where "church serve" runs (its systemd unit's EnvironmentFile, for one), or start the studio and run this again`,
  );
}

async function storeNote(client: StudioClient, secret: ConfigSecret): Promise<string> {
  const info = await client.call('secrets.storeInfo', {});
  return info.kind === 'environment' ? `; the running studio keeps it until it stops: to keep it across restarts set ${secret.envVar} in its environment` : '';
}

/** `church config set-secret NAME [--from-file FILE]`: standard input, a hidden prompt or a file; never an argument. */
export async function setSecret(ctx: CliContext, args: ParsedArgs): Promise<number> {
  const [name, ...extra] = args.positionals.slice(1);
  if (!name) throw new ChurchError('INVALID_INPUT', `name the secret: church config set-secret NAME (${CONFIG_SECRETS.map((s) => s.name).join(', ')})`);
  if (extra.length) throw new ChurchError('INVALID_INPUT', 'a secret is never taken as an argument (it would stay in your shell history and in ps): pipe it in, type it at the prompt, or use --from-file FILE');
  const secret = secretNamed(name);
  if (!secret) throw unknownSecret(name);
  const client = await ctx.client();
  refuseWithoutStudio(client, secret);
  const value = await readSecretValue(ctx, args, secret);
  if (!value) throw new ChurchError('INVALID_INPUT', `no ${secret.label} was given (standard input was empty); to remove it: church config unset ${name}`);
  await secret.store(client, value);
  const note = await storeNote(client, secret);
  ctx.print({ secret: name, state: 'set', attached: client.remote }, () => `✓ ${secret.label} stored${note}`);
  return 0;
}

export async function unsetSecret(ctx: CliContext, secret: ConfigSecret): Promise<number> {
  const client = await ctx.client();
  refuseWithoutStudio(client, secret);
  await secret.store(client, null);
  ctx.print({ secret: secret.name, state: 'unset', attached: client.remote }, () => `✓ ${secret.label} removed`);
  return 0;
}
