import { hostname } from 'node:os';
import { createRequire } from 'node:module';
import type nodemailer from 'nodemailer';

// Loaded when a mail is sent: every other start of the studio skips its cost.
const require = createRequire(import.meta.url);
import type { SmtpSettings } from '../../../shared/dto/monitor';

export interface EmailResult {
  sent: boolean;
  /** "e-mail to a@b (250 OK …)" or what went wrong, in one line. */
  message: string;
}

/** The mail the alert channel sends; a pure builder so tests can check subject and body. */
export function buildAlertMail(smtp: SmtpSettings, title: string, body: string): { from: string; to: string[]; subject: string; text: string } {
  return {
    from: smtp.from,
    to: smtp.to,
    subject: `[Church Studio] ${title}`,
    text: `${body}\n\n— BambiSleep Church Studio on ${hostname()}, ${new Date().toISOString()}\n`,
  };
}

/**
 * Sends one mail through the configured SMTP server. Never throws: a refused login, an unreachable host or a
 * rejected recipient come back as `sent: false` with the server's words, for the audit log and the UI.
 */
export async function sendAlertMail(smtp: SmtpSettings, password: string | null, title: string, body: string, opts: { timeoutMs?: number; allowSelfSigned?: boolean } = {}): Promise<EmailResult> {
  if (!smtp.enabled) return { sent: false, message: 'e-mail is off (enable it in Settings → Monitor)' };
  const timeout = opts.timeoutMs ?? 15_000;
  // Without requireTLS nodemailer sends AUTH in clear when the server offers no STARTTLS: the password would
  // cross the network readable. With a login, TLS is required unless the owner opted out for a trusted LAN relay.
  const requireTLS = !smtp.secure && smtp.user !== '' && smtp.allowPlainAuth !== true;
  const transport = (require('nodemailer') as typeof nodemailer).createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    requireTLS,
    auth: smtp.user ? { user: smtp.user, pass: password ?? '' } : undefined,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    tls: opts.allowSelfSigned ? { rejectUnauthorized: false } : undefined,
  });
  try {
    const info = await transport.sendMail(buildAlertMail(smtp, title, body));
    return { sent: true, message: `e-mail to ${smtp.to.join(', ')} (${String(info.response).split('\n')[0]})` };
  } catch (e) {
    const err = e as Error & { code?: string; responseCode?: number };
    const what =
      err.code === 'ETLS' && requireTLS
        ? `the SMTP server at ${smtp.host}:${smtp.port} offers no STARTTLS (or it failed), so the password was not sent; use TLS from the start (port 465) or a server with STARTTLS (only for a trusted relay on the LAN: allow a plain login)`
        : err.code === 'EAUTH' ? 'the SMTP server refused the login; check the user and the password' : err.code === 'ECONNECTION' || err.code === 'ESOCKET' ? `cannot reach ${smtp.host}:${smtp.port}; check the host, port and TLS setting` : 'the SMTP server refused the mail';
    return { sent: false, message: `e-mail failed: ${what} (${err.message.split('\n')[0]})` };
  } finally {
    transport.close();
  }
}
