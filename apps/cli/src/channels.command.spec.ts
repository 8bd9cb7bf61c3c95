import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { channelsReport } from './channels.command';

describe('the channels npm start reports', () => {
  it('names each channel that is off, and why', () => {
    const report = channelsReport({ SMTP_URL: '', SMS_API_URL: '' });
    expect(report).toMatch(/E-mail\s+OFF: SMTP_URL is not set/);
    expect(report).toMatch(/SMS\s+OFF: SMS_API_URL is not set/);
  });

  it('says on for a channel with its settings', () => {
    const report = channelsReport({ SMTP_URL: 'smtp://mail.example.org:587', SMS_API_URL: '' });
    expect(report).toMatch(/E-mail\s+on$/m);
    expect(report).toMatch(/SMS\s+OFF/);
    expect(channelsReport({ SMTP_URL: 'smtp://mail.example.org:587', SMS_API_URL: 'https://sms.example.org' })).not.toMatch(/OFF/);
  });

  it('is printed by npm start', () => {
    const script = readFileSync(join(__dirname, '../../../scripts/start.sh'), 'utf8');
    expect(script).toMatch(/main\.js channels/);
  });
});
