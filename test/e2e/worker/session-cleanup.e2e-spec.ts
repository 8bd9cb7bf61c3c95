import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import { Queue, QueueEvents } from 'bullmq';
import { DataSource } from 'typeorm';
import { JobProducer, QUEUE } from '@app/queue';
import { WorkerModule } from '../../../apps/worker/src/worker.module';
import { createTestApp, TestApp } from '../../support/create-test-app';
import { addMember, signupOrganizer } from '../../support/factories';

/** The session clean-up job, end to end: produced on the real queue, processed by the real worker. */
describe('session-cleanup job', () => {
  let api: TestApp;
  let worker: INestApplicationContext;
  let events: QueueEvents;

  beforeAll(async () => {
    api = await createTestApp();
    worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
    await worker.init();
    const queue = worker.get<Queue>(getQueueToken(QUEUE.maintenance));
    events = new QueueEvents(QUEUE.maintenance, { connection: queue.opts.connection, prefix: queue.opts.prefix });
    await events.waitUntilReady();
  });
  afterAll(async () => {
    await events.close();
    await worker.close();
    await api.close();
  });

  it('registers its repeating schedule when the worker starts', async () => {
    const schedulers = await worker.get<Queue>(getQueueToken(QUEUE.maintenance)).getJobSchedulers();
    expect(schedulers.map((s) => s.key)).toContain('session-cleanup');
  });

  it('deletes sessions that ended before the retention period, with their refresh tokens, and keeps the rest', async () => {
    const organizer = await signupOrganizer(api);
    const volunteer = await addMember(api, organizer, 'volunteer');
    const db = worker.get(DataSource);
    const [{ id: oldSession }] = await db.query<{ id: string }[]>('SELECT id FROM sessions WHERE membership_id = $1 LIMIT 1', [
      volunteer.membershipId,
    ]);
    await db.query(`UPDATE sessions SET revoked_at = now() - interval '400 days', expires_at = now() - interval '400 days' WHERE id = $1`, [
      oldSession,
    ]);
    const [{ n: tokensBefore }] = await db.query('SELECT count(*)::int AS n FROM refresh_tokens WHERE session_id = $1', [oldSession]);
    expect(tokensBefore).toBeGreaterThan(0);
    const staleInvite = await api
      .http()
      .post('/invites')
      .set({ Authorization: `Bearer ${organizer.accessToken}` })
      .send({ role: 'volunteer' });
    await db.query(`UPDATE invites SET expires_at = now() - interval '400 days' WHERE id = $1`, [staleInvite.body.id]);

    const job = await worker.get(JobProducer).enqueue('session-cleanup', { requestedAt: new Date().toISOString() });
    const result = (await job.waitUntilFinished(events, 15_000)) as { sessionsDeleted: number; invitesDeleted: number };

    expect(result.sessionsDeleted).toBeGreaterThanOrEqual(1);
    expect(result.invitesDeleted).toBeGreaterThanOrEqual(1);
    expect(await db.query('SELECT id FROM sessions WHERE id = $1', [oldSession])).toEqual([]);
    expect(await db.query('SELECT id FROM refresh_tokens WHERE session_id = $1', [oldSession])).toEqual([]);
    expect(await db.query('SELECT id FROM invites WHERE id = $1', [staleInvite.body.id])).toEqual([]);
    // The organizer's live session survives and still works.
    await api
      .http()
      .get('/me')
      .set({ Authorization: `Bearer ${organizer.accessToken}` })
      .expect(200);
  });
});
