const SECRET_KEY = /(secret|password|passwd|token|api[_-]?key|authorization|cookie|^key$)/i;
// Stripe keys (sk_/rk_/whsec_) and bearer tokens are redacted wherever they appear in a string.
const SECRET_VALUE = /\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]+|\bwhsec_[A-Za-z0-9]+|\bBearer\s+[A-Za-z0-9._~+/-]+=*/g;

/**
 * The password part of a URL's user info (`rest:https://user:pass@host/`, `redis://u:p@h`), wherever a URL sits
 * in a string: an owner may write credentials into a restic repository, and it is shown, logged and audited.
 * Up to the last `@` of the word: a password with a raw `@` or `/` in it is still covered (over-redacting a
 * path that holds an `@` is the safe mistake).
 */
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s/?#@:"'<>]*):[^\s"'<>]*@/gi;

/** `text` with every URL's password replaced by `***` (the user name stays: it says which account). */
export function redactUrlCredentials(text: string): string {
  return text.replace(URL_PASSWORD, '$1:***@');
}

/** Returns a copy safe to log: secret-looking keys replaced, secret-looking substrings masked. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[deep]';
  if (typeof value === 'string') return redactUrlCredentials(value).replace(SECRET_VALUE, (m) => `${m.slice(0, 8)}…[redacted]`);
  if (Array.isArray(value)) return value.slice(0, 100).map((v) => redact(v, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? '[redacted]' : redact(v, depth + 1);
    return out;
  }
  return value;
}
