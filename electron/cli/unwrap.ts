import { ChurchError, type Result } from '../../shared/errors';

export function unwrap<T>(r: Result<T>): T {
  if (r.ok) return r.value;
  throw new ChurchError(r.error.code, r.error.message, r.error.details);
}
