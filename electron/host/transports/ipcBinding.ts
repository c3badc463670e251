import { fail, type Result } from '../../../shared/errors';
import type { Dispatch } from '../dispatch';

/** The part of an Electron IpcMainInvokeEvent this binding reads. */
export interface InvokeEventLike {
  senderFrame: { url: string; parent: unknown } | null;
}

export type IsTrustedUrl = (url: string) => boolean;

/**
 * The handler behind `ipcMain.handle('church:invoke', ...)`, without importing Electron: refuses any frame
 * but the app's own top-level page, then hands the call to the dispatcher. Never throws.
 */
export function createIpcInvokeHandler(dispatch: Dispatch, isTrustedUrl: IsTrustedUrl) {
  return async (event: InvokeEventLike, name: unknown, input: unknown): Promise<Result<unknown>> => {
    const frame = event.senderFrame;
    if (!frame || frame.parent !== null || !isTrustedUrl(frame.url)) {
      return fail('FORBIDDEN', 'calls are accepted only from the studio window itself');
    }
    try {
      return await dispatch(name, input, { actor: 'ui' });
    } catch {
      return fail('INTERNAL', 'the call failed unexpectedly');
    }
  };
}
