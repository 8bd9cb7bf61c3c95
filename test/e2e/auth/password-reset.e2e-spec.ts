import { createHash } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import { appConfig, authConfig, messagingConfig, redisConfig } from '@app/config';
import { Clock } from '@app/core';
import { createTestApp, TestApp } from '../../support/create-test-app';
import { addMember, bearer, signupOrganizer, STRONG_PASSWORD, uniqueEmail } from '../../support/factories';
import { startSmtpSink, SmtpSink } from '../../support/messaging';
import { waitFor } from '../../support/processes';

const NEW_PASSWORD = 'lantern porch clipboard sunrise 7';
const PUBLIC_URL = 'https://porchlight.example.org';
const mailTo = (sink: SmtpSink, email: string) =>
  sink.messages.filter((m) => (Array.isArray(m.to) ? m.to : [m.to]).some((a) => a?.text.toLowerCase().includes(email.toLowerCase())));
const tokenIn = (mail: ParsedMail) => {
  const match = /https:\/\/porchlight\.example\.org\/reset-password#(pr_[A-Za-z0-9_-]{43})\b/.exec(mail.text ?? '');
  if (!match) throw new Error(`no reset link in: ${mail.text}`);
  return match[1];
};

describe('password reset by an e-mailed link', () => {
  let t: TestApp;
  let sink: SmtpSink;

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await createTestApp((b) =>
      b
        .overrideProvider(messagingConfig.KEY)
        .useValue({ ...messagingConfig(), smtpUrl: sink.url, publicUrl: PUBLIC_URL })
        .overrideProvider(appConfig.KEY)
        .useValue({ ...appConfig(), publicUrl: PUBLIC_URL }),
    );
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });
  afterEach(() => jest.restoreAllMocks());

  /** Asks for a link and reads it from the mail that arrives. */
  const requestLink = async (email: string) => {
    const before = mailTo(sink, email).length;
    await t.http().post('/auth/password-reset').send({ email }).expect(202);
    await waitFor(() => mailTo(sink, email).length > before, 10_000, `the reset mail to ${email}`);
    const mail = mailTo(sink, email)[before];
    return { mail, token: tokenIn(mail) };
  };

  it('answers the same whether or not the address has an account, and mails only an account', async () => {
    const organizer = await signupOrganizer(t);
    const nobody = uniqueEmail('nobody');
    const unknown = await t.http().post('/auth/password-reset').send({ email: nobody });
    const known = await t.http().post('/auth/password-reset').send({ email: organizer.email.toUpperCase() });
    expect(unknown.status).toBe(202);
    expect(known.status).toBe(202);
    expect(known.body).toEqual(unknown.body);
    expect(known.text).toBe(unknown.text);

    await waitFor(() => mailTo(sink, organizer.email).length === 1, 10_000, 'the reset mail');
    await new Promise((r) => setTimeout(r, 300));
    expect(mailTo(sink, nobody)).toHaveLength(0);
  });

  it('mails a link to the web page in the person’s language, and stores only the token’s hash', async () => {
    const organizer = await signupOrganizer(t);
    const { mail, token } = await requestLink(organizer.email);
    expect(mail.subject).toBe('Reset your Porchlight password');
    expect(mail.text).toContain(`${PUBLIC_URL}/reset-password#${token}`);

    const volunteer = await addMember(t, organizer, 'volunteer'); // language 'es'
    const spanish = await requestLink(volunteer.email);
    expect(spanish.mail.subject).toBe('Restablezca su contraseña de Porchlight');
    expect(spanish.mail.text).toContain('abra este enlace');

    const rows = await t.db.query<{ tokenHash: string; expiresAt: Date; createdAt: Date }[]>(
      `SELECT r.token_hash AS "tokenHash", r.expires_at AS "expiresAt", r.created_at AS "createdAt"
         FROM password_resets r JOIN users u ON u.id = r.user_id WHERE u.email = $1`,
      [organizer.email],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows[0].expiresAt.getTime() - rows[0].createdAt.getTime()).toBeLessThanOrEqual(3600_000 + 1000);
  });

  it('sets the password through the link once, ending every session', async () => {
    const organizer = await signupOrganizer(t);
    const other = (await t.http().post('/auth/login').send({ email: organizer.email, password: STRONG_PASSWORD }).expect(200)).body;
    const { token } = await requestLink(organizer.email);

    // A weak password is refused by the sign-up rules, and the link still works after it.
    const weak = await t.http().post('/auth/password-reset/confirm').send({ token, password: 'password1234' }).expect(400);
    expect(weak.body).toMatchObject({ code: 'WEAK_PASSWORD', details: { fields: { password: expect.any(Array) } } });

    await t.http().post('/auth/password-reset/confirm').send({ token, password: NEW_PASSWORD }).expect(204);

    // Every session of the account is over.
    for (const s of [organizer, other]) {
      await t.http().get('/me').set(bearer(s)).expect(401);
      const refused = await t.http().post('/auth/refresh').send({ refreshToken: s.refreshToken }).expect(401);
      expect(refused.body.code).toBe('REFRESH_TOKEN_INVALID');
    }
    await t.http().post('/auth/login').send({ email: organizer.email, password: STRONG_PASSWORD }).expect(401);
    await t.http().post('/auth/login').send({ email: organizer.email, password: NEW_PASSWORD }).expect(200);

    // The link worked once.
    const again = await t.http().post('/auth/password-reset/confirm').send({ token, password: 'another fine passphrase 99' }).expect(410);
    expect(again.body.code).toBe('RESET_TOKEN_USED');
    await t.http().post('/auth/login').send({ email: organizer.email, password: NEW_PASSWORD }).expect(200);

    const actions = await t.db.query<{ action: string }[]>(
      `SELECT a.action FROM audit_log a JOIN users u ON u.id = a.target_id WHERE u.email = $1 ORDER BY a.id`,
      [organizer.email],
    );
    expect(actions.map((a) => a.action)).toEqual(['auth.password_reset_requested', 'auth.password_reset']);
  });

  it('refuses an unknown token, and a link that a newer one replaced', async () => {
    const unknown = await t
      .http()
      .post('/auth/password-reset/confirm')
      .send({ token: 'pr_' + 'x'.repeat(43), password: NEW_PASSWORD })
      .expect(400);
    expect(unknown.body.code).toBe('RESET_TOKEN_INVALID');

    const organizer = await signupOrganizer(t);
    const first = await requestLink(organizer.email);
    const second = await requestLink(organizer.email);
    const replaced = await t.http().post('/auth/password-reset/confirm').send({ token: first.token, password: NEW_PASSWORD }).expect(400);
    expect(replaced.body.code).toBe('RESET_TOKEN_INVALID');
    await t.http().post('/auth/password-reset/confirm').send({ token: second.token, password: NEW_PASSWORD }).expect(204);
  });

  it('refuses an expired link (the link works for an hour by the clock)', async () => {
    const organizer = await signupOrganizer(t);
    const { token } = await requestLink(organizer.email);
    const now = Date.now();
    const clock = jest.spyOn(Clock.prototype, 'now');

    // 59 minutes later the link still works: the weak password is what is refused.
    clock.mockReturnValue(new Date(now + 59 * 60_000));
    const stillValid = await t.http().post('/auth/password-reset/confirm').send({ token, password: 'short' }).expect(400);
    expect(stillValid.body.code).toBe('WEAK_PASSWORD');

    clock.mockReturnValue(new Date(now + 61 * 60_000));
    const expired = await t.http().post('/auth/password-reset/confirm').send({ token, password: NEW_PASSWORD }).expect(410);
    expect(expired.body.code).toBe('RESET_TOKEN_EXPIRED');
    clock.mockRestore();
    await t.http().post('/auth/login').send({ email: organizer.email, password: STRONG_PASSWORD }).expect(200);
  });

  it('serves the web app pages for asking a link and for choosing the new password', async () => {
    for (const page of ['/forgot-password', '/reset-password']) {
      const res = await t.http().get(page);
      // 503 with a hint when the web app is not built; never the API's 404.
      expect({ page, status: [200, 503].includes(res.status) }).toEqual({ page, status: true });
      if (res.status === 200) expect(res.headers['content-type']).toMatch(/text\/html/);
    }
  });

  it('ends a pending link when the password is changed in the app', async () => {
    const organizer = await signupOrganizer(t);
    const { token } = await requestLink(organizer.email);
    await t
      .http()
      .post('/me/password')
      .set(bearer(organizer))
      .send({ currentPassword: STRONG_PASSWORD, newPassword: NEW_PASSWORD })
      .expect(204);
    const res = await t.http().post('/auth/password-reset/confirm').send({ token, password: 'another fine passphrase 99' }).expect(400);
    expect(res.body.code).toBe('RESET_TOKEN_INVALID');
  });
});

