import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One message as the fake SMTP server received it. */
export interface ReceivedMail {
  /** The AUTH user the client signed in as. */
  authUser: string;
  envelopeFrom: string;
  envelopeTo: string[];
  /** The message as sent (headers and MIME body). */
  raw: string;
  /** Header values by lower-case name (first occurrence; folded lines joined). */
  headers: Record<string, string>;
  /** `raw` with quoted-printable undone, so links read as sent. */
  decoded: string;
}

/**
 * How the next connections are treated: `accept` takes mail; `refuse` answers 550 to every
 * recipient; `stall` accepts the TCP connection and never greets (the client must time out).
 */
export type SmtpFakeMode = 'accept' | 'refuse' | 'stall';

export interface SmtpFake {
  port: number;
  user: string;
  password: string;
  /** smtp://user:password@127.0.0.1:port */
  url: string;
  messages: ReceivedMail[];
  /** AUTH attempts refused (wrong user or password). */
  failedLogins: number;
  mode: SmtpFakeMode;
  close(): Promise<void>;
}

function decodeQuotedPrintable(s: string): string {
  return s.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function headersOf(raw: string): Record<string, string> {
  const head = raw.split(/\r?\n\r?\n/, 1)[0].replace(/\r?\n[ \t]+/g, ' ');
  const out: Record<string, string> = {};
  for (const line of head.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i).trim().toLowerCase()] ??= line.slice(i + 1).trim();
  }
  return out;
}

/**
 * A local SMTP server (the smtp-server package) on a random loopback port that requires AUTH
 * (PLAIN or LOGIN, without TLS: loopback only) and keeps every message it takes.
 */
export async function startSmtpFake(user = 'flowgate-mailer', password = 'smtp-Pa55word-9f2c'): Promise<SmtpFake> {
  const stalled: Array<() => void> = [];
  const fake: SmtpFake = {
    port: 0,
    user,
    password,
    url: '',
    messages: [],
    failedLogins: 0,
    mode: 'accept',
    close: async () => undefined,
  };
  const server = new SMTPServer({
    authMethods: ['PLAIN', 'LOGIN'],
    authOptional: false,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onConnect(_session, callback) {
      if (fake.mode === 'stall') stalled.push(() => callback(new Error('closing')));
      else callback();
    },
    onAuth(auth, _session, callback) {
      if (auth.username === user && auth.password === password) return callback(null, { user: auth.username });
      fake.failedLogins++;
      return callback(new Error('Invalid username or password'));
    },
    onRcptTo(address, _session, callback) {
      if (fake.mode === 'refuse') return callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
      return callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        fake.messages.push({
          authUser: String(session.user ?? ''),
          envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          envelopeTo: session.envelope.rcptTo.map((r) => r.address),
          raw,
          headers: headersOf(raw),
          decoded: decodeQuotedPrintable(raw),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  // smtp-server reports client errors (a client that gave up) as server errors: nothing to do.
  server.on('error', () => undefined);
  fake.port = (server.server.address() as AddressInfo).port;
  fake.url = `smtp://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${fake.port}`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      for (const release of stalled.splice(0)) release();
      server.close(() => resolve());
    });
  return fake;
}
