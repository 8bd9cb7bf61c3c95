import { CountryCode, isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js';
import { AppError } from '@app/core';

/** Where an organization is when it does not say: the country its numbers are read in. */
export const DEFAULT_COUNTRY = 'US';

/** Whether libphonenumber knows the country's numbering plan (ISO 3166-1 alpha-2, upper case). */
export function isPhoneCountry(country: string): boolean {
  return /^[A-Z]{2}$/.test(country) && isSupportedCountry(country);
}

/**
 * A phone number as people type it, in their organization's country ("404-555-0199",
 * "(404) 555 0199") or in international format ("+52 55 1234 5678"), as E.164 ("+14045550199").
 * A number that is not a valid one is a 400 naming `field`.
 */
export function normalizePhone(raw: string, country: string, field = 'phone'): string {
  const region = (isPhoneCountry(country) ? country : DEFAULT_COUNTRY) as CountryCode;
  const parsed = parsePhoneNumberFromString(raw.trim(), region);
  if (!parsed || !parsed.isValid()) {
    const example = EXAMPLES[region];
    const message = `must be a valid phone number, as dialled in ${region}${example ? ` (e.g. ${example})` : ''} or in international format (e.g. +1 404 555 0123)`;
    throw new AppError('VALIDATION_FAILED', `${field} ${message}`, { fields: { [field]: [message] } });
  }
  return parsed.number;
}

const EXAMPLES: Partial<Record<CountryCode, string>> = { US: '404 555 0123', CA: '416 555 0123', MX: '55 1234 5678' };
