import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsString, Matches, MaxLength } from 'class-validator';

/**
 * A phone number as people type it: as dialled in the organization's country ("404-555-0199")
 * or international ("+52 55 1234 5678"). The service reads it with the organization's country
 * (normalizePhone) and stores E.164; here only its shape is checked.
 */
export const PhoneInput = () =>
  applyDecorators(
    IsString(),
    MaxLength(32),
    Matches(/^\+?[\d\s().\-/]{4,}$/, { message: 'must be a phone number, e.g. 404-555-0123 or +1 404 555 0123' }),
  );

/** Trims strings; leaves other values for the validators to reject. */
export const Trim = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));
