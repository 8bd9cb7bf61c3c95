import { useTranslation } from 'react-i18next';
import { ApiError, NetworkError } from '../api/client';

/** A failed request as a sentence: the API's own message, or "no connection". */
export function ErrorMessage({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  let text: string;
  if (error instanceof NetworkError) text = t('common.offlineError');
  else if (error instanceof ApiError) text = t(`errors.${error.code}`, { defaultValue: error.message });
  else text = t('common.unexpectedError');
  return (
    <p className="error" role="alert">
      {text}
    </p>
  );
}
