import { INestApplicationContext } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { Queue, QueueEvents } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { JobProducer, QUEUE } from '@app/queue';
import { createTestApp, TestApp } from '../../support/create-test-app';
import { addMember, bearer, OrganizerSession, signupOrganizer } from '../../support/factories';
import { assignRoute, RouteFixture, routeFixture, sync } from '../../support/field';
import { SmsSink, SmtpSink, startSmsSink, startSmtpSink, useSinks } from '../../support/messaging';
import { waitFor } from '../../support/processes';
import { startWorker } from '../../support/worker';
import { createPublicEvent } from '../../support/events';
import { DateTime } from 'luxon';

type Member = Awaited<ReturnType<typeof addMember>>;
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

/**
 * Retention, end to end: the organization's periods, the worker's purge job on the real queue,
 * and what stays (the figures, the counts) and what an old phone cannot bring back. Time is moved
 * by setting the campaign's last day and the event's end in the database.
 */
describe('retention: each organization’s periods, and the purge', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let events: QueueEvents;
  let smtp: SmtpSink;
  let sms: SmsSink;
  let restoreEnv: () => void;
  let organizer: OrganizerSession;
  let ana: Member;
  let f: RouteFixture;
  let turfId: string;
  let houses: string[];
  let eventId: string;
  let shiftId: string;
  const visitIds: string[] = [];
  const supporterEmail = `rosa-${randomUUID().slice(0, 8)}@example.org`;

  const rows = <T>(sql: string, args: unknown[] = []) => t.db.query<T[]>(sql, args);
  const purge = async () => {
    const job = await worker.get(JobProducer).enqueue('retention-purge', { requestedAt: new Date().toISOString() });
    return (await job.waitUntilFinished(events, 30_000)) as Record<string, number>;
  };
  /** The campaign's last day, `days` days ago (in its time zone, UTC). */
  const campaignEnded = (days: number) =>
    t.db.query(`UPDATE campaigns SET ends_on = current_date - $2::int WHERE id = $1`, [f.campaignId, days]);
  const noteCount = async () =>
    (await rows<{ n: number }>('SELECT count(note)::int AS n FROM visits WHERE campaign_id = $1', [f.campaignId]))[0].n;
  const locations = async () =>
    (await rows<{ n: number }>('SELECT count(coarse_lat)::int AS n FROM shifts WHERE campaign_id = $1', [f.campaignId]))[0].n;
  const visitCount = async () =>
    (await rows<{ n: number }>('SELECT count(*)::int AS n FROM visits WHERE campaign_id = $1', [f.campaignId]))[0].n;
  const supporter = async () =>
    (
      await rows<{ name: string | null; email: string | null; phone: string | null; purged: boolean; response: string }>(
        `SELECT name, email::text, phone, contact_purged_at IS NOT NULL AS purged, response FROM rsvps WHERE event_id = $1 AND user_id IS NULL`,
        [eventId],
      )
    )[0];
  const deliveries = () =>
    rows<{ kind: string; status: string; channel: string | null; n: number }>(
      `SELECT kind, status, sent_channel AS channel, count(*)::int AS n FROM reminders WHERE event_id = $1 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      [eventId],
    );
  /** Everything the dashboard shows of the campaign, but the time of the last refresh. */
  const figures = async () => {
    const get = async (path: string) =>
      (await t.http().get(`/campaigns/${f.campaignId}/coverage${path}`).set(bearer(organizer)).expect(200)).body as unknown;
    const summary = (await get('')) as Record<string, unknown>;
    delete summary.updatedAt;
    return {
      summary,
      turfs: await get('/turfs'),
      hours: await get('/series?bucket=hour'),
      days: await get('/series?bucket=day'),
      volunteers: await get('/volunteers'),
      neighbourhoods: await get('/neighbourhoods'),
    };
  };

  beforeAll(async () => {
    smtp = await startSmtpSink();
    sms = await startSmsSink();
    restoreEnv = useSinks(smtp, sms);
    t = await createTestApp();
    worker = await startWorker();
    const queue = worker.get<Queue>(getQueueToken(QUEUE.maintenance));
    events = new QueueEvents(QUEUE.maintenance, { connection: queue.opts.connection, prefix: queue.opts.prefix });
    await events.waitUntilReady();

    organizer = await signupOrganizer(t);
    ana = await addMember(t, organizer, 'volunteer');
    await t.http().patch('/organizations/current').set(bearer(organizer)).send({ notesEnabled: true }).expect(200);
    f = await routeFixture(t, organizer, 1);
    turfId = f.turfIds[0];
    houses = f.doors
      .get(turfId)!
      .filter((d) => d.unit === null)
      .map((d) => d.id);
    await assignRoute(t, organizer, turfId, [ana.userId]);
    // The neighbourhood figures are worked out from the door rollups: one outline around the whole street.
    await t
      .http()
      .put(`/campaigns/${f.campaignId}/coverage/neighbourhoods`)
      .set(bearer(organizer))
      .send({
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            properties: { name: 'Main Street' },
            geometry: {
              type: 'Polygon',
              coordinates: [
                [
                  [-84.36, 33.73],
                  [-84.34, 33.73],
                  [-84.34, 33.75],
                  [-84.36, 33.75],
                  [-84.36, 33.73],
                ],
              ],
            },
          },
        ],
      })
      .expect(200);

    shiftId = randomUUID();
    const visit = (door: string, over: Record<string, unknown>) => {
      const id = randomUUID();
      visitIds.push(id);
      return { kind: 'visit', id, turfId, doorId: door, recordedAt: ago(30), shiftId, ...over };
    };
    const res = await sync(t, ana, [
      { kind: 'check_in', id: shiftId, turfId, startedAt: ago(60), location: { lat: 33.741234, lon: -84.350678 } },
      visit(houses[0], {
        outcome: 'talked',
        language: 'es',
        followUp: true,
        note: 'Dog in the yard',
        materials: [{ materialId: f.materials.kyrEs, quantity: 2 }],
      }),
      visit(houses[1], { outcome: 'not_home', materials: [{ materialId: f.materials.kyrEn, quantity: 1 }] }),
      visit(houses[2], { outcome: 'talked', language: 'en', note: 'Come back Saturday', followUp: true }),
      visit(houses[0], { outcome: 'refused', recordedAt: ago(10) }),
      visit(houses[3], { outcome: 'do_not_knock' }),
    ]).expect(200);
    expect(res.body.counts).toMatchObject({ created: 6, rejected: 0 });
    // One follow-up closed by a coordinator, one left open: both counts must survive.
    const followUps = await t.http().get(`/campaigns/${f.campaignId}/follow-ups?status=open`).set(bearer(organizer)).expect(200);
    await t
      .http()
      .post(`/follow-ups/${(followUps.body.items as { id: string }[])[0].id}/close`)
      .set(bearer(organizer))
      .expect((r) => expect([200, 201]).toContain(r.status));
    await waitFor(
      async () => (await t.http().get(`/campaigns/${f.campaignId}/coverage`).set(bearer(organizer))).body.visits === 5,
      20_000,
      'the coverage rollups to count the visits',
    );

    const event = await createPublicEvent(t, organizer, DateTime.now().setZone('America/New_York').plus({ days: 3 }), {
      title: { en: 'Know your rights training', es: 'Taller de derechos' },
      address: '1 Church St, Atlanta',
    });
    eventId = event.id;
    await t
      .http()
      .post(`/public/events/${event.token}/rsvps`)
      .send({ name: 'Rosa Retention', email: supporterEmail, phone: '+14045550142', language: 'es', consent: true })
      .expect(202);
    await waitFor(() => smtp.messages.some((m) => JSON.stringify(m.to).includes(supporterEmail)), 20_000, 'the confirmation');
    await waitFor(
      async () => (await deliveries()).some((d) => d.kind === 'confirmation' && d.status === 'sent'),
      20_000,
      'the confirmation to be recorded as sent',
    );
  }, 120_000);

  afterAll(async () => {
    await events.close();
    await worker.close();
    await t.close();
    await smtp.close();
    await sms.close();
    restoreEnv();
  });

  it('keeps 90 days by default, validates each setting by name, and saves whole days from 1 to 3650', async () => {
    const current = (await t.http().get('/organizations/current').set(bearer(organizer)).expect(200)).body;
    expect(current).toMatchObject({
      notesRetentionDays: 90,
      locationsRetentionDays: 90,
      supporterContactsRetentionDays: 90,
      visitsRetentionDays: 90,
    });
    for (const [field, value] of [
      ['notesRetentionDays', 0],
      ['locationsRetentionDays', 3651],
      ['supporterContactsRetentionDays', 1.5],
      ['visitsRetentionDays', '30'],
      ['notesRetentionDays', null],
      ['visitsRetentionDays', -5],
    ] as const) {
      const res = await t
        .http()
        .patch('/organizations/current')
        .set(bearer(organizer))
        .send({ [field]: value })
        .expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
      expect(Object.keys(res.body.details.fields)).toEqual([field]);
      expect(res.body.message).toContain(field);
    }
    // Nothing was changed by the refused requests.
    expect((await t.http().get('/organizations/current').set(bearer(organizer)).expect(200)).body.notesRetentionDays).toBe(90);
    const coordinator = await addMember(t, organizer, 'coordinator');
    await t.http().patch('/organizations/current').set(bearer(coordinator)).send({ notesRetentionDays: 30 }).expect(403);

    const saved = await t
      .http()
      .patch('/organizations/current')
      .set(bearer(organizer))
      .send({ notesRetentionDays: 30, locationsRetentionDays: 60, supporterContactsRetentionDays: 20, visitsRetentionDays: 3650 })
      .expect(200);
    expect(saved.body).toMatchObject({
      notesRetentionDays: 30,
      locationsRetentionDays: 60,
      supporterContactsRetentionDays: 20,
      visitsRetentionDays: 3650,
    });
    await t.http().patch('/organizations/current').set(bearer(organizer)).send({ visitsRetentionDays: 90 }).expect(200);
    const docs = (await t.http().get('/docs-json').expect(200)).body;
    expect(docs.components.schemas.UpdateOrganizationDto.properties.visitsRetentionDays).toMatchObject({ minimum: 1, maximum: 3650 });
  });

  it('purges each kind of record after its time and not before, keeping the figures and the counts', async () => {
    const before = await figures();
    expect(before.summary).toMatchObject({ visits: 5, doorsAttempted: 4, followUps: { open: 1, closed: 1 } });
    const sentBefore = await deliveries();
    expect(await noteCount()).toBe(2);
    expect(await locations()).toBe(1);

    // Running, and then ended ten days ago: nothing is due yet (notes 30, locations 60, visits 90, supporters 20 days).
    await purge();
    await campaignEnded(10);
    await t.db.query(
      `UPDATE events SET starts_at = now() - interval '10 days 2 hours', ends_at = now() - interval '10 days' WHERE id = $1`,
      [eventId],
    );
    await purge();
    expect(await noteCount()).toBe(2);
    expect(await locations()).toBe(1);
    expect(await visitCount()).toBe(5);
    expect(await supporter()).toMatchObject({ name: 'Rosa Retention', email: supporterEmail, phone: '+14045550142', purged: false });

    // The event ended 21 days ago: supporters' contact details go, their answer and the reminder counts stay.
    await t.db.query(
      `UPDATE events SET starts_at = now() - interval '21 days 2 hours', ends_at = now() - interval '21 days' WHERE id = $1`,
      [eventId],
    );
    const r1 = await purge();
    expect(r1.supporterContacts).toBeGreaterThanOrEqual(1);
    expect(await supporter()).toEqual({ name: null, email: null, phone: null, purged: true, response: 'going' });
    expect(await deliveries()).toEqual(sentBefore);
    expect(
      await rows('SELECT 1 FROM reminders WHERE event_id = $1 AND (provider_id IS NOT NULL OR reason LIKE $2)', [
        eventId,
        `%${supporterEmail}%`,
      ]),
    ).toEqual([]);
    const rsvps = (await t.http().get(`/events/${eventId}/rsvps`).set(bearer(organizer)).expect(200)).body;
    expect(JSON.stringify(rsvps)).not.toContain(supporterEmail);

    // The campaign ended 45 days ago: notes go (30 days), locations stay (60).
    await campaignEnded(45);
    await purge();
    expect(await noteCount()).toBe(0);
    expect(await locations()).toBe(1);
    expect(await visitCount()).toBe(5);

    // 75 days: locations go too; the visits stay (90).
    await campaignEnded(75);
    await purge();
    expect(await locations()).toBe(0);
    expect(await visitCount()).toBe(5);
    expect(await rows('SELECT 1 FROM purged_campaigns WHERE campaign_id = $1', [f.campaignId])).toEqual([]);
    expect(await figures()).toEqual(before);

    // 100 days: the door-level visits, their materials and follow-ups go; the figures are the same.
    await campaignEnded(100);
    const r2 = await purge();
    expect(r2.campaigns).toBeGreaterThanOrEqual(1);
    expect(r2.visits).toBeGreaterThanOrEqual(5);
    expect(await visitCount()).toBe(0);
    expect(await rows('SELECT 1 FROM visit_materials WHERE visit_id = ANY($1::uuid[])', [visitIds])).toEqual([]);
    expect(await rows('SELECT 1 FROM follow_ups WHERE campaign_id = $1', [f.campaignId])).toEqual([]);
    expect(await figures()).toEqual(before);

    // The rollups' periodic full recount, which rebuilds from the visits, leaves a purged campaign's figures alone.
    const job = await worker.get(JobProducer).enqueue('coverage-refresh', { full: true });
    const coverage = worker.get<Queue>(getQueueToken(QUEUE.coverage));
    const coverageEvents = new QueueEvents(QUEUE.coverage, { connection: coverage.opts.connection, prefix: coverage.opts.prefix });
    try {
      await coverageEvents.waitUntilReady();
      await job.waitUntilFinished(coverageEvents, 30_000);
    } finally {
      await coverageEvents.close();
    }
    expect(await figures()).toEqual(before);
    // A second run finds nothing more to do for it.
    await purge();
    expect(await figures()).toEqual(before);
  }, 120_000);

  it("refuses an old phone's visits and check-ins for a purged campaign, and writes nothing", async () => {
    expect(await rows('SELECT 1 FROM purged_campaigns WHERE campaign_id = $1', [f.campaignId])).toHaveLength(1);
    const tables = ['visits', 'visit_materials', 'follow_ups', 'shifts', 'shift_materials'];
    const counts = async () =>
      Promise.all(tables.map(async (x) => (await rows<{ n: number }>(`SELECT count(*)::int AS n FROM ${x}`))[0].n));
    const before = await counts();
    const res = await sync(t, ana, [
      // The very visit that was purged, sent again from an outbox, with its note and follow-up.
      {
        kind: 'visit',
        id: visitIds[0],
        turfId,
        doorId: houses[0],
        outcome: 'talked',
        language: 'es',
        followUp: true,
        note: 'Dog in the yard',
        recordedAt: ago(30),
        materials: [{ materialId: f.materials.kyrEs, quantity: 2 }],
      },
      { kind: 'visit', id: randomUUID(), turfId, doorId: houses[5], outcome: 'not_home', recordedAt: ago(5) },
      { kind: 'not_home', id: randomUUID(), turfId, doorIds: [houses[6], houses[7]], recordedAt: ago(5) },
      { kind: 'check_in', id: randomUUID(), turfId, startedAt: ago(5), location: { lat: 33.74, lon: -84.35 } },
    ]).expect(200);
    expect(res.body.counts).toEqual({ created: 0, duplicate: 0, rejected: 4, quarantined: 0 });
    for (const r of res.body.results) {
      expect(r).toMatchObject({ status: 'rejected', code: 'PURGED' });
      expect(r.message).toMatch(/retention/);
    }
    expect(await counts()).toEqual(before);
    expect(await visitCount()).toBe(0);
  });
});
