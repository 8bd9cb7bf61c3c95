import { simpleParser, ParsedMail } from 'mailparser';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface SmtpSink {
  port: number;
  url: string;
  messages: ParsedMail[];
  /** While set, every message is refused with a temporary error (451). */
  refusing: boolean;
  /** How many messages were refused so. */
  refused: number;
  close(): Promise<void>;
}

/** A real SMTP server on loopback that keeps what it receives. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const sink = { messages: [] as ParsedMail[], refusing: false, refused: 0 } as SmtpSink;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onMailFrom(_address, _session, callback) {
      if (sink.refusing) {
        sink.refused++;
        const err = new Error('Try again later') as Error & { responseCode: number };
        err.responseCode = 451;
        return callback(err);
      }
      callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          sink.messages.push(mail);
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });
  // A client that dies mid-conversation (the fault tests SIGKILL the worker) resets its socket:
  // that is the client's problem, not a reason to bring the test process down.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return Object.assign(sink, {
    port,
    url: `smtp://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

export interface SmsMessage {
  to: string;
  from: string;
  body: string;
  sid: string;
}

export interface SmsSink {
  url: string;
  accountId: string;
  token: string;
  messages: SmsMessage[];
  requests: number;
  /** Numbers the provider calls invalid (400, code 21211). */
  invalidNumbers: Set<string>;
  /** How many of the next requests answer 429 (rate limited), then how many 503 (provider down). */
  rateLimitNext: number;
  downNext: number;
  close(): Promise<void>;
}

const read = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => resolve(body));
  });

/**
 * A local server with the REST shape of a common SMS provider: POST
 * /2010-04-01/Accounts/{id}/Messages.json, Basic auth, form fields To/From/Body, and its error answers.
 */
export async function startSmsSink(): Promise<SmsSink> {
  const accountId = 'AC00000000000000000000000000000000';
  const token = 'test-token';
  const sink = {
    accountId,
    token,
    messages: [],
    requests: 0,
    invalidNumbers: new Set<string>(),
    rateLimitNext: 0,
    downNext: 0,
  } as unknown as SmsSink;
  let n = 0;
  const server: Server = createServer((req, res) => {
    void (async () => {
      sink.requests++;
      const body = await read(req);
      const json = (status: number, payload: object) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      if (req.method !== 'POST' || req.url !== `/2010-04-01/Accounts/${accountId}/Messages.json`)
        return json(404, { code: 20404, message: 'Not found' });
      if (req.headers.authorization !== `Basic ${Buffer.from(`${accountId}:${token}`).toString('base64')}`) {
        return json(401, { code: 20003, message: 'Authenticate' });
      }
      if (sink.rateLimitNext > 0) {
        sink.rateLimitNext--;
        return json(429, { code: 20429, message: 'Too Many Requests' });
      }
      if (sink.downNext > 0) {
        sink.downNext--;
        return json(503, { code: 20500, message: 'Service unavailable' });
      }
      const form = new URLSearchParams(body);
      const to = form.get('To') ?? '';
      if (sink.invalidNumbers.has(to)) return json(400, { code: 21211, message: `The 'To' number ${to} is not a valid phone number.` });
      const sid = `SM${String(++n).padStart(32, '0')}`;
      sink.messages.push({ to, from: form.get('From') ?? '', body: form.get('Body') ?? '', sid });
      json(201, { sid, status: 'queued', to });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(sink, {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

/**
 * Points the product's messaging settings at the sinks; call before creating the app and the
 * worker. Returns the function that puts the environment back (spec files share a process).
 */
export function useSinks(smtp: SmtpSink, sms: SmsSink): () => void {
  const settings = {
    SMTP_URL: smtp.url,
    MAIL_FROM: 'Porchlight Test <reminders@example.org>',
    SMS_API_URL: sms.url,
    SMS_ACCOUNT_ID: sms.accountId,
    SMS_AUTH_TOKEN: sms.token,
    SMS_FROM: '+14045550100',
    REMINDER_SWEEP_EVERY_SECONDS: '1',
    REMINDER_BACKOFF_MS: '100',
    REMINDER_MAX_ATTEMPTS: '6',
  };
  const before = Object.fromEntries(Object.keys(settings).map((k) => [k, process.env[k]]));
  Object.assign(process.env, settings);
  return () => {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}
