import { useTranslation } from 'react-i18next';
import { useApi } from '../coverage/useApi';
import { MessageChannels } from './types';
import './channels.css';

/**
 * Says plainly when this server cannot send e-mail or SMS (no SMTP, no SMS provider): reminders on
 * that channel go nowhere until whoever runs the server sets it up. Nothing when both are set up.
 */
export function ChannelsNotice() {
  const { t } = useTranslation();
  const channels = useApi<MessageChannels>('/message-channels', 0).data;
  if (!channels || (channels.email && channels.sms)) return null;
  const lines = !channels.email && !channels.sms ? ['noneOn'] : [channels.email ? null : 'emailOff', channels.sms ? null : 'smsOff'];
  return (
    <div className="channels-notice" role="note" data-testid="channels-notice">
      <strong>{t('dashboard.channels.title')}</strong>
      {lines
        .filter((k): k is string => k !== null)
        .map((k) => (
          <p key={k}>{t(`dashboard.channels.${k}`)}</p>
        ))}
      <p className="muted small">{t('dashboard.channels.help')}</p>
    </div>
  );
}

/** A reminder's reason in the reader's language, from its code; the server's English when the code is unknown. */
export function useReminderReason(): (r: {
  reason: string | null;
  reasonCode: string | null;
  reasonParams: Record<string, string> | null;
}) => string | null {
  const { t } = useTranslation();
  return (r) => {
    if (!r.reasonCode) return r.reason;
    const params: Record<string, string> = { reason: r.reason ?? '' };
    for (const [k, v] of Object.entries(r.reasonParams ?? {})) {
      params[k] =
        r.reasonCode === 'no_channel'
          ? t(`dashboard.channelProblem.${k}.${v}`, { defaultValue: v })
          : k === 'channel'
            ? t(`dashboard.channel.${v}`, { defaultValue: v })
            : v;
    }
    return t(`dashboard.reminderReason.${r.reasonCode}`, { ...params, defaultValue: r.reason ?? r.reasonCode });
  };
}
