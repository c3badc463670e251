import { LIMITS } from '../../../shared/contract';
import { fail, type Result } from '../../../shared/errors';

/** client → server: one call. */
export interface CallMessage {
  id: string | number;
  name: unknown;
  input: unknown;
}

/** server → client: the framing every client reads (shared/contract/clientWire.ts). */
export type { ServerMessage } from '../../../shared/contract/clientWire';

export type ParsedCall = { ok: true; call: CallMessage } | { ok: false; id: string | number | null; result: Result<never> };

/** Turns raw bytes from a socket into a call, or a typed error to send back; never throws. */
export function parseCallMessage(raw: Buffer | string): ParsedCall {
  const size = typeof raw === 'string' ? Buffer.byteLength(raw) : raw.length;
  if (size > LIMITS.maxMessageBytes) {
    return { ok: false, id: null, result: fail('TOO_LARGE', `message of ${size} bytes refused; the limit is ${LIMITS.maxMessageBytes}`) };
  }
  let msg: unknown;
  try {
    msg = JSON.parse(typeof raw === 'string' ? raw : raw.toString('utf8'));
  } catch {
    return { ok: false, id: null, result: fail('BAD_MESSAGE', 'message is not valid JSON') };
  }
  if (!msg || typeof msg !== 'object' || Array.isArray(msg)) {
    return { ok: false, id: null, result: fail('BAD_MESSAGE', 'message must be a JSON object {id, name, input}') };
  }
  const m = msg as Record<string, unknown>;
  const id = typeof m.id === 'string' || typeof m.id === 'number' ? m.id : null;
  if (id === null) return { ok: false, id: null, result: fail('BAD_MESSAGE', 'message needs an id (string or number)') };
  return { ok: true, call: { id, name: m.name, input: m.input } };
}
