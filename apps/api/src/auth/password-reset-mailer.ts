import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { appConfig, AppConfig } from '@app/config';
import { Channels } from '@app/events';
import { AccountPasswordService } from '@app/organizations';

/**
 * Makes and mails password reset links after the request has been answered: the answer is the
 * same, and as quick, whether or not the address has an account. The mail goes out over the
 * SMTP server that sends reminders (SMTP_URL); without one, no link can be sent, and the log says so.
 */
@Injectable()
export class PasswordResetMailer implements BeforeApplicationShutdown {
  private readonly logger = new Logger(PasswordResetMailer.name);
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly passwords: AccountPasswordService,
    private readonly channels: Channels,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
  ) {}

  /** Starts the work and returns at once. */
  dispatch(email: string): void {
    const work = this.send(email).catch((err: unknown) => {
      // Never the address: logs hold no contact details.
      this.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'a password reset link could not be sent');
    });
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async send(email: string): Promise<void> {
    const mail = await this.passwords.requestReset(email, this.app.publicUrl);
    if (!mail) return;
    if (!this.channels.configured('email')) {
      this.logger.warn('a password reset was asked for, but e-mail is not set up on this server (SMTP_URL): no link was sent');
      return;
    }
    await this.channels.send('email', { to: mail.to, subject: mail.subject, body: mail.body, reference: mail.reference });
  }

  /** Lets links being sent go out before the process stops. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }
}
