import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import * as nodemailer from 'nodemailer';
import { messagingConfig, MessagingConfig } from '@app/config';
import { Channel } from '../entities/event.entity';

/**
 * A provider's answer without the addresses and numbers it quotes ("The 'To' number +1404... is
 * not valid", "550 <ana@...> unknown"): the reason is stored, and travels through the queue and
 * the logs, where a person's contact details must not.
 */
export function withoutContacts(text: string): string {
  return text
    .replace(/[^\s<>()"',;:]+@[^\s<>()"',;]+/g, '<address>')
    .replace(/\+\d[\d\s.-]{6,}\d|\(?\b\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}\b/g, '<number>');
}

/** A send that did not happen. Permanent ones (an invalid number) are not retried. */
export class ChannelError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(withoutContacts(message));
  }
}

export interface OutgoingMessage {
  to: string;
  subject: string | null;
  body: string;
  /** Stable per reminder, so a mail server or reader can tell a repeat. */
  reference: string;
}

/** SMTP answers in the 500s are final; 4xx and lost connections are worth another try. */
function smtpError(err: unknown): ChannelError {
  const e = err as { responseCode?: number; message?: string };
  const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500 && e.responseCode < 600;
  return new ChannelError(`e-mail: ${e.responseCode ? `${e.responseCode} ` : ''}${e.message ?? String(err)}`.slice(0, 200), permanent);
}

/** The SMS provider's error codes for numbers that can never receive (invalid, landline, unsubscribed). */
const PERMANENT_SMS_CODES = new Set([21211, 21214, 21408, 21610, 21612, 21614]);

/**
 * E-mail over SMTP (nodemailer) and SMS through a provider with the common REST shape (account id,
 * token, from number: POST /2010-04-01/Accounts/{id}/Messages.json). A channel without its
 * settings is unconfigured and never tried.
 */
@Injectable()
export class Channels implements OnModuleDestroy {
  private readonly mail: nodemailer.Transporter | null;

  constructor(@Inject(messagingConfig.KEY) private readonly config: MessagingConfig) {
    this.mail = config.smtpUrl ? nodemailer.createTransport(config.smtpUrl, { from: config.mailFrom }) : null;
  }

  configured(channel: Channel): boolean {
    return channel === 'email' ? this.mail !== null : this.config.sms !== null;
  }

  /** Sends, and returns the provider's id for the message. */
  async send(channel: Channel, message: OutgoingMessage): Promise<string> {
    return channel === 'email' ? this.sendEmail(message) : this.sendSms(message);
  }

  private async sendEmail(m: OutgoingMessage): Promise<string> {
    if (!this.mail) throw new ChannelError('e-mail is not configured', true);
    try {
      const info = (await this.mail.sendMail({
        to: m.to,
        subject: m.subject ?? '',
        text: m.body,
        messageId: `<${m.reference}@porchlight>`,
        headers: { 'X-Porchlight-Reference': m.reference },
      })) as { messageId: string };
      return info.messageId;
    } catch (err) {
      throw smtpError(err);
    }
  }

  private async sendSms(m: OutgoingMessage): Promise<string> {
    const sms = this.config.sms;
    if (!sms) throw new ChannelError('SMS is not configured', true);
    let res: Response;
    try {
      res = await fetch(`${sms.apiUrl}/2010-04-01/Accounts/${encodeURIComponent(sms.accountId)}/Messages.json`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${sms.accountId}:${sms.authToken}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ To: m.to, From: sms.from, Body: m.body }).toString(),
        signal: AbortSignal.timeout(15_000),
      });
    } catch (err) {
      throw new ChannelError(`SMS provider unreachable: ${err instanceof Error ? err.message : String(err)}`.slice(0, 200), false);
    }
    const text = await res.text();
    let body: { sid?: string; code?: number; message?: string } = {};
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      // A proxy's HTML error page, say: the status decides.
    }
    if (res.ok && body.sid) return body.sid;
    const reason = `SMS ${res.status}${body.code ? ` (${body.code})` : ''}: ${body.message ?? text.slice(0, 100)}`.slice(0, 200);
    const permanent = (res.status === 400 || res.status === 404) && (body.code === undefined || PERMANENT_SMS_CODES.has(body.code));
    throw new ChannelError(reason, permanent || res.status === 401 || res.status === 403);
  }

  onModuleDestroy(): void {
    this.mail?.close();
  }
}
