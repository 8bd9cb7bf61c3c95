import { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { createTestApp, TestApp } from '../../support/create-test-app';
import { addMember, bearer, OrganizerSession, signupOrganizer } from '../../support/factories';
import { assignRoute, routeFixture, sync } from '../../support/field';
import { startWorker } from '../../support/worker';

type Member = Awaited<ReturnType<typeof addMember>>;

/** Door-level exports need the organizer's password again and a reason, and are audited with it. */
describe('door-level exports', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let organizer: OrganizerSession;
  let organizerId: string;
  let coordinator: Member;
  let campaignId: string;
  let otherCampaignId: string;
  const reason = 'Open follow-ups for the legal clinic on Saturday';

  const exportFollowUps = (app: TestApp, who: { accessToken: string }, id: string, body: object) =>
    app.http().post(`/campaigns/${id}/follow-ups.csv`).set(bearer(who)).send(body);
  const exportsAudited = async () =>
    (
      await t.db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM audit_log WHERE action LIKE 'export.%' AND target_id = ANY($1)`, [
        [campaignId, otherCampaignId],
      ])
    )[0].n;

  beforeAll(async () => {
    t = await createTestApp();
    worker = await startWorker();
    organizer = await signupOrganizer(t);
    organizerId = (await t.http().get('/me').set(bearer(organizer)).expect(200)).body.id as string;
    coordinator = await addMember(t, organizer, 'coordinator');
    const ana = await addMember(t, organizer, 'volunteer');
    const f = await routeFixture(t, organizer, 1);
    campaignId = f.campaignId;
    const turfId = f.turfIds[0];
    const doors = f.doors.get(turfId)!.map((d) => d.id);
    await assignRoute(t, organizer, turfId, [ana.userId]);
    const visits = doors.slice(0, 3).map((doorId) => ({
      kind: 'visit',
      id: randomUUID(),
      turfId,
      doorId,
      outcome: 'talked',
      followUp: true,
      recordedAt: new Date(Date.now() - 60_000).toISOString(),
    }));
    await sync(t, ana, visits).expect(200);
    const other = await signupOrganizer(t);
    otherCampaignId = (await t.http().post('/campaigns').set(bearer(other)).send({ name: 'Elsewhere' }).expect(201)).body.id as string;
  });
  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  it('refuses a wrong password, a missing or short reason, a coordinator and another organization’s campaign, exporting nothing', async () => {
    const wrong = await exportFollowUps(t, organizer, campaignId, { password: 'not my password at all', reason }).expect(403);
    expect(wrong.body).toMatchObject({ statusCode: 403, code: 'REAUTH_FAILED' });
    expect(wrong.headers['content-type']).toMatch(/application\/json/);
    expect(wrong.text).not.toContain('Main St');

    const invalid: [object, string][] = [
      [{ password: organizer.password }, 'reason'],
      [{ password: organizer.password, reason: 'too short' }, 'reason'],
      // Trimmed before it is measured: spaces do not make a reason.
      [{ password: organizer.password, reason: `   ${'x'.repeat(9)}    ` }, 'reason'],
      [{ password: organizer.password, reason: 'y'.repeat(501) }, 'reason'],
      [{ password: organizer.password, reason: 42 }, 'reason'],
      [{ reason }, 'password'],
    ];
    for (const [body, field] of invalid) {
      const res = await exportFollowUps(t, organizer, campaignId, body).expect(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(res.body.details.fields).toHaveProperty(field);
    }

    const asCoordinator = await exportFollowUps(t, coordinator, campaignId, { password: coordinator.password, reason }).expect(403);
    expect(asCoordinator.body.code).toBe('FORBIDDEN');
    await exportFollowUps(t, organizer, otherCampaignId, { password: organizer.password, reason }).expect(404);
    // The old way, without a password, is gone.
    await t.http().get(`/campaigns/${campaignId}/follow-ups.csv`).set(bearer(organizer)).expect(404);

    expect(await exportsAudited()).toBe(0);
    const [{ n: failures }] = await t.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'auth.reauth_failed' AND actor_user_id = $1`,
      [organizerId],
    );
    expect(failures).toBe(1);
  });

  it('gives the CSV for the right password and a reason, and audits who, what, when and why once', async () => {
    const before = Date.now();
    const res = await exportFollowUps(t, organizer, campaignId, { password: organizer.password, reason: `  ${reason}  ` }).expect(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="follow-ups-${campaignId}.csv"`);
    const lines = res.text.trim().split('\r\n');
    expect(lines[0]).toBe('status,number,street,unit,turf,created_at,closed_at');
    expect(lines).toHaveLength(1 + 3);
    expect(lines[1]).toMatch(/^open,\d+,Main St 0,/);

    const audit = await t.db.query<{ action: string; actor_user_id: string; target_type: string; metadata: object; created_at: Date }[]>(
      `SELECT action, actor_user_id, target_type, metadata, created_at FROM audit_log WHERE action LIKE 'export.%' AND target_id = $1`,
      [campaignId],
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'export.follow_ups',
      actor_user_id: organizerId,
      target_type: 'campaign',
      metadata: { rows: 3, format: 'csv', reason },
    });
    expect(audit[0].created_at.getTime()).toBeGreaterThanOrEqual(before - 1000);
    // Organizers read it in the audit log.
    const log = (await t.http().get('/audit-log').set(bearer(organizer)).expect(200)).body.items as { action: string; metadata: object }[];
    expect(log.find((e) => e.action === 'export.follow_ups')?.metadata).toMatchObject({ reason });
  });

  it('counts password attempts against the login limits', async () => {
    const saved = process.env.LOGIN_LIMIT_PER_ACCOUNT;
    process.env.LOGIN_LIMIT_PER_ACCOUNT = '3';
    const limited = await createTestApp();
    try {
      const someone = await signupOrganizer(limited);
      const own = (await limited.http().post('/campaigns').set(bearer(someone)).send({ name: 'Limits' }).expect(201)).body.id as string;
      for (let i = 0; i < 3; i++) await exportFollowUps(limited, someone, own, { password: `guess number ${i}`, reason }).expect(403);
      const blocked = await exportFollowUps(limited, someone, own, { password: someone.password, reason }).expect(429);
      expect(blocked.body.code).toBe('RATE_LIMITED');
      // Another organizer, from the same address, is not held back by it.
      const colleague = await signupOrganizer(limited);
      const theirs = (await limited.http().post('/campaigns').set(bearer(colleague)).send({ name: 'Theirs' }).expect(201)).body
        .id as string;
      await exportFollowUps(limited, colleague, theirs, { password: colleague.password, reason }).expect(200);
    } finally {
      process.env.LOGIN_LIMIT_PER_ACCOUNT = saved;
      await limited.close();
    }
  });
});
