import { FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Redirect } from 'wouter';
import { api, ApiError } from '../api/client';
import { saveSession, Session } from '../api/session';
import { useAuth } from '../auth';
import { ErrorMessage } from '../components/ErrorMessage';
import { Language, LANGUAGES } from '../i18n';

interface Preview {
  organizationName: string;
  role: 'organizer' | 'coordinator' | 'volunteer';
  email: string | null;
  expiresAt: string;
}

/**
 * The invite link is `/join#<token>`: the token stays in the fragment, so it never reaches a
 * server log. The person chooses a password (and a name, and an address when the invite names none).
 */
export function JoinPage() {
  const { t, i18n } = useTranslation();
  const { signedIn } = useAuth();
  const [token] = useState(() => decodeURIComponent(window.location.hash.replace(/^#/, '')));
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  useEffect(() => {
    if (!token) return;
    api<Preview>('POST', '/invites/preview', { body: { token } }).then(setPreview, setError);
  }, [token]);

  if (done || (signedIn && !token)) return <Redirect to="/app" />;
  if (!token) return <p className="error">{t('join.noToken')}</p>;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const language = (LANGUAGES as readonly string[]).includes(i18n.language) ? (i18n.language as Language) : 'en';
      const pair = await api<Session>('POST', '/invites/accept', {
        body: { token, password, displayName: displayName.trim() || undefined, email: preview?.email ? undefined : email.trim(), language },
      });
      saveSession(pair);
      setDone(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="narrow">
      <h1>{t('join.title')}</h1>
      {preview && (
        <p data-testid="invite-summary">
          {t('join.summary', { organization: preview.organizationName, role: t(`roles.${preview.role}`) })}
        </p>
      )}
      {error instanceof ApiError && error.status !== 400 && !preview ? (
        <ErrorMessage error={error} />
      ) : (
        <form onSubmit={(e) => void submit(e)} className="stack">
          {preview && !preview.email && (
            <label>
              {t('auth.email')}
              <input type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
            </label>
          )}
          {preview?.email && (
            <p>
              {t('auth.email')}: <strong>{preview.email}</strong>
            </p>
          )}
          <label>
            {t('join.displayName')}
            <input autoComplete="nickname" required maxLength={100} value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
            <small className="muted">{t('join.displayNameHint')}</small>
          </label>
          <label>
            {t('join.newPassword')}
            <input
              type="password"
              autoComplete="new-password"
              required
              minLength={12}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
            <small className="muted">{t('join.passwordHint')}</small>
          </label>
          <ErrorMessage error={error} />
          <button type="submit" className="primary" disabled={busy || !preview}>
            {t('join.accept')}
          </button>
        </form>
      )}
    </section>
  );
}
