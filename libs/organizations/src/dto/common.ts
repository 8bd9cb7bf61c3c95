import { Transform } from 'class-transformer';

export const E164 = /^\+[1-9]\d{6,14}$/;
export const E164_MESSAGE = 'must be a phone number in international format, e.g. +14045550123';

/** Trims strings; leaves other values for the validators to reject. */
export const Trim = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));
