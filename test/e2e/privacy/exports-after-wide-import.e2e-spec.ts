import { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { createTestApp, TestApp } from '../../support/create-test-app';
import { addMember, bearer, OrganizerSession, signupOrganizer } from '../../support/factories';
import { assignRoute, routeFixture, sync } from '../../support/field';
import { startWorker } from '../../support/worker';

/** Whatever file was imported, every export answers (a 200-column file once made the follow-ups export answer 500). */
describe('exports after an import of 200 columns', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let organizer: OrganizerSession;
  let campaignId: string;
  let turfId: string;

  beforeAll(async () => {
    t = await createTestApp();
    worker = await startWorker();
    organizer = await signupOrganizer(t);
    const extra = Array.from({ length: 192 }, (_, i) => `EXTRA_${i + 1}`);
    const lines = [['LON', 'LAT', 'NUMBER', 'STREET', 'UNIT', 'CITY', 'POSTCODE', 'ID', ...extra].join(',')];
    for (let h = 1; h <= 12; h++) {
      lines.push(
        [
          (-84.35 + h * 0.0002).toFixed(5),
          '33.74000',
          String(100 + 2 * h),
          'Wide St',
          '',
          'Atlanta',
          '30316',
          `id-${h}`,
          ...extra.map((_, i) => `v${i}`),
        ].join(','),
      );
    }
    expect(lines[0].split(',')).toHaveLength(200);
    const f = await routeFixture(t, organizer, 1, 14, Buffer.from(lines.join('\n')));
    campaignId = f.campaignId;
    turfId = f.turfIds[0];
    const ana = await addMember(t, organizer, 'volunteer');
    await assignRoute(t, organizer, turfId, [ana.userId]);
    const doors = f.doors.get(turfId)!.map((d) => d.id);
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
  });
  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  it('answers the follow-ups export with the follow-ups', async () => {
    const res = await t
      .http()
      .post(`/campaigns/${campaignId}/follow-ups.csv`)
      .set(bearer(organizer))
      .send({ password: organizer.password, reason: 'Open follow-ups for the legal clinic' });
    expect({ status: res.status, body: res.status === 200 ? '' : res.text }).toEqual({ status: 200, body: '' });
    expect(res.text.split('\n').filter((l) => l.includes('Wide St'))).toHaveLength(3);
  });

  it('answers every other export of the campaign', async () => {
    const paths = [
      `/campaigns/${campaignId}/coverage/export.csv`,
      `/campaigns/${campaignId}/coverage/doors.geojson`,
      `/campaigns/${campaignId}/coverage/turfs.geojson`,
      `/turfs/${turfId}/walk-list.csv`,
      `/turfs/${turfId}/walk-list.pdf`,
    ];
    for (const path of paths) {
      const res = await t.http().get(path).set(bearer(organizer));
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
    }
  });
});
