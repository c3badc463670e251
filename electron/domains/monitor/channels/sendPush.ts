/** One HTTP request a push channel makes; built by a pure builder, sent by sendPush. */
export interface PushRequest {
  /** Where it goes, with any token left out (it travels in a header). */
  url: string;
  method: 'POST' | 'PUT';
  headers: Record<string, string>;
  body: string;
}

export interface PushResult {
  sent: boolean;
  /** "ntfy to https://ntfy.lan/alerts (200 OK)" or what went wrong and what to do, in one line. */
  message: string;
}

const MAX_ANSWER = 300;

/** The server's own words from an error answer: ntfy's and Gotify's JSON `error`/`errorDescription`, else the text. */
function serverWords(text: string): string {
  try {
    const j = JSON.parse(text) as { error?: unknown; errorDescription?: unknown };
    const parts = [j.error, j.errorDescription].filter((x) => typeof x === 'string' && x !== '');
    if (parts.length) return parts.join(': ');
  } catch {
    // not JSON: the first line of the text
  }
  return text.split('\n')[0]!.trim().slice(0, MAX_ANSWER);
}

function networkProblem(e: unknown, host: string, timeoutMs: number): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return `no answer from ${host} within ${timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`}; check that the server is up`;
  const code = err.cause?.code ?? '';
  if (code === 'ECONNREFUSED') return `cannot reach ${host}: nothing listens there (connection refused); check the address and port`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `cannot find ${host}; check the server name`;
  if (code.startsWith('ERR_TLS') || code.includes('CERT')) return `the TLS certificate of ${host} was refused (${code}); use a certificate this machine trusts`;
  return `cannot reach ${host}: ${err.cause?.message ?? err.message}`;
}

/**
 * Sends one request and reads the answer. Never throws, and gives up after `timeoutMs` (connecting, waiting and
 * reading together), so a slow server holds back nothing else. Redirects are not followed: a token sent to one
 * server must not be carried on to another.
 */
export async function sendPush(what: string, req: PushRequest, timeoutMs: number): Promise<PushResult> {
  const host = new URL(req.url).host;
  try {
    const res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.text();
    if (res.status >= 300 && res.status < 400) {
      return { sent: false, message: `${what} failed: ${host} answered with a redirect (${res.status}) to ${res.headers.get('location') ?? 'elsewhere'}; put the final address in Settings → Monitor` };
    }
    if (!res.ok) {
      const hint = res.status === 401 || res.status === 403 ? ' (check the token or password stored for it)' : res.status === 404 ? ' (check the address)' : '';
      return { sent: false, message: `${what} failed: ${host} answered ${res.status} ${serverWords(text) || res.statusText}${hint}` };
    }
    return { sent: true, message: `${what} to ${req.url} (${res.status} ${res.statusText})`.replace(/ \)$/, ')') };
  } catch (e) {
    return { sent: false, message: `${what} failed: ${networkProblem(e, host, timeoutMs)}` };
  }
}
