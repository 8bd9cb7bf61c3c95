import { AppError } from '@app/core';
import { isPhoneCountry, normalizePhone } from './phone';

describe('phone numbers in the organization’s country', () => {
  it('reads national numbers as people type them, in the organization’s country', () => {
    expect(normalizePhone('404-555-0199', 'US')).toBe('+14045550199');
    expect(normalizePhone('(404) 555 0199', 'US')).toBe('+14045550199');
    expect(normalizePhone('55 1234 5678', 'MX')).toBe('+525512345678');
    expect(normalizePhone('020 7946 0018', 'GB')).toBe('+442079460018');
  });

  it('takes international numbers whatever the country', () => {
    expect(normalizePhone('+1 404 555 0199', 'MX')).toBe('+14045550199');
    expect(normalizePhone('+14045550199', 'US')).toBe('+14045550199');
  });

  it('refuses what is not a number, naming the field', () => {
    for (const raw of ['12345', 'call me', '404-555-019', '+1 000 000 0000']) {
      let error: unknown;
      try {
        normalizePhone(raw, 'US', 'phone');
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('VALIDATION_FAILED');
      expect((error as AppError).details).toEqual({ fields: { phone: [expect.stringMatching(/valid phone number/)] } });
    }
  });

  it('knows which countries have a numbering plan', () => {
    expect(isPhoneCountry('US')).toBe(true);
    expect(isPhoneCountry('MX')).toBe(true);
    expect(isPhoneCountry('us')).toBe(false);
    expect(isPhoneCountry('XX')).toBe(false);
  });
});
