import { FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { Role, useAuth } from '../../auth';
import { ErrorMessage } from '../../components/ErrorMessage';
import { fetchAll, formatDate, Member, useLoad } from '../campaigns/model';
import '../campaigns/campaigns.css';

const ROLES: Role[] = ['volunteer', 'coordinator', 'organizer'];

interface Invite {
  id: string;
  role: Role;
  email: string | null;
  expiresAt: string;
  expired: boolean;
  createdAt: string;
}

interface CreatedInvite extends Invite {
  url: string;
}

/**
 * Everyone in the organization with their role and status. Organizers also invite people by link,
 * change roles, deactivate and reactivate members, and withdraw invites; coordinators see the list,
 * invite volunteers and withdraw those invites.
 */
export function MembersPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const organizer = me?.role === 'organizer';
  const staff = organizer || me?.role === 'coordinator';
  const loadMembers = useCallback((signal: AbortSignal) => fetchAll<Member>('/members', signal), []);
  const members = useLoad(loadMembers);
  const loadInvites = useCallback(
    (signal: AbortSignal) => (staff ? fetchAll<Invite>('/invites', signal) : Promise.resolve([] as Invite[])),
    [staff],
  );
  const invites = useLoad(loadInvites);

  return (
    <section className="stack">
      <h1>{t('console.members.title')}</h1>
      {staff && <InviteForm roles={organizer ? ROLES : ['volunteer']} onCreated={invites.reload} />}
      <section aria-labelledby="members-title">
        <h2 id="members-title">{t('console.members.listTitle', { count: members.data?.length ?? 0 })}</h2>
        <ErrorMessage error={members.error} />
        {!members.data && !members.error && (
          <p className="muted" role="status">
            {t('common.loading')}
          </p>
        )}
        {members.data && <MemberTable members={members.data} organizer={organizer} myId={me?.id ?? ''} onChanged={members.reload} />}
      </section>
      {staff && (
        <section aria-labelledby="invites-title">
          <h2 id="invites-title">{t('console.invites.title')}</h2>
          <ErrorMessage error={invites.error} />
          {invites.data && <InviteTable invites={invites.data} onChanged={invites.reload} />}
        </section>
      )}
    </section>
  );
}

