import { Environment, parseEnvironment } from '@app/config';

/**
 * Which channels reminders can go out on, as `npm start` prints it: a channel without its settings
 * sends nothing, and the console says so too (GET /message-channels).
 */
export function channelsReport(env: Pick<Environment, 'SMTP_URL' | 'SMS_API_URL'>): string {
  const email = env.SMTP_URL !== '';
  const sms = env.SMS_API_URL !== '';
  const line = (name: string, on: boolean, off: string) => `    ${name.padEnd(7)} ${on ? 'on' : `OFF: ${off}`}`;
  return [
    '  Reminders:',
    line('E-mail', email, 'SMTP_URL is not set, so no confirmation or reminder goes out by e-mail'),
    line('SMS', sms, 'SMS_API_URL is not set, so no reminder goes out by SMS'),
    ...(email && sms ? [] : ['    (see Configuration in README.md; reminders still to come go out once a channel is set up)']),
  ].join('\n');
}

export function runChannels(): void {
  console.log(channelsReport(parseEnvironment()));
}
