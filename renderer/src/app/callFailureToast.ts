import type { RequestName } from '../../../shared/contract';
import type { AppError } from '../../../shared/errors';
import { personMessage } from '../lib/personWords';
import { hintFor, useToasts } from '../lib/stores/toasts';

/** A failed call as a toast with main's readable message (lib/api.ts reports failures through this). */
export function toastCallFailure(name: RequestName, error: AppError): void {
  // A validation error is told in the UI's words; the code (and main's message, in the error) stay as they are.
  const person = error.code === 'INVALID_INPUT' ? personMessage(name, error.details) : null;
  useToasts.getState().push({ level: 'error', message: person ?? error.message, code: error.code, hint: person ? undefined : hintFor(error.code) });
}
