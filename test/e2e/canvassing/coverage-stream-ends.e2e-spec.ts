import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { createTestApp, TestApp } from '../../support/create-test-app';
import { addMember, bearer, OrganizerSession, signupOrganizer, STRONG_PASSWORD } from '../../support/factories';

/** How soon a stream must end once its session or membership no longer lets it in. */
const WITHIN_MS = 5_000;

interface OpenStream {
  /** Resolves with the milliseconds from `since()` to the end of the response. */
  ended: Promise<number>;
  since: () => void;
  close: () => void;
}

/** Opens the coverage stream and resolves once its first event has arrived. */
function openStream(port: number, campaignId: string, token: string): Promise<OpenStream> {
  return new Promise((resolve, reject) => {
    let from = 0;
    let endedAt: (ms: number) => void = () => undefined;
    const ended = new Promise<number>((r) => (endedAt = r));
    const req = http.get(
      {
        host: '127.0.0.1',
        port,
        path: `/campaigns/${campaignId}/coverage/stream`,
        headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
      },
      (res) => {
        if (res.statusCode !== 200) return reject(new Error(`stream answered ${res.statusCode}`));
        let buffer = '';
        let first = true;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          if (first && buffer.includes('\n\n')) {
            first = false;
            resolve({ ended, since: () => (from = Date.now()), close: () => req.destroy() });
          }
        });
        const done = () => endedAt(Date.now() - from);
        res.on('end', done);
        res.on('close', done);
      },
    );
    req.on('error', () => endedAt(Date.now() - from));
    req.setTimeout(20_000, () => req.destroy(new Error('no event in time')));
  });
}

/** Resolves with the time to end, or with Infinity when the stream is still open after `ms`. */
const endsWithin = (s: OpenStream, ms: number) =>
  Promise.race([s.ended, new Promise<number>((r) => setTimeout(() => r(Number.POSITIVE_INFINITY), ms).unref())]);

describe('a live coverage stream ends with its session, membership or role', () => {
  let t: TestApp;
  let port: number;
  let organizer: OrganizerSession;
  let campaignId: string;
  const streams: OpenStream[] = [];

  const open = async (token: string) => {
    const s = await openStream(port, campaignId, token);
    streams.push(s);
    return s;
  };

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
    organizer = await signupOrganizer(t);
    campaignId = (await t.http().post('/campaigns').set(bearer(organizer)).send({ name: 'Stream test' }).expect(201)).body.id as string;
  }, 60_000);
  afterAll(async () => {
    for (const s of streams) s.close();
    await t.close();
  });

  it('ends within 5 s of logout, while a stream of another session goes on', async () => {
    const coordinator = await addMember(t, organizer, 'coordinator');
    const other = await open(organizer.accessToken);
    const s = await open(coordinator.accessToken);
    s.since();
    await t.http().post('/auth/logout').set(bearer(coordinator)).expect(204);
    expect(await endsWithin(s, WITHIN_MS + 1_000)).toBeLessThan(WITHIN_MS);
    expect(await endsWithin(other, 500)).toBe(Number.POSITIVE_INFINITY);
    await t.http().get(`/campaigns/${campaignId}/coverage`).set(bearer(organizer)).expect(200);
  }, 30_000);

  it('ends within 5 s of deactivation', async () => {
    const coordinator = await addMember(t, organizer, 'coordinator');
    const s = await open(coordinator.accessToken);
    s.since();
    await t.http().post(`/members/${coordinator.membershipId}/deactivate`).set(bearer(organizer)).expect(200);
    expect(await endsWithin(s, WITHIN_MS + 1_000)).toBeLessThan(WITHIN_MS);
  }, 30_000);

  it('ends within 5 s of a role change to volunteer', async () => {
    const coordinator = await addMember(t, organizer, 'coordinator');
    const s = await open(coordinator.accessToken);
    s.since();
    await t.http().patch(`/members/${coordinator.membershipId}/role`).set(bearer(organizer)).send({ role: 'volunteer' }).expect(200);
    expect(await endsWithin(s, WITHIN_MS + 1_000)).toBeLessThan(WITHIN_MS);
  }, 30_000);

  it('ends within 5 s of a password change made from another session', async () => {
    const coordinator = await addMember(t, organizer, 'coordinator');
    const laptop = (await t.http().post('/auth/login').send({ email: coordinator.email, password: STRONG_PASSWORD }).expect(200)).body as {
      accessToken: string;
    };
    const s = await open(coordinator.accessToken);
    s.since();
    await t
      .http()
      .post('/me/password')
      .set(bearer(laptop))
      .send({ currentPassword: STRONG_PASSWORD, newPassword: 'a brand new passphrase for the test 7' })
      .expect(204);
    expect(await endsWithin(s, WITHIN_MS + 1_000)).toBeLessThan(WITHIN_MS);
  }, 30_000);
});
