import { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { createTestApp, TestApp } from '../support/create-test-app';
import { signupOrganizer, STRONG_PASSWORD } from '../support/factories';
import { pairedVolunteers, Phone, routeFixture } from '../support/field';
import { SmsSink, SmtpSink, startSmsSink, startSmtpSink, useSinks } from '../support/messaging';
import { API_MAIN, ensureBuilt, freePort, Running, start, stopWithin, waitFor, WORKER_MAIN } from '../support/processes';
import { startWorker } from '../support/worker';
import { Answer, call, isStandardError, PrivateRedis, referenceOf, sleep, startPrivateRedis } from './services';
import { createPublicEvent } from '../support/events';

const ROUTES = 2;
const DOWN_MS = 3_000;
/** Longest a request may take: about the outage, plus a margin. Beyond it, it hangs. */
const MAX_REQUEST_MS = DOWN_MS + 4_000;

/**
 * Redis dies (SIGKILL, nothing saved) and comes back empty a few seconds later, while volunteers
 * sync (which queues coverage refreshes and live updates), people log in (rate-limit counters)
 * and supporters sign up for an event (each sign-up queues its confirmation). The Redis server
 * is the test's own; the built API and worker talk to it.
 */
describe('Redis restarted under load', () => {
  let redis: PrivateRedis | undefined;
  let smtp: SmtpSink;
  let sms: SmsSink;
  let restoreEnv: () => void;
  let t: TestApp;
  let inProcessWorker: INestApplicationContext | undefined;
  let api: Running | undefined;
  let worker: Running | undefined;

  beforeAll(async () => {
    ensureBuilt();
    smtp = await startSmtpSink();
    sms = await startSmsSink();
    restoreEnv = useSinks(smtp, sms);
    redis = await startPrivateRedis();
    t = await createTestApp();
  }, 60_000);
  afterAll(async () => {
    await Promise.allSettled([api && stopWithin(api, 10_000), worker && stopWithin(worker, 10_000)]);
    await inProcessWorker?.close();
    await t.close();
    await redis?.destroy();
    await smtp.close();
    await sms.close();
    restoreEnv();
  }, 60_000);

  it('keeps answering without 500s, reconnects by itself, resumes queued work and loses no acknowledged write', async () => {
    // The fixture is made in this process, on the run's own Redis; the load goes to the private one.
    inProcessWorker = await startWorker();
    const organizer = await signupOrganizer(t);
    const fixture = await routeFixture(t, organizer, ROUTES, 14);
    const phones = await pairedVolunteers(t, organizer, fixture, ROUTES);
    const startsAt = DateTime.now().setZone('America/New_York').plus({ days: 10 }).set({ hour: 12 }).startOf('hour');
    const event = await createPublicEvent(t, organizer, startsAt, {
      title: { en: 'Rally', es: 'Manifestación' },
      kind: 'action',
      address: 'Plaza',
      hours: 1,
      reminderSchedule: [],
    });
    const eventToken = event.token;
    await inProcessWorker.close();
    inProcessWorker = undefined;

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = { LOG_LEVEL: 'silent', REDIS_URL: redis!.url, PUBLIC_URL: base };
    api = start(API_MAIN, { ...env, PORT: String(port) });
    worker = start(WORKER_MAIN, env);
    await waitFor(async () => (await fetch(`${base}/health/ready`)).ok, 30_000, 'the api to be ready');

    const answers: (Answer & { kind: string })[] = [];
    const sent = new Set<string>();
    const acknowledged = new Set<string>();
    const signedUp = new Set<string>();
    let stopping = false;

    const phone = async (p: Phone) => {
      let n = 0;
      let outbox: object[] = [];
      while (!stopping || outbox.length > 0) {
        if (outbox.length === 0) {
          outbox = Array.from({ length: 5 }, () => {
            const id = randomUUID();
            sent.add(id);
            return {
              kind: 'visit',
              id,
              turfId: p.turfId,
              doorId: p.doors[n++ % p.doors.length],
              outcome: 'not_home',
              recordedAt: new Date().toISOString(),
            };
          });
        }
        const a = await call(
          `${base}/sync`,
          { method: 'POST', headers: { authorization: `Bearer ${p.token}` }, json: { items: outbox } },
          15_000,
        );
        answers.push({ ...a, kind: 'sync' });
        if (a.status === 200) {
          for (const r of (a.body as { results: { id: string; status: string }[] }).results) {
            if (r.status === 'created' || r.status === 'duplicate') acknowledged.add(r.id);
          }
          outbox = [];
          await sleep(20);
        } else await sleep(200);
      }
    };
    const logins = async (email: string) => {
      while (!stopping) {
        const a = await call(`${base}/auth/login`, { method: 'POST', json: { email, password: STRONG_PASSWORD } }, 15_000);
        answers.push({ ...a, kind: 'login' });
        await sleep(100);
      }
    };
    const signups = async () => {
      let i = 0;
      while (!stopping) {
        const email = `supporter-${i++}-${randomUUID().slice(0, 6)}@example.org`;
        const a = await call(
          `${base}/public/events/${eventToken}/rsvps`,
          { method: 'POST', json: { name: `Supporter ${i}`, email, language: i % 2 ? 'es' : 'en', consent: true } },
          15_000,
        );
        answers.push({ ...a, kind: 'signup' });
        if (a.status === 202) signedUp.add(email);
        await sleep(100);
      }
    };
    const readiness: Answer[] = [];
    const readyProbe = async () => {
      while (!stopping) {
        readiness.push(await call(`${base}/health/ready`));
        await sleep(200);
      }
    };
    const members = (
      await t.db.query<{ email: string }[]>(
        `SELECT u.email::text AS email FROM users u JOIN memberships m ON m.user_id = u.id WHERE m.organization_id = $1 AND m.role = 'volunteer' ORDER BY u.email LIMIT 2`,
        [organizer.organizationId],
      )
    ).map((r) => r.email);
    expect(members).toHaveLength(2);

    const load = Promise.all([...phones.map(phone), ...members.map(logins), signups(), signups(), readyProbe()]);
    await sleep(2_000);
    const killedAt = Date.now();
    await redis!.kill();
    await sleep(DOWN_MS);
    const downUntil = Date.now();
    await redis!.start();
    const upAt = Date.now();
    const firstOk = (kind: string, status: number) => answers.find((a) => a.kind === kind && a.at >= upAt && a.status === status);
    await waitFor(() => !!firstOk('login', 200) && !!firstOk('signup', 202), 20_000, 'logins and sign-ups to succeed again');
    await sleep(2_000);
    stopping = true;
    await load;

    // Queued work resumes: every acknowledged sign-up gets its confirmation, once.
    const references = () => {
      const counts = new Map<string, number>();
      for (const m of smtp.messages) {
        const ref = referenceOf(m);
        counts.set(ref, (counts.get(ref) ?? 0) + 1);
      }
      return counts;
    };
    const confirmations = await t.db.query<{ id: string }[]>(
      `SELECT r.id FROM reminders r JOIN rsvps p ON p.id = r.rsvp_id WHERE p.email = ANY($1::citext[]) AND r.kind = 'confirmation'`,
      [[...signedUp]],
    );
    const confirmationsStarted = Date.now();
    await waitFor(() => confirmations.every((c) => references().has(c.id)), 30_000, 'every confirmation to arrive');
    const confirmationsMs = Date.now() - confirmationsStarted;
    // The coverage rollups the worker keeps (its jobs were lost with Redis) catch up with every stored visit.
    const storedVisits = async () =>
      (await t.db.query<{ id: string }[]>('SELECT id FROM visits WHERE turf_id = ANY($1)', [fixture.turfIds])).map((r) => r.id);
    const stored = await storedVisits();
    await waitFor(
      async () => {
        const [{ n }] = await t.db.query<{ n: number }[]>(
          'SELECT coalesce(sum(attempts), 0)::int AS n FROM door_coverage WHERE campaign_id = $1',
          [fixture.campaignId],
        );
        return n === stored.length;
      },
      30_000,
      'the coverage rollups to catch up',
    );

    const during = answers.filter((a) => a.at >= killedAt && a.at + a.ms <= downUntil);
    const byKind = (list: (Answer & { kind: string })[]) =>
      list.reduce<Record<string, Record<number, number>>>((m, a) => {
        m[a.kind] = { ...m[a.kind], [a.status]: (m[a.kind]?.[a.status] ?? 0) + 1 };
        return m;
      }, {});
    const storedSet = new Set(stored);
    const refs = references();
    const report = {
      requests: answers.length,
      byKind: byKind(answers),
      downtimeMs: upAt - killedAt,
      whileDown: byKind(during),
      slowestMs: Math.max(...answers.map((a) => a.ms)),
      readinessWhileDown: readiness
        .filter((a) => a.at >= killedAt && a.at + a.ms <= downUntil)
        .map((a) => a.status)
        .filter((s, i, all) => all.indexOf(s) === i),
      loginRecoveryMs: firstOk('login', 200)!.at + firstOk('login', 200)!.ms - upAt,
      signupRecoveryMs: firstOk('signup', 202)!.at + firstOk('signup', 202)!.ms - upAt,
      visitsSent: sent.size,
      visitsAcknowledged: acknowledged.size,
      visitsStored: stored.length,
      visitsLost: [...acknowledged].filter((id) => !storedSet.has(id)).length,
      signupsAcknowledged: signedUp.size,
      confirmationsReceived: confirmations.filter((c) => refs.has(c.id)).length,
      confirmationsDuplicated: confirmations.reduce((n, c) => n + Math.max(0, (refs.get(c.id) ?? 0) - 1), 0),
      confirmationsMs,
      apiRestarts: 0,
      workerRestarts: 0,
    };
    console.log(`Redis restarted under load: ${JSON.stringify(report)}`);

    expect(api?.child.exitCode).toBeNull();
    expect(worker?.child.exitCode).toBeNull();
    const bad = answers.filter((a) => a.status === 0 || (a.status >= 500 && a.status !== 503));
    expect(bad).toEqual([]);
    expect(answers.filter((a) => a.status >= 400).every((a) => isStandardError(a))).toBe(true);
    expect(answers.filter((a) => a.status === 503).every((a) => a.code === 'SERVICE_UNAVAILABLE')).toBe(true);
    expect(report.slowestMs).toBeLessThan(MAX_REQUEST_MS);
    // Syncs do not need Redis: they go on while it is down.
    expect(during.filter((a) => a.kind === 'sync' && a.status === 200).length).toBeGreaterThan(10);
    expect(report.readinessWhileDown).toEqual([503]);
    expect(report.loginRecoveryMs).toBeLessThan(5_000);
    expect(report.signupRecoveryMs).toBeLessThan(5_000);
    expect(acknowledged.size).toBe(sent.size);
    expect(report.visitsLost).toBe(0);
    expect(stored.length).toBe(sent.size);
    expect(storedSet.size).toBe(stored.length);
    expect(confirmations).toHaveLength(signedUp.size);
    expect(report.confirmationsReceived).toBe(signedUp.size);
    expect(report.confirmationsDuplicated).toBe(0);
  }, 110_000);
});
