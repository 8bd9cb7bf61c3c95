import { FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Redirect } from 'wouter';
import { login } from '../api/client';
import { signingInWith, useAuth } from '../auth';
import { ErrorMessage } from '../components/ErrorMessage';

export function LoginPage() {
  const { t, i18n } = useTranslation();
  const { signedIn } = useAuth();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  if (signedIn) return <Redirect to="/app" />;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      // The language this page is in is the person's choice: it stays after signing in.
      signingInWith(i18n.language);
      await login(email.trim(), password);
    } catch (err) {
      signingInWith(null);
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="narrow">
      <h1>{t('auth.signInTitle')}</h1>
      <form onSubmit={(e) => void submit(e)} className="stack">
        <label>
          {t('auth.email')}
          <input type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label>
          {t('auth.password')}
          <input type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        <ErrorMessage error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {t('auth.signIn')}
        </button>
      </form>
      <p>
        <Link href="/forgot-password">{t('auth.forgotPassword')}</Link>
      </p>
    </section>
  );
}
