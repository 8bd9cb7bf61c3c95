import { FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { api } from '../api/client';
import { ErrorMessage } from '../components/ErrorMessage';

/**
 * Asks for a link to choose a new password. The server answers the same whether or not the
 * address has an account, so the page says the same too.
 */
export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api('POST', '/auth/password-reset', { body: { email: email.trim() } });
      setSentTo(email.trim());
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="narrow">
      <h1>{t('passwordReset.forgotTitle')}</h1>
      {sentTo ? (
        <p className="success" role="status" data-testid="reset-sent">
          {t('passwordReset.sent', { email: sentTo })}
        </p>
      ) : (
        <form onSubmit={(e) => void submit(e)} className="stack">
          <p>{t('passwordReset.forgotIntro')}</p>
          <label>
            {t('auth.email')}
            <input type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
          </label>
          <ErrorMessage error={error} />
          <button type="submit" className="primary" disabled={busy}>
            {t('passwordReset.send')}
          </button>
        </form>
      )}
      <p>
        <Link href="/login">{t('passwordReset.backToSignIn')}</Link>
      </p>
    </section>
  );
}
