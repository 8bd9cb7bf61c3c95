import { FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { useAuth } from '../auth';
import { ErrorMessage } from '../components/ErrorMessage';

/**
 * The signed-in person's account: change the password, giving the current one. The other
 * sessions (other phones, other browsers) end; this one continues. Shown inside the console and
 * the field app alike.
 */
export function AccountPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [mismatch, setMismatch] = useState(false);
  const [busy, setBusy] = useState(false);
  const [changed, setChanged] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setChanged(false);
    setMismatch(newPassword !== confirm);
    if (newPassword !== confirm) return;
    setBusy(true);
    try {
      await api('POST', '/me/password', { body: { currentPassword, newPassword } });
      setChanged(true);
      setCurrentPassword('');
      setNewPassword('');
      setConfirm('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="narrow account-page">
      <h1>{t('account.title')}</h1>
      {me && <p className="muted">{t('account.signedInAs', { email: me.email })}</p>}
      <h2>{t('account.changePassword')}</h2>
      <form onSubmit={(e) => void submit(e)} className="stack" data-testid="change-password">
        <label>
          {t('account.currentPassword')}
          <input
            type="password"
            autoComplete="current-password"
            required
            value={currentPassword}
            onChange={(e) => setCurrentPassword(e.target.value)}
          />
        </label>
        <label>
          {t('account.newPassword')}
          <input
            type="password"
            autoComplete="new-password"
            required
            minLength={12}
            value={newPassword}
            onChange={(e) => setNewPassword(e.target.value)}
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
        {changed && (
          <p className="success" role="status">
            {t('account.changed')}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {t('account.save')}
        </button>
      </form>
    </section>
  );
}
