import { isRequestName, requests } from '../../shared/contract';
import type { RestoreOutcome } from '../../shared/dto/backup';
import type { RecoveryChoice, RecoveryState, StartFailure } from '../../shared/dto/recovery';
import { ChurchError, fail, ok, type AppError, type Result } from '../../shared/errors';
import { describeStartFailure, newestVerifiedSnapshot, performRecovery, restoreLocalSnapshot } from '../domains/backup';
import type { MediaResolver } from '../platform/mediaserve';
import { createHost, type Host, type HostOptions } from './createHost';
import { refuseCaller, type Dispatch } from './dispatch';
import { EventHub } from './EventHub';
import type { Actor, CallContext } from './handlers/types';
import { READY } from './handlers/recovery';

export type { RecoveryChoice };

/** What a front end shows when the host cannot be composed; tests answer as the owner would. */
export interface StartFailureUi {
  /** Shows the failure and resolves with the owner's choice, one of `failure.choices`. */
  choose(failure: StartFailure): Promise<RecoveryChoice>;
  /** Tells what the recovery itself could not do, before the choices are shown again. */
  recoveryFailed(message: string): Promise<void>;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * The studio as every transport sees it (the window's IPC, `church serve`): the host once it runs, and before
 * that (a broken database) the recovery screen's two calls. The owner's choice is carried out here, and so is
 * a restore from Settings → Backups: close the host, restore, compose it again — the studio continues
 * without a restart, its transports untouched. Every other call waits for a running host.
 */
export class RecoverableStudio {
  /** The transports subscribe here once; the current host's events are forwarded, across re-creations. */
  readonly events = new EventHub();
  private host: Host | null = null;
  private offHost: (() => void) | null = null;
  private status: RecoveryState = READY;

  constructor(
    private readonly opts: HostOptions,
    private readonly hooks: {
      /** The owner chose Quit on the recovery screen. */
      onQuit?(): void;
      /** What stopped the start, for the log; default opts.logError (serve says it itself, in one line). */
      onStartFailure?(e: unknown): void;
    } = {},
  ) {}

  /** Composes the host, or keeps what stopped it for the recovery screen. */
  start(): RecoveryState {
    this.open(null);
    return this.state();
  }

  current(): Host | null {
    return this.host;
  }

  state(): RecoveryState {
    return this.status;
  }

  private setState(next: RecoveryState): void {
    this.status = next;
    this.events.emit('recovery.progress', next);
  }

  private open(keptAside: string | null): boolean {
    try {
      this.attach(createHost(this.opts));
      this.setState({ ...READY, keptAside });
      return true;
    } catch (e) {
      if (this.hooks.onStartFailure) this.hooks.onStartFailure(e);
      else (this.opts.logError ?? console.error)('the studio could not start', e);
      this.setState({ state: 'recovery', failure: describeStartFailure(e, this.opts.dataDir, newestVerifiedSnapshot(this.opts.dataDir)), step: null, error: null, keptAside });
      return false;
    }
  }

  private attach(host: Host | null): void {
    this.offHost?.();
    this.offHost = null;
    this.host = host;
    if (host) this.offHost = host.events.subscribe((name, payload) => this.events.emit(name, payload as never));
  }

  private async closeHost(): Promise<void> {
    const host = this.host;
    this.attach(null);
    await host?.close();
  }

  /**
   * Carries out the owner's choice on the recovery screen. A recovery that fails (a damaged snapshot, a full
   * disk) leaves the choices offered again with what went wrong.
   */
  async choose(choice: RecoveryChoice, actor: Actor = 'ui'): Promise<RecoveryState> {
    const failure = this.status.failure;
    if (this.status.state !== 'recovery' || !failure) throw new ChurchError('CONFLICT', this.status.state === 'working' ? 'a recovery is already under way; wait for it to finish' : 'the studio started normally; there is nothing to recover');
    if (!failure.choices.includes(choice)) throw new ChurchError('INVALID_INPUT', `"${choice}" is not offered here; choose one of: ${failure.choices.join(', ')}`);
    if (choice === 'quit') {
      this.setState({ ...this.status, state: 'quit' });
      this.hooks.onQuit?.();
      return this.status;
    }
    this.setState({ state: 'working', failure, step: choice === 'restore-newest' ? 'Restoring the newest verified snapshot…' : 'Keeping the database aside…', error: null, keptAside: null });
    let keptAside: string | null;
    try {
      keptAside = performRecovery(choice, this.opts.dataDir, failure.newest).keptAside;
    } catch (e) {
      this.setState({ state: 'recovery', failure, step: null, error: message(e), keptAside: null });
      return this.status;
    }
    this.setState({ ...this.status, step: 'Starting the studio…' });
    this.open(keptAside);
    // The recovery happened before any audit log could be opened: the restored (or new) one records it.
    try {
      this.host?.audit.write({ actor, action: 'recovery.choose', input: { choice }, ok: true, errorCode: null, durationMs: 0 });
    } catch {
      // not worth failing a recovery over
    }
    return this.status;
  }

  /**
   * Settings → Backups → Restore: applied now. A restic snapshot is fetched first (the running host knows the
   * repository and its password); then the host closes, the current database goes to kept-aside/ and the
   * snapshot takes its place, and the host is composed again. A snapshot that cannot be restored leaves the
   * database where it was and the studio reopened on it.
   */
  async restoreNow(id: string, oneCall: { resticRepository?: string; resticPassword?: string } = {}): Promise<RestoreOutcome> {
    const host = this.host;
    if (!host || this.status.state !== 'ready') throw new ChurchError('CONFLICT', 'the studio is not running; use the recovery screen');
    const localId = await host.backup.prepareRestore(id, oneCall);
    // A second restore asked while this one fetched from restic finds the studio busy, not a host to close twice.
    if (this.host !== host || this.status.state !== 'ready') throw new ChurchError('CONFLICT', 'another restore is under way; wait for it to finish');
    this.setState({ state: 'working', failure: null, step: `Closing the studio to restore snapshot ${localId}…`, error: null, keptAside: null });
    await this.closeHost();
    let outcome: RestoreOutcome | null = null;
    let error: unknown = null;
    try {
      this.setState({ ...this.status, step: `Restoring snapshot ${localId}…` });
      outcome = restoreLocalSnapshot(this.opts.dataDir, localId);
    } catch (e) {
      error = e;
    }
    this.setState({ ...this.status, step: 'Starting the studio…' });
    this.open(outcome?.keptAside ?? null);
    if (error) throw error;
    return outcome!;
  }

  /**
   * Settings → Lab → Apply now: the host closes (running jobs stop and are left to be queued again, as at a
   * restart) and is composed again, which resolves the lab from the saved settings. The transports stay.
   */
  async applyLabNow(): Promise<void> {
    if (!this.host || this.status.state !== 'ready') throw new ChurchError('CONFLICT', 'the studio is busy (a restore or a recovery is under way); apply the Lab settings once it runs again');
    this.setState({ state: 'working', failure: null, step: 'Applying the Lab settings: stopping the studio\'s services…', error: null, keptAside: null });
    await this.closeHost();
    this.setState({ ...this.status, step: 'Starting the studio on the new Lab settings…' });
    this.open(null);
  }

  /** A call the studio carries out itself (it replaces the host), audited as the host audits its own. */
  private async audited<T>(name: string, input: unknown, ctx: CallContext, run: () => Promise<T>, failure: (e: unknown) => AppError): Promise<Result<T>> {
    const started = performance.now();
    const audit = (okay: boolean, errorCode: AppError['code'] | null) => {
      try {
        this.host?.audit.write({ actor: ctx.actor, action: name, input, ok: okay, errorCode, durationMs: performance.now() - started });
      } catch (e) {
        (this.opts.logError ?? console.error)(`audit write failed for ${name}`, e);
      }
    };
    try {
      const value = await run();
      audit(true, null);
      return ok(value);
    } catch (e) {
      const error = e instanceof ChurchError ? e.toAppError() : failure(e);
      audit(false, error.code);
      return { ok: false, error };
    }
  }

  readonly dispatch: Dispatch = async (name, input, ctx: CallContext): Promise<Result<unknown>> => {
    // The calls this class answers itself pass the same capability check as the host's dispatcher.
    const refused = isRequestName(name) ? refuseCaller(name, requests[name], ctx.actor) : null;
    if (refused) return refused;
    if (name === 'recovery.status') return ok(this.status);
    if (name === 'recovery.choose' && !this.host) {
      const parsed = requests['recovery.choose'].input.safeParse(input ?? {});
      if (!parsed.success) return fail('INVALID_INPUT', `invalid input for recovery.choose: ${parsed.error.issues[0]?.message ?? 'rejected'}`);
      return this.choose(parsed.data.choice, ctx.actor).then(ok, (e: unknown) => (e instanceof ChurchError ? { ok: false as const, error: e.toAppError() } : fail('INTERNAL', message(e))));
    }
    if (name === 'backup.restore' && this.host && this.status.state === 'ready') {
      const parsed = requests['backup.restore'].input.safeParse(input ?? {});
      if (!parsed.success) return this.host.dispatch(name, input, ctx); // the host's dispatcher words the error
      const { id, ...oneCall } = parsed.data;
      return this.audited(name, parsed.data, ctx, () => this.restoreNow(id, oneCall), (e) => ({ code: 'EXTERNAL', message: `the restore failed (${message(e)}); the current database is unchanged` }));
    }
    if (name === 'lab.apply' && this.host && this.status.state === 'ready') {
      const parsed = requests['lab.apply'].input.safeParse(input ?? {});
      if (!parsed.success) return this.host.dispatch(name, input, ctx);
      const host = this.host;
      return this.audited(name, parsed.data, ctx, async () => {
        // Checked before anything closes: a lab that cannot be reached is refused and the running jobs go on.
        await host.lab.checkSaved();
        await this.applyLabNow();
        if (!this.host) throw new ChurchError('EXTERNAL', 'the studio could not start again on the new Lab settings; see the recovery screen');
        const view = await this.host.dispatch('lab.getSettings', {}, ctx);
        if (!view.ok) throw new ChurchError(view.error.code, view.error.message);
        return view.value;
      }, (e) => ({ code: 'EXTERNAL', message: `the Lab settings could not be applied (${message(e)}); restart the studio to apply them` }));
    }
    if (!this.host) {
      return fail('UNAVAILABLE', this.status.state === 'working' ? `the studio is busy: ${this.status.step ?? 'recovering'}; try again in a moment` : 'the studio has not started: its database needs a decision on the recovery screen');
    }
    return this.host.dispatch(name, input, ctx);
  };

  readonly resolveMedia: MediaResolver = (ref) => this.host?.resolveMedia(ref) ?? null;

  async close(): Promise<void> {
    await this.closeHost();
  }
}

/**
 * Composes the host; when that fails, shows what broke and what to do (through `ui`) instead of failing
 * silently. Resolves with the host, or null when the owner quits (createHost has already released
 * primary.lock and closed what it opened).
 */
export async function startOrRecover(opts: HostOptions, ui: StartFailureUi): Promise<Host | null> {
  const studio = new RecoverableStudio(opts);
  let state = studio.start();
  for (let attempt = 0; attempt < 5 && state.state === 'recovery' && state.failure; attempt++) {
    const choice = await ui.choose(state.failure);
    if (choice === 'quit' || !state.failure.choices.includes(choice)) return null;
    state = await studio.choose(choice);
    if (state.error) await ui.recoveryFailed(state.error);
  }
  return studio.current();
}
