import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useAuth } from '../../auth';
import { ErrorMessage } from '../../components/ErrorMessage';

interface Template {
  kind: string;
  channel: 'email' | 'sms';
  language: string;
  subject: string | null;
  body: string;
  custom: boolean;
}

const PLACEHOLDERS = '{{name}} {{title}} {{when}} {{place}} {{calendarUrl}} {{cancelUrl}} {{organization}}';

/**
 * The messages reminders are written from, in every language: Porchlight's wording until the
 * organization writes its own. Organizers edit them; coordinators read them.
 */
export function MessagesPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const organizer = me?.role === 'organizer';
  const [templates, setTemplates] = useState<Template[] | null>(null);
  const [language, setLanguage] = useState('es');
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    api<Template[]>('GET', '/message-templates').then(setTemplates, setError);
  }, []);

  const languages = [...new Set((templates ?? []).map((x) => x.language))];
  const shown = (templates ?? []).filter((x) => x.language === language);
  const replace = (next: Template) =>
    setTemplates((list) =>
      (list ?? []).map((x) => (x.kind === next.kind && x.channel === next.channel && x.language === next.language ? next : x)),
    );

  return (
    <section>
      <h1>{t('console.messages.title')}</h1>
      <p className="muted">{t('console.messages.intro', { placeholders: PLACEHOLDERS })}</p>
      <ErrorMessage error={error} />
      {templates && (
        <label style={{ maxWidth: '16rem' }}>
          {t('console.messages.language')}
          <select value={language} onChange={(e) => setLanguage(e.target.value)}>
            {languages.map((l) => (
              <option key={l} value={l}>
                {t(`console.messages.languages.${l}`, { defaultValue: l })}
              </option>
            ))}
          </select>
        </label>
      )}
      {shown.map((x) => (
        <TemplateCard key={`${x.kind}-${x.channel}-${x.language}`} template={x} editable={organizer} onChange={replace} />
      ))}
    </section>
  );
}

function TemplateCard({ template, editable, onChange }: { template: Template; editable: boolean; onChange: (t: Template) => void }) {
  const { t } = useTranslation();
  const [subject, setSubject] = useState(template.subject ?? '');
  const [body, setBody] = useState(template.body);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  const path = `/message-templates/${template.kind}/${template.channel}/${template.language}`;
  const title = t('console.messages.cardTitle', {
    kind: t(`console.messages.kinds.${template.kind}`, { defaultValue: template.kind }),
    channel: t(`console.messages.channels.${template.channel}`),
  });

  const run = async (work: () => Promise<Template>, done: string) => {
    setBusy(true);
    setError(null);
    setNotice('');
    try {
      const next = await work();
      setSubject(next.subject ?? '');
      setBody(next.body);
      onChange(next);
      setNotice(done);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const reload = async (): Promise<Template> => {
    const all = await api<Template[]>('GET', '/message-templates');
    return all.find((x) => x.kind === template.kind && x.channel === template.channel && x.language === template.language)!;
  };
  const save = () =>
    run(async () => {
      await api('PUT', path, { body: { subject: template.channel === 'email' ? subject : null, body } });
      return reload();
    }, t('console.messages.saved'));
  const reset = () =>
    run(async () => {
      await api('DELETE', path);
      return reload();
    }, t('console.messages.resetDone'));

  return (
    <article className="card" data-testid={`template-${template.kind}-${template.channel}`} aria-label={title}>
      <h2>{title}</h2>
      <p>
        <span className={`badge ${template.custom ? 'warn' : 'ok'}`}>
          {template.custom ? t('console.messages.custom') : t('console.messages.default')}
        </span>
      </p>
      {template.channel === 'email' && (
        <label>
          {t('console.messages.subject')}
          <input value={subject} maxLength={200} readOnly={!editable} onChange={(e) => setSubject(e.target.value)} />
        </label>
      )}
      <label>
        {t('console.messages.body')}
        <textarea
          rows={template.channel === 'sms' ? 3 : 8}
          maxLength={2000}
          readOnly={!editable}
          value={body}
          onChange={(e) => setBody(e.target.value)}
        />
      </label>
      {editable && (
        <div className="row" style={{ marginTop: '0.5rem' }}>
          <button type="button" className="primary" disabled={busy || body.trim() === ''} onClick={() => void save()}>
            {t('console.messages.save')}
          </button>
          {template.custom && (
            <button type="button" disabled={busy} onClick={() => void reset()}>
              {t('console.messages.reset')}
            </button>
          )}
        </div>
      )}
      {notice && (
        <p className="success" role="status">
          {notice}
        </p>
      )}
      <ErrorMessage error={error} />
    </article>
  );
}
