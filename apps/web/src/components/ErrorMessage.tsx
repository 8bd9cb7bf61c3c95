import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ApiError, NetworkError } from '../api/client';
import { turfLabel } from '../i18n';

/** An error whose message is already in the reader's language (a page's own wording of a code). */
export class WordedError extends Error {}

/**
 * The API's error in the reader's language: its case (`details.reason`, worded with
 * `details.params`) when the app knows it, else its code. Every code the server sends has a
 * wording in each language (a test checks); the server's English message is the last resort.
 */
export function apiErrorText(t: TFunction, error: { code: string; message: string; details?: unknown }): string {
  const details = (error.details ?? {}) as { reason?: unknown; params?: Record<string, unknown> };
  const fallback = t(`errors.${error.code}`, { defaultValue: error.message });
  if (typeof details.reason !== 'string') return fallback;
  const params: Record<string, unknown> = { ...(details.params ?? {}) };
  // Turf names the cutter made are numbers, worded like everywhere else.
  if (typeof params.turfs === 'string')
    params.turfs = params.turfs
      .split(', ')
      .filter(Boolean)
      .map((n) => turfLabel(n))
      .join(', ');
  return t(`errors.reasons.${details.reason}`, { ...params, defaultValue: fallback });
}

/** A failed request as a sentence: what the API said, in the reader's language, or "no connection". */
export function ErrorMessage({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  let text: string;
  if (error instanceof NetworkError) text = t('common.offlineError');
  else if (error instanceof ApiError) text = apiErrorText(t, error);
  else if (error instanceof WordedError) text = error.message;
  else text = t('common.unexpectedError');
  return (
    <p className="error" role="alert">
      {text}
    </p>
  );
}
