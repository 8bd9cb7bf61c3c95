import type { TFunction } from 'i18next';
import i18n, { turfLabel } from '../i18n';
import { Material, OutboxEntry, Stop, StoredRoute } from './db';

export const address = (s: Pick<Stop, 'number' | 'street'>) => `${s.number} ${s.street}`;

export function doorLabel(t: TFunction, s: Stop): string {
  return s.unit ? t('field.walk.addressUnit', { address: address(s), unit: s.unit }) : address(s);
}

/** The material's name in the app's language (else the catalogue's), and the language it is printed in. */
export const materialLabel = (m: Material) => `${m.names?.[i18n.language] || m.name} · ${m.language.toUpperCase()}`;

export { newId } from '../api/ids';

export function formatTime(iso: string, lang: string, timeZone?: string): string {
  try {
    return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(iso));
  } catch {
    return iso;
  }
}

/**
 * When an event runs, start to end, in its own zone: "Nov 30, 2026, 5:00 – 7:00 PM" (the date
 * once when it ends the same day, both dates when it does not).
 */
export function formatTimeRange(startIso: string, endIso: string, lang: string, timeZone?: string): string {
  try {
    const f = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone });
    return f.formatRange(new Date(startIso), new Date(endIso));
  } catch {
    return `${formatTime(startIso, lang, timeZone)} – ${formatTime(endIso, lang, timeZone)}`;
  }
}

/** Language names in the reader's language, from the browser: no strings to translate. */
export function languageName(code: string, lang: string): string {
  try {
    return new Intl.DisplayNames([lang], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** One outbox record in a sentence: what it is and where. */
export function describeEntry(t: TFunction, e: OutboxEntry, routes: StoredRoute[]): string {
  const it = e.item;
  const route = 'turfId' in it ? routes.find((r) => r.id === it.turfId) : undefined;
  const stop = (id: string) => route?.stops.find((s) => s.doorId === id);
  switch (it.kind) {
    case 'visit': {
      const s = stop(it.doorId);
      return t('field.outbox.visit', {
        outcome: t(`field.outcomes.${it.outcome}`),
        door: s ? doorLabel(t, s) : t('field.outbox.unknownDoor'),
      });
    }
    case 'not_home': {
      const s = stop(it.doorIds[0]);
      return t('field.outbox.notHome', { count: it.doorIds.length, address: s ? address(s) : t('field.outbox.unknownDoor') });
    }
    case 'check_in':
      return t('field.outbox.checkIn', { route: route ? turfLabel(route.name) : '' });
    case 'check_out':
      return t('field.outbox.checkOut');
  }
}

export function localTimeLabel(iso: string, lang: string): string {
  try {
    return new Intl.DateTimeFormat(lang, { timeStyle: 'short' }).format(new Date(iso));
  } catch {
    return iso;
  }
}
