import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Redirect, Route, Switch } from 'wouter';
import { useAuth } from './auth';
import { Layout } from './components/Layout';
import { ForgotPasswordPage } from './pages/ForgotPassword';
import { JoinPage } from './pages/Join';
import { LoginPage } from './pages/Login';
import { PublicEventPage } from './pages/PublicEvent';
import { ResetPasswordPage } from './pages/ResetPassword';
import { RsvpPage } from './pages/RsvpPage';

// Volunteers' phones load only the field app; the console (maps, charts) is a separate chunk.
const FieldApp = lazy(() => import('./field/FieldApp'));
const ConsoleApp = lazy(() => import('./console/ConsoleApp'));

function Loading() {
  const { t } = useTranslation();
  return (
    <p className="muted" role="status">
      {t('common.loading')}
    </p>
  );
}

function Home() {
  const { signedIn, me, loading } = useAuth();
  if (!signedIn) return <Redirect to="/login" />;
  if (loading || !me) return <Loading />;
  return <Redirect to={me.role === 'volunteer' ? '/app/field' : '/app/console'} />;
}

function SignedIn({ children }: { children: React.ReactNode }) {
  const { signedIn } = useAuth();
  // Inside a nested route paths are relative; `~` leaves the nest.
  if (!signedIn) return <Redirect to="~/login" />;
  return <>{children}</>;
}

export function App() {
  return (
    <Layout>
      <Suspense fallback={<Loading />}>
        <Switch>
          <Route path="/login" component={LoginPage} />
          <Route path="/join" component={JoinPage} />
          <Route path="/forgot-password" component={ForgotPasswordPage} />
          <Route path="/reset-password" component={ResetPasswordPage} />
          {/* Reached from a shared link or a reminder by people without an account: no sign-in. */}
          <Route path="/e/:token" component={PublicEventPage} />
          <Route path="/rsvp/:id/:token" component={RsvpPage} />
          <Route path="/app/field" nest>
            <SignedIn>
              <FieldApp />
            </SignedIn>
          </Route>
          <Route path="/app/console" nest>
            <SignedIn>
              <ConsoleApp />
            </SignedIn>
          </Route>
          <Route path="/app" component={Home} />
          <Route path="/" component={Home} />
          <Route>
            <NotFound />
          </Route>
        </Switch>
      </Suspense>
    </Layout>
  );
}

function NotFound() {
  const { t } = useTranslation();
  return (
    <section>
      <h1>{t('common.notFound')}</h1>
      <a href="/app">{t('common.home')}</a>
    </section>
  );
}
