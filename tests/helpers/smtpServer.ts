import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  user: string | undefined;
  raw: string;
}

/**
 * A real SMTP server on 127.0.0.1 (the smtp-server package: STARTTLS with its built-in self-signed certificate,
 * AUTH PLAIN/LOGIN), collecting what it receives. `reject` makes it refuse every message with a 5xx; `plain` makes
 * it a plaintext relay without STARTTLS (as many home-lab relays are), so a client needs no certificate exception.
 */
export async function startSmtp(opts: { user: string; pass: string; reject?: boolean; plain?: boolean }): Promise<{ port: number; mails: ReceivedMail[]; auths: { password: string; secure: boolean }[]; close(): Promise<void> }> {
  const mails: ReceivedMail[] = [];
  /** Every AUTH the server received, with whether the connection was encrypted at that moment. */
  const auths: { password: string; secure: boolean }[] = [];
  const options: SMTPServerOptions = {
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    ...(opts.plain ? { disabledCommands: ['STARTTLS'], allowInsecureAuth: true } : {}),
    onAuth(auth, session, cb) {
      auths.push({ password: auth.password ?? '', secure: session.secure });
      if (auth.username === opts.user && auth.password === opts.pass) cb(null, { user: auth.username });
      else cb(new Error('Invalid username or password'));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (opts.reject) {
          const err = new Error('Message rejected: mailbox unavailable') as Error & { responseCode: number };
          err.responseCode = 554;
          return cb(err);
        }
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          user: typeof session.user === 'string' ? session.user : undefined,
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        cb();
      });
    },
  };
  const server = new SMTPServer(options);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return { port, mails, auths, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Undoes quoted-printable soft breaks and =XX escapes so the test can read the body text. */
export function decodeQuotedPrintable(raw: string): string {
  const latin1 = raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(latin1, 'latin1').toString('utf8');
}

/** The Subject header, with RFC 2047 encoded words (=?UTF-8?Q?…?= / =?UTF-8?B?…?=) decoded and folds joined. */
export function subjectOf(raw: string): string {
  const m = /^Subject: (.*(?:\r?\n[ \t].*)*)/im.exec(raw);
  if (!m) return '';
  return m[1]!
    .replace(/\?=\r?\n[ \t]+=\?/g, '?==?')
    .replace(/\r?\n[ \t]+/g, ' ')
    .replace(/=\?UTF-8\?([QB])\?([^?]*)\?=/gi, (_, enc: string, text: string) =>
      enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : decodeQuotedPrintable(text.replace(/_/g, ' ')),
    );
}
