import { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { useAuth } from '../auth';
import { LanguageSwitch } from './LanguageSwitch';

export function Layout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { me, signedIn, signOut } = useAuth();
  return (
    <>
      <a className="skip-link" href="#main">
        {t('common.skipToContent')}
      </a>
      <header className="app-header">
        <Link href="/app" className="brand">
          <img src="/icon.svg" alt="" width={28} height={28} /> Porchlight
        </Link>
        <div className="header-tools">
          <LanguageSwitch />
          {signedIn && (
            <>
              {me && (
                // The name leads to the account page (password) of the app the person works in.
                <Link
                  href={me.role === 'volunteer' ? '/app/field/account' : '/app/console/account'}
                  className="who"
                  data-testid="who"
                  title={t('account.title')}
                >
                  {me.displayName} · {t(`roles.${me.role}`)}
                </Link>
              )}
              <button type="button" className="link-button" onClick={() => void signOut()}>
                {t('auth.signOut')}
              </button>
            </>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
