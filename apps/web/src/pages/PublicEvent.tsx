import { FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'wouter';
import { api, ApiError } from '../api/client';
import { ErrorMessage, WordedError } from '../components/ErrorMessage';
import { Language, LANGUAGES } from '../i18n';

/** What GET /public/events/:token answers (no counts of people, only whether places are left). */
export interface PublicEvent {
  id: string;
  title: Record<string, string>;
  description: Record<string, string>;
  address: string;
  startsAt: string;
  endsAt: string;
  timeZone: string;
  status: 'scheduled' | 'cancelled';
  /** null when the event has no limit. */
  placesLeft?: number | null;
}

/**
 * What POST /public/events/:token/rsvps answers: the same for everyone, whether or not the address
 * or number was already signed up. Whether the place is confirmed or on the waiting list, and the
 * link to the RSVP, come by e-mail or text message.
 */
interface SignupResult {
  received: true;
}

const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', es: 'Español' };
const FIELDS = ['name', 'email', 'phone', 'language', 'consent'] as const;
type Field = (typeof FIELDS)[number];
/** A label, its control, then its hint and error, read out after the control's name. */
const FIELD = { display: 'flex', flexDirection: 'column', gap: '0.25rem' } as const;

/** An organizer may write a text in one language only: the page's language, else English, else any. */
export function localized(texts: Record<string, string> | null | undefined, language: string): string {
  if (!texts) return '';
  return texts[language] ?? texts.en ?? Object.values(texts)[0] ?? '';
}

/**
 * The event's start and end as written where it happens (with the zone's short name), not in the
 * reader's zone: people travel to a place, and the reminders speak of the same local time.
 */
export function eventTime(event: Pick<PublicEvent, 'startsAt' | 'endsAt' | 'timeZone'>, language: string): string {
  const day = (d: Date) => new Intl.DateTimeFormat(language, { timeZone: event.timeZone, dateStyle: 'medium' }).format(d);
  const start = new Date(event.startsAt);
  const end = new Date(event.endsAt);
  const full = new Intl.DateTimeFormat(language, {
    timeZone: event.timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  });
  const time = new Intl.DateTimeFormat(language, { timeZone: event.timeZone, hour: 'numeric', minute: '2-digit', timeZoneName: 'short' });
  return day(start) === day(end) ? `${full.format(start)} – ${time.format(end)}` : `${full.format(start)} – ${full.format(end)}`;
}

/** The place and time of an event, shared by the signup page and the RSVP page. */
export function EventDetails({ event }: { event: PublicEvent }) {
  const { t, i18n } = useTranslation();
  const description = localized(event.description, i18n.language);
  return (
    <>
      <h1>{localized(event.title, i18n.language)}</h1>
      <dl className="stack">
        <div>
          <dt>
            <strong>{t('public.event.when')}</strong>
          </dt>
          <dd data-testid="event-when">
            {eventTime(event, i18n.language)}
            <br />
            <small className="muted">{t('public.event.timeZone', { zone: event.timeZone })}</small>
          </dd>
        </div>
        <div>
          <dt>
            <strong>{t('public.event.where')}</strong>
          </dt>
          <dd>{event.address}</dd>
        </div>
      </dl>
      {description && <p style={{ whiteSpace: 'pre-line' }}>{description}</p>}
    </>
  );
}

/** A public event's page, reached from the link organizers share: anyone can sign up, no account. */
export function PublicEventPage() {
  const { t } = useTranslation();
  const { token } = useParams<{ token: string }>();
  const [event, setEvent] = useState<(PublicEvent & { over: boolean }) | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);

  useEffect(() => {
    api<PublicEvent>('GET', `/public/events/${encodeURIComponent(token)}`).then(
      // Whether it is over is judged when the page opens, as the API judges a signup when it arrives.
      (e) => setEvent({ ...e, over: new Date(e.endsAt).getTime() <= Date.now() }),
      setLoadError,
    );
  }, [token]);

  if (loadError) {
    return (
      <section className="narrow">
        {loadError instanceof ApiError && loadError.status === 404 ? (
          <p className="error" role="alert">
            {t('public.event.notFound')}
          </p>
        ) : (
          <ErrorMessage error={loadError} />
        )}
      </section>
    );
  }
  if (!event) {
    return (
      <p className="muted" role="status">
        {t('common.loading')}
      </p>
    );
  }

  return (
    <section className="narrow">
      <EventDetails event={event} />
      {event.status === 'cancelled' ? (
        <p className="error" role="status" data-testid="event-closed">
          {t('public.event.cancelled')}
        </p>
      ) : event.over ? (
        <p className="error" role="status" data-testid="event-closed">
          {t('public.event.over')}
        </p>
      ) : (
        <>
          {typeof event.placesLeft === 'number' && (
            <p className={event.placesLeft > 0 ? 'success' : 'muted'} data-testid="places">
              {event.placesLeft > 0 ? t('public.event.places', { count: event.placesLeft }) : t('public.event.full')}
            </p>
          )}
          <SignupForm token={token} />
        </>
      )}
    </section>
  );
}