function MemberTable({
  members,
  organizer,
  myId,
  onChanged,
}: {
  members: Member[];
  organizer: boolean;
  myId: string;
  onChanged: () => void;
}) {
  const { t, i18n } = useTranslation();
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [roles, setRoles] = useState<Record<string, Role>>({});
  const [busy, setBusy] = useState(false);

  const act = async (work: () => Promise<string>) => {
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      setMessage(await work());
      onChanged();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      {message && (
        <p className="success" role="status">
          {message}
        </p>
      )}
      <ErrorMessage error={error} />
      <div className="table-scroll">
        <table data-testid="members-table">
          <caption className="visually-hidden">{t('console.members.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('console.members.name')}</th>
              {organizer && <th scope="col">{t('console.members.contact')}</th>}
              <th scope="col">{t('console.members.role')}</th>
              <th scope="col">{t('console.members.status')}</th>
              <th scope="col">{t('console.members.joined')}</th>
              {organizer && <th scope="col">{t('console.members.actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {members.map((m) => {
              const self = m.userId === myId;
              const chosen = roles[m.id] ?? m.role;
              return (
                <tr key={m.id}>
                  <th scope="row">
                    {m.displayName}
                    {self && <span className="muted"> ({t('console.members.you')})</span>}
                  </th>
                  {organizer && (
                    <td>
                      {m.email}
                      {m.phone && <div className="muted small">{m.phone}</div>}
                    </td>
                  )}
                  <td>
                    {organizer && !self ? (
                      <div className="row">
                        <select
                          aria-label={t('console.members.roleOf', { name: m.displayName })}
                          value={chosen}
                          onChange={(e) => setRoles({ ...roles, [m.id]: e.target.value as Role })}
                        >
                          {ROLES.map((r) => (
                            <option key={r} value={r}>
                              {t(`roles.${r}`)}
                            </option>
                          ))}
                        </select>
                        {chosen !== m.role && (
                          <button
                            type="button"
                            disabled={busy}
                            onClick={() =>
                              void act(async () => {
                                await api('PATCH', `/members/${m.id}/role`, { body: { role: chosen } });
                                return t('console.members.roleChanged', { name: m.displayName, role: t(`roles.${chosen}`) });
                              })
                            }
                          >
                            {t('console.members.changeRole')}
                          </button>
                        )}
                      </div>
                    ) : (
                      t(`roles.${m.role}`)
                    )}
                  </td>
                  <td>
                    <span className={`badge ${m.status === 'active' ? 'ok' : 'bad'}`}>{t(`console.members.statuses.${m.status}`)}</span>
                  </td>
                  <td>{formatDate(m.joinedAt, i18n.language)}</td>
                  {organizer && (
                    <td>
                      {!self &&
                        (m.status === 'active' ? (
                          <button
                            type="button"
                            className="danger"
                            disabled={busy}
                            onClick={() => {
                              if (!window.confirm(t('console.members.confirmDeactivate', { name: m.displayName }))) return;
                              void act(async () => {
                                await api('POST', `/members/${m.id}/deactivate`);
                                return t('console.members.deactivated', { name: m.displayName });
                              });
                            }}
                          >
                            {t('console.members.deactivate')}
                            <span className="visually-hidden"> {m.displayName}</span>
                          </button>
                        ) : (
                          <button
                            type="button"
                            disabled={busy}
                            onClick={() =>
                              void act(async () => {
                                await api('POST', `/members/${m.id}/reactivate`);
                                return t('console.members.reactivated', { name: m.displayName });
                              })
                            }
                          >
                            {t('console.members.reactivate')}
                            <span className="visually-hidden"> {m.displayName}</span>
                          </button>
                        ))}
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** `roles`: the roles the caller may invite (coordinators: volunteers only). */
function InviteForm({ roles, onCreated }: { roles: Role[]; onCreated: () => void }) {
  const { t, i18n } = useTranslation();
  const [role, setRole] = useState<Role>('volunteer');
  const [email, setEmail] = useState('');
  const [created, setCreated] = useState<CreatedInvite | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [copied, setCopied] = useState(false);
  const link = useRef<HTMLInputElement>(null);

  // The link is shown once (the API keeps no copy): put the focus on it, selected, ready to copy.
  useEffect(() => {
    if (created) {
      link.current?.focus();
      link.current?.select();
    }
  }, [created]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setCopied(false);
    try {
      setCreated(await api<CreatedInvite>('POST', '/invites', { body: { role, email: email.trim() || undefined } }));
      setEmail('');
      onCreated();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const copy = async () => {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.url);
      setCopied(true);
    } catch {
      // Without clipboard access the link stays selected in its field, to copy by hand.
      link.current?.select();
    }
  };

  return (
    <section className="card stack console-form" aria-labelledby="invite-title">
      <h2 id="invite-title">{t('console.invites.new')}</h2>
      <form className="stack" onSubmit={(e) => void submit(e)}>
        {roles.length > 1 ? (
          <div className="form-field">
            <label htmlFor="invite-role">{t('console.members.role')}</label>
            <select id="invite-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {roles.map((r) => (
                <option key={r} value={r}>
                  {t(`roles.${r}`)}
                </option>
              ))}
            </select>
          </div>
        ) : (
          <p className="muted small" data-testid="invite-volunteers-only">
            {t('console.invites.volunteersOnly')}
          </p>
        )}
        <label>
          {t('console.invites.email')}
          <input
            type="email"
            autoComplete="off"
            maxLength={254}
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            aria-describedby="invite-email-help"
          />
        </label>
        <p id="invite-email-help" className="muted small">
          {t('console.invites.emailHelp')}
        </p>
        <ErrorMessage error={error} />
        <div>
          <button type="submit" className="primary" disabled={busy}>
            {t('console.invites.create')}
          </button>
        </div>
      </form>
      {created && (
        <div className="stack" data-testid="invite-created">
          <label>
            {t('console.invites.link', { role: t(`roles.${created.role}`) })}
            <input
              ref={link}
              readOnly
              className="invite-link"
              value={created.url}
              data-testid="invite-url"
              aria-describedby="invite-link-help"
            />
          </label>
          <p id="invite-link-help" className="muted small">
            {t('console.invites.linkHelp', { date: new Date(created.expiresAt).toLocaleString(i18n.language) })}
          </p>
          <div className="row">
            <button type="button" onClick={() => void copy()}>
              {t('console.invites.copy')}
            </button>
            {copied && (
              <span className="success" role="status">
                {t('console.invites.copied')}
              </span>
            )}
          </div>
        </div>
      )}
    </section>
  );
}

function InviteTable({ invites, onChanged }: { invites: Invite[]; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);

  const revoke = async (inv: Invite) => {
    setError(null);
    try {
      await api('DELETE', `/invites/${inv.id}`);
      setMessage(t('console.invites.revoked'));
      onChanged();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <>
      {message && (
        <p className="success" role="status">
          {message}
        </p>
      )}
      <ErrorMessage error={error} />
      {invites.length === 0 ? (
        <p>{t('console.invites.none')}</p>
      ) : (
        <table data-testid="invites-table">
          <caption className="visually-hidden">{t('console.invites.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('console.members.role')}</th>
              <th scope="col">{t('console.invites.emailColumn')}</th>
              <th scope="col">{t('console.invites.created')}</th>
              <th scope="col">{t('console.invites.expires')}</th>
              <th scope="col">{t('console.members.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {invites.map((inv) => (
              <tr key={inv.id}>
                <td>{t(`roles.${inv.role}`)}</td>
                <td>{inv.email ?? t('console.invites.anyone')}</td>
                <td>{formatDate(inv.createdAt, i18n.language)}</td>
                <td>
                  {inv.expired ? (
                    <span className="badge bad">{t('console.invites.expired')}</span>
                  ) : (
                    formatDate(inv.expiresAt, i18n.language)
                  )}
                </td>
                <td>
                  <button type="button" className="danger" onClick={() => void revoke(inv)}>
                    {t('console.invites.revoke')}
                    <span className="visually-hidden"> {inv.email ?? t(`roles.${inv.role}`)}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
