import { FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { api, ApiError } from '../api/client';
import { ErrorMessage } from '../components/ErrorMessage';

/** Codes after which the link cannot be used again: the page offers to ask for a new one. */
const LINK_DEAD = new Set(['RESET_TOKEN_INVALID', 'RESET_TOKEN_EXPIRED', 'RESET_TOKEN_USED']);

/**
 * The page an e-mailed reset link opens: `/reset-password#<token>`. The token stays in the
 * fragment, so it never reaches a server log. Choosing a new password signs the person out
 * everywhere; they then sign in with it.
 */
export function ResetPasswordPage() {
  const { t } = useTranslation();
  const [token] = useState(() => decodeURIComponent(window.location.hash.replace(/^#/, '')));
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  const askAgain = (
    <p>
      <Link href="/forgot-password">{t('passwordReset.askAgain')}</Link>
    </p>
  );

  if (!token) {
    return (
      <section className="narrow">
        <h1>{t('passwordReset.title')}</h1>
        <p className="error">{t('passwordReset.noToken')}</p>
        {askAgain}
      </section>
    );
  }

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setMismatch(password !== confirm);
    if (password !== confirm) return;
    setBusy(true);
    try {
      await api('POST', '/auth/password-reset/confirm', { body: { token, password } });
      // The link has done its work: take it out of the address bar and the history.
      window.history.replaceState(null, '', window.location.pathname);
      setDone(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <section className="narrow">
        <h1>{t('passwordReset.title')}</h1>
        <p className="success" role="status" data-testid="reset-done">
          {t('passwordReset.done')}
        </p>
        <p>
          <Link href="/login">{t('passwordReset.signIn')}</Link>
        </p>
      </section>
    );
  }

  const dead = error instanceof ApiError && LINK_DEAD.has(error.code);
  return (
    <section className="narrow">
      <h1>{t('passwordReset.title')}</h1>
      {dead ? (
        <>
          <ErrorMessage error={error} />
          {askAgain}
        </>
      ) : (
        <form onSubmit={(e) => void submit(e)} className="stack">
          <label>
            {t('account.newPassword')}
            <input
              type="password"
              autoComplete="new-password"
              required
              minLength={12}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
            <small className="muted">{t('account.passwordHint')}</small>
          </label>
          <label>
            {t('account.confirmPassword')}
            <input
              type="password"
              autoComplete="new-password"
              required
              minLength={12}
              value={confirm}
              onChange={(e) => setConfirm(e.target.value)}
            />
          </label>
          {mismatch && (
            <p className="error" role="alert">
              {t('account.mismatch')}
            </p>
          )}
          <ErrorMessage error={error} />
          <button type="submit" className="primary" disabled={busy}>
            {t('passwordReset.save')}
          </button>
        </form>
      )}
    </section>
  );
}