function SignupForm({ token }: { token: string }) {
  const { t, i18n } = useTranslation();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const [language, setLanguage] = useState<Language>(() =>
    (LANGUAGES as readonly string[]).includes(i18n.language) ? (i18n.language as Language) : 'en',
  );
  const [consent, setConsent] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<Field, string>>>({});
  const [result, setResult] = useState<SignupResult | null>(null);

  if (result) {
    return (
      <div className="card stack" data-testid="signup-result">
        <p className="success" role="status">
          {t(email.trim() ? 'public.done.receivedEmail' : 'public.done.receivedPhone', { name: name.trim() })}
        </p>
        <p className="muted">{t('public.done.nothingCame')}</p>
      </div>
    );
  }

  const check = (): Partial<Record<Field, string>> => {
    const found: Partial<Record<Field, string>> = {};
    if (!name.trim()) found.name = t('public.invalid.name');
    if (!email.trim() && !phone.trim()) found.email = t('public.invalid.contact');
    if (!consent) found.consent = t('public.invalid.consent');
    return found;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const found = check();
    setFieldErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      setResult(
        await api<SignupResult>('POST', `/public/events/${encodeURIComponent(token)}/rsvps`, {
          body: { name: name.trim(), email: email.trim() || undefined, phone: phone.trim() || undefined, language, consent },
        }),
      );
    } catch (err) {
      if (err instanceof ApiError && err.code === 'VALIDATION_FAILED') {
        const fields = (err.details as { fields?: Record<string, string[]> } | undefined)?.fields ?? {};
        const next: Partial<Record<Field, string>> = {};
        for (const [field, messages] of Object.entries(fields)) {
          if ((FIELDS as readonly string[]).includes(field))
            next[field as Field] = t(`public.invalid.${field}`, { defaultValue: messages.join(' ') });
        }
        setFieldErrors(next);
        // Errors the form has no field for still need saying.
        setError(Object.keys(next).length > 0 ? null : err);
      } else if (err instanceof ApiError && i18n.exists(`public.errors.${err.code}`)) {
        // ErrorMessage knows the app-wide codes; the codes only this page meets are translated here.
        setError(new WordedError(t(`public.errors.${err.code}`)));
      } else {
        setError(err);
      }
    } finally {
      setBusy(false);
    }
  };

  const fieldError = (field: Field) =>
    fieldErrors[field] ? (
      <span className="error" role="alert" id={`signup-${field}-error`}>
        {fieldErrors[field]}
      </span>
    ) : null;
  const describedBy = (field: Field, ...more: string[]) =>
    [...more, fieldErrors[field] ? `signup-${field}-error` : ''].filter(Boolean).join(' ') || undefined;

  return (
    <form onSubmit={(e) => void submit(e)} className="stack" noValidate aria-labelledby="signup-title">
      <h2 id="signup-title">{t('public.form.title')}</h2>
      <div style={FIELD}>
        <label htmlFor="signup-name">{t('public.form.name')}</label>
        <input
          id="signup-name"
          autoComplete="name"
          required
          maxLength={100}
          value={name}
          onChange={(e) => setName(e.target.value)}
          aria-invalid={!!fieldErrors.name}
          aria-describedby={describedBy('name')}
        />
        {fieldError('name')}
      </div>
      <p className="muted" id="signup-contact-hint">
        {t('public.form.contactHint')}
      </p>
      <div style={FIELD}>
        <label htmlFor="signup-email">{t('public.form.email')}</label>
        <input
          id="signup-email"
          type="email"
          autoComplete="email"
          maxLength={254}
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          aria-invalid={!!fieldErrors.email}
          aria-describedby={describedBy('email', 'signup-contact-hint')}
        />
        {fieldError('email')}
      </div>
      <div style={FIELD}>
        <label htmlFor="signup-phone">{t('public.form.phone')}</label>
        <input
          id="signup-phone"
          type="tel"
          autoComplete="tel"
          inputMode="tel"
          maxLength={32}
          placeholder="+14045550123"
          value={phone}
          onChange={(e) => setPhone(e.target.value)}
          aria-invalid={!!fieldErrors.phone}
          aria-describedby={describedBy('phone', 'signup-phone-hint', 'signup-contact-hint')}
        />
        <small className="muted" id="signup-phone-hint">
          {t('public.form.phoneHint')}
        </small>
        {fieldError('phone')}
      </div>
      <div style={FIELD}>
        <label htmlFor="signup-language">{t('public.form.language')}</label>
        <select
          id="signup-language"
          value={language}
          onChange={(e) => setLanguage(e.target.value as Language)}
          aria-invalid={!!fieldErrors.language}
          aria-describedby={describedBy('language')}
        >
          {LANGUAGES.map((l) => (
            <option key={l} value={l} lang={l}>
              {LANGUAGE_NAMES[l]}
            </option>
          ))}
        </select>
        {fieldError('language')}
      </div>
      <div style={FIELD}>
        <label style={{ flexDirection: 'row', alignItems: 'flex-start', fontWeight: 400 }}>
          <input
            type="checkbox"
            required
            checked={consent}
            onChange={(e) => setConsent(e.target.checked)}
            style={{ minHeight: 'auto', width: '1.4rem', height: '1.4rem', flex: 'none', marginTop: '0.15rem' }}
            aria-invalid={!!fieldErrors.consent}
            aria-describedby={describedBy('consent')}
          />
          <span>{t('public.form.consent')}</span>
        </label>
        {fieldError('consent')}
      </div>
      <ErrorMessage error={error} />
      <button type="submit" className="primary" disabled={busy}>
        {busy ? t('public.form.sending') : t('public.form.submit')}
      </button>
    </form>
  );
}
