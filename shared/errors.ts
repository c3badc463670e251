/**
 * Typed error codes that cross the boundary. The UI maps a code to a toast; the message is already
 * written for a person ("what happened, what to do"), never a stack trace.
 */
export const ERROR_CODES = [
  'BAD_MESSAGE', // not a well-formed request envelope (not JSON, no name, wrong types)
  'UNKNOWN_CHANNEL', // no request of that name in the contract
  'INVALID_INPUT', // envelope fine, input fails the request's schema
  'TOO_LARGE', // message larger than the transport accepts
  'FORBIDDEN', // sender not allowed (foreign frame, bad token, path outside the library)
  'NOT_FOUND',
  'CONFLICT',
  'UNAVAILABLE', // a dependency is missing (ffmpeg not found, no Stripe key, sensor absent)
  'RATE_LIMITED',
  'CANCELLED',
  'TIMEOUT',
  'EXTERNAL', // a child process or remote service failed
  'INTERNAL', // a bug: logged in main, reported to the UI without internals
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface AppError {
  code: ErrorCode;
  message: string;
  /** Optional structured detail that is safe to show (field paths of a validation error, etc.). */
  details?: unknown;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

/** Thrown by services; converted to `{ok:false}` by the dispatcher so nothing leaks a stack. */
export class ChurchError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'ChurchError';
    this.code = code;
    this.details = details;
  }
  toAppError(): AppError {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function isChurchError(e: unknown): e is ChurchError {
  return e instanceof ChurchError;
}

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(code: ErrorCode, message: string, details?: unknown): Result<never> {
  return details === undefined ? { ok: false, error: { code, message } } : { ok: false, error: { code, message, details } };
}