describe('password reset rate limits (per address and per IP, counted in Redis)', () => {
  const PER_ACCOUNT = 3;
  const PER_IP = 6;
  let t: TestApp;
  let sink: SmtpSink;

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await createTestApp((b) =>
      b
        .overrideProvider(messagingConfig.KEY)
        .useValue({ ...messagingConfig(), smtpUrl: sink.url })
        .overrideProvider(authConfig.KEY)
        .useValue({ ...authConfig(), loginLimitPerAccount: PER_ACCOUNT, loginLimitPerIp: PER_IP })
        // Its own key prefix: the blocked counters must not block the other specs.
        .overrideProvider(redisConfig.KEY)
        .useValue({ ...redisConfig(), keyPrefix: `${process.env.REDIS_KEY_PREFIX}:password-reset-limits` }),
    );
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  it('answers 429 after too many requests for one address, and sends no more mail', async () => {
    const organizer = await signupOrganizer(t);
    for (let i = 0; i < PER_ACCOUNT; i++) {
      await t.http().post('/auth/password-reset').send({ email: organizer.email }).expect(202);
    }
    const blocked = await t.http().post('/auth/password-reset').send({ email: organizer.email }).expect(429);
    expect(blocked.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
    await waitFor(() => mailTo(sink, organizer.email).length === PER_ACCOUNT, 10_000, 'the allowed mails');
    await new Promise((r) => setTimeout(r, 300));
    expect(mailTo(sink, organizer.email)).toHaveLength(PER_ACCOUNT);
  });

  it('answers 429 after too many requests from one address across e-mail addresses', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < PER_IP + 1; i++) {
      statuses.push(
        (
          await t
            .http()
            .post('/auth/password-reset')
            .send({ email: uniqueEmail('spray') })
        ).status,
      );
    }
    expect(statuses).toContain(429);
    expect(statuses.filter((s) => s === 202).length).toBeLessThanOrEqual(PER_IP);
  });

  it('limits the confirmations too', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < PER_IP + 1; i++) {
      statuses.push(
        (
          await t
            .http()
            .post('/auth/password-reset/confirm')
            .send({ token: `pr_guess_${i}_padding`, password: NEW_PASSWORD })
        ).status,
      );
    }
    expect(statuses).toContain(429);
  });
});
