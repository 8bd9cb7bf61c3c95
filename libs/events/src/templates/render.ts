import { DateTime } from 'luxon';
import Mustache from 'mustache';
import { Localized } from '../entities/event.entity';
import { Template } from './default-templates';

export interface MessageValues {
  name: string;
  title: string;
  when: string;
  place: string;
  calendarUrl: string;
  cancelUrl: string;
  organization: string;
}

/** Plain-text messages: nothing is HTML-escaped. */
const PLAIN = { escape: (value: string) => value };

export function render(template: Template, values: MessageValues): { subject: string | null; body: string } {
  return {
    subject: template.subject === null ? null : Mustache.render(template.subject, values, {}, PLAIN),
    body: Mustache.render(template.body, values, {}, PLAIN),
  };
}

/** The text in the person's language, else English, else whichever the event has. */
export function pick(texts: Localized, language: string): string {
  return texts[language] ?? texts.en ?? Object.values(texts)[0] ?? '';
}

/** "Monday, November 16, 2026 at 5:00 PM EST" / "lunes, 16 de noviembre de 2026, 17:00 GMT-5", in the event's zone. */
export function formatWhen(startsAt: Date, zone: string, language: string): string {
  return DateTime.fromJSDate(startsAt, { zone }).setLocale(language).toLocaleString({
    weekday: 'long',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  });
}
